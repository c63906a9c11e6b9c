CREATE VIEW usergraph_user_metadata AS
 SELECT app_id,
    user_id AS user_key,
    user_metadata AS metadata
   FROM user_metadata;
