CREATE VIEW usergraph_last_active AS
 SELECT app_id,
    user_id AS user_key,
    last_active_time
   FROM user_last_active;
