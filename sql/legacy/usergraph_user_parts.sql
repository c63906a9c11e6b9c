-- The parts a user is assembled from (src/directory/user-assembly.ts), on the pre-multitenancy
-- layout (SuperTokens core 3 to 5): the same views and columns as on the multitenant layout
-- (see sql/multitenant/usergraph_user_parts.sql), from tables without app_id or tenant_id and
-- without account linking: every recipe user is a user of its own, of app 'public', in tenant
-- 'public'.
--! optional thirdparty_users (third_party_id varchar, third_party_user_id varchar, user_id bpchar, email varchar, time_joined bigint)
--! optional passwordless_users (user_id bpchar, email varchar, phone_number varchar, time_joined bigint)
--! optional userid_mapping (supertokens_user_id bpchar, external_user_id varchar)
--! optional emailverification_verified_emails (user_id varchar, email varchar)
--! optional user_metadata (user_id varchar, user_metadata text)
--! optional user_roles (user_id varchar, role varchar)
--! optional role_permissions (role varchar, permission varchar)
--! optional user_last_active (user_id varchar, last_active_time bigint)

CREATE VIEW usergraph_login_methods AS
SELECT
  'public'::varchar(64) AS app_id,
  rec.user_id AS user_key,
  rec.user_id AS recipe_user_key,
  rec.recipe_id,
  false AS is_linked,
  rm.external_user_id,
  rec.email,
  rec.phone_number,
  rec.third_party_id,
  rec.third_party_user_id,
  rec.time_joined,
  la.last_active_time AS user_last_active_time,
  md.user_metadata
FROM (
  SELECT 'emailpassword'::varchar AS recipe_id, user_id, email, NULL::varchar AS phone_number,
         NULL::varchar AS third_party_id, NULL::varchar AS third_party_user_id, time_joined
  FROM emailpassword_users
  UNION ALL
  SELECT 'thirdparty', user_id, email, NULL, third_party_id, third_party_user_id, time_joined
  FROM {{thirdparty_users}} t
  UNION ALL
  SELECT 'passwordless', user_id, email, phone_number, NULL, NULL, time_joined
  FROM {{passwordless_users}} p
) rec
LEFT JOIN {{userid_mapping}} rm ON rm.supertokens_user_id = rec.user_id
LEFT JOIN {{user_last_active}} la ON la.user_id = rec.user_id::text
LEFT JOIN {{user_metadata}} md ON md.user_id = COALESCE(rm.external_user_id::text, rec.user_id::text);

-- Before multi-tenancy every recipe user is in tenant 'public'.
CREATE VIEW usergraph_login_method_tenants AS
SELECT app_id, recipe_user_key, 'public'::varchar(64) AS tenant_id, false AS preferred
FROM usergraph_login_methods;

CREATE VIEW usergraph_verified_emails AS
SELECT 'public'::varchar(64) AS app_id, user_id AS user_key, email FROM {{emailverification_verified_emails}} v;

CREATE VIEW usergraph_user_roles AS
SELECT 'public'::varchar(64) AS app_id, user_id AS user_key, 'public'::varchar(64) AS tenant_id, role
FROM {{user_roles}} ur WHERE role IS NOT NULL;

CREATE VIEW usergraph_role_permissions AS
SELECT 'public'::varchar(64) AS app_id, role, permission FROM {{role_permissions}} rp WHERE permission IS NOT NULL;
