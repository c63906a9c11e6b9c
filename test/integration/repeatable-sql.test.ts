/**
 * The SQL files in sql/ on top of the frozen migrations: applied once, applied again only when
 * what would run differs from what ran (a changed file, a table that appeared), atomically, by
 * every way migrations run (migrateToLatest, kysely-ctl), and out of the way of a frozen `down`.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql, type Kysely, type Migration } from 'kysely';
import { describe, expect } from 'vitest';
import { createMigrator, migrateToLatest } from '../../src/db/migrate.ts';
import { applySqlFiles, removeSqlFiles, sqlFilesFor } from '../../src/db/repeatable-sql.ts';
import { createSuperTokensTables, signUpEmailPassword } from '../../supertokens-standin/writes.ts';
import { test } from '../support/fixtures.ts';
import type { TestDatabase } from '../support/postgres.ts';

const FILES = [
  'sql/shared/usergraph_count_changes.sql',
  'sql/multitenant/user_full_view.sql',
  'sql/multitenant/usergraph_notify_webauthn.sql',
  'sql/multitenant/usergraph_user_ids_by_email.sql',
  'sql/multitenant/usergraph_user_ids_by_key.sql',
  'sql/multitenant/usergraph_user_parts.sql',
];

/** The view's oid: a new one each time it is created. */
async function viewOid(db: Kysely<any>): Promise<number | null> {
  const { rows } = await sql<{ oid: number | null }>`SELECT to_regclass('user_full_view')::oid::int AS oid`.execute(db);
  return rows[0]!.oid;
}

async function viewDefinition(db: Kysely<any>): Promise<string> {
  const { rows } = await sql<{ definition: string }>`SELECT pg_get_viewdef('user_full_view'::regclass) AS definition`.execute(db);
  return rows[0]!.definition;
}

async function functionBody(db: Kysely<any>): Promise<string> {
  const { rows } = await sql<{ body: string }>`
    SELECT pg_get_functiondef('usergraph_user_ids_by_key(varchar, text[])'::regprocedure) AS body
  `.execute(db);
  return rows[0]!.body;
}

/** file → checksum, as recorded. */
async function recorded(db: Kysely<any>): Promise<Record<string, string>> {
  const { rows } = await sql<{ file: string; checksum: string }>`SELECT file, checksum FROM usergraph_applied_sql ORDER BY file`.execute(db);
  return Object.fromEntries(rows.map((row) => [row.file, row.checksum]));
}

async function expectedRecords(db: Kysely<any>, folder?: string): Promise<Record<string, string>> {
  return Object.fromEntries((await sqlFilesFor(db, folder)).map((file) => [file.name, file.checksum]));
}

/**
 * A test whose file-scoped `database` is its own (a clone of the migrated template, or an empty
 * one), prepared once by `prepare` before its first test; `seed` is what `prepare` returns.
 * Each describe below makes one: file-scoped values belong to the extended test that made them.
 */
function withDatabase<T>(empty: boolean, prepare: (database: TestDatabase, onCleanup: (cleanup: () => Promise<void>) => void) => Promise<T>) {
  return test.extend('emptyDatabase', { scope: 'file' }, empty).extend('seed', { scope: 'file' }, ({ database }, { onCleanup }) => prepare(database, onCleanup));
}

const migrated = withDatabase(false, async () => undefined);

