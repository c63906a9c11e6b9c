CREATE VIEW usergraph_user_roles AS
 SELECT app_id,
    user_id AS user_key,
    tenant_id,
    role
   FROM user_roles
  WHERE role IS NOT NULL;
