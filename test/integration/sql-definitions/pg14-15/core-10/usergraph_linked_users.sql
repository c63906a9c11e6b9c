CREATE VIEW usergraph_linked_users AS
 SELECT DISTINCT app_id_to_user_id.app_id,
    app_id_to_user_id.primary_or_recipe_user_id AS user_key
   FROM app_id_to_user_id
  WHERE app_id_to_user_id.user_id <> app_id_to_user_id.primary_or_recipe_user_id;
