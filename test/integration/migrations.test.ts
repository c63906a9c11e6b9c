/**
 * Our migrations on a bare SuperTokens schema: up creates what the service reads, down removes
 * exactly what up created (and never an index SuperTokens' own DDL made), and up works again.
 */
import { NO_MIGRATIONS, sql, type Kysely } from 'kysely';
import { describe, expect } from 'vitest';
import { createMigrator } from '../../src/db/migrate.ts';
import { createLegacySuperTokensTables } from '../../supertokens-standin/legacy-writes.ts';
import { createSuperTokensTables } from '../../supertokens-standin/writes.ts';
import { test } from '../support/fixtures.ts';

const MIGRATION = '1795484898409_create_user_full_view';
const TRIGGERS = '1795486388499_notify_user_changes';
const EVERY_LOGIN_METHOD = '1795486763167_user_full_view_every_login_method';
const ROLES_INDEX = 'user_roles_app_id_user_id_index';

interface SchemaState {
  view: boolean;
  jsonFunction: boolean;
  /** The roles index's definition, or null when it does not exist. */
  rolesIndex: string | null;
}

async function schemaState(db: Kysely<any>): Promise<SchemaState> {
  const { rows } = await sql<SchemaState>`
    SELECT
      to_regclass('user_full_view') IS NOT NULL AS view,
      to_regprocedure('usergraph_json_object_or_null(text)') IS NOT NULL AS "jsonFunction",
      (SELECT indexdef FROM pg_indexes WHERE indexname = ${ROLES_INDEX}) AS "rolesIndex"
  `.execute(db);
  return rows[0]!;
}

const INDEX_DEFINITION = `CREATE INDEX ${ROLES_INDEX} ON public.user_roles USING btree (app_id, user_id)`;

/**
 * Tests that share one database, empty until `layout` builds a SuperTokens schema in it, and a
 * migrator over it; each describe block below has its own (extended at the top level of the file,
 * where file-scoped fixtures are defined).
 */
function onSchema<T>(layout: (db: Kysely<any>) => Promise<T>) {
  return test
    .extend('emptyDatabase', { scope: 'file' }, true)
    .extend('seed', { scope: 'file' }, ({ database }) => layout(database.db))
    .extend('migrator', { scope: 'file' }, ({ database, seed }) => createMigrator(database.db));
}

const onCurrentSchema = onSchema(createSuperTokensTables);

describe('migrations on a SuperTokens schema that already has the roles index', () => {
  const it = onCurrentSchema;

  it('up creates the view and the metadata function', async ({ database: testDb, migrator }) => {
    const { error, results } = await migrator.migrateToLatest();

    expect(error).toBeUndefined();
    expect(results).toEqual([
      { migrationName: MIGRATION, direction: 'Up', status: 'Success' },
      { migrationName: TRIGGERS, direction: 'Up', status: 'Success' },
      { migrationName: EVERY_LOGIN_METHOD, direction: 'Up', status: 'Success' },
    ]);
    expect(await schemaState(testDb.db)).toEqual({ view: true, jsonFunction: true, rolesIndex: INDEX_DEFINITION });
    const { rows } = await sql`SELECT count(*)::int AS count FROM user_full_view`.execute(testDb.db);
    expect(rows).toEqual([{ count: 0 }]);
  });

  it("down removes the view and the function but keeps SuperTokens' roles index", async ({ database: testDb, migrator }) => {
    const { error, results } = await migrator.migrateTo(NO_MIGRATIONS);

    expect(error).toBeUndefined();
    expect(results).toEqual([
      { migrationName: EVERY_LOGIN_METHOD, direction: 'Down', status: 'Success' },
      { migrationName: TRIGGERS, direction: 'Down', status: 'Success' },
      { migrationName: MIGRATION, direction: 'Down', status: 'Success' },
    ]);
    expect(await schemaState(testDb.db)).toEqual({ view: false, jsonFunction: false, rolesIndex: INDEX_DEFINITION });
  });

  it('up works again after down', async ({ database: testDb, migrator }) => {
    const { error, results } = await migrator.migrateToLatest();

    expect(error).toBeUndefined();
    expect(results).toEqual([
      { migrationName: MIGRATION, direction: 'Up', status: 'Success' },
      { migrationName: TRIGGERS, direction: 'Up', status: 'Success' },
      { migrationName: EVERY_LOGIN_METHOD, direction: 'Up', status: 'Success' },
    ]);
    expect(await schemaState(testDb.db)).toEqual({ view: true, jsonFunction: true, rolesIndex: INDEX_DEFINITION });
  });
});

