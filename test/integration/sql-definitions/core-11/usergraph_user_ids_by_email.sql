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
           WHERE (((p.app_id)::text = (usergraph_user_ids_by_email.app)::text) AND ((p.email)::text = ANY (ARRAY( SELECT unnest(usergraph_user_ids_by_email.emails) AS unnest))))))));
END
