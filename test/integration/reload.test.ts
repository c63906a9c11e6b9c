/** reloadUsers: guarded by @admin, atomic, single-flight, and harmless when it fails. Plus /ready. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { describe, expect } from 'vitest';
import { parseConfig } from '../../src/config/config.ts';
import { connectDatabase } from '../../src/db/connect.ts';
import { signUpEmailPassword } from '../../supertokens-standin/writes.ts';
import { createLogger } from '../../src/logger.ts';
import { createDirectoryService } from '../../src/directory-service.ts';
import { createService, serviceOn } from '../../src/service.ts';
import { test } from '../support/fixtures.ts';
import { ADMIN_KEY, WITHOUT_CHANGE_FEED, asReader, errorCodes, expectData, type TestServer } from '../support/server.ts';

const RELOAD = 'mutation { reloadUsers { count durationMs loadedAt } }';
const asAdmin = { authorization: `Bearer ${ADMIN_KEY}` };

const it = test
  .extend('seed', { scope: 'file' }, async ({ database }) => {
    for (let i = 0; i < 3; i++) await signUpEmailPassword(database.db, { email: `first${i}@example.com` });
  })
  // No change feed: reloadUsers is what must bring in users written behind the directory.
  .extend('serverEnv', { scope: 'file' }, WITHOUT_CHANGE_FEED);

async function totalCount(server: TestServer): Promise<number> {
  return expectData(await server.execute('{ users(first: 0) { totalCount } }')).users.totalCount;
}

describe('the @admin rule', () => {
  it.for([
    ['no Authorization header', {}, 'UNAUTHENTICATED'],
    ['a header that is not a bearer token', { authorization: `Basic ${ADMIN_KEY}` }, 'UNAUTHENTICATED'],
    ['a wrong key', { authorization: 'Bearer not-the-admin-key-at-all' }, 'UNAUTHENTICATED'],
    ['the key with one character changed', { authorization: `Bearer ${ADMIN_KEY.slice(0, -1)}X` }, 'UNAUTHENTICATED'],
    ['a key without the admin scope', asReader, 'FORBIDDEN'],
  ] as const)('refuses reloadUsers with %s', async ([_case, headers, code], { server }) => {
    const before = server.statements.length;
    const response = await server.execute(RELOAD, {}, headers);
    expect(errorCodes(response)).toEqual([code]);
    expect(response.data ?? null).toBeNull();
    expect(server.userReads(before)).toBe(0);
  });

  it('lets the admin key through', async ({ server }) => {
    const data = expectData(await server.execute(RELOAD, {}, asAdmin));
    expect(data.reloadUsers.count).toBe(await totalCount(server));
  });

  it('keeps reloadUsers closed when no ADMIN_API_KEY is configured', async ({ database, startServer }) => {
    const keyless = await startServer(database.url, { ADMIN_API_KEY: '', ...WITHOUT_CHANGE_FEED });
    // The former admin key is now just an unknown credential.
    expect(errorCodes(await keyless.execute(RELOAD, {}, asAdmin))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await keyless.execute(RELOAD, {}, asReader))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await keyless.execute(RELOAD, {}, {}))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('reloadUsers', () => {
  it('picks up users written behind the directory and reports what it loaded', async ({ server, database }) => {
    const before = await totalCount(server);
    await signUpEmailPassword(database.db, { email: 'behind@example.com' });
    expect(await totalCount(server)).toBe(before);

    const startedAt = Date.now();
    const { reloadUsers } = expectData(await server.execute(RELOAD, {}, asAdmin));
    expect(reloadUsers.count).toBe(before + 1);
    expect(reloadUsers.durationMs).toBeGreaterThanOrEqual(0);
    expect(reloadUsers.loadedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(reloadUsers.loadedAt)).toBeGreaterThanOrEqual(startedAt - 1);
    expect(await totalCount(server)).toBe(before + 1);
  });

  it('keeps serving the previous directory when a reload fails, and says so without leaking SQL', async ({ server, database }) => {
    const before = await totalCount(server);
    await signUpEmailPassword(database.db, { email: 'during-outage@example.com' });
    await sql`ALTER VIEW usergraph_login_methods RENAME TO usergraph_login_methods_gone`.execute(database.db);
    try {
      const response = await server.execute(RELOAD, {}, asAdmin);
      expect(errorCodes(response)).toEqual(['RELOAD_FAILED']);
      expect(JSON.stringify(response)).not.toMatch(/relation|usergraph_login_methods|select/i);
      expect(await totalCount(server)).toBe(before);
      expect(server.logs.some((line) => line.msg?.includes('reload failed'))).toBe(true);
    } finally {
      await sql`ALTER VIEW usergraph_login_methods_gone RENAME TO usergraph_login_methods`.execute(database.db);
    }
    expect(expectData(await server.execute(RELOAD, {}, asAdmin)).reloadUsers.count).toBe(before + 1);
  });
});

describe('unexpected errors', () => {
  it('are masked in the response and logged in full', async ({ server, database }) => {
    await sql`ALTER VIEW usergraph_login_methods RENAME TO usergraph_login_methods_hidden`.execute(database.db);
    try {
      const response = await server.execute('{ user(id: "not-in-the-directory") { id } }');
      expect(response.data).toEqual({ user: null });
      expect(response.errors).toEqual([
        expect.objectContaining({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
      ]);
      expect(JSON.stringify(response)).not.toMatch(/usergraph_login_methods|relation|stack/i);
      expect(server.logs.some((line) => line.msg?.includes('masked') && JSON.stringify(line).includes('usergraph_login_methods'))).toBe(true);
    } finally {
      await sql`ALTER VIEW usergraph_login_methods_hidden RENAME TO usergraph_login_methods`.execute(database.db);
    }
  });
});

describe('health and readiness', () => {
  it('answers /health at once, and /ready only after the first load', async ({ database, onTestFinished }) => {
    const config = parseConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
    const db = connectDatabase({ url: database.url, poolSize: 2 });
    onTestFinished(() => db.destroy());
    // Not startTestServer: the service is seen before its first load, through its own app.
    const service = createService({ config, db, databaseUrl: database.url, logger: createLogger('silent') });
    onTestFinished(() => service.stop()); // runs first: finish callbacks run last-registered first
    expect((await service.app.yoga.fetch('http://usergraph/health')).status).toBe(200);
    expect((await service.app.yoga.fetch('http://usergraph/ready')).status).toBe(503);
    await service.start();
    expect((await service.app.yoga.fetch('http://usergraph/ready')).status).toBe(200);
  });

  it('answers NOT_READY (503, Retry-After) to every GraphQL request before the first load, on both paths', async ({ database, onTestFinished }) => {
    const config = parseConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent', ADMIN_API_KEY: ADMIN_KEY });
    const db = connectDatabase({ url: database.url, poolSize: 2 });
    onTestFinished(() => db.destroy());
    const service = createService({ config, db, databaseUrl: database.url, logger: createLogger('silent') });
    onTestFinished(() => service.stop());
    const server = createServer(service.app.handleRequest);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    const init = (query: string) => ({
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
      body: JSON.stringify({ query }),
    });
    // What an empty directory would answer as if true: no users, nobody by that id.
    for (const query of ['{ users { totalCount } }', `{ user(id: "${'x'.repeat(8)}") { id } }`, '{ viewer { kind } }']) {
      for (const response of [await fetch(url, init(query)), await service.app.yoga.fetch(url, init(query))]) {
        expect(response.status).toBe(503);
        expect(response.headers.get('retry-after')).toBe('5');
        expect(((await response.json()) as any).errors.map((error: any) => error.extensions.code)).toEqual(['NOT_READY']);
      }
    }
    expect(service.app.fastLane.answered).toBe(0);

    await service.start();
    const response = await fetch(url, init('{ users(first: 0) { totalCount } }'));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ data: { users: { totalCount: service.directory.snapshot.size } } });
    expect(service.app.fastLane.answered).toBe(1);
  });

  it('an app put on a directory already loaded (as main.ts may) answers at once and counts that first load', async ({ database, onTestFinished }) => {
    const config = parseConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
    const db = connectDatabase({ url: database.url, poolSize: 2 });
    onTestFinished(() => db.destroy());
    const logger = createLogger('silent');
    const core = createDirectoryService({ config, db, databaseUrl: database.url, logger });
    onTestFinished(() => core.stop());
    await core.start();
    const service = serviceOn(core, { config, logger });
    expect((await service.app.yoga.fetch('http://usergraph/ready')).status).toBe(200);
    const metrics = await service.app.metrics.registry.metrics();
    expect(metrics).toMatch(/^usergraph_directory_load_duration_seconds_count\{kind="initial"\} 1$/m);
    expect(metrics).toMatch(new RegExp(`^usergraph_directory_users ${core.directory.snapshot.size}$`, 'm'));
  });
});
