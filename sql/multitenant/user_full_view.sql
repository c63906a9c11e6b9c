-- user_full_view on the multitenant layout (SuperTokens core 7 to 12): every SuperTokens user
-- the way SuperTokens' own getUser shows it, one row per (app, user), never password_hash.
--
-- A user is the group of app_id_to_user_id rows sharing a primary_or_recipe_user_id: a primary
-- user with all its linked login methods (email-password, third-party, passwordless, WebAuthn),
-- or a recipe user linked to nobody. A login method's tenants come from core 12's recipe_user_tenants when that
-- recipe user has rows there, else from all_auth_recipe_users, so that every migration_mode reads
-- the same. Every app's users are here (column app_id); the service always filters by its APP_ID.
--
-- Recipe tables key users by CHAR(36), the others by VARCHAR(128): comparing them as bpchar would
-- cast the VARCHAR side and lose its index, so the CHAR side is cast to text instead. Texts that
-- order the output are sorted bytewise (COLLATE "C"): the same order whatever the database's locale.
--
-- A table marked optional is written between double braces below: usergraph's migrator puts the
-- table's name there or, when this database lacks it (recipe_user_tenants before core 12), an empty
-- relation with these columns (src/db/repeatable-sql.ts). webauthn_users came with core 10.1.
--! optional recipe_user_tenants (app_id varchar, recipe_user_id bpchar, tenant_id varchar)
--! optional thirdparty_users (app_id varchar, third_party_id varchar, third_party_user_id varchar, user_id bpchar, email varchar, time_joined bigint)
--! optional passwordless_users (app_id varchar, user_id bpchar, email varchar, phone_number varchar, time_joined bigint)
--! optional webauthn_users (app_id varchar, user_id bpchar, email varchar, time_joined bigint)

CREATE VIEW user_full_view AS
SELECT
  u.app_id,
  u.user_id,
  um.external_user_id,
  lm.is_primary_user,
  lm.email,
  lm.time_joined,
  lm.login_methods,
  COALESCE(meta.object, '{}'::jsonb) AS metadata,
  (md.user_metadata IS NOT NULL AND meta.object IS NULL) AS metadata_invalid,
  rl.roles,
  rl.tenant_roles,
  rl.permissions,
  la.last_active_time,
  rl.tenant_permissions