describe('on a migrated database', () => {
  const it = migrated;

  it('records every file as it ran, and applies nothing again while they are unchanged', async ({ database }) => {
    const before = await viewOid(database.db);

    expect(await migrateToLatest(database.db)).toEqual([]);
    expect(await viewOid(database.db)).toBe(before);
    expect(await recorded(database.db)).toEqual(await expectedRecords(database.db));
    expect(Object.keys(await recorded(database.db))).toEqual(['drop.sql', ...FILES.map((file) => file.replace('sql/', ''))].sort());
  });

  it('applies all of them again when one changed', async ({ database }) => {
    const before = await viewOid(database.db);
    await sql`UPDATE usergraph_applied_sql SET checksum = 'the text of an older version' WHERE file = 'multitenant/user_full_view.sql'`.execute(
      database.db,
    );

    expect(await migrateToLatest(database.db)).toEqual(FILES);
    expect(await viewOid(database.db)).not.toBe(before);
    expect(await recorded(database.db)).toEqual(await expectedRecords(database.db));
  });

  it('the lookup functions read the tables they were created with, whatever the caller\'s search_path', async ({ database }) => {
    const userId = await signUpEmailPassword(database.db, { email: 'path@example.com' });
    const found = await database.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL search_path = pg_catalog`.execute(trx);
      const { rows } = await sql<{ id: string }>`
        SELECT trim(id) AS id FROM public.usergraph_user_ids_by_email('public', ARRAY['path@example.com']) id
      `.execute(trx);
      return rows;
    });
    expect(found).toEqual([{ id: userId }]);
  });
});

const beforeSqlFiles = withDatabase(false, async (database) => {
  // As the frozen migration alone left it: its own view and functions, nothing recorded.
  await database.db.transaction().execute((trx) => removeSqlFiles(trx));
  await sql`DROP TABLE usergraph_applied_sql`.execute(database.db);
  const everyLoginMethod = (await import('../../migrations/1795486763167_user_full_view_every_login_method.ts')) as Migration;
  await everyLoginMethod.up(database.db);
});

describe('a database migrated before sql/ existed', () => {
  const it = beforeSqlFiles;

  it('gets the files at the next start, in place of the migration\'s objects', async ({ database }) => {
    expect(await functionBody(database.db)).not.toContain('BEGIN ATOMIC');

    expect(await migrateToLatest(database.db)).toEqual(FILES);
    expect(await functionBody(database.db)).toContain('BEGIN ATOMIC');
    expect(await recorded(database.db)).toEqual(await expectedRecords(database.db));
  });
});

const onCore11 = withDatabase(true, async (database) => {
  await createSuperTokensTables(database.db);
  await migrateToLatest(database.db);
});

describe('after a SuperTokens upgrade adds a table the view reads', () => {
  const it = onCore11;

  it('the next migration run builds the view on it', async ({ database }) => {
    expect(await viewDefinition(database.db)).not.toContain('recipe_user_tenants');
    await sql.raw(await readFile(new URL('../../supertokens-standin/ddl/core-12.sql', import.meta.url), 'utf8')).execute(database.db);

    expect(await migrateToLatest(database.db)).toEqual(FILES);
    expect(await viewDefinition(database.db)).toContain('FROM recipe_user_tenants t');
    expect(await recorded(database.db)).toEqual(await expectedRecords(database.db));
  });
});

const onCore10 = withDatabase(true, async (database) => {
  await createSuperTokensTables(database.db, { core: 10 });
  await migrateToLatest(database.db);
});

describe('after a SuperTokens upgrade adds WebAuthn (core 10.0 to 10.1)', () => {
  const it = onCore10;

  async function webauthnTriggers(db: Kysely<any>): Promise<string[]> {
    const { rows } = await sql<{ name: string }>`
      SELECT DISTINCT trigger_name AS name FROM information_schema.triggers WHERE event_object_table = 'webauthn_users' ORDER BY 1
    `.execute(db);
    return rows.map((row) => row.name);
  }

  it('the next migration run reads webauthn_users in the view, watches it for changes and counts its rows', async ({ database }) => {
    expect(await viewDefinition(database.db)).not.toContain('webauthn_users');
    await sql.raw(await readFile(new URL('../../supertokens-standin/ddl/webauthn.sql', import.meta.url), 'utf8')).execute(database.db);

    expect(await migrateToLatest(database.db)).toEqual(FILES);
    expect(await viewDefinition(database.db)).toContain('FROM webauthn_users w');
    expect(await webauthnTriggers(database.db)).toEqual([
      'usergraph_count_delete_webauthn_users',
      'usergraph_count_insert_webauthn_users',
      'usergraph_count_update_webauthn_users',
      'usergraph_notify_delete_webauthn_users',
      'usergraph_notify_insert_webauthn_users',
      'usergraph_notify_update_webauthn_users',
    ]);
  });
});

/** `seed`: the first migration's view, as PostgreSQL stored it. */
const migratedFromTheFirst = withDatabase(true, async (database) => {
  await createSuperTokensTables(database.db);
  expect((await createMigrator(database.db).migrateTo('1795484898409_create_user_full_view')).error).toBeUndefined();
  const firstView = await viewDefinition(database.db);
  await migrateToLatest(database.db);
  return firstView;
});

describe('a down of the last frozen migration', () => {
  const it = migratedFromTheFirst;

  it('drops what the files made and forgets them, then runs as written: the previous view is back', async ({ database, seed: firstView }) => {
    const applied = await viewDefinition(database.db);

    const { error } = await createMigrator(database.db).migrateDown();

    expect(error).toBeUndefined();
    expect(await recorded(database.db)).toEqual({});
    expect(await viewDefinition(database.db)).toBe(firstView);
    expect(applied).not.toBe(firstView);
  });

  it('and the next up applies the files again', async ({ database }) => {
    const applied: string[] = [];
    const { error } = await createMigrator(database.db, { onSqlApplied: (files) => applied.push(...files) }).migrateUp();

    expect(error).toBeUndefined();
    expect(applied.map((file) => `sql/${file}`)).toEqual(FILES);
    expect(await recorded(database.db)).toEqual(await expectedRecords(database.db));
  });
});

const withSuperTokensTables = withDatabase(true, (database) => createSuperTokensTables(database.db));

describe('kysely-ctl (npm run migrate, npx kysely migrate:down)', () => {
  const it = withSuperTokensTables;
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const kysely = (command: string, database: TestDatabase) =>
    promisify(execFile)(path.join(root, 'node_modules/.bin/kysely'), [command, '--no-outdated-check'], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: database.url },
    });

  it('migrate:latest applies the files after the migrations, migrate:down removes them first', async ({ database }) => {
    await kysely('migrate:latest', database);
    expect(await recorded(database.db)).toEqual(await expectedRecords(database.db));

    await kysely('migrate:down', database);
    expect(await recorded(database.db)).toEqual({});
    expect(await viewDefinition(database.db)).toContain('emailpassword_users ep');
  }, 120_000); // each command transpiles kysely.config.ts and what it imports
});

/** `seed`: a folder of its own for the SQL files, removed after. */
const withFolder = withDatabase(true, async (database, onCleanup) => {
  await createSuperTokensTables(database.db);
  await signUpEmailPassword(database.db, { email: 'one@example.com' });
  const folder = await mkdtemp(path.join(os.tmpdir(), 'usergraph-sql-'));
  onCleanup(() => rm(folder, { recursive: true, force: true }));
  return folder;
});

describe('a folder of SQL files', () => {
  const it = withFolder;

  /** Writes the folder's files (name → text), replacing what was there. */
  async function writeFolder(folder: string, files: Record<string, string>): Promise<void> {
    await rm(folder, { recursive: true, force: true });
    for (const [name, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(folder, name)), { recursive: true });
      await writeFile(path.join(folder, name), text);
    }
  }

  const apply = (database: TestDatabase, folder: string) => database.db.transaction().execute((trx) => applySqlFiles(trx, folder));

  const DROP = 'DROP VIEW IF EXISTS probe_view;\nDROP FUNCTION IF EXISTS probe_answer();\n';
  const ANSWER = 'CREATE FUNCTION probe_answer() RETURNS int LANGUAGE sql IMMUTABLE RETURN 42;\n';
  const VIEW = [
    '--! optional no_such_table (id int, label text)',
    '--! optional emailpassword_users (email varchar)',
    'CREATE VIEW probe_view AS',
    'SELECT probe_answer() AS answer,',
    '  (SELECT count(*) FROM {{no_such_table}} t) AS absent_rows,',
    '  (SELECT count(*) FROM {{emailpassword_users}} e) AS present_rows;',
    '',
  ].join('\n');

  it('applies shared/ then the layout\'s folder, in name order, with each optional table read or empty', async ({ database, seed: folder }) => {
    await writeFolder(folder, { 'drop.sql': DROP, 'shared/answer.sql': ANSWER, 'multitenant/view.sql': VIEW, 'legacy/view.sql': 'not SQL' });

    expect(await apply(database, folder)).toEqual(['shared/answer.sql', 'multitenant/view.sql']);
    const { rows } = await sql`SELECT * FROM probe_view`.execute(database.db);
    expect(rows).toEqual([{ answer: 42, absent_rows: '0', present_rows: '1' }]);
    expect(await apply(database, folder)).toEqual([]);
  });

  it('a file that fails names itself and its line, and leaves what was applied before', async ({ database, seed: folder }) => {
    const before = await recorded(database.db);
    await writeFolder(folder, {
      'drop.sql': DROP,
      'shared/answer.sql': ANSWER.replace('42', '43'),
      'multitenant/view.sql': VIEW.replace('probe_answer() AS answer', 'probe_answer() AS answer, no_such_column'),
    });

    await expect(apply(database, folder)).rejects.toThrow(/^sql\/multitenant\/view\.sql:4: column "no_such_column" does not exist$/);
    const { rows } = await sql`SELECT answer FROM probe_view`.execute(database.db);
    expect(rows).toEqual([{ answer: 42 }]);
    expect(await recorded(database.db)).toEqual(before);
  });

  it('an object drop.sql forgets makes the next application fail, rather than linger', async ({ database, seed: folder }) => {
    await writeFolder(folder, { 'drop.sql': 'DROP VIEW IF EXISTS probe_view;\n', 'shared/answer.sql': ANSWER.replace('42', '44'), 'multitenant/view.sql': VIEW });

    await expect(apply(database, folder)).rejects.toThrow(/^sql\/shared\/answer\.sql: function "probe_answer" already exists/);
  });

  it.for<[string, string, RegExp]>([
    ['a table read but not declared', VIEW.replace('--! optional no_such_table (id int, label text)\n', ''), /\{\{no_such_table\}\} has no "--! optional no_such_table/],
    ['a declared table never read', `--! optional user_roles (role varchar)\n${VIEW}`, /optional user_roles is declared but never read/],
    ['a declaration it cannot read', VIEW.replace('(id int, label text)', '(id int, label varchar(8))'), /cannot read column "label varchar\(8\)"/],
    ['another marker', `--! breaking-change\n${VIEW}`, /cannot read "--! breaking-change"/],
  ])('refuses %s, naming the file', async ([, text, error], { database, seed: folder }) => {
    await writeFolder(folder, { 'drop.sql': DROP, 'shared/answer.sql': ANSWER, 'multitenant/view.sql': text });

    await expect(apply(database, folder)).rejects.toThrow(new RegExp(`^sql/multitenant/view\\.sql: ${error.source}`));
  });
});
