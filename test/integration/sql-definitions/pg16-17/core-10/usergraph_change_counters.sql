CREATE OR REPLACE FUNCTION public.usergraph_change_counters(OUT row_changes numeric, OUT announced bigint)
 RETURNS record
 LANGUAGE sql
 STABLE
BEGIN ATOMIC
 SELECT ( SELECT COALESCE(sum(((pg_stat_get_tuples_inserted((t.t)::oid) + pg_stat_get_tuples_updated((t.t)::oid)) + pg_stat_get_tuples_deleted((t.t)::oid))), (0)::numeric) AS "coalesce"
            FROM unnest(usergraph_counted_tables()) t(t)) AS "coalesce",
     ( SELECT
                 CASE
                     WHEN c.is_called THEN c.last_value
                     ELSE (0)::bigint
                 END AS "case"
            FROM usergraph_changed_rows c) AS "case";
END