FROM app_id_to_user_id u
LEFT JOIN userid_mapping um ON um.app_id = u.app_id AND um.supertokens_user_id = u.user_id
-- the key SuperTokens files metadata and roles under: the external id when there is one
CROSS JOIN LATERAL (SELECT COALESCE(um.external_user_id::text, u.user_id::text) AS id) k
CROSS JOIN LATERAL (
  -- Login methods in the order the rules use: earliest first, then by recipe user id (bytewise).
  SELECT
    bool_or(m.is_linked) AS is_primary_user,
    min(m.time_joined) AS time_joined,
    (array_agg(m.email ORDER BY m.time_joined, m.recipe_user_id::text COLLATE "C") FILTER (WHERE m.email IS NOT NULL))[1] AS email,
    -- One login method as JSON. Keys are stable: the repository maps them to the domain. json, not
    -- jsonb: building it costs a third as much, and its text (which the row version hashes) keeps
    -- this key order.
    json_agg(json_build_object(
      'recipe_id', m.recipe_id,
      'recipe_user_id', m.recipe_user_id::text,
      'external_user_id', m.external_user_id,
      'email', m.email,
      'phone_number', m.phone_number,
      'third_party_id', m.third_party_id,
      'third_party_user_id', m.third_party_user_id,
      'tenant_ids', to_json(m.tenant_ids),
      'time_joined', m.time_joined,
      'verified', m.verified
    ) ORDER BY m.time_joined, m.recipe_user_id::text COLLATE "C") AS login_methods
  FROM (
    SELECT
      r.user_id AS recipe_user_id,
      r.is_linked_or_is_a_primary_user AS is_linked,
      r.recipe_id,
      rm.external_user_id,
      rec.email,
      rec.phone_number,
      rec.third_party_id,
      rec.third_party_user_id,
      rec.time_joined,
      COALESCE(
        (SELECT array_agg(DISTINCT t.tenant_id::text COLLATE "C" ORDER BY t.tenant_id::text COLLATE "C")
         FROM {{recipe_user_tenants}} t WHERE t.app_id = r.app_id AND t.recipe_user_id = r.user_id),
        ARRAY(SELECT DISTINCT a.tenant_id::text COLLATE "C" FROM all_auth_recipe_users a
              WHERE a.app_id = r.app_id AND a.user_id = r.user_id AND a.tenant_id IS NOT NULL ORDER BY 1)
      ) AS tenant_ids,
      -- Verified, as core decides it: a login method without an email (a phone-only passwordless
      -- user) is verified; otherwise its email must be verified for its recipe user, whose id in
      -- emailverification_verified_emails is the external one when it has a mapping.
      (rec.email IS NULL OR EXISTS (
        SELECT 1 FROM emailverification_verified_emails v
        WHERE v.app_id = r.app_id AND v.user_id = COALESCE(rm.external_user_id::text, r.user_id::text) AND v.email = rec.email
      )) AS verified
    FROM app_id_to_user_id r
    CROSS JOIN LATERAL (
      SELECT e.email, NULL::varchar AS phone_number, NULL::varchar AS third_party_id,
             NULL::varchar AS third_party_user_id, e.time_joined
      FROM emailpassword_users e
      WHERE r.recipe_id = 'emailpassword' AND e.app_id = r.app_id AND e.user_id = r.user_id
      UNION ALL
      SELECT t.email, NULL, t.third_party_id, t.third_party_user_id, t.time_joined
      FROM {{thirdparty_users}} t
      WHERE r.recipe_id = 'thirdparty' AND t.app_id = r.app_id AND t.user_id = r.user_id
      UNION ALL
      SELECT p.email, p.phone_number, NULL, NULL, p.time_joined
      FROM {{passwordless_users}} p
      WHERE r.recipe_id = 'passwordless' AND p.app_id = r.app_id AND p.user_id = r.user_id
      UNION ALL
      SELECT w.email, NULL, NULL, NULL, w.time_joined
      FROM {{webauthn_users}} w
      WHERE r.recipe_id = 'webauthn' AND w.app_id = r.app_id AND w.user_id = r.user_id
    ) rec
    LEFT JOIN userid_mapping rm ON rm.app_id = r.app_id AND rm.supertokens_user_id = r.user_id
    WHERE r.app_id = u.app_id AND r.primary_or_recipe_user_id = u.user_id
  ) m
) lm
LEFT JOIN user_metadata md ON md.app_id = u.app_id AND md.user_id = k.id
-- Metadata is JSON stored as TEXT; anything that is not a JSON object reads as NULL (then '{}').
-- OFFSET 0 keeps this subquery from being flattened into the query, which would parse the
-- metadata once for each use of meta.object instead of once.
LEFT JOIN LATERAL (SELECT usergraph_json_object_or_null(md.user_metadata) AS object OFFSET 0) meta ON true
-- A user's roles, from one scan of its user_roles rows (each joined to its role's permissions):
-- the distinct roles, the distinct {tenant, role} pairs (a two-dimensional text array), the
-- distinct permissions, and the distinct {tenant, permission} pairs. Aggregated in a LATERAL with
-- a FROM, so that it runs once per user and many rows never multiply the user.
CROSS JOIN LATERAL (
  SELECT
    COALESCE(array_agg(DISTINCT ur.role::text COLLATE "C" ORDER BY ur.role::text COLLATE "C"), '{}') AS roles,
    COALESCE(array_agg(DISTINCT ARRAY[ur.tenant_id::text, ur.role::text]), '{}') AS tenant_roles,
    COALESCE(
      array_agg(DISTINCT rp.permission::text COLLATE "C" ORDER BY rp.permission::text COLLATE "C") FILTER (WHERE rp.permission IS NOT NULL),
      '{}'
    ) AS permissions,
    COALESCE(
      array_agg(DISTINCT ARRAY[ur.tenant_id::text, rp.permission::text]) FILTER (WHERE rp.permission IS NOT NULL),
      '{}'
    ) AS tenant_permissions
  FROM user_roles ur LEFT JOIN role_permissions rp ON rp.app_id = ur.app_id AND rp.role = ur.role
  WHERE ur.app_id = u.app_id AND ur.user_id = k.id AND ur.role IS NOT NULL
) rl
-- core records activity against the SuperTokens (primary) id, mapped or not
LEFT JOIN user_last_active la ON la.app_id = u.app_id AND la.user_id = u.user_id::text
WHERE u.user_id = u.primary_or_recipe_user_id
  AND lm.time_joined IS NOT NULL; -- a user has at least one login method
