/**
 * What PostgreSQL stores for the objects the files in sql/ create, per layout, against the
 * committed files in test/integration/sql-definitions/: a change to a view or function shows in review as a
 * diff of what runs. PostgreSQL 16 stopped qualifying the columns of a view that reads one
 * relation, so each family of versions has a folder of its own (pg14-15, pg16-17) rather than a
 * looser comparison. After changing sql/, regenerate both: `npm run sql:definitions` (embedded
 * PostgreSQL 17) and `TEST_DATABASE_URL=<a PostgreSQL 15> npm run sql:definitions`.
 */
import { readdir } from 'node:fs/promises';
import { sql, type Kysely } from 'kysely';
import { describe, expect, it, onTestFinished } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { applySqlFiles, removeSqlFiles } from '../../src/db/repeatable-sql.ts';
import { createLegacySuperTokensTables } from '../../supertokens-standin/legacy-writes.ts';
import { createSuperTokensTables } from '../../supertokens-standin/writes.ts';
import { createTestDatabase } from '../support/postgres.ts';

const REGENERATE = 'if the change is intended, run `npm run sql:definitions` and commit the diff';

/** Databases as SuperTokens cores leave them: each shows the files as they run there. */
const LAYOUTS: Record<string, (db: Kysely<any>) => Promise<void>> = {
  // multitenant, before WebAuthn (core 7 to 10.0): empty relations for webauthn_users and recipe_user_tenants, no WebAuthn trigger
  'core-10': (db) => createSuperTokensTables(db, { core: 10 }),
  // multitenant, before recipe_user_tenants: shows the empty relation in its place
  'core-11': (db) => createSuperTokensTables(db),
  'core-12': (db) => createSuperTokensTables(db, { core: 12 }),
  // before multi-tenancy (core 3 to 5)
  legacy: (db) => createLegacySuperTokensTables(db),
};

interface Definition {
  kind: 'view' | 'function' | 'trigger';
  name: string;
  definition: string;
}

/** Every view, function and trigger in the schema, as PostgreSQL prints it back. */
async function definitions(db: Kysely<any>): Promise<Definition[]> {
  const { rows } = await sql<Definition>`
    SELECT 'view' AS kind, c.relname AS name, format(E'CREATE VIEW %I AS\n%s\n', c.relname, pg_get_viewdef(c.oid, true)) AS definition
    FROM pg_class c WHERE c.relkind = 'v' AND c.relnamespace = current_schema()::regnamespace
    UNION ALL
    SELECT 'function', p.proname, pg_get_functiondef(p.oid)
    FROM pg_proc p WHERE p.prokind = 'f' AND p.pronamespace = current_schema()::regnamespace
    UNION ALL
    SELECT 'trigger', t.tgname, pg_get_triggerdef(t.oid, true) || E'\n'
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace
    ORDER BY 1, 2
  `.execute(db);
  return rows;
}


describe.each(Object.entries(LAYOUTS))('on %s', (layout, createTables) => {
  it('PostgreSQL stores the definitions committed for it', async () => {
    const database = await createTestDatabase({ empty: true });
    onTestFinished(() => database.drop(), 60_000); // a drop waits for the database's connections to close
    const { db } = database;
    await createTables(db);
    await migrateToLatest(db);

    // The files' objects: those that drop.sql removes and applying them brings back.
    await db.transaction().execute((trx) => removeSqlFiles(trx));
    const others = new Set((await definitions(db)).map(({ kind, name }) => `${kind} ${name}`));
    await db.transaction().execute((trx) => applySqlFiles(trx));
    const ours = (await definitions(db)).filter(({ kind, name }) => !others.has(`${kind} ${name}`));

    expect(ours.map(({ name }) => name)).toContain('user_full_view');
    const { rows } = await sql<{ version: number }>`SELECT current_setting('server_version_num')::int AS version`.execute(db);
    const folder = `sql-definitions/${rows[0]!.version >= 160000 ? 'pg16-17' : 'pg14-15'}/${layout}`;
    for (const { name, definition } of ours) {
      const file = `${folder}/${name}.sql`;
      await expect(definition).toMatchFileSnapshot(`./${file}`, `PostgreSQL stores ${name} otherwise than test/${file} says: ${REGENERATE}`);
    }
    const committed = (await readdir(new URL(`./${folder}/`, import.meta.url))).sort();
    expect(committed, `test/integration/${folder}/ should hold one file per object of sql/: delete the others`).toEqual(
      ours.map(({ name }) => `${name}.sql`).sort(),
    );
  });
});
