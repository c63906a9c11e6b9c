CREATE VIEW usergraph_user_metadata AS
 SELECT user_metadata.app_id,
    user_metadata.user_id AS user_key,
    user_metadata.user_metadata AS metadata
   FROM user_metadata;
