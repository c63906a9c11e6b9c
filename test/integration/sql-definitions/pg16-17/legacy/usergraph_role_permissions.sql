CREATE VIEW usergraph_role_permissions AS
 SELECT 'public'::character varying(64) AS app_id,
    role,
    permission
   FROM role_permissions rp
  WHERE permission IS NOT NULL;
