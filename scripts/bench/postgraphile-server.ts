/**
 * The baseline that asks PostgreSQL every time: PostGraphile v4 over the same database, exposing
 * `public` (user_full_view) and the bench's functions (database.ts), configured for production
 * (no GraphiQL, no query log, no mutations). Batched requests are on, as usergraph's are.
 *
 * A child process of the bench: DATABASE_URL and PORT.
 */
import { createServer } from 'node:http';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import pg from 'pg';
import { POSTGRAPHILE_SCHEMA } from './database.ts';

shareOneGraphQL();
const { postgraphile } = await import('postgraphile');

const env = process.env; // this program's own knobs, set by the bench
const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 10 });

const middleware = postgraphile(pool, ['public', POSTGRAPHILE_SCHEMA], {
  dynamicJson: true,
  setofFunctionsContainNulls: false,
  disableDefaultMutations: true,
  enableQueryBatching: true,
  graphiql: false,
  disableQueryLog: true,
  retryOnInitFail: false,
  watchPg: false,
});
await middleware.getGraphQLSchema();

const server = createServer((request, response) => {
  if (request.url === '/ready') return void response.end('ready');
  middleware(request, response);
});
server.listen(Number(env.PORT), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));

/**
 * PostGraphile 4 needs graphql 15 while usergraph has 16 at the top of node_modules, so npm nests
 * copies of 15 (and of graphile-build) under several of PostGraphile's packages, and the hoisted
 * ones (graphile-build-pg, graphql-parse-resolve-info) would reach 16: "Cannot use GraphQLScalarType
 * from another module or realm". In this process only, every require of graphql or graphile-build
 * resolves to the copy under postgraphile/node_modules.
 */
function shareOneGraphQL(): void {
  const loader = Module as unknown as {
    _resolveFilename(request: string, parent: unknown, ...rest: unknown[]): string;
    _nodeModulePaths(from: string): string[];
  };
  const home = path.dirname(createRequire(import.meta.url).resolve('postgraphile/package.json'));
  const anchor = new Module(path.join(home, 'index.js'));
  anchor.filename = anchor.id;
  anchor.paths = loader._nodeModulePaths(home);
  const resolve = loader._resolveFilename;
  loader._resolveFilename = function (request, parent, ...rest) {
    return resolve.call(this, request, /^(graphql|graphile-build)(\/|$)/.test(request) ? anchor : parent, ...rest);
  };
}
