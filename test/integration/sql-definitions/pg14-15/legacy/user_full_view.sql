CREATE VIEW user_full_view AS
 SELECT 'public'::character varying(64) AS app_id,
    m.recipe_user_id AS user_id,
    m.external_user_id,
    false AS is_primary_user,
    m.email,
    m.time_joined,
    json_build_array(json_build_object('recipe_id', m.recipe_id, 'recipe_user_id', m.recipe_user_id::text, 'external_user_id', m.external_user_id, 'email', m.email, 'phone_number', m.phone_number, 'third_party_id', m.third_party_id, 'third_party_user_id', m.third_party_user_id, 'tenant_ids', to_json(m.tenant_ids), 'time_joined', m.time_joined, 'verified', m.verified)) AS login_methods,
    COALESCE(meta.object, '{}'::jsonb) AS metadata,
    md.user_metadata IS NOT NULL AND meta.object IS NULL AS metadata_invalid,
    rl.roles,
    rl.tenant_roles,
    rl.permissions,
    la.last_active_time,
    rl.tenant_permissions
   FROM ( SELECT rec.user_id AS recipe_user_id,
            rec.recipe_id,
            rm.external_user_id,
            rec.email,
            rec.phone_number,
            rec.third_party_id,
            rec.third_party_user_id,
            rec.time_joined,
            ARRAY['public'::text COLLATE "C"] AS tenant_ids,
            rec.email IS NULL OR (EXISTS ( SELECT 1
                   FROM emailverification_verified_emails v
                  WHERE v.user_id::text = COALESCE(rm.external_user_id::text, rec.user_id::text) AND v.email::text = rec.email::text)) AS verified
           FROM ( SELECT 'emailpassword'::character varying AS recipe_id,
                    e.user_id,
                    e.email,
                    NULL::character varying AS phone_number,
                    NULL::character varying AS third_party_id,
                    NULL::character varying AS third_party_user_id,
                    e.time_joined
                   FROM emailpassword_users e
                UNION ALL
                 SELECT 'thirdparty'::character varying,
                    t.user_id,
                    t.email,
                    NULL::character varying,
                    t.third_party_id,
                    t.third_party_user_id,
                    t.time_joined
                   FROM thirdparty_users t
                UNION ALL
                 SELECT 'passwordless'::character varying,
                    p.user_id,
                    p.email,
                    p.phone_number,
                    NULL::character varying,
                    NULL::character varying,
                    p.time_joined
                   FROM passwordless_users p) rec
             LEFT JOIN userid_mapping rm ON rm.supertokens_user_id = rec.user_id) m
     CROSS JOIN LATERAL ( SELECT COALESCE(m.external_user_id::text, m.recipe_user_id::text) AS id) k
     LEFT JOIN user_metadata md ON md.user_id::text = k.id
     LEFT JOIN LATERAL ( SELECT usergraph_json_object_or_null(md.user_metadata) AS object
         OFFSET 0) meta ON true
     CROSS JOIN LATERAL ( SELECT COALESCE(array_agg(DISTINCT ur.role::text COLLATE "C" ORDER BY (ur.role::text COLLATE "C")), '{}'::text[]) AS roles,
            COALESCE(array_agg(DISTINCT ARRAY['public'::text, ur.role::text]), '{}'::text[]) AS tenant_roles,
            COALESCE(array_agg(DISTINCT rp.permission::text COLLATE "C" ORDER BY (rp.permission::text COLLATE "C")) FILTER (WHERE rp.permission IS NOT NULL), '{}'::text[]) AS permissions,
            COALESCE(array_agg(DISTINCT ARRAY['public'::text, rp.permission::text]) FILTER (WHERE rp.permission IS NOT NULL), '{}'::text[]) AS tenant_permissions
           FROM user_roles ur
             LEFT JOIN role_permissions rp ON rp.role::text = ur.role::text
          WHERE ur.user_id::text = k.id AND ur.role IS NOT NULL) rl
     LEFT JOIN user_last_active la ON la.user_id::text = m.recipe_user_id::text;
