-- The SuperTokens ids of the users holding any of these emails, on the pre-multitenancy layout:
-- every user is a user of app 'public', and a recipe user is a user of its own. Through indexed
-- base tables, so that a lookup never evaluates the whole of user_full_view.
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
--! optional thirdparty_users (user_id bpchar, email varchar)
--! optional passwordless_users (user_id bpchar, email varchar)

CREATE FUNCTION usergraph_user_ids_by_email(app varchar, emails text[]) RETURNS SETOF bpchar
LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT e.user_id FROM emailpassword_users e WHERE app = 'public' AND e.email = ANY (ARRAY(SELECT unnest(emails)))
  UNION ALL
  SELECT t.user_id FROM {{thirdparty_users}} t WHERE app = 'public' AND t.email = ANY (ARRAY(SELECT unnest(emails)))
  UNION ALL
  SELECT p.user_id FROM {{passwordless_users}} p WHERE app = 'public' AND p.email = ANY (ARRAY(SELECT unnest(emails)));
END;
