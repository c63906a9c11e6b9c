CREATE OR REPLACE FUNCTION public.usergraph_counted_tables()
 RETURNS regclass[]
 LANGUAGE sql
 STABLE
RETURN array_remove(ARRAY[to_regclass('app_id_to_user_id'::text), to_regclass('all_auth_recipe_users'::text), to_regclass('emailpassword_users'::text), to_regclass('emailpassword_user_to_tenant'::text), to_regclass('thirdparty_users'::text), to_regclass('thirdparty_user_to_tenant'::text), to_regclass('passwordless_users'::text), to_regclass('passwordless_user_to_tenant'::text), to_regclass('webauthn_users'::text), to_regclass('recipe_user_tenants'::text), to_regclass('user_metadata'::text), to_regclass('user_roles'::text), to_regclass('user_last_active'::text), to_regclass('userid_mapping'::text), to_regclass('emailverification_verified_emails'::text), to_regclass('roles'::text), to_regclass('role_permissions'::text)], NULL::regclass)
