CREATE VIEW usergraph_login_methods AS
 SELECT r.app_id,
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
     LEFT JOIN ( SELECT emailpassword_users.app_id,
            emailpassword_users.user_id,
            'emailpassword'::character varying AS recipe_id,
            emailpassword_users.email,
            NULL::character varying AS phone_number,
            NULL::character varying AS third_party_id,
            NULL::character varying AS third_party_user_id,
            emailpassword_users.time_joined
           FROM emailpassword_users
        UNION ALL
         SELECT t.app_id,
            t.user_id,
            'thirdparty'::character varying,
            t.email,
            NULL::character varying,
            t.third_party_id,
            t.third_party_user_id,
            t.time_joined
           FROM thirdparty_users t
        UNION ALL
         SELECT p.app_id,
            p.user_id,
            'passwordless'::character varying,
            p.email,
            p.phone_number,
            NULL::character varying,
            NULL::character varying,
            p.time_joined
           FROM passwordless_users p
        UNION ALL
         SELECT w.app_id,
            w.user_id,
            'webauthn'::character varying,
            w.email,
            NULL::character varying,
            NULL::character varying,
            NULL::character varying,
            w.time_joined
           FROM webauthn_users w) rec ON rec.app_id::text = r.app_id::text AND rec.user_id = r.user_id AND rec.recipe_id::text = r.recipe_id::text
     LEFT JOIN userid_mapping rm ON rm.app_id::text = r.app_id::text AND rm.supertokens_user_id = r.user_id
     LEFT JOIN userid_mapping um ON um.app_id::text = r.app_id::text AND um.supertokens_user_id = r.primary_or_recipe_user_id
     LEFT JOIN user_last_active la ON la.app_id::text = r.app_id::text AND la.user_id::text = r.primary_or_recipe_user_id::text
     LEFT JOIN user_metadata md ON md.app_id::text = r.app_id::text AND md.user_id::text = COALESCE(um.external_user_id::text, r.primary_or_recipe_user_id::text);
