-- Change capture for webauthn_users (core 10.1 and later), which came after the migration that
-- watches the other tables (1795486388499_notify_user_changes): the same three statement-level
-- triggers, calling its usergraph_notify_change() with the column that holds the user id.
--
-- Only webauthn_users: it is the WebAuthn table the view reads. Core changes
-- webauthn_user_to_tenant only together with all_auth_recipe_users (watched) or webauthn_users,
-- and usergraph reads neither credentials nor options.
--
-- A core without WebAuthn gets no trigger. The files of a layout are applied together, whenever
-- any of them reads differently; user_full_view.sql reads webauthn_users as an optional table, so a core upgrade
-- that adds the table applies this file again at the next migrate (or start), and the triggers appear.

DO $$
BEGIN
  IF to_regclass('webauthn_users') IS NOT NULL THEN
    CREATE TRIGGER usergraph_notify_insert_webauthn_users AFTER INSERT ON webauthn_users
      REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION usergraph_notify_change('user_id');
    CREATE TRIGGER usergraph_notify_update_webauthn_users AFTER UPDATE ON webauthn_users
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION usergraph_notify_change('user_id');
    CREATE TRIGGER usergraph_notify_delete_webauthn_users AFTER DELETE ON webauthn_users
      REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION usergraph_notify_change('user_id');
  END IF;
END
$$;
