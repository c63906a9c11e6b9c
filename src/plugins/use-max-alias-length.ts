/**
 * The longest alias an operation may use (MAX_ALIAS_LENGTH). An alias is the one name a client
 * writes that the answer repeats: as the key of every value it names, in every item of a list,
 * and in the path of every error beneath it. The cost limit counts values, not their keys; a
 * 4,000-character alias inside a page of 500 users would make one short request answer megabytes.
 * A validation rule, so that the fast lane (which validates with yoga's envelop) applies it too.
 */
import { GraphQLError, type ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ERRORS } from '../errors.ts';

export function useMaxAliasLength(maxLength: number): Plugin {
  const rule: ValidationRule = (context) => ({
    Field(node) {
      if (node.alias && node.alias.value.length > maxLength) {
        context.reportError(
          new GraphQLError(`Alias length limit of ${maxLength} exceeded: an alias of ${node.alias.value.length} characters.`, {
            nodes: [node.alias],
            extensions: { code: ERRORS.ALIAS_TOO_LONG.code },
          }),
        );
      }
    },
  });
  return {
    onValidate: ({ addValidationRule }) => addValidationRule(rule),
  };
}
