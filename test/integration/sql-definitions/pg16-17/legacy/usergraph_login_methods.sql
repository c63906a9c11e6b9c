CREATE VIEW usergraph_login_methods AS
 SELECT 'public'::character varying(64) AS app_id,
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
   FROM ( SELECT 'emailpassword'::character varying AS recipe_id,
            emailpassword_users.user_id,
            emailpassword_users.email,
            NULL::character varying AS phone_number,
            NULL::character varying AS third_party_id,
            NULL::character varying AS third_party_user_id,
            emailpassword_users.time_joined
           FROM emailpassword_users
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
     LEFT JOIN userid_mapping rm ON rm.supertokens_user_id = rec.user_id
     LEFT JOIN user_last_active la ON la.user_id::text = rec.user_id::text
     LEFT JOIN user_metadata md ON md.user_id::text = COALESCE(rm.external_user_id::text, rec.user_id::text);
