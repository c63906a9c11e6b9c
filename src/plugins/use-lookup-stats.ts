/**
 * Reports in each response's `extensions.directory` how this request's lookups were served:
 * from the cache, or from the database (and in how many queries).
 */
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { LookupStats } from '../directory/loaders.ts';
import type { GraphQLContext } from '../schema/context.ts';

export function useLookupStats(): Plugin<GraphQLContext> {
  return {
    onExecute: ({ args }) => ({
      onExecuteDone: ({ result, setResult }) => {
        if (Symbol.asyncIterator in result) return; // streams report nothing
        setResult(withLookupStats(result, (args.contextValue as GraphQLContext).loaders.stats));
      },
    }),
  };
}

/** The result with the lookup counts added (the fast lane's compiled queries report through this too). */
export function withLookupStats<T extends ExecutionResult>(result: T, stats: LookupStats): T {
  return { ...result, extensions: { ...result.extensions, directory: { ...stats } } };
}
