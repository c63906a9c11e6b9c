/**
 * One definition of a user, three ways to read it, the same users: the full load (every part read
 * whole, set-wise; sorted or not), the lookups (the parts of the users some ids name) and user_full_view (the
 * same rules in SQL, for people) agree on every user, field by field, on every layout: the
 * scenario's every kind of user on core 11, each migration_mode of core 12, the pre-multitenancy
 * layout, and synthetic users in volume with rows the directory must repair.
 */
import { sql, type Kysely } from 'kysely';
import { describe, expect } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { createUserRepository, type UserRepository } from '../../src/db/user-repository.ts';
import type { LoginMethod, User } from '../../src/directory/user.ts';
import { compareStrings, distinctSorted } from '../../src/directory/user.ts';
import * as legacy from '../../supertokens-standin/legacy-writes.ts';
import { seedSyntheticUsers } from '../../supertokens-standin/synthetic-users.ts';
import { createApp, createSuperTokensTables, MIGRATION_MODES, setUserMetadata, signUpEmailPassword } from '../../supertokens-standin/writes.ts';
import { plainUser } from '../support/domain.ts';
import { test } from '../support/fixtures.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { captureLogs } from '../support/logs.ts';
import { DAY, ID, T0, writeScenario } from '../support/scenario.ts';

type Layout = 'core-11' | 'core-12' | 'legacy';
const SYNTHETIC = 2_000;

const it = test;

/**
 * The users of one app as the full load (both ways: a reload's, sorted by the database, and the
 * startup load's, in the order the database joins the rows), the lookups and the view give them,
 * plain and without versions.
 */
async function readings(db: Kysely<any>, appId: string) {
  const repo = createUserRepository(db, { appId, batchSize: 500, logger: captureLogs('silent').logger });
  const loaded: User[] = [];
  for await (const batch of repo.streamAllUsers()) loaded.push(...batch);
  const loadedFirst: User[] = [];
  for await (const batch of repo.streamAllUsers(undefined, { first: true })) loadedFirst.push(...batch);
  // A reload's read yields what `keep` hands back for each user: here the one read before.
  const held = new Map(loaded.map((user) => [user.supertokensUserId, user]));
  const kept: User[] = [];
  for await (const batch of repo.streamAllUsers(undefined, { keep: (user) => held.get(user.supertokensUserId) ?? user })) kept.push(...batch);
  const keptNotHeld = kept.filter((user) => held.get(user.supertokensUserId) !== user).length + Math.abs(kept.length - loaded.length);
  const ids = loaded.map((user) => user.id);
  const lookedUp = await lookUpInBatches(repo, ids);
  const { rows } = await sql<ViewRow>`SELECT * FROM user_full_view WHERE app_id = ${appId}`.execute(db);
  const plain = (users: readonly User[]) =>
    users.map(plainUser).map(({ version: _version, ...user }) => user).sort((a, b) => compareStrings(a.supertokensUserId, b.supertokensUserId));
  return { loaded: plain(loaded), loadedFirst: plain(loadedFirst), keptNotHeld, lookedUp: plain(lookedUp), view: plain(rows.map(viewRowToUser)) };
}

async function lookUpInBatches(repo: UserRepository, ids: readonly string[]): Promise<User[]> {
  const users: User[] = [];
  for (let start = 0; start < ids.length; start += 500) users.push(...(await repo.findUsersByIds(ids.slice(start, start + 500))));
  return users;
}

describe.each([
  ['core-11', 'the scenario, synthetic users and rows to repair'],
  ['core-12', 'the scenario in every migration_mode'],
  ['legacy', 'users of every recipe before multi-tenancy'],
] as const)('on %s: %s', (layout, _what) => {
  it('the full load, the lookups and user_full_view give the same users', async ({ onTestFinished }) => {
    // A database of its own: each layout starts from nothing.
    const database = await createTestDatabase({ empty: true });
    onTestFinished(() => database.drop());
    const { db } = database;
    const apps = await write(db, layout);
    await migrateToLatest(db);
    await sql`ANALYZE`.execute(db);

    let users = 0;
    for (const appId of apps) {
      const { loaded, loadedFirst, keptNotHeld, lookedUp, view } = await readings(db, appId);
      expect(loaded.length).toBeGreaterThan(0);
      expect(loadedFirst).toEqual(loaded);
      expect(keptNotHeld).toBe(0);
      expect(lookedUp).toEqual(loaded);
      expect(view).toEqual(loaded);
      users += loaded.length;
    }
    expect(users).toBeGreaterThanOrEqual(layout === 'core-11' ? SYNTHETIC : 4);
  });
});

describe('a primary user whose own row core left unmarked (a row core does not write)', () => {
  it('the startup load serves its own login method, skips those linked to it, and says so', async ({ onTestFinished }) => {
    const database = await createTestDatabase({ empty: true });
    onTestFinished(() => database.drop());
    const { db } = database;
    await createSuperTokensTables(db);
    await writeScenario(db);
    await migrateToLatest(db);
    await sql`UPDATE app_id_to_user_id SET is_linked_or_is_a_primary_user = false WHERE user_id = ${ID.graceEmailPassword}`.execute(db);
    const { logger, logs } = captureLogs('warn');
    const repo = createUserRepository(db as Kysely<any>, { appId: 'public', batchSize: 500, logger });
    const users: User[] = [];
    for await (const batch of repo.streamAllUsers(undefined, { first: true })) users.push(...batch);
    const grace = users.filter((user) => user.supertokensUserId === ID.graceEmailPassword);
    expect(grace.map((user) => user.loginMethods.map((method) => method.recipeId))).toEqual([['emailpassword']]);
    await new Promise((resolve) => setImmediate(resolve)); // pino writes asynchronously
    expect(logs).toContainEqual(
      expect.objectContaining({ level: 40, userId: ID.graceEmailPassword, msg: 'skipped login methods linked to a user whose own row is not among them' }),
    );
  });
});

