-- The SuperTokens (primary) ids of the users that any of these keys names: its SuperTokens id, its
-- external id, any of its recipe user ids and their external ids. Through indexed base tables, so
-- that a lookup never evaluates the whole of user_full_view (which is keyed by these ids).
--
-- Arrays go through ARRAY(SELECT unnest(…)): the planner then cannot count them and probes the
-- indexes whatever the batch size, instead of scanning a small table for a large batch.
-- BEGIN ATOMIC (an SQL-standard body): its table names are resolved when the function is created,
-- as a view's are, not with each caller's search_path; and, unlike a SET search_path clause, it
-- keeps the function inlinable, so the caller's plan (and EXPLAIN) shows these index scans.

CREATE FUNCTION usergraph_user_ids_by_key(app varchar, keys text[]) RETURNS SETOF bpchar
LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT a.primary_or_recipe_user_id FROM app_id_to_user_id a
  WHERE a.app_id = app AND a.user_id = ANY (ARRAY(
    SELECT k::bpchar FROM unnest(keys) k
    UNION ALL
    SELECT m.supertokens_user_id FROM userid_mapping m
    WHERE m.app_id = app AND m.external_user_id = ANY (ARRAY(SELECT unnest(keys)))
  ));
END;