const withoutRolesIndex = onSchema(async (db) => {
  await createSuperTokensTables(db);
  await sql`DROP INDEX ${sql.id(ROLES_INDEX)}`.execute(db);
});

describe('migrations on an older SuperTokens schema without the roles index', () => {
  const it = withoutRolesIndex;

  it('up creates the roles index', async ({ database: testDb, migrator }) => {
    const { error } = await migrator.migrateToLatest();

    expect(error).toBeUndefined();
    expect(await schemaState(testDb.db)).toEqual({ view: true, jsonFunction: true, rolesIndex: INDEX_DEFINITION });
  });

  it('down removes the roles index it created', async ({ database: testDb, migrator }) => {
    const { error } = await migrator.migrateTo(NO_MIGRATIONS);

    expect(error).toBeUndefined();
    expect(await schemaState(testDb.db)).toEqual({ view: false, jsonFunction: false, rolesIndex: null });
  });
});

/** The definition of the view, or null when there is none. */
async function viewDefinition(db: Kysely<any>): Promise<string | null> {
  const { rows } = await sql<{ definition: string | null }>`
    SELECT CASE WHEN to_regclass('user_full_view') IS NULL THEN NULL ELSE pg_get_viewdef('user_full_view'::regclass) END AS definition
  `.execute(db);
  return rows[0]!.definition;
}

