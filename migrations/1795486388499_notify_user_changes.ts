/**
 * Change capture: statement-level triggers on every table that feeds user_full_view send a
 * NOTIFY on channel `usergraph_changes` naming the app and the user ids a statement touched.
 *
 * Payload (JSON, under NOTIFY's 8000-byte cap): {"k":"ids","a":app,"i":[ids…],"x":notice id,"n":part,"t":ms}
 * or, for a statement touching more than 1000 users or a role's permissions, {"k":"reload","a":app,…}.
 * Ids are whatever the row holds (recipe, primary, or external user ids): the service resolves them.
 * Tables without app_id (the pre-multitenancy layout) count as app "public".
 *
 * Frozen in time: this file imports nothing from src/.
 */
import { sql, type Kysely } from 'kysely';

/** table → the columns holding user ids; null: a change there reloads the app. */
const WATCHED: Record<string, readonly string[] | null> = {
  app_id_to_user_id: ['user_id', 'primary_or_recipe_user_id'],
  all_auth_recipe_users: ['user_id', 'primary_or_recipe_user_id'],
  emailpassword_users: ['user_id'],
  emailpassword_user_to_tenant: ['user_id'],
  thirdparty_users: ['user_id'],
  thirdparty_user_to_tenant: ['user_id'],
  passwordless_users: ['user_id'],
  passwordless_user_to_tenant: ['user_id'],
  recipe_user_tenants: ['recipe_user_id'],
  user_metadata: ['user_id'],
  user_roles: ['user_id'],
  user_last_active: ['user_id'],
  userid_mapping: ['supertokens_user_id', 'external_user_id'],
  emailverification_verified_emails: ['user_id'],
  roles: null,
  role_permissions: null,
};

const EVENTS = [
  ['insert', 'INSERT', 'NEW TABLE AS new_rows'],
  ['update', 'UPDATE', 'OLD TABLE AS old_rows NEW TABLE AS new_rows'],
  ['delete', 'DELETE', 'OLD TABLE AS old_rows'],
] as const;

const triggerName = (table: string, event: string) => `usergraph_notify_${event}_${table}`.slice(0, 63);

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE FUNCTION usergraph_notify_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
      changed jsonb[];
      app text;
      app_ids text[];
      part_ids text[];
      part_bytes int;
      part int;
      id text;
      committed_ms bigint := (extract(epoch FROM clock_timestamp()) * 1000)::bigint;
      -- Names this statement's notices: the same on every path (NOTIFY, Redis), so duplicates drop.
      notice_id text := md5(random()::text || clock_timestamp()::text || txid_current()::text);
    BEGIN
      -- Transition tables exist only for the events that have them.
      IF TG_OP = 'INSERT' THEN
        SELECT array_agg(to_jsonb(r)) INTO changed FROM new_rows r;
      ELSIF TG_OP = 'UPDATE' THEN
        SELECT array_agg(j) INTO changed FROM (
          SELECT to_jsonb(r) AS j FROM new_rows r UNION ALL SELECT to_jsonb(r) FROM old_rows r
        ) both_sides;
      ELSE
        SELECT array_agg(to_jsonb(r)) INTO changed FROM old_rows r;
      END IF;
      IF changed IS NULL THEN
        RETURN NULL;
      END IF;

      FOR app IN SELECT DISTINCT coalesce(j->>'app_id', 'public') FROM unnest(changed) j LOOP
        IF TG_NARGS = 0 THEN
          PERFORM pg_notify('usergraph_changes', json_build_object(
            'k', 'reload', 'a', app, 'x', notice_id, 'n', 0, 't', committed_ms)::text);
          CONTINUE;
        END IF;
        SELECT array_agg(DISTINCT trim(j->>col)) INTO app_ids
          FROM unnest(changed) j, unnest(TG_ARGV) col
          WHERE coalesce(j->>'app_id', 'public') = app AND j->>col IS NOT NULL;
        IF app_ids IS NULL THEN
          CONTINUE;
        END IF;
        IF cardinality(app_ids) > 1000 THEN
          -- Too many to list: one reload is cheaper than thousands of lookups.
          PERFORM pg_notify('usergraph_changes', json_build_object(
            'k', 'reload', 'a', app, 'x', notice_id, 'n', 0, 't', committed_ms)::text);
          CONTINUE;
        END IF;
        -- Ids are at most 128 characters: parts of ~6000 bytes stay under NOTIFY's 8000.
        part := 0;
        part_ids := '{}';
        part_bytes := 0;
        FOREACH id IN ARRAY app_ids LOOP
          IF part_bytes + octet_length(id) + 3 > 6000 THEN
            PERFORM pg_notify('usergraph_changes', json_build_object(
              'k', 'ids', 'a', app, 'i', part_ids, 'x', notice_id, 'n', part, 't', committed_ms)::text);
            part := part + 1;
            part_ids := '{}';
            part_bytes := 0;
          END IF;
          part_ids := part_ids || id;
          part_bytes := part_bytes + octet_length(id) + 3;
        END LOOP;
        PERFORM pg_notify('usergraph_changes', json_build_object(
          'k', 'ids', 'a', app, 'i', part_ids, 'x', notice_id, 'n', part, 't', committed_ms)::text);
      END LOOP;
      RETURN NULL;
    END
    $$
  `.execute(db);

  for (const [table, columns] of Object.entries(WATCHED)) {
    if (!(await tableExists(db, table))) continue;
    const args = columns ? columns.map((column) => `'${column}'`).join(', ') : '';
    for (const [event, op, referencing] of EVENTS) {
      await sql
        .raw(
          `CREATE TRIGGER ${triggerName(table, event)} AFTER ${op} ON ${table}
           REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION usergraph_notify_change(${args})`,
        )
        .execute(db);
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of Object.keys(WATCHED)) {
    if (!(await tableExists(db, table))) continue;
    for (const [event] of EVENTS) {
      await sql.raw(`DROP TRIGGER IF EXISTS ${triggerName(table, event)} ON ${table}`).execute(db);
    }
  }
  await sql`DROP FUNCTION IF EXISTS usergraph_notify_change()`.execute(db);
}

async function tableExists(db: Kysely<any>, table: string): Promise<boolean> {
  const { rows } = await sql<{ found: boolean }>`SELECT to_regclass(${table}) IS NOT NULL AS found`.execute(db);
  return rows[0]?.found ?? false;
}
