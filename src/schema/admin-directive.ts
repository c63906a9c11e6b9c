/**
 * `@admin`: the directive is the rule. It is declared here, printed in schema.graphql, and
 * `enforceAdminDirective` wraps the resolver of every field that carries it.
 */
import { MapperKind, getDirective, mapSchema } from '@graphql-tools/utils';
import { DirectiveLocation, GraphQLDirective, defaultFieldResolver, type GraphQLSchema } from 'graphql';
import type { GraphQLContext } from './context.ts';
import { ForbiddenError, UnauthenticatedError } from './errors.ts';

export const adminDirective = new GraphQLDirective({
  name: 'admin',
  description: 'Only an admin may use this field (for now: Authorization: Bearer <ADMIN_API_KEY>).',
  locations: [DirectiveLocation.FIELD_DEFINITION],
});

export function enforceAdminDirective(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (fieldConfig) => {
      if (!getDirective(schema, fieldConfig, adminDirective.name)?.length) return fieldConfig;
      const resolve = fieldConfig.resolve ?? defaultFieldResolver;
      return {
        ...fieldConfig,
        resolve: (source, args, context: GraphQLContext, info) => {
          requireAdmin(context);
          return resolve(source, args, context, info);
        },
      };
    },
  });
}

function requireAdmin({ caller }: GraphQLContext): void {
  switch (caller.kind) {
    case 'admin':
      return;
    case 'anonymous':
      throw new UnauthenticatedError();
    case 'unrecognised':
      throw new ForbiddenError();
  }
}
