/**
 * Every kind of SuperTokens user on core 7-11's tables, over HTTP: the exact answer for each user
 * of the scenario (test/support/scenario.ts), by every id that names it; emails that several users
 * hold; tenants; a primary user whose own login method was deleted; unlinking; orphan rows.
 */
import { describe, expect } from 'vitest';
import {
  deleteRecipeUser,
  linkAccounts,
  makePrimaryUser,
  setUserMetadata,
  signUpEmailPassword,
  signUpThirdParty,
  signUpWebAuthn,
  unlinkAccounts,
} from '../../supertokens-standin/writes.ts';
import { test } from '../support/fixtures.ts';
import { DAY, EXPECTED, EXTERNAL, ID, LISTED, T0, USER_FIELDS, iso, method, single, writeScenario } from '../support/scenario.ts';
import { WITHOUT_CHANGE_FEED, errorCodes, expectData } from '../support/server.ts';

const GONE = { emailPassword: 'a1000000-0000-4000-8000-000000000001', thirdParty: 'a1000000-0000-4000-8000-000000000002' };
const SPLIT = { emailPassword: 'a2000000-0000-4000-8000-000000000001', thirdParty: 'a2000000-0000-4000-8000-000000000002' };

const it = test
  .extend('seed', { scope: 'file' }, async ({ database }) => {
    const { db } = database;
    await writeScenario(db);

    // A primary user whose own (email-password) login method is deleted: its linked method remains,
    // still named by the primary id, with the primary's metadata.
    await signUpEmailPassword(db, { userId: GONE.emailPassword, email: 'gone@example.com', timeJoined: T0 + 20 * DAY });
    await signUpThirdParty(db, {
      userId: GONE.thirdParty,
      thirdPartyId: 'google',
      thirdPartyUserId: 'g-gone',
      email: 'gone@example.com',
      timeJoined: T0 + 21 * DAY,
    });
    await makePrimaryUser(db, GONE.emailPassword);
    await linkAccounts(db, GONE.thirdParty, GONE.emailPassword);
    await setUserMetadata(db, GONE.emailPassword, { kept: true });
    await deleteRecipeUser(db, GONE.emailPassword);

    // Linked, then unlinked again: two users.
    await signUpEmailPassword(db, { userId: SPLIT.emailPassword, email: 'split@example.com', timeJoined: T0 + 22 * DAY });
    await signUpThirdParty(db, {
      userId: SPLIT.thirdParty,
      thirdPartyId: 'github',
      thirdPartyUserId: 'gh-split',
      email: 'split@example.com',
      timeJoined: T0 + 23 * DAY,
    });
    await makePrimaryUser(db, SPLIT.emailPassword);
    await linkAccounts(db, SPLIT.thirdParty, SPLIT.emailPassword);
    await unlinkAccounts(db, SPLIT.thirdParty, SPLIT.emailPassword);
  })
  // No change feed: the lookups below count the queries of users written after the load.
  .extend('serverEnv', { scope: 'file' }, WITHOUT_CHANGE_FEED);

const USER = `query ($id: ID!) { user(id: $id) { ${USER_FIELDS} } }`;
const BY_EMAIL = `query ($email: String!, $tenantId: String) { userByEmail(email: $email, tenantId: $tenantId) { ${USER_FIELDS} } }`;
const ALL_BY_EMAIL = `query ($email: String!) { usersByEmail(email: $email) { ${USER_FIELDS} } }`;

const EXPECTED_GONE = {
  ...single({
    recipeId: 'thirdparty',
    id: GONE.thirdParty,
    email: 'gone@example.com',
    thirdParty: { id: 'google', userId: 'g-gone' },
    timeJoined: T0 + 21 * DAY,
  }),
  id: GONE.emailPassword,
  supertokensUserId: GONE.emailPassword,
  isPrimaryUser: true,
  metadata: { kept: true },
};

