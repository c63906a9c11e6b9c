/**
 * GraphQL Armor's limits on what one operation may ask: depth, aliases, tokens and directives.
 * Each refusal carries its own `extensions.code` (armor's own errors carry none) and a
 * message that names the limit.
 */
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { GraphQLError, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Limits } from '../config/config.ts';
import { ERRORS, type ErrorEntry } from '../errors.ts';

export interface ArmorOptions {
  readonly limits: Limits;
  /** Hide "Did you mean …?" hints (with introspection off, they would give the schema away). */
  readonly blockFieldSuggestions: boolean;
}

export function useArmor({ limits, blockFieldSuggestions }: ArmorOptions): Plugin {
  return EnvelopArmorPlugin({
    maxDepth: { n: limits.maxDepth, ...refuseWith(ERRORS.QUERY_TOO_DEEP) },
    maxAliases: { n: limits.maxAliases, ...refuseWith(ERRORS.TOO_MANY_ALIASES) },
    maxTokens: { n: limits.maxTokens, ...refuseWith(ERRORS.TOO_MANY_TOKENS) },
    maxDirectives: { n: limits.maxDirectives, ...refuseWith(ERRORS.TOO_MANY_DIRECTIVES) },
    // Armor's cost does not see variables: ours does (use-cost-limit.ts).
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: blockFieldSuggestions },
  }) as Plugin;
}

/**
 * Armor's own error is swallowed (propagateOnRejection: false) and ours reported instead: into
 * validation when there is a validation context, thrown from the parser (the token limit) otherwise.
 */
function refuseWith({ code }: ErrorEntry) {
  return {
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => {
        const refusal = new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code } });
        if (context) context.reportError(refusal);
        else throw refusal;
      },
    ],
  };
}
