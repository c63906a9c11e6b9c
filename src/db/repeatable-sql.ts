/**
 * The repeatable part of our schema (Flyway's "repeatable migrations"): the views and functions in
 * `sql/`, kept as SQL a reviewer reads as SQL, applied on top of the frozen migrations in
 * `migrations/` and applied again whenever what would run differs from what ran.
 *
 * - `sql/shared/*.sql` (when there are any), then `sql/<layout>/*.sql` for this database's layout,
 *   each folder in file-name order: a file may use what an earlier one creates.
 * - `sql/drop.sql` drops everything those files create. It runs before they are applied again, so
 *   a file simply CREATEs; a file whose object still exists fails (drop.sql is then incomplete).
 * - A table that some cores lack is declared in the file's header, `--! optional <table> (<column>
 *   <type>, …)`, and written `{{table}}` where it is read: its name when this database has it, else
 *   an empty relation with those columns.
 * - What ran is recorded in `usergraph_applied_sql` (file, checksum of the text as it ran). The
 *   text is what counts, so a changed file, a table that appeared after a SuperTokens upgrade, or
 *   a layout change each apply the files again; everything happens in the caller's transaction.
 *
 * Only objects that can be dropped and created again without losing data belong in `sql/`
 * (views, functions, trigger functions); tables and indexes are frozen migrations.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';

export const sqlFolder = fileURLToPath(new URL('../../sql', import.meta.url));

export type Layout = 'multitenant' | 'legacy';

/** A file as it runs on this database: its name under the folder, its text with the optional tables resolved. */
export interface SqlFile {
  readonly name: string;
  readonly text: string;
  readonly checksum: string;
}

const DROP_FILE = 'drop.sql';
const RECORD_TABLE = 'usergraph_applied_sql';
/** Serialises appliers (several instances starting at once); held until the transaction ends. */
const LOCK_KEY = 7_231_905_344_101;

/** SuperTokens core 5 and older: emailpassword_users exists and has no app_id column. */
export async function detectLayout(db: Kysely<any>): Promise<Layout> {
  const { rows } = await sql<{ legacy: boolean }>`
    SELECT to_regclass('emailpassword_users') IS NOT NULL AND NOT EXISTS (
      SELECT 1 FROM pg_attribute
      WHERE attrelid = to_regclass('emailpassword_users') AND attname = 'app_id' AND attnum > 0 AND NOT attisdropped
    ) AS legacy
  `.execute(db);
  return rows[0]?.legacy ? 'legacy' : 'multitenant';
}

/** drop.sql, then the files for this database's layout, as they would run here. */
export async function sqlFilesFor(db: Kysely<any>, folder = sqlFolder): Promise<SqlFile[]> {
  const layout = await detectLayout(db);
  const names = [DROP_FILE, ...(await sqlFileNames(folder, 'shared')), ...(await sqlFileNames(folder, layout))];
  const files: SqlFile[] = [];
  for (const name of names) {
    const text = await resolveOptionalTables(db, name, await readFile(path.join(folder, name), 'utf8'));
    files.push({ name, text, checksum: createHash('sha256').update(text).digest('hex') });
  }
  return files;
}

async function sqlFileNames(folder: string, subfolder: string): Promise<string[]> {
  const entries = await readdir(path.join(folder, subfolder)).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return entries
    .filter((entry) => entry.endsWith('.sql'))
    .sort()
    .map((entry) => `${subfolder}/${entry}`);
}

const DECLARATION = /^--!\s*(.*)$/gm;
const OPTIONAL = /^optional ([a-z_][a-z0-9_]*) \((.+)\)\s*$/;
const COLUMN = /^([a-z_][a-z0-9_]*) ([a-z][a-z0-9_]*)$/;
const PLACEHOLDER = /\{\{([^}]*)\}\}/g;

/** Puts each `{{table}}` its table's name, or (absent) the empty relation its `--! optional` line declares. */
async function resolveOptionalTables(db: Kysely<any>, file: string, text: string): Promise<string> {
  const empty = new Map<string, string>();
  for (const [, declaration] of text.matchAll(DECLARATION)) {
    const [, table, columns] = OPTIONAL.exec(declaration!.trim()) ?? [];
    if (!table || !columns) throw new Error(`sql/${file}: cannot read "--! ${declaration}" (expected "--! optional <table> (<column> <type>, …)")`);
    const nulls = columns.split(',').map((column) => {
      const [, name, type] = COLUMN.exec(column.trim()) ?? [];
      if (!name || !type) throw new Error(`sql/${file}: cannot read column "${column.trim()}" of optional ${table} (expected "<column> <type>")`);
      return `NULL::${type} AS ${name}`;
    });
    empty.set(table, `(SELECT ${nulls.join(', ')} WHERE false)`);
  }
  const used = new Set([...text.matchAll(PLACEHOLDER)].map(([, table]) => table!));
  for (const table of used) {
    if (!empty.has(table)) throw new Error(`sql/${file}: {{${table}}} has no "--! optional ${table} (…)" line`);
  }
  for (const table of empty.keys()) {
    if (!used.has(table)) throw new Error(`sql/${file}: optional ${table} is declared but never read as {{${table}}}`);
  }
  const present = await existingTables(db, [...empty.keys()]);
  return text.replace(PLACEHOLDER, (_, table: string) => (present.has(table) ? table : empty.get(table)!));
}