describe('user(id)', () => {
  it.for([
    ['the primary SuperTokens id', ID.adaEmailPassword],
    ['the external id', EXTERNAL.ada],
    ['a linked login method id', ID.adaThirdParty],
    ["a linked login method's external id", EXTERNAL.adaPasswordless],
    ["a linked login method's SuperTokens id", ID.adaPasswordless],
  ])('finds the linked user by %s, with every login method, as getUser does', async ([_kind, id], { server }) => {
    expect(expectData(await server.execute(USER, { id })).user).toEqual(EXPECTED.ada);
  });

  it.for(Object.entries(EXPECTED).filter(([name]) => name !== 'ada'))('answers %s exactly', async ([_name, expected], { server }) => {
    expect(expectData(await server.execute(USER, { id: expected.id })).user).toEqual(expected);
  });

  it("keeps a primary user whose own login method was deleted, under the primary id, with the linked method's join time", async ({ server }) => {
    expect(expectData(await server.execute(USER, { id: GONE.emailPassword })).user).toEqual(EXPECTED_GONE);
    expect(expectData(await server.execute(USER, { id: GONE.thirdParty })).user).toEqual(EXPECTED_GONE);
  });

  it('shows an unlinked login method as a user of its own again', async ({ server }) => {
    const primary = expectData(await server.execute(USER, { id: SPLIT.emailPassword })).user;
    const unlinked = expectData(await server.execute(USER, { id: SPLIT.thirdParty })).user;

    expect(primary).toEqual(
      single(
        { recipeId: 'emailpassword', id: SPLIT.emailPassword, email: 'split@example.com', timeJoined: T0 + 22 * DAY },
        { isPrimaryUser: true },
      ),
    );
    expect(unlinked).toEqual(
      single({
        recipeId: 'thirdparty',
        id: SPLIT.thirdParty,
        email: 'split@example.com',
        thirdParty: { id: 'github', userId: 'gh-split' },
        timeJoined: T0 + 23 * DAY,
      }),
    );
  });

  it('finds nobody for an id that only has metadata, roles and activity rows', async ({ server }) => {
    expect(expectData(await server.execute(USER, { id: ID.orphan })).user).toBeNull();
  });
});

describe('userByEmail', () => {
  it('answers with the oldest of several unlinked holders', async ({ server }) => {
    expect(expectData(await server.execute(BY_EMAIL, { email: 'shared@example.com' })).userByEmail).toEqual(EXPECTED.sharedOlder);
  });

  it('answers with the primary user rather than an older unlinked holder', async ({ server }) => {
    expect(expectData(await server.execute(BY_EMAIL, { email: ' BOSS@example.com ' })).userByEmail).toEqual(EXPECTED.bossPrimary);
  });

  it("finds a linked user by any of its login methods' emails", async ({ server }) => {
    expect(expectData(await server.execute(BY_EMAIL, { email: 'ada.work@example.com' })).userByEmail).toEqual(EXPECTED.ada);
  });

  it('looks in tenant public unless told otherwise, and only at login methods in that tenant', async ({ server }) => {
    expect(expectData(await server.execute(BY_EMAIL, { email: 'tenant@example.com' })).userByEmail).toBeNull();
    expect(expectData(await server.execute(BY_EMAIL, { email: 'tenant@example.com', tenantId: 't1' })).userByEmail).toEqual(
      EXPECTED.tenantOnly,
    );
    // Ada's Google method is in t1, her other methods are not: in t1 only its email finds her.
    expect(expectData(await server.execute(BY_EMAIL, { email: 'ada@example.com', tenantId: 't1' })).userByEmail).toEqual(EXPECTED.ada);
    expect(expectData(await server.execute(BY_EMAIL, { email: 'ada.work@example.com', tenantId: 't1' })).userByEmail).toBeNull();
  });

  it('answers null for an email nobody holds', async ({ server }) => {
    expect(expectData(await server.execute(BY_EMAIL, { email: 'nobody@example.com' })).userByEmail).toBeNull();
  });
});

describe('usersByEmail', () => {
  it('returns every holder of an email, in any tenant, oldest first', async ({ server }) => {
    expect(expectData(await server.execute(ALL_BY_EMAIL, { email: 'shared@example.com' })).usersByEmail).toEqual([
      EXPECTED.sharedOlder,
      EXPECTED.sharedNewer,
    ]);
    expect(expectData(await server.execute(ALL_BY_EMAIL, { email: 'boss@example.com' })).usersByEmail).toEqual([
      EXPECTED.bossUnlinkedOlder,
      EXPECTED.bossPrimary,
    ]);
    expect(expectData(await server.execute(ALL_BY_EMAIL, { email: 'tenant@example.com' })).usersByEmail).toEqual([EXPECTED.tenantOnly]);
  });

  it('returns a linked user once, although two of its login methods hold the email', async ({ server }) => {
    expect(expectData(await server.execute(ALL_BY_EMAIL, { email: 'ADA@example.com' })).usersByEmail).toEqual([EXPECTED.ada]);
  });

  it('returns [] for an email nobody holds', async ({ server }) => {
    expect(expectData(await server.execute(ALL_BY_EMAIL, { email: 'nobody@example.com' })).usersByEmail).toEqual([]);
  });
});

