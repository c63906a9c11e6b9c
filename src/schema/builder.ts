/** The one Pothos builder. It declares no types: those live beside their entry points. */
import SchemaBuilder from '@pothos/core';
import DirectivesPlugin from '@pothos/plugin-directives';
import ValidationPlugin from '@pothos/plugin-validation';
import type { GraphQLContext } from './context.ts';
import { BadUserInputError } from './errors.ts';

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date | number };
    JSON: { Input: unknown; Output: unknown };
  };
  Directives: {
    admin: { locations: 'FIELD_DEFINITION'; args: Record<string, never> };
  };
}>({
  plugins: [DirectivesPlugin, ValidationPlugin],
  defaultFieldNullability: false,
  // graphql-tools (printer and getDirective) reads directives keyed by name.
  directives: { useGraphQLToolsUnorderedDirectives: true },
  validation: {
    validationError: (failure) =>
      new BadUserInputError(failure.issues.map((issue) => issue.message).join('; '), {
        issues: failure.issues.map((issue) => ({
          path: issue.path?.map((segment) => (typeof segment === 'object' ? segment.key : segment)),
          message: issue.message,
        })),
      }),
  },
});

builder.queryType({});
builder.mutationType({});
