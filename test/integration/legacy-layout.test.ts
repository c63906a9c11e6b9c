/**
 * The pre-multitenancy layout (SuperTokens core 5 and older): no app_id or tenant_id columns, no
 * account linking. Migrated by the same migrations, served as app 'public' in tenant 'public',
 * with the same exact answers as any other layout would give for the same users.
 */
import { sql } from 'kysely';
import { describe, expect } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.ts';
import * as legacy from '../../supertokens-standin/legacy-writes.ts';
import { test } from '../support/fixtures.ts';
import { DAY, T0, USER_FIELDS, iso, single } from '../support/scenario.ts';
import { WITHOUT_CHANGE_FEED, expectData } from '../support/server.ts';

const ID = {
  emailPassword: 'b1000000-0000-4000-8000-000000000001',
  thirdParty: 'b1000000-0000-4000-8000-000000000002',
  phoneOnly: 'b1000000-0000-4000-8000-000000000003',
  passwordless: 'b1000000-0000-4000-8000-000000000004',
  orphan: 'b1000000-0000-4000-8000-000000000009',
};

const EXPECTED = {
  emailPassword: single(
    { recipeId: 'emailpassword', id: ID.emailPassword, recipeUserId: 'ext-old', email: 'old@example.com', timeJoined: T0, verified: true },
    {
      lastActive: iso(T0 + 5 * DAY),
      roles: ['admin', 'viewer'],
      rolesByTenant: [{ tenantId: 'public', roles: ['admin', 'viewer'] }],
      permissions: ['content:read', 'users:read'],
      metadata: { name: 'Old' },
    },
  ),
  thirdParty: single({
    recipeId: 'thirdparty',
    id: ID.thirdParty,
    email: 'old@example.com',
    thirdParty: { id: 'google', userId: 'g-old' },
    timeJoined: T0 + DAY,
  }),
  phoneOnly: single({ recipeId: 'passwordless', id: ID.phoneOnly, phoneNumber: '+15550000009', timeJoined: T0 + 2 * DAY, verified: true }),
  passwordless: single({ recipeId: 'passwordless', id: ID.passwordless, email: 'pl@example.com', timeJoined: T0 + 3 * DAY }),
};

/** Tests sharing one pre-multitenancy database with users of every recipe, migrated and served. */
const withLegacyUsers = test
  .extend('emptyDatabase', { scope: 'file' }, true)
  .extend('seed', { scope: 'file' }, async ({ database }) => {
    const { db } = database;
    await legacy.createLegacySuperTokensTables(db);
    await legacy.createRole(db, 'admin', ['users:read']);
    await legacy.createRole(db, 'viewer', ['content:read']);

    await legacy.signUpEmailPassword(db, { userId: ID.emailPassword, email: 'old@example.com', timeJoined: T0 });
    await legacy.createUserIdMapping(db, ID.emailPassword, 'ext-old');
    await legacy.setUserMetadata(db, 'ext-old', { name: 'Old' });
    await legacy.addUserRole(db, 'ext-old', 'viewer');
    await legacy.addUserRole(db, 'ext-old', 'admin');
    await legacy.verifyEmail(db, 'ext-old', 'old@example.com');
    await legacy.setLastActive(db, ID.emailPassword, T0 + 5 * DAY);
    await legacy.signUpThirdParty(db, {
      userId: ID.thirdParty,
      thirdPartyId: 'google',
      thirdPartyUserId: 'g-old',
      email: 'old@example.com',
      timeJoined: T0 + DAY,
    });
    await legacy.signUpPasswordless(db, { userId: ID.phoneOnly, phoneNumber: '+15550000009', timeJoined: T0 + 2 * DAY });
    await legacy.signUpPasswordless(db, { userId: ID.passwordless, email: 'pl@example.com', timeJoined: T0 + 3 * DAY });
    await legacy.setUserMetadata(db, ID.orphan, { ghost: true });
    await legacy.addUserRole(db, ID.orphan, 'admin');

    await migrateToLatest(db);
  });