describe('users', () => {
  const PAGE = `query ($tenantId: String, $role: String) {
    users(first: 500, tenantId: $tenantId, role: $role) { totalCount nodes { id } }
  }`;
  const ids = (users: ReadonlyArray<{ id: string }>) => users.map((user) => ({ id: user.id }));

  it('lists every user once, newest first, linked login methods folded into their user', async ({ server }) => {
    const data = expectData(await server.execute(`{ users(first: 500) { totalCount nodes { ${USER_FIELDS} } } }`));
    expect(data.users.nodes).toEqual([
      single({
        recipeId: 'thirdparty',
        id: SPLIT.thirdParty,
        email: 'split@example.com',
        thirdParty: { id: 'github', userId: 'gh-split' },
        timeJoined: T0 + 23 * DAY,
      }),
      single({ recipeId: 'emailpassword', id: SPLIT.emailPassword, email: 'split@example.com', timeJoined: T0 + 22 * DAY }, { isPrimaryUser: true }),
      EXPECTED_GONE,
      ...LISTED,
    ]);
    expect(data.users.totalCount).toBe(LISTED.length + 3);
  });

  it('keeps the users with a login method in a tenant', async ({ server }) => {
    const data = expectData(await server.execute(PAGE, { tenantId: 't1' }));
    expect(data.users).toEqual({ totalCount: 3, nodes: ids([EXPECTED.passkey, EXPECTED.tenantOnly, EXPECTED.ada]) });
  });

  it('with a tenant, keeps the holders of a role in that tenant', async ({ server }) => {
    expect(expectData(await server.execute(PAGE, { tenantId: 't1', role: 'editor' })).users).toEqual({
      totalCount: 1,
      nodes: ids([EXPECTED.ada]),
    });
    expect(expectData(await server.execute(PAGE, { tenantId: 't1', role: 'admin' })).users).toEqual({ totalCount: 0, nodes: [] });
    expect(expectData(await server.execute(PAGE, { tenantId: 'public', role: 'editor' })).users).toEqual({
      totalCount: 1,
      nodes: ids([EXPECTED.bossPrimary]),
    });
  });

  it('without a tenant, keeps the holders of a role in any tenant', async ({ server }) => {
    expect(expectData(await server.execute(PAGE, { role: 'editor' })).users).toEqual({
      totalCount: 2,
      nodes: ids([EXPECTED.bossPrimary, EXPECTED.ada]),
    });
  });

  it('returns an empty page for a tenant nobody is in', async ({ server }) => {
    expect(expectData(await server.execute(PAGE, { tenantId: 'nowhere' })).users).toEqual({ totalCount: 0, nodes: [] });
  });
});

describe('WebAuthn (passkey) users', () => {
  it('finds a user by the id of a passkey linked to it, with both login methods', async ({ server }) => {
    expect(expectData(await server.execute(USER, { id: ID.gracePasskey })).user).toEqual(EXPECTED.grace);
  });

  it('finds a passkey user by its email, in each tenant it is in', async ({ server }) => {
    for (const tenantId of ['public', 't1']) {
      expect(expectData(await server.execute(BY_EMAIL, { email: 'Pass.Key@example.com', tenantId })).userByEmail).toEqual(EXPECTED.passkey);
    }
    expect(expectData(await server.execute(ALL_BY_EMAIL, { email: 'grace@example.com' })).usersByEmail).toEqual([EXPECTED.grace]);
  });

  it('finds a passkey user the directory has not loaded by its email, in the database', async ({ server, database }) => {
    const late = 'a4000000-0000-4000-8000-000000000001';
    await signUpWebAuthn(database.db, { userId: late, email: 'late.passkey@example.com', timeJoined: T0 + 32 * DAY });

    const before = server.statements.length;
    const response = await server.execute(`{ usersByEmail(email: "late.passkey@example.com") { ${USER_FIELDS} } }`);
    expect(expectData(response).usersByEmail).toEqual([
      single({ recipeId: 'webauthn', id: late, email: 'late.passkey@example.com', timeJoined: T0 + 32 * DAY }),
    ]);
    expect(response.extensions?.directory).toEqual({ cacheHits: 0, databaseLookups: 1, databaseQueries: 1 });
    expect(server.userReads(before)).toBe(1);
  });
});

