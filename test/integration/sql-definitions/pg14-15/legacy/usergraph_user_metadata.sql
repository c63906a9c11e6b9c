CREATE VIEW usergraph_user_metadata AS
 SELECT 'public'::character varying(64) AS app_id,
    md.user_id AS user_key,
    md.user_metadata AS metadata
   FROM user_metadata md;