describe('a pre-multitenancy SuperTokens database', () => {
  const it = withLegacyUsers;

  it('serves every user, exactly, newest first', async ({ server }) => {
    const data = expectData(await server.execute(`{ users(first: 500, tenantId: "public") { totalCount nodes { ${USER_FIELDS} } } }`));
    expect(data.users).toEqual({
      totalCount: 4,
      nodes: [EXPECTED.passwordless, EXPECTED.phoneOnly, EXPECTED.thirdParty, EXPECTED.emailPassword],
    });
  });

  it('finds a user by its SuperTokens id and by its external id', async ({ server }) => {
    const data = expectData(
      await server.execute(`{ a: user(id: "${ID.emailPassword}") { ${USER_FIELDS} } b: user(id: "ext-old") { id } c: user(id: "${ID.orphan}") { id } }`),
    );
    expect(data).toEqual({ a: EXPECTED.emailPassword, b: { id: 'ext-old' }, c: null });
  });

  it('finds users by email across recipes', async ({ server }) => {
    const data = expectData(
      await server.execute(`{
        all: usersByEmail(email: "old@example.com") { id }
        one: userByEmail(email: "OLD@example.com") { id }
        pl: userByEmail(email: "pl@example.com") { id }
      }`),
    );
    expect(data).toEqual({ all: [{ id: 'ext-old' }, { id: ID.thirdParty }], one: { id: 'ext-old' }, pl: { id: ID.passwordless } });
  });

  it('finds users written after the load in the database, by id, external id and email', async ({ database, startServer }) => {
    // No change feed: with one, the sign-up's notice may land before the mapping is written, and the
    // directory then rightly serves the user under its SuperTokens id for the few milliseconds until
    // the mapping's notice lands. Only the database lookup is asked here.
    const server = await startServer(database.url, WITHOUT_CHANGE_FEED);
    const late = 'b1000000-0000-4000-8000-000000000005';
    await legacy.signUpEmailPassword(database.db, { userId: late, email: 'late@example.com', timeJoined: T0 + 6 * DAY });
    await legacy.createUserIdMapping(database.db, late, 'ext-late');
    const data = expectData(
      await server.execute(`{ a: user(id: "ext-late") { id } b: userByEmail(email: "late@example.com") { id supertokensUserId } }`),
    );
    expect(data).toEqual({ a: { id: 'ext-late' }, b: { id: 'ext-late', supertokensUserId: late } });
  });

  it('belongs to app public only', async ({ database, startServer }) => {
    const other = await startServer(database.url, { APP_ID: 'other' });
    const data = expectData(await other.execute(`{ users { totalCount } user(id: "${ID.emailPassword}") { id } }`));
    expect(data).toEqual({ users: { totalCount: 0 }, user: null });
  });
});

/** One pre-multitenancy database that lacks the tables later cores added, with one user. */
const withoutLaterTables = test
  .extend('emptyDatabase', { scope: 'file' }, true)
  .extend('seed', { scope: 'file' }, async ({ database }) => {
    const { db } = database;
    await legacy.createLegacySuperTokensTables(db);
    await sql`DROP TABLE passwordless_users, thirdparty_users, userid_mapping, user_last_active, user_metadata,
                         user_roles, role_permissions, roles, emailverification_verified_emails`.execute(db);
    await legacy.signUpEmailPassword(db, { userId: ID.emailPassword, email: 'old@example.com', timeJoined: T0 });
    await migrateToLatest(db);
  });

describe('a pre-multitenancy database without the tables later cores added', () => {
  const it = withoutLaterTables;

  it('reads the missing tables as empty', async ({ server }) => {
    const data = expectData(await server.execute(`{ users { nodes { ${USER_FIELDS} } } byEmail: usersByEmail(email: "old@example.com") { id } }`));
    expect(data).toEqual({
      users: { nodes: [single({ recipeId: 'emailpassword', id: ID.emailPassword, email: 'old@example.com', timeJoined: T0 })] },
      byEmail: [{ id: ID.emailPassword }],
    });
  });
});