describe('bad input', () => {
  it.for([
    ['an empty tenant id', '{ userByEmail(email: "a@example.com", tenantId: "") { id } }'],
    ['a tenant id longer than 64 characters', `{ userByEmail(email: "a@example.com", tenantId: "${'t'.repeat(65)}") { id } }`],
    ['a tenant id with a space', '{ users(tenantId: "a b") { totalCount } }'],
    ['a malformed email', '{ usersByEmail(email: "nope") { id } }'],
  ] as const)('refuses %s with BAD_USER_INPUT', async ([_case, query], { server }) => {
    expect(errorCodes(await server.execute(query))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('lookups of loaded users', () => {
  it('are served from the directory by every id and every email a user has, without the database', async ({ server }) => {
    const before = server.statements.length;
    const response = await server.execute(`{
      a: user(id: "${ID.adaEmailPassword}") { id }
      b: user(id: "${EXTERNAL.ada}") { id }
      c: user(id: "${ID.adaThirdParty}") { id }
      d: user(id: "${ID.adaPasswordless}") { id }
      e: user(id: "${EXTERNAL.adaPasswordless}") { id }
      f: userByEmail(email: "ada@example.com") { id }
      g: userByEmail(email: "ada.work@example.com") { id }
      h: usersByEmail(email: "ada.work@example.com") { id }
      i: usersByEmail(email: "shared@example.com") { id }
    }`);

    const ada = { id: EXTERNAL.ada };
    expect(expectData(response)).toEqual({
      a: ada, b: ada, c: ada, d: ada, e: ada, f: ada, g: ada, h: [ada],
      i: [{ id: ID.sharedOlder }, { id: ID.sharedNewer }],
    });
    expect(response.extensions?.directory).toEqual({ cacheHits: 8, databaseLookups: 0, databaseQueries: 0 });
    expect(server.userReads(before)).toBe(0);
  });
});

describe('lookups that miss the directory', () => {
  it('find a user by any of its ids and emails in the database, in one batched query each', async ({ server, database }) => {
    // Signed up after the startup load: only the database knows them.
    const late = { emailPassword: 'a3000000-0000-4000-8000-000000000001', thirdParty: 'a3000000-0000-4000-8000-000000000002' };
    await signUpEmailPassword(database.db, { userId: late.emailPassword, email: 'late@example.com', timeJoined: T0 + 30 * DAY });
    await signUpThirdParty(database.db, {
      userId: late.thirdParty,
      thirdPartyId: 'google',
      thirdPartyUserId: 'g-late',
      email: 'late.g@example.com',
      timeJoined: T0 + 31 * DAY,
    });
    await makePrimaryUser(database.db, late.emailPassword);
    await linkAccounts(database.db, late.thirdParty, late.emailPassword);
    const expected = {
      id: late.emailPassword,
      emails: ['late.g@example.com', 'late@example.com'],
      loginMethods: [
        method({ recipeId: 'emailpassword', id: late.emailPassword, email: 'late@example.com', timeJoined: T0 + 30 * DAY }),
        method({
          recipeId: 'thirdparty',
          id: late.thirdParty,
          email: 'late.g@example.com',
          thirdParty: { id: 'google', userId: 'g-late' },
          timeJoined: T0 + 31 * DAY,
        }),
      ],
      timeJoined: iso(T0 + 30 * DAY),
    };
    const fields = 'id emails loginMethods { recipeId recipeUserId supertokensUserId email phoneNumber thirdParty { id userId } tenantIds timeJoined verified } timeJoined';

    const before = server.statements.length;
    const response = await server.execute(`{
      a: user(id: "${late.thirdParty}") { ${fields} }
      b: userByEmail(email: "late.g@example.com") { ${fields} }
    }`);
    expect(expectData(response)).toEqual({ a: expected, b: expected });
    expect(server.userReads(before)).toBe(2);
  });
});
