CREATE OR REPLACE FUNCTION public.usergraph_change_counters(OUT row_changes numeric, OUT announced bigint)
 RETURNS record
 LANGUAGE sql
 STABLE
BEGIN ATOMIC
 SELECT ( SELECT COALESCE(sum(((s.n_tup_ins + s.n_tup_upd) + s.n_tup_del)), (0)::numeric) AS "coalesce"
            FROM pg_stat_user_tables s
           WHERE (s.relid = ANY ((usergraph_counted_tables())::oid[]))) AS "coalesce",
     ( SELECT
                 CASE
                     WHEN c.is_called THEN c.last_value
                     ELSE (0)::bigint
                 END AS "case"
            FROM usergraph_changed_rows c) AS "case";
END