async function lookupFunctions(db: Kysely<any>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    SELECT proname AS name FROM pg_proc WHERE proname LIKE 'usergraph_user_ids_by_%' ORDER BY 1
  `.execute(db);
  return rows.map((row) => row.name);
}

/** Our lookup indexes that exist, each with its comment (ours are marked). */
async function lookupIndexes(db: Kysely<any>): Promise<Record<string, string | null>> {
  const { rows } = await sql<{ name: string; comment: string | null }>`
    SELECT c.relname AS name, obj_description(c.oid, 'pg_class') AS comment FROM pg_class c
    WHERE c.relkind = 'i' AND c.relname IN (
      'app_id_to_user_id_primary_user_id_index', 'all_auth_recipe_user_id_index', 'emailpassword_users_email_index',
      'thirdparty_users_email_index', 'passwordless_users_email_index'
    ) ORDER BY 1
  `.execute(db);
  return Object.fromEntries(rows.map((row) => [row.name, row.comment]));
}

const OURS = `created by usergraph: ${EVERY_LOGIN_METHOD}`;

/** Migrated up to the first migration; its value is the view that migration made. */
const onCore7Schema = onSchema(async (db) => {
  await createSuperTokensTables(db);
  await sql`DROP INDEX emailpassword_users_email_index, passwordless_users_email_index, app_id_to_user_id_primary_user_id_index`.execute(db);
  expect((await createMigrator(db).migrateTo(MIGRATION)).error).toBeUndefined();
  return viewDefinition(db);
});

describe('the every-login-method migration on a core 7 schema (before the 8.0.1 email indexes)', () => {
  const it = onCore7Schema;

  it('up replaces the view, adds the lookup functions and the indexes this core lacks, marked as ours', async ({ database: testDb, migrator }) => {
    const { error } = await migrator.migrateToLatest();

    expect(error).toBeUndefined();
    const { rows } = await sql<{ column_name: string }>`
      SELECT column_name FROM information_schema.columns WHERE table_name = 'user_full_view' ORDER BY ordinal_position
    `.execute(testDb.db);
    expect(rows.map((row) => row.column_name)).toContain('login_methods');
    expect(await lookupFunctions(testDb.db)).toEqual(['usergraph_user_ids_by_email', 'usergraph_user_ids_by_key']);
    expect(await lookupIndexes(testDb.db)).toEqual({
      all_auth_recipe_user_id_index: null,
      app_id_to_user_id_primary_user_id_index: OURS,
      emailpassword_users_email_index: OURS,
      passwordless_users_email_index: OURS,
      thirdparty_users_email_index: null,
    });
  });

  it("down restores the previous view exactly and removes the functions and only its own indexes", async ({ database: testDb, migrator, seed: previousView }) => {
    const { error, results } = await migrator.migrateDown();

    expect(error).toBeUndefined();
    expect(results).toEqual([{ migrationName: EVERY_LOGIN_METHOD, direction: 'Down', status: 'Success' }]);
    expect(previousView).toContain('emailpassword_users ep');
    expect(await viewDefinition(testDb.db)).toBe(previousView);
    expect(await lookupFunctions(testDb.db)).toEqual([]);
    expect(await lookupIndexes(testDb.db)).toEqual({ all_auth_recipe_user_id_index: null, thirdparty_users_email_index: null });
  });
});

const onLegacySchema = onSchema(createLegacySuperTokensTables);

describe('migrations on the pre-multitenancy layout (core 5 and older)', () => {
  const it = onLegacySchema;

  it('up: the first migration leaves the layout alone, the second builds the view, its functions and the email index', async ({ database: testDb, migrator }) => {
    const { error, results } = await migrator.migrateToLatest();

    expect(error).toBeUndefined();
    expect(results).toEqual([
      { migrationName: MIGRATION, direction: 'Up', status: 'Success' },
      { migrationName: TRIGGERS, direction: 'Up', status: 'Success' },
      { migrationName: EVERY_LOGIN_METHOD, direction: 'Up', status: 'Success' },
    ]);
    expect(await schemaState(testDb.db)).toEqual({ view: true, jsonFunction: true, rolesIndex: null });
    expect(await lookupFunctions(testDb.db)).toEqual(['usergraph_user_ids_by_email', 'usergraph_user_ids_by_key']);
    expect(await lookupIndexes(testDb.db)).toEqual({ thirdparty_users_email_index: OURS });
    const { rows } = await sql`SELECT count(*)::int AS count FROM user_full_view`.execute(testDb.db);
    expect(rows).toEqual([{ count: 0 }]);
  });

  it('down removes all of it, and up works again', async ({ database: testDb, migrator }) => {
    const down = await migrator.migrateTo(NO_MIGRATIONS);

    expect(down.error).toBeUndefined();
    expect(await schemaState(testDb.db)).toEqual({ view: false, jsonFunction: false, rolesIndex: null });
    expect(await lookupFunctions(testDb.db)).toEqual([]);
    expect(await lookupIndexes(testDb.db)).toEqual({});
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    expect(await schemaState(testDb.db)).toEqual({ view: true, jsonFunction: true, rolesIndex: null });
  });
});

const onCore6Schema = onSchema(async (db) => {
  await createSuperTokensTables(db);
  await sql`ALTER TABLE app_id_to_user_id DROP COLUMN primary_or_recipe_user_id CASCADE`.execute(db);
});

describe('migrations on a core 6 schema (multi-tenancy before account linking)', () => {
  const it = onCore6Schema;

  it('refuse to build a view they would get wrong, say why, and leave nothing behind', async ({ database: testDb }) => {
    const { error, results } = await createMigrator(testDb.db).migrateToLatest();

    expect(String(error)).toMatch(/core 6 .*not supported/);
    expect(results?.at(-1)).toEqual({ migrationName: EVERY_LOGIN_METHOD, direction: 'Up', status: 'Error' });
    expect(await schemaState(testDb.db)).toEqual({ view: false, jsonFunction: false, rolesIndex: INDEX_DEFINITION });
  });
});

const onFreshSchema = onSchema(createSuperTokensTables);

describe('the change-capture migration', () => {
  const it = onFreshSchema;

  async function triggers(db: Kysely<any>): Promise<Array<{ table: string; count: number }>> {
    const { rows } = await sql<{ table: string; count: number }>`
      SELECT event_object_table AS table, count(DISTINCT trigger_name)::int AS count
      FROM information_schema.triggers WHERE trigger_name LIKE 'usergraph_notify_%'
      GROUP BY 1 ORDER BY 1
    `.execute(db);
    return rows;
  }

  it('puts insert, update and delete triggers on every table that feeds the view and exists', async ({ database: testDb, migrator }) => {
    const { error } = await migrator.migrateTo(TRIGGERS);
    expect(error).toBeUndefined();
    const tables = [
      'all_auth_recipe_users', 'app_id_to_user_id', 'emailpassword_user_to_tenant', 'emailpassword_users',
      'emailverification_verified_emails', 'passwordless_user_to_tenant', 'passwordless_users', 'role_permissions',
      'roles', 'thirdparty_user_to_tenant', 'thirdparty_users', 'user_last_active', 'user_metadata', 'user_roles',
      'userid_mapping',
    ];
    expect(await triggers(testDb.db)).toEqual(tables.map((table) => ({ table, count: 3 })));
  });

  it('down removes every trigger and the function', async ({ database: testDb, migrator }) => {
    const { error, results } = await migrator.migrateDown();
    expect(error).toBeUndefined();
    expect(results?.map((result) => result.migrationName)).toEqual([TRIGGERS]);
    expect(await triggers(testDb.db)).toEqual([]);
    const { rows } = await sql<{ found: boolean }>`
      SELECT to_regprocedure('usergraph_notify_change()') IS NOT NULL AS found`.execute(testDb.db);
    expect(rows).toEqual([{ found: false }]);
  });
});
