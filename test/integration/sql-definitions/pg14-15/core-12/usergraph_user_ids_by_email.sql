CREATE OR REPLACE FUNCTION public.usergraph_user_ids_by_email(app character varying, emails text[])
 RETURNS SETOF character
 LANGUAGE sql
 STABLE
BEGIN ATOMIC
 SELECT a.primary_or_recipe_user_id
    FROM app_id_to_user_id a
   WHERE (((a.app_id)::text = (usergraph_user_ids_by_email.app)::text) AND (a.user_id = ANY (ARRAY( SELECT e.user_id
            FROM emailpassword_users e
           WHERE (((e.app_id)::text = (usergraph_user_ids_by_email.app)::text) AND ((e.email)::text = ANY (ARRAY( SELECT unnest(usergraph_user_ids_by_email.emails) AS unnest))))
         UNION ALL
          SELECT t.user_id
            FROM thirdparty_users t
           WHERE (((t.app_id)::text = (usergraph_user_ids_by_email.app)::text) AND ((t.email)::text = ANY (ARRAY( SELECT unnest(usergraph_user_ids_by_email.emails) AS unnest))))
         UNION ALL
          SELECT p.user_id
            FROM passwordless_users p
           WHERE (((p.app_id)::text = (usergraph_user_ids_by_email.app)::text) AND ((p.email)::text = ANY (ARRAY( SELECT unnest(usergraph_user_ids_by_email.emails) AS unnest))))
         UNION ALL
          SELECT w.user_id
            FROM webauthn_user_to_tenant w
           WHERE (((w.app_id)::text = (usergraph_user_ids_by_email.app)::text) AND ((w.email)::text = ANY (ARRAY( SELECT unnest(usergraph_user_ids_by_email.emails) AS unnest))))
         UNION ALL
          SELECT i.recipe_user_id
            FROM recipe_user_account_infos i
           WHERE (((i.app_id)::text = (usergraph_user_ids_by_email.app)::text) AND ((i.account_info_type)::text = 'email'::text) AND ((i.recipe_id)::text = 'webauthn'::text) AND (i.account_info_value = ANY (ARRAY( SELECT unnest(usergraph_user_ids_by_email.emails) AS unnest))))))));
END
