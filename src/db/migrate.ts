/** Applies the migrations in `migrations/` (the same ones `npm run migrate` applies). */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';

export const migrationFolder = fileURLToPath(new URL('../../migrations', import.meta.url));

/**
 * Kysely's FileMigrationProvider imports from inside node_modules, where no TypeScript loader
 * (tsx, vitest) reaches; importing here keeps `.ts` migrations loadable wherever we run.
 */
const migrationProvider: MigrationProvider = {
  async getMigrations() {
    const files = (await readdir(migrationFolder)).filter((file) => /^\d+_\w+\.ts$/.test(file)).sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      const module = (await import(pathToFileURL(path.join(migrationFolder, file)).href)) as Migration;
      const name = file.replace(/\.ts$/, '');
      migrations[name] = MULTITENANT_ONLY.has(name) ? skippedOnLegacyLayout(module) : { up: module.up, down: module.down };
    }
    return migrations;
  },
};

/**
 * Migrations written before usergraph knew SuperTokens' pre-multitenancy layout: they index and
 * select app_id columns that such a database does not have, so they could never have run on one.
 * There they do nothing (and are recorded as done); the migrations after them build the view for
 * either layout. On every other database they run as written: the files stay frozen.
 */
const MULTITENANT_ONLY = new Set(['1795484898409_create_user_full_view']);

function skippedOnLegacyLayout(migration: Migration): Migration {
  return {
    up: async (db) => {
      if (!(await isLegacyLayout(db))) await migration.up(db);
    },
    down: async (db) => {
      if (!(await isLegacyLayout(db))) await migration.down?.(db);
    },
  };
}

/** SuperTokens core 5 and older: emailpassword_users exists and has no app_id column. */
async function isLegacyLayout(db: Kysely<any>): Promise<boolean> {
  const { rows } = await sql<{ legacy: boolean }>`
    SELECT to_regclass('emailpassword_users') IS NOT NULL AND NOT EXISTS (
      SELECT 1 FROM pg_attribute
      WHERE attrelid = to_regclass('emailpassword_users') AND attname = 'app_id' AND attnum > 0 AND NOT attisdropped
    ) AS legacy
  `.execute(db);
  return rows[0]?.legacy ?? false;
}

export function createMigrator(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider: migrationProvider });
}

/** Throws with the failing migration's name and error; returns the names applied. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  return unwrap(await createMigrator(db).migrateToLatest());
}

function unwrap({ error, results = [] }: MigrationResultSet): string[] {
  const failed = results.find((result) => result.status === 'Error');
  if (error) {
    const cause = error instanceof Error ? error : new Error(String(error));
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${cause.message}`, { cause });
  }
  return results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
