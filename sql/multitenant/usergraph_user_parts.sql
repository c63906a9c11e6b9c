-- The parts a user is assembled from (src/directory/user-assembly.ts), on the multitenant layout
-- (SuperTokens core 7 to 12): one view per part, each a plain projection of SuperTokens' tables
-- with no aggregation, so that one definition serves both ways the service reads users. The full
-- load reads each part whole for its app (sequential scans and hash joins: the database does
-- little, once); a lookup reads the parts of a few users (index scans: every key column below is
-- the table's own column, uncast, so that conditions on it reach the table's index).
--
-- What a user IS (which login methods, which tenants, verified or not, which metadata and roles)
-- is decided once, where the parts are assembled. user_full_view says the same in SQL, for people;
-- test/integration/user-assembly.test.ts checks that the two agree on every kind of user.
--
-- Ids of recipe tables are CHAR(36) (bpchar), the others VARCHAR(128): both are read as text.
--! optional recipe_user_tenants (app_id varchar, recipe_user_id bpchar, tenant_id varchar)
--! optional thirdparty_users (app_id varchar, third_party_id varchar, third_party_user_id varchar, user_id bpchar, email varchar, time_joined bigint)
--! optional passwordless_users (app_id varchar, user_id bpchar, email varchar, phone_number varchar, time_joined bigint)
--! optional webauthn_users (app_id varchar, user_id bpchar, email varchar, time_joined bigint)

-- Every recipe user (a login method: email-password, third-party, passwordless, WebAuthn) with
-- the user it belongs to (user_key: its primary user, or itself), its recipe's fields (NULL when
-- its recipe row is missing) and its external id; and, on each, what belongs to that user as a
-- whole and is filed by its ids: its last activity (under its SuperTokens id, mapped or not) and
-- its metadata as stored (JSON text, under its external id when it has one). Those two are joined
-- here, not read as parts of their own, because they are one row per user: the database joins
-- them faster than the service would match them.
CREATE VIEW usergraph_login_methods AS
SELECT
  r.app_id,
  r.primary_or_recipe_user_id AS user_key,
  r.user_id AS recipe_user_key,
  r.recipe_id,
  r.is_linked_or_is_a_primary_user AS is_linked,
  rm.external_user_id,
  rec.email,
  rec.phone_number,
  rec.third_party_id,
  rec.third_party_user_id,
  rec.time_joined,
  la.last_active_time AS user_last_active_time,
  md.user_metadata
FROM app_id_to_user_id r
LEFT JOIN (
  SELECT app_id, user_id, 'emailpassword'::varchar AS recipe_id, email, NULL::varchar AS phone_number,
         NULL::varchar AS third_party_id, NULL::varchar AS third_party_user_id, time_joined
  FROM emailpassword_users
  UNION ALL
  SELECT app_id, user_id, 'thirdparty', email, NULL, third_party_id, third_party_user_id, time_joined
  FROM {{thirdparty_users}} t
  UNION ALL
  SELECT app_id, user_id, 'passwordless', email, phone_number, NULL, NULL, time_joined
  FROM {{passwordless_users}} p
  UNION ALL
  SELECT app_id, user_id, 'webauthn', email, NULL, NULL, NULL, time_joined
  FROM {{webauthn_users}} w
) rec ON rec.app_id = r.app_id AND rec.user_id = r.user_id AND rec.recipe_id = r.recipe_id
LEFT JOIN userid_mapping rm ON rm.app_id = r.app_id AND rm.supertokens_user_id = r.user_id
LEFT JOIN userid_mapping um ON um.app_id = r.app_id AND um.supertokens_user_id = r.primary_or_recipe_user_id
LEFT JOIN user_last_active la ON la.app_id = r.app_id AND la.user_id = r.primary_or_recipe_user_id::text
LEFT JOIN user_metadata md ON md.app_id = r.app_id AND md.user_id = COALESCE(um.external_user_id::text, r.primary_or_recipe_user_id::text);

-- The tenants of each recipe user: from core 12's recipe_user_tenants (preferred: when a recipe
-- user has rows there, only those count), and from all_auth_recipe_users.
CREATE VIEW usergraph_login_method_tenants AS
SELECT app_id, recipe_user_id AS recipe_user_key, tenant_id, true AS preferred
FROM {{recipe_user_tenants}} rut
UNION ALL
SELECT app_id, user_id, tenant_id, false
FROM all_auth_recipe_users
WHERE tenant_id IS NOT NULL;

-- Verified emails, filed under the recipe user's external id when it has one.
CREATE VIEW usergraph_verified_emails AS
SELECT app_id, user_id AS user_key, email FROM emailverification_verified_emails;

-- Roles per tenant, filed under the user's external id when it has one.
CREATE VIEW usergraph_user_roles AS
SELECT app_id, user_id AS user_key, tenant_id, role FROM user_roles WHERE role IS NOT NULL;

-- What each role grants.
CREATE VIEW usergraph_role_permissions AS
SELECT app_id, role, permission FROM role_permissions WHERE permission IS NOT NULL;
