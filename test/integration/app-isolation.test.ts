/**
 * Two SuperTokens apps in one database, holding the same user ids and emails but different
 * mappings, metadata, roles, permissions, tenants, verified emails and activity: a service for
 * one app never shows anything of the other.
 */
import { describe, expect } from 'vitest';
import {
  addUserRole,
  addUserToTenant,
  createApp,
  createRole,
  createUserIdMapping,
  setLastActive,
  setUserMetadata,
  signUpEmailPassword,
  signUpPasswordless,
  verifyEmail,
} from '../../supertokens-standin/writes.ts';
import { serve, test } from '../support/fixtures.ts';
import { DAY, EXPECTED, EXTERNAL, ID, LISTED, T0, USER_FIELDS, iso, method, single, writeScenario } from '../support/scenario.ts';
import { expectData } from '../support/server.ts';

/** Only in app two. */
const SOLO = 'a5000000-0000-4000-8000-000000000001';

const it = test
  .extend('seed', { scope: 'file' }, async ({ database }) => {
    const { db } = database;
    await writeScenario(db, { appId: 'public' });

    // App two: Ada's email-password account again (same id, same email), unlinked, with another
    // external id, another role of the same name with other permissions, other metadata, tenant
    // t2, a verified email and activity; plus a user app one does not have.
    await createApp(db, 'two', ['public', 't2']);
    await createRole(db, 'admin', ['billing:read'], 'two');
    await signUpEmailPassword(db, { appId: 'two', userId: ID.adaEmailPassword, email: 'ada@example.com', timeJoined: T0 + 40 * DAY });
    await addUserToTenant(db, ID.adaEmailPassword, 't2', { appId: 'two' });
    await createUserIdMapping(db, ID.adaEmailPassword, 'ext-ada-two', { appId: 'two' });
    await verifyEmail(db, 'ext-ada-two', 'ada@example.com', 'two');
    await setUserMetadata(db, 'ext-ada-two', { app: 'two' }, 'two');
    await addUserRole(db, 'ext-ada-two', 'admin', 't2', 'two');
    await setLastActive(db, ID.adaEmailPassword, T0 + 41 * DAY, 'two');
    // Rows in app two under app one's external ids: app one must not pick them up, and app two
    // has no user they belong to.
    await setUserMetadata(db, EXTERNAL.ada, { leaked: true }, 'two');
    await addUserRole(db, EXTERNAL.ada, 'admin', 'public', 'two');
    await signUpPasswordless(db, { appId: 'two', userId: SOLO, email: 'solo@example.com', timeJoined: T0 + 42 * DAY });
  })
  /** The service for app two; `server` is app one's (public). */
  .extend('two', { scope: 'file' }, ({ database, seed }, { onCleanup }) => serve(database.url, { APP_ID: 'two' }, onCleanup));

const ADA_IN_TWO = single(
  {
    recipeId: 'emailpassword',
    id: ID.adaEmailPassword,
    recipeUserId: 'ext-ada-two',
    email: 'ada@example.com',
    tenantIds: ['public', 't2'],
    timeJoined: T0 + 40 * DAY,
    verified: true,
  },
  {
    lastActive: iso(T0 + 41 * DAY),
    roles: ['admin'],
    rolesByTenant: [{ tenantId: 't2', roles: ['admin'] }],
    permissions: ['billing:read'],
    metadata: { app: 'two' },
  },
);

const everything = `{ users(first: 500) { totalCount nodes { ${USER_FIELDS} } } }`;

describe('two apps in one database', () => {
  it("app one's service lists exactly app one's users, untouched by app two's rows", async ({ server: one }) => {
    expect(expectData(await one.execute(everything)).users).toEqual({ totalCount: LISTED.length, nodes: LISTED });
  });

  it("app two's service lists exactly app two's users", async ({ two }) => {
    const solo = single({ recipeId: 'passwordless', id: SOLO, email: 'solo@example.com', timeJoined: T0 + 42 * DAY });
    expect(expectData(await two.execute(everything)).users).toEqual({ totalCount: 2, nodes: [solo, ADA_IN_TWO] });
  });

  it('resolves ids, external ids and emails within its own app only', async ({ server: one, two }) => {
    const query = `{
      byId: user(id: "${ID.adaThirdParty}") { id }
      byExternal: user(id: "${EXTERNAL.ada}") { id }
      byOtherExternal: user(id: "ext-ada-two") { id }
      solo: user(id: "${SOLO}") { id }
      emails: usersByEmail(email: "ada@example.com") { id }
      solos: usersByEmail(email: "solo@example.com") { id }
    }`;
    expect(expectData(await one.execute(query))).toEqual({
      byId: { id: EXTERNAL.ada },
      byExternal: { id: EXTERNAL.ada },
      byOtherExternal: null,
      solo: null,
      emails: [{ id: EXTERNAL.ada }],
      solos: [],
    });
    expect(expectData(await two.execute(query))).toEqual({
      byId: null,
      byExternal: null,
      byOtherExternal: { id: 'ext-ada-two' },
      solo: { id: SOLO },
      emails: [{ id: 'ext-ada-two' }],
      solos: [{ id: SOLO }],
    });
  });

  it('finds users missing from its directory in its own app only', async ({ server: one, two, database }) => {
    // Written after both services loaded: each must ask the database, and get its own app's answer.
    const late = 'a5000000-0000-4000-8000-000000000002';
    await signUpEmailPassword(database.db, { appId: 'two', userId: late, email: 'late@example.com', timeJoined: T0 + 43 * DAY });
    const query = `{ user(id: "${late}") { loginMethods { recipeId supertokensUserId recipeUserId email phoneNumber thirdParty { id userId } tenantIds timeJoined verified } } }`;

    expect(expectData(await one.execute(query)).user).toBeNull();
    expect(expectData(await two.execute(query)).user).toEqual({
      loginMethods: [method({ recipeId: 'emailpassword', id: late, email: 'late@example.com', timeJoined: T0 + 43 * DAY })],
    });
  });

  it('keeps Ada of app one exactly as the scenario wrote her', async ({ server: one }) => {
    expect(expectData(await one.execute(`{ user(id: "${ID.adaEmailPassword}") { ${USER_FIELDS} } }`)).user).toEqual(EXPECTED.ada);
  });
});
