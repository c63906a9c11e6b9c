CREATE OR REPLACE FUNCTION public.usergraph_user_ids_by_key(app character varying, keys text[])
 RETURNS SETOF character
 LANGUAGE sql
 STABLE
BEGIN ATOMIC
 SELECT (k.k)::bpchar AS k
    FROM unnest(usergraph_user_ids_by_key.keys) k(k)
   WHERE ((usergraph_user_ids_by_key.app)::text = 'public'::text)
 UNION ALL
  SELECT m.supertokens_user_id
    FROM userid_mapping m
   WHERE (((usergraph_user_ids_by_key.app)::text = 'public'::text) AND ((m.external_user_id)::text = ANY (ARRAY( SELECT unnest(usergraph_user_ids_by_key.keys) AS unnest))));
END
