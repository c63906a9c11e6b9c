CREATE VIEW usergraph_login_method_tenants AS
 SELECT usergraph_login_methods.app_id,
    usergraph_login_methods.recipe_user_key,
    'public'::character varying(64) AS tenant_id,
    false AS preferred
   FROM usergraph_login_methods;
