/**
 * What `usergraph check` asks the database: which SuperTokens layout it holds, the app and its
 * users, our migrations and SQL files, the change triggers, whether LISTEN works on a connection,
 * and the privileges the service needs. Facts only; check.ts puts them in words.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { createMigrator } from './migrate.ts';
import { sqlFilesPending } from './repeatable-sql.ts';

/** SuperTokens' layouts, told apart by their tables (see README's "Supported layouts"). */
export type SuperTokensLayout =
  | { readonly kind: 'none' }
  /** Core 3 to 5: no app_id. */
  | { readonly kind: 'legacy' }
  /** Core 6: apps and tenants, no account linking. Not supported. */
  | { readonly kind: 'multitenant-unlinked' }
  /** Core 7 to 11, or 12 and later (recipe_user_tenants). */
  | { readonly kind: 'multitenant'; readonly migrationMode: boolean };

export async function superTokensLayout(db: Kysely<any>): Promise<SuperTokensLayout> {
  const { rows } = await sql<{ emailpassword: boolean; app_id: boolean; linking: boolean; recipe_user_tenants: boolean }>`
    SELECT to_regclass('emailpassword_users') IS NOT NULL AS emailpassword,
           ${columnExists('emailpassword_users', 'app_id')} AS app_id,
           ${columnExists('app_id_to_user_id', 'primary_or_recipe_user_id')} AS linking,
           to_regclass('recipe_user_tenants') IS NOT NULL AS recipe_user_tenants
  `.execute(db);
  const found = rows[0]!;
  if (!found.emailpassword) return { kind: 'none' };
  if (!found.app_id) return { kind: 'legacy' };
  if (!found.linking) return { kind: 'multitenant-unlinked' };
  return { kind: 'multitenant', migrationMode: found.recipe_user_tenants };
}

function columnExists(table: string, column: string) {
  return sql<boolean>`EXISTS (
    SELECT 1 FROM pg_attribute
    WHERE attrelid = to_regclass(${table}) AND attname = ${column} AND attnum > 0 AND NOT attisdropped
  )`;
}

/** Whether the app exists (legacy databases have one app, `public`, and no apps table). */
export async function appExists(db: Kysely<any>, appId: string): Promise<boolean> {
  const { rows } = await sql<{ apps: boolean }>`SELECT to_regclass('apps') IS NOT NULL AS apps`.execute(db);
  if (!rows[0]!.apps) return appId === 'public';
  const { rows: found } = await sql<{ found: boolean }>`SELECT EXISTS (SELECT 1 FROM apps WHERE app_id = ${appId}) AS found`.execute(db);
  return found[0]!.found;
}

/** The users the view serves for the app; undefined when the view does not exist yet. */
export async function userCount(db: Kysely<any>, appId: string): Promise<number | undefined> {
  const { rows } = await sql<{ view: boolean }>`SELECT to_regclass('user_full_view') IS NOT NULL AS view`.execute(db);
  if (!rows[0]!.view) return undefined;
  const { rows: counted } = await sql<{ count: string }>`SELECT count(*) AS count FROM user_full_view WHERE app_id = ${appId}`.execute(db);
  return Number(counted[0]!.count);
}

export interface SchemaState {
  readonly applied: readonly string[];
  readonly pending: readonly string[];
  /** The SQL files that would run at the next migrate (empty when they are as applied). */
  readonly sqlFilesPending: readonly string[];
}

export async function schemaState(db: Kysely<any>): Promise<SchemaState> {
  const migrations = await createMigrator(db).getMigrations();
  const pending = migrations.filter((migration) => migration.executedAt === undefined).map((migration) => migration.name);
  return {
    applied: migrations.filter((migration) => migration.executedAt !== undefined).map((migration) => migration.name),
    pending,
    // Before the migrations have run, every file is pending: that is said once, by `pending`.
    sqlFilesPending: pending.length > 0 ? [] : await sqlFilesPending(db),
  };
}

/**
 * The tables whose changes must be notified, as the change-capture migration watches them
 * (1795486388499_notify_user_changes.ts; migrations import nothing, so the list is repeated here).
 */
