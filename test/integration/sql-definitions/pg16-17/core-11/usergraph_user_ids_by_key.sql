CREATE OR REPLACE FUNCTION public.usergraph_user_ids_by_key(app character varying, keys text[])
 RETURNS SETOF character
 LANGUAGE sql
 STABLE
BEGIN ATOMIC
 SELECT a.primary_or_recipe_user_id
    FROM app_id_to_user_id a
   WHERE (((a.app_id)::text = (usergraph_user_ids_by_key.app)::text) AND (a.user_id = ANY (ARRAY( SELECT (k.k)::bpchar AS k
            FROM unnest(usergraph_user_ids_by_key.keys) k(k)
         UNION ALL
          SELECT m.supertokens_user_id
            FROM userid_mapping m
           WHERE (((m.app_id)::text = (usergraph_user_ids_by_key.app)::text) AND ((m.external_user_id)::text = ANY (ARRAY( SELECT unnest(usergraph_user_ids_by_key.keys) AS unnest))))))));
END
