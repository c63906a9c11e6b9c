-- The SuperTokens ids of the users that any of these keys names (its SuperTokens id or its
-- external id), on the pre-multitenancy layout: every user is a user of app 'public', and a recipe
-- user is a user of its own. Through indexed base tables, so that a lookup never evaluates the
-- whole of user_full_view (which is keyed by these ids).
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
--! optional userid_mapping (supertokens_user_id bpchar, external_user_id varchar)

CREATE FUNCTION usergraph_user_ids_by_key(app varchar, keys text[]) RETURNS SETOF bpchar
LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT k::bpchar FROM unnest(keys) k WHERE app = 'public'
  UNION ALL
  SELECT m.supertokens_user_id FROM {{userid_mapping}} m
  WHERE app = 'public' AND m.external_user_id = ANY (ARRAY(SELECT unnest(keys)));
END;
