CREATE VIEW usergraph_login_method_tenants AS
 SELECT rut.app_id,
    rut.recipe_user_id AS recipe_user_key,
    rut.tenant_id,
    true AS preferred
   FROM ( SELECT NULL::character varying AS app_id,
            NULL::bpchar AS recipe_user_id,
            NULL::character varying AS tenant_id
          WHERE false) rut
UNION ALL
 SELECT all_auth_recipe_users.app_id,
    all_auth_recipe_users.user_id AS recipe_user_key,
    all_auth_recipe_users.tenant_id,
    false AS preferred
   FROM all_auth_recipe_users
  WHERE all_auth_recipe_users.tenant_id IS NOT NULL;
