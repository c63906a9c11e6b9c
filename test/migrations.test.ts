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
    const { error, results } = await migrator.migrateToLatest();

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
    const { error, results } = await migrator.migrateToLatest();

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
    const { error } = await migrator.migrateToLatest();

    expect(error).toBeUndefined();
    expect(await schemaState(testDb.db)).toEqual({ view: true, jsonFunction: true, rolesIndex: INDEX_DEFINITION });
  });

  it('down removes the roles index it created', async () => {
    const { error } = await migrator.migrateDown();

    expect(error).toBeUndefined();
    expect(await schemaState(testDb.db)).toEqual({ view: false, jsonFunction: false, rolesIndex: null });
  });
});
