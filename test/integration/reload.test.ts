/** reloadUsers: guarded by @admin, atomic, single-flight, and harmless when it fails. Plus /ready. */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { connectDatabase } from '../../src/db/connect.ts';
import { signUpEmailPassword } from '../../supertokens-standin/writes.ts';
import { createLogger } from '../../src/logger.ts';
import { createService } from '../../src/service.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { ADMIN_KEY, WITHOUT_CHANGE_FEED, asReader, errorCodes, expectData, startTestServer, type TestServer } from '../support/server.ts';

const RELOAD = 'mutation { reloadUsers { count durationMs loadedAt } }';
const asAdmin = { authorization: `Bearer ${ADMIN_KEY}` };

let database: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  database = await createTestDatabase();
  for (let i = 0; i < 3; i++) await signUpEmailPassword(database.db, { email: `first${i}@example.com` });
  // No change feed: reloadUsers is what must bring in users written behind the directory.
  server = await startTestServer(database.url, WITHOUT_CHANGE_FEED);
});

afterAll(async () => {
  await server?.close();
  await database?.drop();
});

async function totalCount(): Promise<number> {
  return expectData(await server.execute('{ users(first: 0) { totalCount } }')).users.totalCount;
}

describe('the @admin rule', () => {
  it.each([
    ['no Authorization header', {}, 'UNAUTHENTICATED'],
    ['a header that is not a bearer token', { authorization: `Basic ${ADMIN_KEY}` }, 'UNAUTHENTICATED'],
    ['a wrong key', { authorization: 'Bearer not-the-admin-key-at-all' }, 'UNAUTHENTICATED'],
    ['the key with one character changed', { authorization: `Bearer ${ADMIN_KEY.slice(0, -1)}X` }, 'UNAUTHENTICATED'],
    ['a key without the admin scope', asReader, 'FORBIDDEN'],
  ])('refuses reloadUsers with %s', async (_case, headers, code) => {
    const before = server.statements.length;
    const response = await server.execute(RELOAD, {}, headers);
    expect(errorCodes(response)).toEqual([code]);
    expect(response.data ?? null).toBeNull();
    expect(server.viewQueries(before)).toBe(0);
  });

  it('lets the admin key through', async () => {
    const data = expectData(await server.execute(RELOAD, {}, asAdmin));
    expect(data.reloadUsers.count).toBe(await totalCount());
  });

  it('keeps reloadUsers closed when no ADMIN_API_KEY is configured', async () => {
    const keyless = await startTestServer(database.url, { ADMIN_API_KEY: '', ...WITHOUT_CHANGE_FEED });
    try {
      // The former admin key is now just an unknown credential.
      expect(errorCodes(await keyless.execute(RELOAD, {}, asAdmin))).toEqual(['UNAUTHENTICATED']);
      expect(errorCodes(await keyless.execute(RELOAD, {}, asReader))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await keyless.execute(RELOAD, {}, {}))).toEqual(['UNAUTHENTICATED']);
    } finally {
      await keyless.close();
    }
  });
});

describe('reloadUsers', () => {
  it('picks up users written behind the directory and reports what it loaded', async () => {
    const before = await totalCount();
    await signUpEmailPassword(database.db, { email: 'behind@example.com' });
    expect(await totalCount()).toBe(before);

    const startedAt = Date.now();
    const { reloadUsers } = expectData(await server.execute(RELOAD, {}, asAdmin));
    expect(reloadUsers.count).toBe(before + 1);
    expect(reloadUsers.durationMs).toBeGreaterThanOrEqual(0);
    expect(reloadUsers.loadedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(reloadUsers.loadedAt)).toBeGreaterThanOrEqual(startedAt - 1);
    expect(await totalCount()).toBe(before + 1);
  });

  it('keeps serving the previous directory when a reload fails, and says so without leaking SQL', async () => {
    const before = await totalCount();
    await signUpEmailPassword(database.db, { email: 'during-outage@example.com' });
    await sql`ALTER VIEW user_full_view RENAME TO user_full_view_gone`.execute(database.db);
    try {
      const response = await server.execute(RELOAD, {}, asAdmin);
      expect(errorCodes(response)).toEqual(['RELOAD_FAILED']);
      expect(JSON.stringify(response)).not.toMatch(/relation|user_full_view|select/i);
      expect(await totalCount()).toBe(before);
      expect(server.logs.some((line) => line.msg?.includes('reload failed'))).toBe(true);
    } finally {
      await sql`ALTER VIEW user_full_view_gone RENAME TO user_full_view`.execute(database.db);
    }
    expect(expectData(await server.execute(RELOAD, {}, asAdmin)).reloadUsers.count).toBe(before + 1);
  });
});

describe('unexpected errors', () => {
  it('are masked in the response and logged in full', async () => {
    await sql`ALTER VIEW user_full_view RENAME TO user_full_view_hidden`.execute(database.db);
    try {
      const response = await server.execute('{ user(id: "not-in-the-directory") { id } }');
      expect(response.data).toEqual({ user: null });
      expect(response.errors).toEqual([
        expect.objectContaining({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
      ]);
      expect(JSON.stringify(response)).not.toMatch(/user_full_view|relation|stack/i);
      expect(server.logs.some((line) => line.msg?.includes('masked') && JSON.stringify(line).includes('user_full_view'))).toBe(true);
    } finally {
      await sql`ALTER VIEW user_full_view_hidden RENAME TO user_full_view`.execute(database.db);
    }
  });
});

describe('health and readiness', () => {
  it('answers /health at once, and /ready only after the first load', async () => {
    const config = parseConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
    const db = connectDatabase({ url: database.url, poolSize: 2 });
    try {
      const service = createService({ config, db, databaseUrl: database.url, logger: createLogger('silent') });
      expect((await service.app.fetch('http://usergraph/health')).status).toBe(200);
      expect((await service.app.fetch('http://usergraph/ready')).status).toBe(503);
      try {
        await service.start();
        expect((await service.app.fetch('http://usergraph/ready')).status).toBe(200);
      } finally {
        await service.stop();
      }
    } finally {
      await db.destroy();
    }
  });
});
