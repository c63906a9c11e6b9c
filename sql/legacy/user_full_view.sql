-- user_full_view on the pre-multitenancy layout (SuperTokens core 3 to 5): the same columns as on
-- the multitenant layout, from tables without app_id or tenant_id columns and without account
-- linking: every recipe user is a user of its own, of app 'public', in tenant 'public'.
--
-- Recipe tables key users by CHAR(36), the others by VARCHAR(128): comparing them as bpchar would
-- cast the VARCHAR side and lose its index, so the CHAR side is cast to text instead. Texts that
-- order the output are sorted bytewise (COLLATE "C"): the same order whatever the database's locale.
--
-- A table marked optional is written between double braces below: usergraph's migrator puts the
-- table's name there or, when this database lacks it (older cores lack all but
-- emailpassword_users), an empty relation with these columns (src/db/repeatable-sql.ts).
--! optional thirdparty_users (third_party_id varchar, third_party_user_id varchar, user_id bpchar, email varchar, time_joined bigint)
--! optional passwordless_users (user_id bpchar, email varchar, phone_number varchar, time_joined bigint)
--! optional userid_mapping (supertokens_user_id bpchar, external_user_id varchar)
--! optional emailverification_verified_emails (user_id varchar, email varchar)
--! optional user_metadata (user_id varchar, user_metadata text)
--! optional user_roles (user_id varchar, role varchar)
--! optional role_permissions (role varchar, permission varchar)
--! optional user_last_active (user_id varchar, last_active_time bigint)

CREATE VIEW user_full_view AS
SELECT
  'public'::varchar(64) AS app_id,
  m.recipe_user_id AS user_id,
  m.external_user_id,
  false AS is_primary_user,
  m.email,
  m.time_joined,
  -- The one login method as JSON. Keys are stable: the repository maps them to the domain. json,
  -- not jsonb: building it costs a third as much, and its text (which the row version hashes)
  -- keeps this key order.
  json_build_array(json_build_object(
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
  )) AS login_methods,
  COALESCE(meta.object, '{}'::jsonb) AS metadata,
  (md.user_metadata IS NOT NULL AND meta.object IS NULL) AS metadata_invalid,
  rl.roles,
  rl.tenant_roles,
  rl.permissions,
  la.last_active_time,
  rl.tenant_permissions
FROM (
  SELECT
    rec.user_id AS recipe_user_id,
    rec.recipe_id,
    rm.external_user_id,
    rec.email,
    rec.phone_number,
    rec.third_party_id,
    rec.third_party_user_id,
    rec.time_joined,
    ARRAY['public'::text COLLATE "C"] AS tenant_ids,
    -- Verified, as core decides it: a login method without an email (a phone-only passwordless
    -- user) is verified; otherwise its email must be verified for its recipe user, whose id in
    -- emailverification_verified_emails is the external one when it has a mapping.
    (rec.email IS NULL OR EXISTS (
      SELECT 1 FROM {{emailverification_verified_emails}} v
      WHERE v.user_id = COALESCE(rm.external_user_id::text, rec.user_id::text) AND v.email = rec.email
    )) AS verified
  FROM (
    SELECT 'emailpassword'::varchar AS recipe_id, e.user_id, e.email, NULL::varchar AS phone_number,
           NULL::varchar AS third_party_id, NULL::varchar AS third_party_user_id, e.time_joined
    FROM emailpassword_users e
    UNION ALL
    SELECT 'thirdparty', t.user_id, t.email, NULL, t.third_party_id, t.third_party_user_id, t.time_joined
    FROM {{thirdparty_users}} t
    UNION ALL
    SELECT 'passwordless', p.user_id, p.email, p.phone_number, NULL, NULL, p.time_joined
    FROM {{passwordless_users}} p
  ) rec
  LEFT JOIN {{userid_mapping}} rm ON rm.supertokens_user_id = rec.user_id
) m
-- the key SuperTokens files metadata and roles under: the external id when there is one
CROSS JOIN LATERAL (SELECT COALESCE(m.external_user_id::text, m.recipe_user_id::text) AS id) k
LEFT JOIN {{user_metadata}} md ON md.user_id = k.id
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
    COALESCE(array_agg(DISTINCT ARRAY['public'::text, ur.role::text]), '{}') AS tenant_roles,
    COALESCE(
      array_agg(DISTINCT rp.permission::text COLLATE "C" ORDER BY rp.permission::text COLLATE "C") FILTER (WHERE rp.permission IS NOT NULL),
      '{}'
    ) AS permissions,
    COALESCE(
      array_agg(DISTINCT ARRAY['public'::text, rp.permission::text]) FILTER (WHERE rp.permission IS NOT NULL),
      '{}'
    ) AS tenant_permissions
  FROM {{user_roles}} ur LEFT JOIN {{role_permissions}} rp ON rp.role = ur.role
  WHERE ur.user_id = k.id AND ur.role IS NOT NULL
) rl
-- core records activity against the SuperTokens id, mapped or not
LEFT JOIN {{user_last_active}} la ON la.user_id = m.recipe_user_id::text;
