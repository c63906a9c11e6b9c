CREATE VIEW usergraph_role_permissions AS
 SELECT role_permissions.app_id,
    role_permissions.role,
    role_permissions.permission
   FROM role_permissions
  WHERE role_permissions.permission IS NOT NULL;
