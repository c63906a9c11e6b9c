/** Refuses `__schema` and `__type` (introspection), with a code; `__typename` stays allowed. */
import { GraphQLError, type ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ERRORS } from '../errors.ts';

/** The two ways into introspection (no field of ours may start with `__`). */
const ENTRY_POINTS = new Set(['__schema', '__type']);

const noIntrospection: ValidationRule = (context) => ({
  Field(node) {
    if (ENTRY_POINTS.has(node.name.value)) {
      context.reportError(
        new GraphQLError(`Introspection is disabled here ("${node.name.value}"); use the published schema.graphql.`, {
          nodes: node,
          extensions: { code: ERRORS.INTROSPECTION_DISABLED.code },
        }),
      );
    }
  },
});

export function useDisableIntrospection(): Plugin {
  return {
    onValidate: ({ addValidationRule }) => {
      addValidationRule(noIntrospection);
    },
  };
}
