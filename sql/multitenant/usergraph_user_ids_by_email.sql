-- The SuperTokens (primary) ids of the users holding any of these emails through any of their
-- login methods. Through indexed base tables, so that a lookup never evaluates the whole of
-- user_full_view (which is keyed by these ids).
--
-- Arrays go through ARRAY(SELECT unnest(…)): the planner then cannot count them and probes the
-- indexes whatever the batch size, instead of scanning a small table for a large batch.
-- BEGIN ATOMIC (an SQL-standard body): its table names are resolved when the function is created,
-- as a view's are, not with each caller's search_path; and, unlike a SET search_path clause, it
-- keeps the function inlinable, so the caller's plan (and EXPLAIN) shows these index scans.
--
-- A table marked optional is written between double braces below: usergraph's migrator puts the
-- table's name there or, when this database lacks it, an empty relation with these columns
-- (src/db/repeatable-sql.ts).
--
-- WebAuthn users are found as core finds them, through the copies of their email that core
-- indexes: webauthn_user_to_tenant (every migration_mode but MIGRATED) and, on core 12,
-- recipe_user_account_infos (every mode but LEGACY; indexed from plugin 9.6.2). webauthn_users,
-- whose email the view shows, has no index on it. A passkey user removed from every tenant is
-- therefore not found here before core 12; the directory, loaded from the view, still has it.
--! optional thirdparty_users (app_id varchar, user_id bpchar, email varchar)
--! optional passwordless_users (app_id varchar, user_id bpchar, email varchar)
--! optional webauthn_user_to_tenant (app_id varchar, user_id bpchar, email varchar)
--! optional recipe_user_account_infos (app_id varchar, recipe_user_id bpchar, recipe_id varchar, account_info_type varchar, account_info_value text)

CREATE FUNCTION usergraph_user_ids_by_email(app varchar, emails text[]) RETURNS SETOF bpchar
LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT a.primary_or_recipe_user_id FROM app_id_to_user_id a
  WHERE a.app_id = app AND a.user_id = ANY (ARRAY(
    SELECT e.user_id FROM emailpassword_users e
    WHERE e.app_id = app AND e.email = ANY (ARRAY(SELECT unnest(emails)))
    UNION ALL
    SELECT t.user_id FROM {{thirdparty_users}} t
    WHERE t.app_id = app AND t.email = ANY (ARRAY(SELECT unnest(emails)))
    UNION ALL
    SELECT p.user_id FROM {{passwordless_users}} p
    WHERE p.app_id = app AND p.email = ANY (ARRAY(SELECT unnest(emails)))
    UNION ALL
    SELECT w.user_id FROM {{webauthn_user_to_tenant}} w
    WHERE w.app_id = app AND w.email = ANY (ARRAY(SELECT unnest(emails)))
    UNION ALL
    SELECT i.recipe_user_id FROM {{recipe_user_account_infos}} i
    WHERE i.app_id = app AND i.account_info_type = 'email' AND i.recipe_id = 'webauthn'
      AND i.account_info_value = ANY (ARRAY(SELECT unnest(emails::text[])))
  ));
END;
