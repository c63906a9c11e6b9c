/**
 * Lookups go through per-request DataLoaders: the cache first, then one batched view query for
 * everything it missed, and confirmed absences are remembered. Counted on the real connection.
 */
import { describe, expect } from 'vitest';
import { signUpEmailPassword } from '../../supertokens-standin/writes.ts';
import { test } from '../support/fixtures.ts';
import type { TestDatabase } from '../support/postgres.ts';
import { WITHOUT_CHANGE_FEED, expectData } from '../support/server.ts';

const it = test
  .extend('seed', { scope: 'file' }, async ({ database }) => {
    await signUpEmailPassword(database.db, { email: 'loaded@example.com' });
  })
  // No change feed: these users are written behind the directory's back on purpose. Room for the
  // 501-lookup request below: far past the default alias and token limits.
  .extend('serverEnv', { scope: 'file' }, {
    ABSENT_TTL_MS: '60000',
    MAX_ALIASES: '600',
    MAX_TOKENS: '10000',
    ...WITHOUT_CHANGE_FEED,
  });

/** Users written after the startup load: the cache does not hold them yet. */
async function signUpBehindTheCache(database: TestDatabase, count: number, prefix: string): Promise<Array<{ id: string; email: string }>> {
  const users = [];
  for (let i = 0; i < count; i++) {
    const email = `${prefix}${i}@example.com`;
    users.push({ id: await signUpEmailPassword(database.db, { email }), email });
  }
  return users;
}

function aliasedLookups(field: 'user' | 'userByEmail', arg: 'id' | 'email', values: readonly string[]): string {
  return `{ ${values.map((value, i) => `u${i}: ${field}(${arg}: ${JSON.stringify(value)}) { id email }`).join(' ')} }`;
}

describe('user(id) lookups', () => {
  it('sends N cold lookups in one request as one view query, then serves them warm with none', async ({ server, database }) => {
    const users = await signUpBehindTheCache(database, 5, 'cold-id-');
    const query = aliasedLookups('user', 'id', users.map((u) => u.id));

    const before = server.statements.length;
    const cold = await server.execute(query);
    expect(Object.values(expectData(cold))).toEqual(users);
    expect(server.userReads(before)).toBe(1);
    expect(cold.extensions?.directory).toEqual({ cacheHits: 0, databaseLookups: 5, databaseQueries: 1 });

    const warmStart = server.statements.length;
    const warm = await server.execute(query);
    expect(Object.values(expectData(warm))).toEqual(users);
    expect(server.userReads(warmStart)).toBe(0);
    expect(warm.extensions?.directory).toEqual({ cacheHits: 5, databaseLookups: 0, databaseQueries: 0 });
  });

  it('queries only the keys the cache misses, and answers in key order with null for the absent', async ({ server, database }) => {
    const [fresh] = await signUpBehindTheCache(database, 1, 'mixed-');
    const loaded = expectData(await server.execute('{ userByEmail(email: "loaded@example.com") { id } }')).userByEmail;
    const missing = '11111111-1111-4111-8111-111111111111';

    const before = server.statements.length;
    const response = await server.execute(aliasedLookups('user', 'id', [missing, fresh!.id, loaded.id, fresh!.id]));
    expect(expectData(response)).toEqual({
      u0: null,
      u1: fresh,
      u2: { id: loaded.id, email: 'loaded@example.com' },
      u3: fresh,
    });
    expect(server.userReads(before)).toBe(1);
    const [sql] = server.statements.slice(before).filter((s) => s.includes('usergraph_login_methods'));
    // One statement, one array parameter: ids resolve to users through indexed tables, then the parts of those users are read.
    expect(sql).toMatch(/user_key = ANY \(ARRAY\(SELECT id FROM usergraph_user_ids_by_key\(\$\d+, \$\d+\) id\)\)/);
    expect(response.extensions?.directory).toEqual({ cacheHits: 1, databaseLookups: 2, databaseQueries: 1 });
  });

  it('remembers an id the database confirmed absent, so repeated lookups stay off the database', async ({ server }) => {
    const ghost = '22222222-2222-4222-8222-222222222222';
    const before = server.statements.length;
    for (let i = 0; i < 5; i++) {
      expect(expectData(await server.execute(`{ user(id: "${ghost}") { id } }`)).user).toBeNull();
    }
    expect(server.userReads(before)).toBe(1);
  });

  it('forgets absences on reload, so a user created since is found', async ({ server, database }) => {
    const ghostEmail = 'late@example.com';
    const before = server.statements.length;
    expect(expectData(await server.execute(`{ userByEmail(email: "${ghostEmail}") { id } }`)).userByEmail).toBeNull();
    const id = await signUpEmailPassword(database.db, { email: ghostEmail });
    expect(expectData(await server.execute(`{ userByEmail(email: "${ghostEmail}") { id } }`)).userByEmail).toBeNull();
    expect(server.userReads(before)).toBe(1);

    await server.directory.reload();
    expect(expectData(await server.execute(`{ userByEmail(email: "${ghostEmail}") { id } }`)).userByEmail).toEqual({ id });
  });

  it('splits a request of more than 500 missing keys into batches of at most 500', async ({ server }) => {
    const ids = Array.from({ length: 501 }, (_, i) => `absent-${i}`);
    const before = server.statements.length;
    const response = await server.execute(`{ ${ids.map((id, i) => `u${i}: user(id: "${id}") { id }`).join(' ')} }`);
    expect(Object.values(expectData(response)).every((user) => user === null)).toBe(true);
    expect(server.userReads(before)).toBe(2);
  });
});

describe('userByEmail lookups', () => {
  it('batches cold emails into one view query (normalised first), then serves them warm', async ({ server, database }) => {
    const users = await signUpBehindTheCache(database, 4, 'cold-email-');
    const shouted = users.map((u) => `  ${u.email.toUpperCase()} `);

    const before = server.statements.length;
    const cold = await server.execute(aliasedLookups('userByEmail', 'email', shouted));
    expect(Object.values(expectData(cold))).toEqual(users);
    expect(server.userReads(before)).toBe(1);

    const warmStart = server.statements.length;
    expect(Object.values(expectData(await server.execute(aliasedLookups('userByEmail', 'email', shouted))))).toEqual(users);
    expect(server.userReads(warmStart)).toBe(0);
  });
});

describe('absent memory off', () => {
  it('with ABSENT_TTL_MS=0 every lookup of a missing id asks the database', async ({ database, startServer }) => {
    const strict = await startServer(database.url, { ABSENT_TTL_MS: '0', ...WITHOUT_CHANGE_FEED });
    const before = strict.statements.length;
    for (let i = 0; i < 3; i++) await strict.execute('{ user(id: "33333333-3333-4333-8333-333333333333") { id } }');
    expect(strict.userReads(before)).toBe(3);
  });
});

describe('listing', () => {
  it('serves users from the directory without touching the database', async ({ server }) => {
    const before = server.statements.length;
    const data = expectData(await server.execute('{ users(first: 500) { totalCount nodes { id } } }'));
    expect(data.users.totalCount).toBeGreaterThan(0);
    expect(server.userReads(before)).toBe(0);
  });
});