async function existingTables(db: Kysely<any>, tables: readonly string[]): Promise<Set<string>> {
  if (tables.length === 0) return new Set();
  const { rows } = await sql<{ table: string }>`
    SELECT t AS table FROM unnest(${tables}::text[]) t WHERE to_regclass(t) IS NOT NULL
  `.execute(db);
  return new Set(rows.map((row) => row.table));
}

/**
 * Applies the files unless exactly these texts are recorded as applied; returns the names of the
 * files applied (none when nothing changed). Run it in a transaction: a file that fails leaves
 * the previous objects in place.
 */
export async function applySqlFiles(db: Kysely<any>, folder = sqlFolder): Promise<string[]> {
  await sql`SELECT pg_advisory_xact_lock(${sql.lit(LOCK_KEY)})`.execute(db);
  const files = await sqlFilesFor(db, folder);
  const recorded = await recordedChecksums(db);
  if (recorded.size === files.length && files.every((file) => recorded.get(file.name) === file.checksum)) return [];

  await requireSqlStandardBodies(db);
  for (const file of files) await run(db, file);
  await sql`CREATE TABLE IF NOT EXISTS ${sql.table(RECORD_TABLE)} (
    file text PRIMARY KEY,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);
  await sql`DELETE FROM ${sql.table(RECORD_TABLE)}`.execute(db);
  await db
    .insertInto(RECORD_TABLE)
    .values(files.map(({ name, checksum }) => ({ file: name, checksum })))
    .execute();
  return files.filter((file) => file.name !== DROP_FILE).map((file) => file.name);
}

/**
 * When the files are recorded as applied: drops what they created (drop.sql) and forgets them, so
 * that the schema is the one the frozen migrations left. Returns whether there was anything to remove.
 */
export async function removeSqlFiles(db: Kysely<any>, folder = sqlFolder): Promise<boolean> {
  await sql`SELECT pg_advisory_xact_lock(${sql.lit(LOCK_KEY)})`.execute(db);
  if ((await recordedChecksums(db)).size === 0) return false;
  const drop = (await sqlFilesFor(db, folder)).find((file) => file.name === DROP_FILE)!;
  await run(db, drop);
  await sql`DELETE FROM ${sql.table(RECORD_TABLE)}`.execute(db);
  return true;
}

/** The files that would run were the schema updated now (none when what ran is what would run). */
export async function sqlFilesPending(db: Kysely<any>, folder = sqlFolder): Promise<string[]> {
  const files = await sqlFilesFor(db, folder);
  const recorded = await recordedChecksums(db);
  const changed = files.filter((file) => recorded.get(file.name) !== file.checksum).map((file) => file.name);
  const gone = [...recorded.keys()].filter((name) => !files.some((file) => file.name === name));
  return [...changed, ...gone];
}

/** file → checksum of what ran; empty when nothing did (or before the table exists). */
async function recordedChecksums(db: Kysely<any>): Promise<Map<string, string>> {
  const { rows: found } = await sql<{ exists: boolean }>`SELECT to_regclass(${RECORD_TABLE}) IS NOT NULL AS exists`.execute(db);
  if (!found[0]?.exists) return new Map();
  const { rows } = await sql<{ file: string; checksum: string }>`SELECT file, checksum FROM ${sql.table(RECORD_TABLE)}`.execute(db);
  return new Map(rows.map((row) => [row.file, row.checksum]));
}

/** The lookup functions have SQL-standard bodies (BEGIN ATOMIC), which PostgreSQL 14 introduced. */
async function requireSqlStandardBodies(db: Kysely<any>): Promise<void> {
  const { rows } = await sql<{ version: number }>`SELECT current_setting('server_version_num')::int AS version`.execute(db);
  if ((rows[0]?.version ?? 0) < 140000) throw new Error('usergraph needs PostgreSQL 14 or later (its SQL functions have SQL-standard bodies)');
}

/** One file, as one multi-statement query; its failure names the file and the line. */
async function run(db: Kysely<any>, file: SqlFile): Promise<void> {
  try {
    await sql.raw(file.text).execute(db);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // PostgreSQL's error position counts characters of the text sent; the placeholders put in
    // no line breaks, so its line is the file's.
    const position = Number((error as { position?: string }).position);
    const line = position > 0 ? `:${file.text.slice(0, position - 1).split('\n').length}` : '';
    throw new Error(`sql/${file.name}${line}: ${message}`, { cause: error });
  }
}
