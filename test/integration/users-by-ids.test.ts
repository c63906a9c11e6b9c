/**
 * usersByIds: the users a list of ids names, in order, null for nobody; every id a user answers
 * to; the misses of the directory read from the database in one query per batch; at most 500 ids.
 */
import { describe, expect } from 'vitest';
import { signUpEmailPassword, signUpWebAuthn } from '../../supertokens-standin/writes.ts';
import { test } from '../support/fixtures.ts';
import { DAY, EXPECTED, EXTERNAL, ID, T0, USER_FIELDS, single, writeScenario } from '../support/scenario.ts';
import { WITHOUT_CHANGE_FEED, errorCodes, expectData } from '../support/server.ts';

const it = test
  .extend('seed', { scope: 'file' }, ({ database }) => writeScenario(database.db))
  // No change feed: users written after the load are known to the database only.
  .extend('serverEnv', { scope: 'file' }, WITHOUT_CHANGE_FEED);

const BY_IDS = `query ($ids: [ID!]!) { usersByIds(ids: $ids) { ${USER_FIELDS} } }`;

describe('usersByIds', () => {
  it('answers in the order asked, null for an id that names nobody, a user once per id that names it', async ({ server }) => {
    const before = server.statements.length;
    const response = await server.execute(BY_IDS, {
      ids: [ID.passkey, 'nobody', EXTERNAL.ada, ID.gracePasskey, ID.adaThirdParty, ID.orphan, ID.passkey],
    });

    expect(expectData(response).usersByIds).toEqual([EXPECTED.passkey, null, EXPECTED.ada, EXPECTED.grace, EXPECTED.ada, null, EXPECTED.passkey]);
    // The two unknown ids went to the database together.
    expect(response.extensions?.directory).toMatchObject({ databaseLookups: 2, databaseQueries: 1 });
    expect(server.userReads(before)).toBe(1);
  });

  it('answers [] to no ids', async ({ server }) => {
    expect(expectData(await server.execute(BY_IDS, { ids: [] })).usersByIds).toEqual([]);
  });

  it('reads every user the directory misses in one query, and remembers them', async ({ server, database }) => {
    const late = ['b1000000-0000-4000-8000-000000000001', 'b1000000-0000-4000-8000-000000000002'];
    await signUpEmailPassword(database.db, { userId: late[0], email: 'late.one@example.com', timeJoined: T0 + 40 * DAY });
    await signUpWebAuthn(database.db, { userId: late[1], email: 'late.two@example.com', timeJoined: T0 + 41 * DAY });
    const ids = [late[1]!, ID.bossPrimary, late[0]!, 'still-nobody'];

    const first = await server.execute(BY_IDS, { ids });
    expect(expectData(first).usersByIds).toEqual([
      single({ recipeId: 'webauthn', id: late[1]!, email: 'late.two@example.com', timeJoined: T0 + 41 * DAY }),
      EXPECTED.bossPrimary,
      single({ recipeId: 'emailpassword', id: late[0]!, email: 'late.one@example.com', timeJoined: T0 + 40 * DAY }),
      null,
    ]);
    expect(first.extensions?.directory).toEqual({ cacheHits: 1, databaseLookups: 3, databaseQueries: 1 });

    const again = await server.execute(BY_IDS, { ids });
    expect(again.extensions?.directory).toEqual({ cacheHits: 4, databaseLookups: 0, databaseQueries: 0 });
  });

  it('takes 500 ids, and refuses 501 with BAD_USER_INPUT', async ({ server }) => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => (i === 0 ? ID.bossPrimary : `missing-${i}`));
    const five = await server.execute('query ($ids: [ID!]!) { usersByIds(ids: $ids) { id } }', { ids: ids(500) });
    expect(expectData(five).usersByIds).toHaveLength(500);
    expect(five.extensions?.directory).toMatchObject({ databaseLookups: 499, databaseQueries: 1 });

    const refused = await server.execute('query ($ids: [ID!]!) { usersByIds(ids: $ids) { id } }', { ids: ids(501) });
    expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors?.[0]?.message).toMatch(/at most 500/);
  });

  it('refuses a malformed id with BAD_USER_INPUT', async ({ server }) => {
    expect(errorCodes(await server.execute(BY_IDS, { ids: [ID.passkey, ''] }))).toEqual(['BAD_USER_INPUT']);
  });

  it('needs users:read', async ({ server }) => {
    expect(errorCodes(await server.execute(BY_IDS, { ids: [ID.passkey] }, {}))).toEqual(['UNAUTHENTICATED']);
  });
});
