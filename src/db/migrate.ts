/**
 * Brings the schema up to date, the same way wherever it runs (`migrateToLatest` at startup and in
 * tests, `npm run migrate` and every other kysely-ctl command through kysely.config.ts): the frozen
 * migrations in `migrations/`, then the SQL files in `sql/` (src/db/repeatable-sql.ts).
 *
 * The files own the objects they create once every migration has run, and only then: a migration,
 * up or down, runs on the schema the migrations before it left. So, inside the migrations'
 * transaction, the files' objects are dropped before any migration runs and applied again right
 * after the last one's `up`. A `down` of the last migration therefore leaves the previous view,
 * exactly as that migration's own `down` restores it, and the next `up` applies the files again.
 * When no migration is pending, the files are applied (in a transaction of their own) if they
 * changed.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Migrator, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import { applySqlFiles, detectLayout, removeSqlFiles } from './repeatable-sql.ts';

export const migrationFolder = fileURLToPath(new URL('../../migrations', import.meta.url));

/** Told the names of the SQL files each time they are applied. */
type OnSqlApplied = (files: string[]) => void;

/**
 * Kysely's FileMigrationProvider imports from inside node_modules, where no TypeScript loader
 * (tsx, vitest) reaches; importing here keeps `.ts` migrations loadable wherever we run.
 */
function migrationProvider(onSqlApplied: OnSqlApplied): MigrationProvider {
  return {
    async getMigrations() {
      // `.ts` from the sources, `.js` once compiled to dist/ (never both in one folder).
      const files = (await readdir(migrationFolder)).filter((file) => /^\d+_\w+\.[jt]s$/.test(file)).sort();
      const migrations: Record<string, Migration> = {};
      for (const [index, file] of files.entries()) {
        const module = (await import(pathToFileURL(path.join(migrationFolder, file)).href)) as Migration;
        const name = file.replace(/\.[jt]s$/, '');
        const migration = MULTITENANT_ONLY.has(name) ? skippedOnLegacyLayout(module) : { up: module.up, down: module.down };
        migrations[name] = underSqlFiles(migration, index === files.length - 1, onSqlApplied);
      }
      return migrations;
    },
  };
}

/** Runs with the SQL files' objects removed; after the last migration's `up`, applies the files. */
function underSqlFiles(migration: Migration, last: boolean, onSqlApplied: OnSqlApplied): Migration {
  return {
    up: async (db) => {
      await removeSqlFiles(db);
      await migration.up(db);
      if (last) onSqlApplied(await applySqlFiles(db));
    },
    down: async (db) => {
      await removeSqlFiles(db);
      await migration.down?.(db);
    },
  };
}

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
      if ((await detectLayout(db)) !== 'legacy') await migration.up(db);
    },
    down: async (db) => {
      if ((await detectLayout(db)) !== 'legacy') await migration.down?.(db);
    },
  };
}

/** Kysely's migrator, then the SQL files when no migration is pending (they may have changed). */
class SchemaMigrator extends Migrator {
  readonly #db: Kysely<any>;
  readonly #onSqlApplied: OnSqlApplied;

  constructor(db: Kysely<any>, onSqlApplied: OnSqlApplied) {
    super({ db, provider: migrationProvider(onSqlApplied) });
    this.#db = db;
    this.#onSqlApplied = onSqlApplied;
  }

  override async migrateToLatest(): Promise<MigrationResultSet> {
    return this.#thenSqlFiles(await super.migrateToLatest());
  }

  override async migrateUp(): Promise<MigrationResultSet> {
    return this.#thenSqlFiles(await super.migrateUp());
  }

  override async migrateTo(target: Parameters<Migrator['migrateTo']>[0]): Promise<MigrationResultSet> {
    return this.#thenSqlFiles(await super.migrateTo(target));
  }

  override async migrateDown(): Promise<MigrationResultSet> {
    return this.#thenSqlFiles(await super.migrateDown());
  }

  async #thenSqlFiles(resultSet: MigrationResultSet): Promise<MigrationResultSet> {
    if (resultSet.error !== undefined) return resultSet;
    try {
      if ((await this.getMigrations()).some((migration) => migration.executedAt === undefined)) return resultSet;
      this.#onSqlApplied(await this.#db.transaction().execute((trx) => applySqlFiles(trx)));
      return resultSet;
    } catch (error) {
      return { ...resultSet, error };
    }
  }
}

export function createMigrator(db: Kysely<any>, { onSqlApplied = () => {} }: { onSqlApplied?: OnSqlApplied } = {}): Migrator {
  return new SchemaMigrator(db, onSqlApplied);
}

/** Throws with the failing migration's (or SQL file's) name and error; returns the names applied. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const sqlFiles: string[] = [];
  const applied = unwrap(await createMigrator(db, { onSqlApplied: (files) => sqlFiles.push(...files) }).migrateToLatest());
  return [...applied, ...sqlFiles.map((file) => `sql/${file}`)];
}

function unwrap({ error, results = [] }: MigrationResultSet): string[] {
  const failed = results.find((result) => result.status === 'Error');
  if (error) {
    const cause = error instanceof Error ? error : new Error(String(error));
    // An SQL file's error names the file; no migration failed then.
    throw new Error(`${failed ? `migration ${failed.migrationName}` : 'the schema update'} failed: ${cause.message}`, { cause });
  }
  return results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
