CREATE VIEW usergraph_user_roles AS
 SELECT 'public'::character varying(64) AS app_id,
    user_id AS user_key,
    'public'::character varying(64) AS tenant_id,
    role
   FROM user_roles ur
  WHERE role IS NOT NULL;
