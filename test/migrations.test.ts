/**
 * Our migrations on a bare SuperTokens schema: up creates what the service reads, down removes
 * exactly what up created (and never an index SuperTokens' own DDL made), and up works again.
 */
import { sql, type Kysely, type Migrator } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigrator } from '../src/db/migrate.ts';
import { createSuperTokensTables } from '../src/db/supertokens.ts';
import { createTestDatabase, type TestDatabase } from './support/postgres.ts';

const MIGRATION = '1795484898409_create_user_full_view';
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

describe('migrations on a SuperTokens schema that already has the roles index', () => {
  let testDb: TestDatabase;
  let migrator: Migrator;

  beforeAll(async () => {
    testDb = await createTestDatabase({ empty: true });
    await createSuperTokensTables(testDb.db);
    migrator = createMigrator(testDb.db);
  });

  afterAll(async () => {
    await testDb?.drop();
  });

  it('up creates the view and the metadata function', async () => {
    const { error, results } = await migrator.migrateTo(MIGRATION);

    expect(error).toBeUndefined();
    expect(results).toEqual([{ migrationName: MIGRATION, direction: 'Up', status: 'Success' }]);
    expect(await schemaState(testDb.db)).toEqual({ view: true, jsonFunction: true, rolesIndex: INDEX_DEFINITION });
    const { rows } = await sql`SELECT count(*)::int AS count FROM user_full_view`.execute(testDb.db);
    expect(rows).toEqual([{ count: 0 }]);
  });

  it("down removes the view and the function but keeps SuperTokens' roles index", async () => {
    const { error, results } = await migrator.migrateDown();

    expect(error).toBeUndefined();
    expect(results).toEqual([{ migrationName: MIGRATION, direction: 'Down', status: 'Success' }]);
    expect(await schemaState(testDb.db)).toEqual({ view: false, jsonFunction: false, rolesIndex: INDEX_DEFINITION });
  });

  it('up works again after down', async () => {
    const { error, results } = await migrator.migrateTo(MIGRATION);

    expect(error).toBeUndefined();
    expect(results).toEqual([{ migrationName: MIGRATION, direction: 'Up', status: 'Success' }]);
    expect(await schemaState(testDb.db)).toEqual({ view: true, jsonFunction: true, rolesIndex: INDEX_DEFINITION });
  });
});

describe('migrations on an older SuperTokens schema without the roles index', () => {
  let testDb: TestDatabase;
  let migrator: Migrator;

  beforeAll(async () => {
    testDb = await createTestDatabase({ empty: true });
    await createSuperTokensTables(testDb.db);
    await sql`DROP INDEX ${sql.id(ROLES_INDEX)}`.execute(testDb.db);
    migrator = createMigrator(testDb.db);
  });

  afterAll(async () => {
    await testDb?.drop();
  });

  it('up creates the roles index', async () => {
    const { error } = await migrator.migrateTo(MIGRATION);

    expect(error).toBeUndefined();
    expect(await schemaState(testDb.db)).toEqual({ view: true, jsonFunction: true, rolesIndex: INDEX_DEFINITION });
  });

  it('down removes the roles index it created', async () => {
    const { error } = await migrator.migrateDown();

    expect(error).toBeUndefined();
    expect(await schemaState(testDb.db)).toEqual({ view: false, jsonFunction: false, rolesIndex: null });
  });
});

describe('the change-capture migration', () => {
  const TRIGGERS = '1795486388499_notify_user_changes';
  let testDb: TestDatabase;
  let migrator: Migrator;

  async function triggers(): Promise<Array<{ table: string; count: number }>> {
    const { rows } = await sql<{ table: string; count: number }>`
      SELECT event_object_table AS table, count(DISTINCT trigger_name)::int AS count
      FROM information_schema.triggers WHERE trigger_name LIKE 'usergraph_notify_%'
      GROUP BY 1 ORDER BY 1
    `.execute(testDb.db);
    return rows;
  }

  beforeAll(async () => {
    testDb = await createTestDatabase({ empty: true });
    await createSuperTokensTables(testDb.db);
    migrator = createMigrator(testDb.db);
  });

  afterAll(async () => {
    await testDb?.drop();
  });

  it('puts insert, update and delete triggers on every table that feeds the view and exists', async () => {
    const { error } = await migrator.migrateTo(TRIGGERS);
    expect(error).toBeUndefined();
    const tables = [
      'all_auth_recipe_users', 'app_id_to_user_id', 'emailpassword_user_to_tenant', 'emailpassword_users',
      'emailverification_verified_emails', 'passwordless_user_to_tenant', 'passwordless_users', 'role_permissions',
      'roles', 'thirdparty_user_to_tenant', 'thirdparty_users', 'user_last_active', 'user_metadata', 'user_roles',
      'userid_mapping',
    ];
    expect(await triggers()).toEqual(tables.map((table) => ({ table, count: 3 })));
  });

  it('down removes every trigger and the function', async () => {
    const { error, results } = await migrator.migrateDown();
    expect(error).toBeUndefined();
    expect(results?.map((result) => result.migrationName)).toEqual([TRIGGERS]);
    expect(await triggers()).toEqual([]);
    const { rows } = await sql<{ found: boolean }>`
      SELECT to_regprocedure('usergraph_notify_change()') IS NOT NULL AS found`.execute(testDb.db);
    expect(rows).toEqual([{ found: false }]);
  });
});
