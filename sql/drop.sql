-- Everything the files in sql/ create, on any layout, dropped (dependents first). usergraph's
-- migrator (src/db/repeatable-sql.ts) runs this before it applies the files again, so that each
-- file can simply CREATE, and before any migration in migrations/ runs up or down, so that those
-- find the schema as the migrations before them left it.
--
-- Keep a line here after its object leaves sql/: databases that have the object then lose it.
-- No CASCADE: an object of someone else's that depends on ours stops the migration with an error
-- rather than vanishing.

-- A table that does not exist only makes a notice here.
DROP TRIGGER IF EXISTS usergraph_notify_insert_webauthn_users ON webauthn_users;
DROP TRIGGER IF EXISTS usergraph_notify_update_webauthn_users ON webauthn_users;
DROP TRIGGER IF EXISTS usergraph_notify_delete_webauthn_users ON webauthn_users;
DROP FUNCTION IF EXISTS usergraph_user_ids_by_email(varchar, text[]);
DROP FUNCTION IF EXISTS usergraph_user_ids_by_key(varchar, text[]);
DROP VIEW IF EXISTS user_full_view;
DROP VIEW IF EXISTS usergraph_login_method_tenants;
DROP VIEW IF EXISTS usergraph_login_methods;
DROP VIEW IF EXISTS usergraph_linked_users;
DROP VIEW IF EXISTS usergraph_verified_emails;
DROP VIEW IF EXISTS usergraph_user_metadata;
DROP VIEW IF EXISTS usergraph_user_roles;
DROP VIEW IF EXISTS usergraph_role_permissions;
DROP VIEW IF EXISTS usergraph_last_active;

-- The counting triggers (sql/shared/usergraph_count_changes.sql), on whichever tables have them.
DO $$
DECLARE
  found record;
BEGIN
  FOR found IN
    SELECT t.tgname, t.tgrelid::regclass AS rel FROM pg_trigger t
    WHERE NOT t.tgisinternal AND t.tgname LIKE 'usergraph\_count\_%' AND pg_table_is_visible(t.tgrelid)
  LOOP
    EXECUTE format('DROP TRIGGER %I ON %s', found.tgname, found.rel);
  END LOOP;
END
$$;
DROP FUNCTION IF EXISTS usergraph_change_counters();
DROP FUNCTION IF EXISTS usergraph_count_changes();
DROP FUNCTION IF EXISTS usergraph_counted_tables();
DROP SEQUENCE IF EXISTS usergraph_changed_rows;
