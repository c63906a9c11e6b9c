/**
 * The SDL committed as schema.graphql. graphql-js does not print applied directives, so this
 * uses graphql-tools' printer: frontends generate types from this file, and it shows `@admin`.
 */
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { lexicographicSortSchema, type GraphQLSchema } from 'graphql';

export function printSchemaSDL(schema: GraphQLSchema): string {
  return `${printSchemaWithDirectives(lexicographicSortSchema(schema)).trim()}\n`;
}
