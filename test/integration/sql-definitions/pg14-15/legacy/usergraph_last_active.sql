CREATE VIEW usergraph_last_active AS
 SELECT 'public'::character varying(64) AS app_id,
    la.user_id AS user_key,
    la.last_active_time
   FROM user_last_active la;
