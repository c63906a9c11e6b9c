CREATE VIEW usergraph_role_permissions AS
 SELECT app_id,
    role,
    permission
   FROM role_permissions
  WHERE permission IS NOT NULL;
