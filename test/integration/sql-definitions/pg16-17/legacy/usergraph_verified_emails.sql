CREATE VIEW usergraph_verified_emails AS
 SELECT 'public'::character varying(64) AS app_id,
    user_id AS user_key,
    email
   FROM emailverification_verified_emails v;
