/**
 * Reports in each response's `extensions.directory` how this request's lookups were served:
 * from the cache, or from the database (and in how many queries).
 */
import type { Plugin } from 'graphql-yoga';
import type { GraphQLContext } from '../schema/context.ts';

export function useLookupStats(): Plugin<GraphQLContext> {
  return {
    onExecute: ({ args }) => ({
      onExecuteDone: ({ result, setResult }) => {
        if (Symbol.asyncIterator in result) return; // streams report nothing
        const { stats } = (args.contextValue as GraphQLContext).loaders;
        setResult({ ...result, extensions: { ...result.extensions, directory: { ...stats } } });
      },
    }),
  };
}
