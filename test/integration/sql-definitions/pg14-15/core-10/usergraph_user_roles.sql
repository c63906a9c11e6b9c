CREATE VIEW usergraph_user_roles AS
 SELECT user_roles.app_id,
    user_roles.user_id AS user_key,
    user_roles.tenant_id,
    user_roles.role
   FROM user_roles
  WHERE user_roles.role IS NOT NULL;
