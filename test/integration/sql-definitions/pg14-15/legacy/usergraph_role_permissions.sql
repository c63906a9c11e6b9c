CREATE VIEW usergraph_role_permissions AS
 SELECT 'public'::character varying(64) AS app_id,
    rp.role,
    rp.permission
   FROM role_permissions rp
  WHERE rp.permission IS NOT NULL;
