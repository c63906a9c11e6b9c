/**
 * GraphQL Armor's limits on what one operation may ask: depth, aliases, tokens, directives and
 * cost. Each refusal carries its own `extensions.code` (armor's own errors carry none) and a
 * message that names the limit.
 */
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { GraphQLError, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Limits } from '../config/config.ts';

export const LIMIT_CODES = {
  depth: 'QUERY_TOO_DEEP',
  aliases: 'TOO_MANY_ALIASES',
  tokens: 'TOO_MANY_TOKENS',
  directives: 'TOO_MANY_DIRECTIVES',
  cost: 'QUERY_TOO_COMPLEX',
} as const;

export interface ArmorOptions {
  readonly limits: Limits;
  /** Hide "Did you mean …?" hints (with introspection off, they would give the schema away). */
  readonly blockFieldSuggestions: boolean;
}

export function useArmor({ limits, blockFieldSuggestions }: ArmorOptions): Plugin {
  return EnvelopArmorPlugin({
    maxDepth: { n: limits.maxDepth, ...refuseWith(LIMIT_CODES.depth) },
    maxAliases: { n: limits.maxAliases, ...refuseWith(LIMIT_CODES.aliases) },
    maxTokens: { n: limits.maxTokens, ...refuseWith(LIMIT_CODES.tokens) },
    maxDirectives: { n: limits.maxDirectives, ...refuseWith(LIMIT_CODES.directives) },
    costLimit: { maxCost: limits.maxCost, ...refuseWith(LIMIT_CODES.cost) },
    blockFieldSuggestion: { enabled: blockFieldSuggestions },
  }) as Plugin;
}

/**
 * Armor's own error is swallowed (propagateOnRejection: false) and ours reported instead: into
 * validation when there is a validation context, thrown from the parser (the token limit) otherwise.
 */
function refuseWith(code: string) {
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
