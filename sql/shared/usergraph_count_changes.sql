-- Counting changed rows, for the drift check (src/sync/drift-check.ts and src/db/drift-probe.ts).
--
-- Statement-level triggers on every table that feeds user_full_view (the tables the notify
-- triggers of migration notify_user_changes watch) advance the sequence usergraph_changed_rows
-- once per row the statement inserted, updated or deleted. PostgreSQL's own statistics count the
-- same rows whatever the triggers do; usergraph_change_counters() reads both, so that:
--
-- - neither moved: no row changed, nothing can have drifted (the check at rest costs this query);
-- - they moved alike: every change passed the triggers, and so was announced;
-- - the statistics moved further: rows changed without the triggers (a trigger disabled,
--   session_replication_role = replica, a table created after these triggers, a statement that
--   failed after writing): only then is the whole view compared with the directory.
--
-- A sequence never waits for another transaction: counting adds no lock to SuperTokens' writes
-- (a counter row would serialise every writing transaction). SECURITY DEFINER (with the
-- search_path of its creation): SuperTokens' database user needs no privilege on the sequence.
-- Applying this file again starts the count from zero: the drift check sees the count go back,
-- and verifies the directory once. The triggers exist on the tables present when this file ran:
-- after a core upgrade adds one, its changes count as unannounced until `npm run migrate` runs.

CREATE SEQUENCE usergraph_changed_rows AS bigint NO CYCLE;

CREATE FUNCTION usergraph_counted_tables() RETURNS regclass[]
LANGUAGE sql STABLE
RETURN array_remove(ARRAY[
  to_regclass('app_id_to_user_id'),
  to_regclass('all_auth_recipe_users'),
  to_regclass('emailpassword_users'),
  to_regclass('emailpassword_user_to_tenant'),
  to_regclass('thirdparty_users'),
  to_regclass('thirdparty_user_to_tenant'),
  to_regclass('passwordless_users'),
  to_regclass('passwordless_user_to_tenant'),
  to_regclass('webauthn_users'),
  to_regclass('recipe_user_tenants'),
  to_regclass('user_metadata'),
  to_regclass('user_roles'),
  to_regclass('user_last_active'),
  to_regclass('userid_mapping'),
  to_regclass('emailverification_verified_emails'),
  to_regclass('roles'),
  to_regclass('role_permissions')
], NULL);

CREATE FUNCTION usergraph_count_changes() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  changed bigint;
BEGIN
  -- Transition tables exist only for the events that have them.
  IF TG_OP = 'DELETE' THEN
    SELECT count(*) INTO changed FROM old_rows;
  ELSE
    SELECT count(*) INTO changed FROM new_rows;
  END IF;
  PERFORM nextval('usergraph_changed_rows') FROM generate_series(1, changed);
  RETURN NULL;
END
$$;

-- Rows changed in those tables: as PostgreSQL counts them, and as the triggers counted them.
-- The statistics' own functions, the ones pg_stat_user_tables' n_tup_ins, n_tup_upd and
-- n_tup_del call: the view computes twenty more columns for every table and joins its indexes,
-- and this runs every DRIFT_CHECK_INTERVAL_MS on every instance (planned and run in 0.25 ms
-- against 0.7 ms, EXPLAIN ANALYZE on a 100,000-user database).
CREATE FUNCTION usergraph_change_counters(OUT row_changes numeric, OUT announced bigint)
LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT
    (SELECT coalesce(sum(pg_stat_get_tuples_inserted(t) + pg_stat_get_tuples_updated(t) + pg_stat_get_tuples_deleted(t)), 0)
     FROM unnest(usergraph_counted_tables()) t),
    (SELECT CASE WHEN c.is_called THEN c.last_value ELSE 0 END FROM usergraph_changed_rows c);
END;

DO $$
DECLARE
  counted regclass;
  event text;
BEGIN
  FOREACH counted IN ARRAY usergraph_counted_tables() LOOP
    FOREACH event IN ARRAY ARRAY['insert', 'update', 'delete'] LOOP
      EXECUTE format(
        'CREATE TRIGGER %I AFTER %s ON %s REFERENCING %s FOR EACH STATEMENT EXECUTE FUNCTION usergraph_count_changes()',
        left(format('usergraph_count_%s_%s', event, (SELECT relname FROM pg_class WHERE oid = counted)), 63),
        upper(event),
        counted,
        CASE event WHEN 'delete' THEN 'OLD TABLE AS old_rows' ELSE 'NEW TABLE AS new_rows' END
      );
    END LOOP;
  END LOOP;
END
$$;
