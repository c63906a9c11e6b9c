CREATE VIEW usergraph_last_active AS
 SELECT user_last_active.app_id,
    user_last_active.user_id AS user_key,
    user_last_active.last_active_time
   FROM user_last_active;