/** Writes the layout's users; returns the apps to compare. */
async function write(db: Kysely<any>, layout: Layout): Promise<string[]> {
  if (layout === 'legacy') {
    await legacy.createLegacySuperTokensTables(db);
    await legacy.createRole(db, 'admin', ['users:read']);
    const id = await legacy.signUpEmailPassword(db, { email: 'old@example.com', timeJoined: T0 });
    await legacy.createUserIdMapping(db, id, 'ext-old');
    await legacy.setUserMetadata(db, 'ext-old', { name: 'Old' });
    await legacy.addUserRole(db, 'ext-old', 'admin');
    await legacy.verifyEmail(db, 'ext-old', 'old@example.com');
    await legacy.setLastActive(db, id, T0 + 5 * DAY);
    await legacy.signUpThirdParty(db, { thirdPartyId: 'google', thirdPartyUserId: 'g-old', email: 'old@example.com', timeJoined: T0 + DAY });
    await legacy.signUpPasswordless(db, { phoneNumber: '+15550000009', timeJoined: T0 + 2 * DAY });
    await legacy.signUpPasswordless(db, { email: 'pl@example.com', timeJoined: T0 + 3 * DAY });
    return ['public'];
  }
  if (layout === 'core-12') {
    await createSuperTokensTables(db, { core: 12 });
    const apps = MIGRATION_MODES.map((mode) => `mode-${mode.toLowerCase().replaceAll('_', '-')}`);
    for (const [i, mode] of MIGRATION_MODES.entries()) await writeScenario(db, { appId: apps[i]!, mode });
    return apps;
  }
  await createSuperTokensTables(db);
  await writeScenario(db);
  // A row core does not write: a login method linked to Grace but not marked linked. The startup
  // load gathers a user's rows by the mark, or by the row not being its user's own.
  await sql`UPDATE app_id_to_user_id SET is_linked_or_is_a_primary_user = false WHERE user_id = ${ID.gracePasskey}`.execute(db);
  await createApp(db, 'volume', ['public', 't1']);
  await seedSyntheticUsers(db, { count: SYNTHETIC, appId: 'volume' });
  // Rows the directory repairs: metadata that is not a JSON object.
  for (const [i, stored] of ['{not json', '[1,2]', '"text"', 'null'].entries()) {
    const id = await signUpEmailPassword(db, { email: `repair-${i}@example.com`, timeJoined: T0 + 40 * DAY + i });
    await setUserMetadata(db, id, stored);
  }
  return ['public', 'volume'];
}

interface ViewRow {
  user_id: string;
  external_user_id: string | null;
  is_primary_user: boolean;
  email: string | null;
  time_joined: string;
  login_methods: Array<Record<string, any>>;
  metadata: Record<string, unknown>;
  tenant_roles: string[][];
  tenant_permissions: string[][];
  last_active_time: string | null;
}

/** user_full_view's row, read the plain way: every rule is the view's; this only renames. */
function viewRowToUser(row: ViewRow): User {
  const loginMethods: LoginMethod[] = row.login_methods.map((json) => ({
    recipeId: json.recipe_id,
    recipeUserId: json.external_user_id ?? json.recipe_user_id,
    supertokensUserId: json.recipe_user_id,
    email: json.email,
    phoneNumber: json.phone_number,
    thirdParty: json.third_party_id === null ? null : { id: json.third_party_id, userId: json.third_party_user_id },
    tenantIds: json.tenant_ids,
    timeJoined: Number(json.time_joined),
    verified: json.verified,
  }));
  const grouped = (pairs: string[][]) => {
    const byTenant = new Map<string, string[]>();
    for (const [tenant, value] of pairs) byTenant.set(tenant!, [...(byTenant.get(tenant!) ?? []), value!]);
    return [...byTenant.keys()].sort(compareStrings).map((tenant) => [tenant, distinctSorted(byTenant.get(tenant)!)] as const);
  };
  const thirdParty = new Map(loginMethods.flatMap((m) => (m.thirdParty ? [[`${m.thirdParty.id}\u0000${m.thirdParty.userId}`, m.thirdParty]] : [])));
  return {
    id: row.external_user_id ?? row.user_id,
    supertokensUserId: row.user_id,
    isPrimaryUser: row.is_primary_user,
    email: row.email,
    emails: distinctSorted(loginMethods.flatMap((m) => (m.email ? [m.email] : []))),
    phoneNumbers: distinctSorted(loginMethods.flatMap((m) => (m.phoneNumber ? [m.phoneNumber] : []))),
    thirdParty: [...thirdParty.values()].sort((a, b) => compareStrings(a.id, b.id) || compareStrings(a.userId, b.userId)),
    loginMethods,
    tenantIds: distinctSorted(loginMethods.flatMap((m) => m.tenantIds)),
    timeJoined: Number(row.time_joined),
    lastActive: row.last_active_time === null ? null : Number(row.last_active_time),
    roles: distinctSorted(row.tenant_roles.map(([, role]) => role!)),
    rolesByTenant: grouped(row.tenant_roles).map(([tenantId, roles]) => ({ tenantId, roles })),
    permissions: distinctSorted(row.tenant_permissions.map(([, permission]) => permission!)),
    permissionsByTenant: grouped(row.tenant_permissions).map(([tenantId, permissions]) => ({ tenantId, permissions })),
    metadata: row.metadata,
    version: '',
  };
}
