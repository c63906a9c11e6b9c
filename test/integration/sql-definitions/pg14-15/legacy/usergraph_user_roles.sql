CREATE VIEW usergraph_user_roles AS
 SELECT 'public'::character varying(64) AS app_id,
    ur.user_id AS user_key,
    'public'::character varying(64) AS tenant_id,
    ur.role
   FROM user_roles ur
  WHERE ur.role IS NOT NULL;
