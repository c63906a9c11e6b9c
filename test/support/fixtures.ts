/**
 * The integration tests' fixtures (vitest's test context), over real PostgreSQL and the real
 * service. A test names what it needs, `async ({ server, database }) => …`, and gets it set up
 * before and torn down after, in dependency order; a file adds fixtures, or replaces these, with
 * `test.extend(name, options, fixture)`.
 *
 * File scope: one for the whole file, set up when its first test runs, gone when the file ends.
 *   emptyDatabase  option: true for a database with nothing in it, for files that build another layout
 *   database       a clone of the migrated template (SuperTokens' tables and our migrations); dropped after
 *   seed           what the file writes before the service loads (nothing, unless the file says so);
 *                  its value is what the tests must know of it, such as ids. A fixture that must
 *                  start after it names it, as `server` does.
 *   serverEnv      the file's settings for the service, over the harness's defaults
 *   server         the real service over the seeded database, on a free port; closed after
 * Test scope: one test's own, gone when it ends.
 *   ownDatabase    a clone of the template for this test alone (one it will cut off, say)
 *   startServer    starts another service (other settings, or another database); closed after the test
 *
 * Vitest allows file-scoped fixtures at the top level of a file only. Describe blocks that each
 * need a database of their own get one extended `test` each, made at the top level: each extended
 * test keeps file-scoped values of its own.
 */
import { test as base } from 'vitest';
import { createTestDatabase, type TestDatabase } from './postgres.ts';
import { startTestServer, type TestServer, type TestServerOptions } from './server.ts';

type OnCleanup = (cleanup: () => Promise<void> | void) => void;
export type ServerEnv = Record<string, string>;

/** The service over `databaseUrl`, closed when the fixture that started it ends. */
export async function serve(databaseUrl: string, env: ServerEnv, onCleanup: OnCleanup): Promise<TestServer> {
  const server = await startTestServer(databaseUrl, env);
  onCleanup(() => server.close());
  return server;
}

async function dropAfter(database: Promise<TestDatabase>, onCleanup: OnCleanup): Promise<TestDatabase> {
  const created = await database;
  onCleanup(() => created.drop());
  return created;
}

export const test = base
  .extend('emptyDatabase', { scope: 'file' }, false as boolean)
  .extend('database', { scope: 'file' }, ({ emptyDatabase }, { onCleanup }) =>
    dropAfter(createTestDatabase({ empty: emptyDatabase }), onCleanup),
  )
  .extend('seed', { scope: 'file' }, async ({ database }): Promise<unknown> => undefined)
  // Automatic: a test that reads the database and not the server still finds what the file wrote.
  .extend('seeded', { scope: 'file', auto: true }, async ({ seed }) => seed)
  .extend('serverEnv', { scope: 'file' }, {} as ServerEnv)
  .extend('server', { scope: 'file' }, ({ database, seed, serverEnv }, { onCleanup }) =>
    serve(database.url, serverEnv, onCleanup),
  )
  .extend('ownDatabase', ({}, { onCleanup }) => dropAfter(createTestDatabase(), onCleanup))
  .extend('startServer', ({}, { onCleanup }) => {
    const started: TestServer[] = [];
    onCleanup(async () => {
      for (const server of started.reverse()) await server.close();
    });
    return async (databaseUrl: string, env: ServerEnv = {}, options: TestServerOptions = {}): Promise<TestServer> => {
      const server = await startTestServer(databaseUrl, env, options);
      started.push(server);
      return server;
    };
  });
