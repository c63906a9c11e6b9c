CREATE VIEW usergraph_verified_emails AS
 SELECT emailverification_verified_emails.app_id,
    emailverification_verified_emails.user_id AS user_key,
    emailverification_verified_emails.email
   FROM emailverification_verified_emails;
