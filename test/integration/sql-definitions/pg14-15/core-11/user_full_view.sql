CREATE VIEW user_full_view AS
 SELECT u.app_id,
    u.user_id,
    um.external_user_id,
    lm.is_primary_user,
    lm.email,
    lm.time_joined,
    lm.login_methods,
    COALESCE(meta.object, '{}'::jsonb) AS metadata,
    md.user_metadata IS NOT NULL AND meta.object IS NULL AS metadata_invalid,
    rl.roles,
    rl.tenant_roles,
    rl.permissions,
    la.last_active_time,
    rl.tenant_permissions
   FROM app_id_to_user_id u
     LEFT JOIN userid_mapping um ON um.app_id::text = u.app_id::text AND um.supertokens_user_id = u.user_id
     CROSS JOIN LATERAL ( SELECT COALESCE(um.external_user_id::text, u.user_id::text) AS id) k
     CROSS JOIN LATERAL ( SELECT bool_or(m.is_linked) AS is_primary_user,
            min(m.time_joined) AS time_joined,
            (array_agg(m.email ORDER BY m.time_joined, (m.recipe_user_id::text COLLATE "C")) FILTER (WHERE m.email IS NOT NULL))[1] AS email,
            json_agg(json_build_object('recipe_id', m.recipe_id, 'recipe_user_id', m.recipe_user_id::text, 'external_user_id', m.external_user_id, 'email', m.email, 'phone_number', m.phone_number, 'third_party_id', m.third_party_id, 'third_party_user_id', m.third_party_user_id, 'tenant_ids', to_json(m.tenant_ids), 'time_joined', m.time_joined, 'verified', m.verified) ORDER BY m.time_joined, (m.recipe_user_id::text COLLATE "C")) AS login_methods
           FROM ( SELECT r.user_id AS recipe_user_id,
                    r.is_linked_or_is_a_primary_user AS is_linked,
                    r.recipe_id,
                    rm.external_user_id,
                    rec.email,
                    rec.phone_number,
                    rec.third_party_id,
                    rec.third_party_user_id,
                    rec.time_joined,
                    COALESCE(( SELECT array_agg(DISTINCT t.tenant_id::text COLLATE "C" ORDER BY (t.tenant_id::text COLLATE "C")) AS array_agg
                           FROM ( SELECT NULL::character varying AS app_id,
                                    NULL::bpchar AS recipe_user_id,
                                    NULL::character varying AS tenant_id
                                  WHERE false) t
                          WHERE t.app_id::text = r.app_id::text AND t.recipe_user_id = r.user_id), ARRAY( SELECT DISTINCT a.tenant_id::text COLLATE "C" AS tenant_id
                           FROM all_auth_recipe_users a
                          WHERE a.app_id::text = r.app_id::text AND a.user_id = r.user_id AND a.tenant_id IS NOT NULL
                          ORDER BY (a.tenant_id::text COLLATE "C"))) AS tenant_ids,
                    rec.email IS NULL OR (EXISTS ( SELECT 1
                           FROM emailverification_verified_emails v
                          WHERE v.app_id::text = r.app_id::text AND v.user_id::text = COALESCE(rm.external_user_id::text, r.user_id::text) AND v.email::text = rec.email::text)) AS verified
                   FROM app_id_to_user_id r
                     CROSS JOIN LATERAL ( SELECT e.email,
                            NULL::character varying AS phone_number,
                            NULL::character varying AS third_party_id,
                            NULL::character varying AS third_party_user_id,
                            e.time_joined
                           FROM emailpassword_users e
                          WHERE r.recipe_id::text = 'emailpassword'::text AND e.app_id::text = r.app_id::text AND e.user_id = r.user_id
                        UNION ALL
                         SELECT t.email,
                            NULL::character varying,
                            t.third_party_id,
                            t.third_party_user_id,
                            t.time_joined
                           FROM thirdparty_users t
                          WHERE r.recipe_id::text = 'thirdparty'::text AND t.app_id::text = r.app_id::text AND t.user_id = r.user_id
                        UNION ALL
                         SELECT p.email,
                            p.phone_number,
                            NULL::character varying,
                            NULL::character varying,
                            p.time_joined
                           FROM passwordless_users p
                          WHERE r.recipe_id::text = 'passwordless'::text AND p.app_id::text = r.app_id::text AND p.user_id = r.user_id
                        UNION ALL
                         SELECT w.email,
                            NULL::character varying,
                            NULL::character varying,
                            NULL::character varying,
                            w.time_joined
                           FROM webauthn_users w
                          WHERE r.recipe_id::text = 'webauthn'::text AND w.app_id::text = r.app_id::text AND w.user_id = r.user_id) rec
                     LEFT JOIN userid_mapping rm ON rm.app_id::text = r.app_id::text AND rm.supertokens_user_id = r.user_id
                  WHERE r.app_id::text = u.app_id::text AND r.primary_or_recipe_user_id = u.user_id) m) lm
     LEFT JOIN user_metadata md ON md.app_id::text = u.app_id::text AND md.user_id::text = k.id
     LEFT JOIN LATERAL ( SELECT usergraph_json_object_or_null(md.user_metadata) AS object
         OFFSET 0) meta ON true
     CROSS JOIN LATERAL ( SELECT COALESCE(array_agg(DISTINCT ur.role::text COLLATE "C" ORDER BY (ur.role::text COLLATE "C")), '{}'::text[]) AS roles,
            COALESCE(array_agg(DISTINCT ARRAY[ur.tenant_id::text, ur.role::text]), '{}'::text[]) AS tenant_roles,
            COALESCE(array_agg(DISTINCT rp.permission::text COLLATE "C" ORDER BY (rp.permission::text COLLATE "C")) FILTER (WHERE rp.permission IS NOT NULL), '{}'::text[]) AS permissions,
            COALESCE(array_agg(DISTINCT ARRAY[ur.tenant_id::text, rp.permission::text]) FILTER (WHERE rp.permission IS NOT NULL), '{}'::text[]) AS tenant_permissions
           FROM user_roles ur
             LEFT JOIN role_permissions rp ON rp.app_id::text = ur.app_id::text AND rp.role::text = ur.role::text
          WHERE ur.app_id::text = u.app_id::text AND ur.user_id::text = k.id AND ur.role IS NOT NULL) rl
     LEFT JOIN user_last_active la ON la.app_id::text = u.app_id::text AND la.user_id::text = u.user_id::text
  WHERE u.user_id = u.primary_or_recipe_user_id AND lm.time_joined IS NOT NULL;
