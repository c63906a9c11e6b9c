/**
 * SuperTokens core 12: `migration_mode` moves tenant membership from all_auth_recipe_users and the
 * *_user_to_tenant tables to recipe_user_tenants. The same scenario, written in each mode (one app
 * per mode, as the mode is an app's setting), gives the same exact answers.
 */
import { sql } from 'kysely';
import { describe, expect } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { createUserRepository } from '../../src/db/user-repository.ts';
import { createLogger } from '../../src/logger.ts';
import {
  addUserToTenant,
  createApp,
  createSuperTokensTables,
  MIGRATION_MODES,
  removeUserFromTenant,
  signUpEmailPassword,
  type MigrationMode,
} from '../../supertokens-standin/writes.ts';
import { test } from '../support/fixtures.ts';
import { EXPECTED, EXTERNAL, ID, LISTED, T0, USER_FIELDS, single, writeScenario } from '../support/scenario.ts';
import { expectData, startTestServer, type TestServer } from '../support/server.ts';

const appOf = (mode: MigrationMode) => `mode-${mode.toLowerCase().replaceAll('_', '-')}`;
const MOVED = 'a4000000-0000-4000-8000-000000000001';

const it = test
  .extend('emptyDatabase', { scope: 'file' }, true)
  .extend('seed', { scope: 'file' }, async ({ database }) => {
    const { db } = database;
    await createSuperTokensTables(db, { core: 12 });
    for (const mode of MIGRATION_MODES) await writeScenario(db, { appId: appOf(mode), mode });

    // Dual-written into public and t1, then, once MIGRATED, removed from t1: only the new table
    // knows, and all_auth_recipe_users keeps a stale row for t1.
    await createApp(db, 'stale', ['public', 't1']);
    await signUpEmailPassword(db, { appId: 'stale', userId: MOVED, email: 'moved@example.com', timeJoined: T0, mode: 'DUAL_WRITE_READ_NEW' });
    await addUserToTenant(db, MOVED, 't1', { appId: 'stale', mode: 'DUAL_WRITE_READ_NEW' });
    await removeUserFromTenant(db, MOVED, 't1', { appId: 'stale', mode: 'MIGRATED' });

    await migrateToLatest(db);
  })
  /** A service for each app: one per migration mode, and 'stale'. */
  .extend('servers', { scope: 'file' }, async ({ database, seed }, { onCleanup }) => {
    const servers = new Map<string, TestServer>();
    onCleanup(async () => {
      for (const server of servers.values()) await server.close();
    });
    for (const appId of [...MIGRATION_MODES.map(appOf), 'stale']) servers.set(appId, await startTestServer(database.url, { APP_ID: appId }));
    return servers;
  });

describe.each(MIGRATION_MODES)('written in migration_mode %s', (mode) => {
  const ofMode = (servers: Map<string, TestServer>) => servers.get(appOf(mode))!;

  it('lists every user exactly', async ({ servers }) => {
    const data = expectData(await ofMode(servers).execute(`{ users(first: 500) { totalCount nodes { ${USER_FIELDS} } } }`));
    expect(data.users).toEqual({ totalCount: LISTED.length, nodes: LISTED });
  });

  it('finds a linked user by a linked method id and by an external id', async ({ servers }) => {
    for (const id of [ID.adaThirdParty, EXTERNAL.adaPasswordless]) {
      expect(expectData(await ofMode(servers).execute(`query ($id: ID!) { user(id: $id) { ${USER_FIELDS} } }`, { id })).user).toEqual(EXPECTED.ada);
    }
  });

  it('knows which tenant each login method is in', async ({ servers }) => {
    const data = expectData(
      await ofMode(servers).execute(`{
        t1: users(tenantId: "t1") { nodes { id } }
        inT1: userByEmail(email: "ada@example.com", tenantId: "t1") { id }
        notInT1: userByEmail(email: "ada.work@example.com", tenantId: "t1") { id }
      }`),
    );
    expect(data).toEqual({
      t1: { nodes: [{ id: EXPECTED.passkey.id }, { id: EXPECTED.tenantOnly.id }, { id: EXPECTED.ada.id }] },
      inT1: { id: EXPECTED.ada.id },
      notInT1: null,
    });
  });
});

describe('a recipe user with rows in recipe_user_tenants', () => {
  it('is in the tenants those rows name, whatever all_auth_recipe_users still holds', async ({ servers, database }) => {
    const data = expectData(await servers.get('stale')!.execute(`query ($id: ID!) { user(id: $id) { ${USER_FIELDS} } }`, { id: MOVED }));
    const { rows } = await sql<{ tenant_id: string }>`
      SELECT tenant_id FROM all_auth_recipe_users WHERE app_id = 'stale' AND user_id = ${MOVED} ORDER BY 1
    `.execute(database.db);
    expect(rows.map((row) => row.tenant_id)).toEqual(['public', 't1']);

    expect(data.user).toEqual(single({ recipeId: 'emailpassword', id: MOVED, email: 'moved@example.com', timeJoined: T0 }));
  });

  // The startup load reads tenants with the login methods; a reload and a lookup read them as parts.
  it('is in the same tenants after a reload and through a lookup', async ({ servers, database }) => {
    const server = servers.get('stale')!;
    const [before] = server.directory.snapshot.usersNamedBy([MOVED]);
    expect(before?.tenantIds).toEqual(['public']);
    await server.directory.reload();
    const [reloaded] = server.directory.snapshot.usersNamedBy([MOVED]);
    expect(reloaded?.tenantIds).toEqual(['public']);
    const [looked] = await createUserRepository(database.db, { appId: 'stale', batchSize: 500, logger: createLogger('silent') }).findUsersByIds([MOVED]);
    expect(looked?.tenantIds).toEqual(['public']);
  });
});
