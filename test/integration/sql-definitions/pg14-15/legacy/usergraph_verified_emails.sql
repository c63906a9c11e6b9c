CREATE VIEW usergraph_verified_emails AS
 SELECT 'public'::character varying(64) AS app_id,
    v.user_id AS user_key,
    v.email
   FROM emailverification_verified_emails v;