const WATCHED_TABLES = [
  'app_id_to_user_id',
  'all_auth_recipe_users',
  'emailpassword_users',
  'emailpassword_user_to_tenant',
  'thirdparty_users',
  'thirdparty_user_to_tenant',
  'passwordless_users',
  'passwordless_user_to_tenant',
  'recipe_user_tenants',
  'user_metadata',
  'user_roles',
  'user_last_active',
  'userid_mapping',
  'emailverification_verified_emails',
  'roles',
  'role_permissions',
];
const TRIGGER_EVENTS = ['insert', 'update', 'delete'];

export interface TriggerState {
  /** Watched tables present in this database. */
  readonly watched: readonly string[];
  /** Of those, the ones missing a trigger for one of the three events, with the events missing. */
  readonly missing: ReadonlyArray<{ readonly table: string; readonly events: readonly string[] }>;
}

export async function triggerState(db: Kysely<any>): Promise<TriggerState> {
  const { rows } = await sql<{ table: string; triggers: string[] }>`
    SELECT t AS table,
           coalesce((SELECT array_agg(tgname::text) FROM pg_trigger WHERE tgrelid = to_regclass(t) AND NOT tgisinternal), '{}') AS triggers
    FROM unnest(${WATCHED_TABLES}::text[]) t
    WHERE to_regclass(t) IS NOT NULL
  `.execute(db);
  const missing = rows.flatMap(({ table, triggers }) => {
    const events = TRIGGER_EVENTS.filter((event) => !triggers.includes(`usergraph_notify_${event}_${table}`.slice(0, 63)));
    return events.length > 0 ? [{ table, events }] : [];
  });
  return { watched: rows.map((row) => row.table), missing };
}

export interface Privileges {
  /** What the service cannot do as this role, in words ("SELECT on user_full_view"). */
  readonly missing: readonly string[];
}

/** What the service needs: read the view, run the lookup functions, and (to migrate) create in the schema. */
export async function privileges(db: Kysely<any>, { migrates }: { migrates: boolean }): Promise<Privileges> {
  const needed: Array<{ what: string; check: ReturnType<typeof sql<boolean>> }> = [
    { what: 'SELECT on user_full_view', check: sql<boolean>`to_regclass('user_full_view') IS NULL OR has_table_privilege('user_full_view', 'SELECT')` },
    {
      what: 'EXECUTE on usergraph_user_ids_by_key',
      check: sql<boolean>`to_regprocedure('usergraph_user_ids_by_key(varchar, text[])') IS NULL OR has_function_privilege('usergraph_user_ids_by_key(varchar, text[])', 'EXECUTE')`,
    },
    {
      what: 'EXECUTE on usergraph_user_ids_by_email',
      check: sql<boolean>`to_regprocedure('usergraph_user_ids_by_email(varchar, text[])') IS NULL OR has_function_privilege('usergraph_user_ids_by_email(varchar, text[])', 'EXECUTE')`,
    },
  ];
  if (migrates) needed.push({ what: 'CREATE on the current schema (to migrate)', check: sql<boolean>`has_schema_privilege(current_schema(), 'CREATE')` });
  const missing: string[] = [];
  for (const { what, check } of needed) {
    const { rows } = await sql<{ granted: boolean }>`SELECT ${check} AS granted`.execute(db);
    if (!rows[0]!.granted) missing.push(what);
  }
  return { missing };
}

export async function isHotStandby(db: Kysely<any>): Promise<boolean> {
  const { rows } = await sql<{ standby: boolean }>`SELECT pg_is_in_recovery() AS standby`.execute(db);
  return rows[0]!.standby;
}

/**
 * LISTENs on a connection of its own to `listenUrl` and NOTIFYs through `db`: true when the notice
 * arrives within `timeoutMs`. It does not through a transaction-pooling PgBouncer, nor on a standby.
 */
export async function listenWorks(listenUrl: string, db: Kysely<any>, timeoutMs = 3_000): Promise<boolean> {
  const channel = `usergraph_check_${randomUUID().replaceAll('-', '')}`;
  const client = new pg.Client({ connectionString: listenUrl, application_name: 'usergraph-check' });
  client.on('error', () => {}); // a broken connection shows as no notice
  await client.connect();
  try {
    const arrived = new Promise<boolean>((resolve) => {
      client.on('notification', (message) => message.channel === channel && resolve(true));
      setTimeout(() => resolve(false), timeoutMs).unref();
    });
    await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    await sql`SELECT pg_notify(${channel}, 'check')`.execute(db);
    return await arrived;
  } finally {
    await client.end().catch(() => {});
  }
}
