/**
 * user_full_view: one row per user (email-password recipe for now), everything the directory
 * serves, never password_hash. Every app's users are in it (column app_id); the service always
 * filters by its APP_ID, so the view does not depend on configuration.
 *
 * Frozen in time: this file imports nothing from src/.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Metadata is JSON stored as TEXT; one bad row must not fail the whole view, so parse
  // defensively: anything that is not a JSON object becomes NULL (and then '{}').
  await sql`
    CREATE FUNCTION usergraph_json_object_or_null(raw text) RETURNS jsonb
    -- PARALLEL UNSAFE: the EXCEPTION block is a subtransaction, which a parallel plan refuses
    -- ("cannot start subtransactions during a parallel operation"): no parallel plan may call it.
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL UNSAFE AS $$
    DECLARE
      parsed jsonb;
    BEGIN
      parsed := raw::jsonb;
      IF jsonb_typeof(parsed) = 'object' THEN
        RETURN parsed;
      END IF;
      RETURN NULL;
    EXCEPTION
      -- invalid JSON, and JSON nested deeper than PostgreSQL's stack allows
      WHEN data_exception OR program_limit_exceeded THEN
        RETURN NULL;
    END
    $$
  `.execute(db);

  // user_roles is keyed (app_id, tenant_id, user_id, role): without an (app_id, user_id) index each
  // user's roles are found by scanning every role row of the app. PostgreSQL plugin 8.1.2+ (core 10.1) creates this very
  // index; on older cores we create it under core's name (so core's own IF NOT EXISTS skips it)
  // and mark it, so that `down` removes only an index we made.
  await sql`
    DO $$
    BEGIN
      IF to_regclass('user_roles_app_id_user_id_index') IS NULL THEN
        CREATE INDEX user_roles_app_id_user_id_index ON user_roles (app_id, user_id);
        COMMENT ON INDEX user_roles_app_id_user_id_index IS 'created by usergraph';
      END IF;
    END
    $$
  `.execute(db);

  // Roles are aggregated in a correlated subquery, so a user with many roles stays one row;
  // sorted bytewise (COLLATE "C") so the order is the same whatever the database's locale.
  // Recipe tables key users by CHAR(36), the others by VARCHAR(128): comparing them as bpchar
  // would cast the VARCHAR side and lose its index (a scan of user_roles per user), so the
  // CHAR side is cast to text instead.
  await sql`
    CREATE VIEW user_full_view AS
    SELECT
      ep.app_id,
      ep.user_id,
      ep.email,
      ep.time_joined,
      COALESCE(meta.object, '{}'::jsonb) AS metadata,
      (m.user_metadata IS NOT NULL AND meta.object IS NULL) AS metadata_invalid,
      ARRAY(
        SELECT DISTINCT r.role::text COLLATE "C"
        FROM user_roles r
        WHERE r.app_id = ep.app_id AND r.user_id = ep.user_id::text AND r.role IS NOT NULL
        ORDER BY 1
      ) AS roles,
      la.last_active_time
    FROM emailpassword_users ep
    LEFT JOIN user_metadata m ON m.app_id = ep.app_id AND m.user_id = ep.user_id::text
    LEFT JOIN LATERAL (SELECT usergraph_json_object_or_null(m.user_metadata) AS object) meta ON true
    LEFT JOIN user_last_active la ON la.app_id = ep.app_id AND la.user_id = ep.user_id::text
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP VIEW IF EXISTS user_full_view`.execute(db);
  await sql`
    DO $$
    BEGIN
      IF obj_description(to_regclass('user_roles_app_id_user_id_index'), 'pg_class') = 'created by usergraph' THEN
        DROP INDEX user_roles_app_id_user_id_index;
      END IF;
    END
    $$
  `.execute(db);
  await sql`DROP FUNCTION IF EXISTS usergraph_json_object_or_null(text)`.execute(db);
}
