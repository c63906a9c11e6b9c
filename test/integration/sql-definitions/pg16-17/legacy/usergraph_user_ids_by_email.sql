CREATE OR REPLACE FUNCTION public.usergraph_user_ids_by_email(app character varying, emails text[])
 RETURNS SETOF character
 LANGUAGE sql
 STABLE
BEGIN ATOMIC
 SELECT e.user_id
    FROM emailpassword_users e
   WHERE (((usergraph_user_ids_by_email.app)::text = 'public'::text) AND ((e.email)::text = ANY (ARRAY( SELECT unnest(usergraph_user_ids_by_email.emails) AS unnest))))
 UNION ALL
  SELECT t.user_id
    FROM thirdparty_users t
   WHERE (((usergraph_user_ids_by_email.app)::text = 'public'::text) AND ((t.email)::text = ANY (ARRAY( SELECT unnest(usergraph_user_ids_by_email.emails) AS unnest))))
 UNION ALL
  SELECT p.user_id
    FROM passwordless_users p
   WHERE (((usergraph_user_ids_by_email.app)::text = 'public'::text) AND ((p.email)::text = ANY (ARRAY( SELECT unnest(usergraph_user_ids_by_email.emails) AS unnest))));
END
