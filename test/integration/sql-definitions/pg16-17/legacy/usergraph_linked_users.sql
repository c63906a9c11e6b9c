CREATE VIEW usergraph_linked_users AS
 SELECT 'public'::character varying(64) AS app_id,
    NULL::character(36) AS user_key
  WHERE false;
