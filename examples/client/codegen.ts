/**
 * GraphQL Code Generator's client preset over usergraph's committed schema.graphql (introspection
 * does not carry the rule directives, and production turns it off): typed documents for the
 * operations in src/, with usergraph's scalars mapped to what their JSON holds.
 * `npm run codegen` (from the repository's root) writes src/gql/.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['examples/client/src/**/*.ts', '!examples/client/src/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    'examples/client/src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        // Documents as strings with their types attached: sent with plain fetch, no GraphQL client needed.
        documentMode: 'string',
        useTypeImports: true,
        // Imports that name their files, as the rest of this repository's TypeScript does.
        importExtension: '.ts',
        enumsAsTypes: true,
        scalars: {
          DateTime: { input: 'string', output: 'string' },
          JSONObject: { input: 'Record<string, unknown>', output: 'Record<string, unknown>' },
          // What a metadata condition compares with: any JSON value.
          JSON: { input: 'unknown', output: 'unknown' },
        },
      },
    },
  },
};

export default config;
