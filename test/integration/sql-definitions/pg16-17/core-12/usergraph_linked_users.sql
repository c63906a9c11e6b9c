CREATE VIEW usergraph_linked_users AS
 SELECT DISTINCT app_id,
    primary_or_recipe_user_id AS user_key
   FROM app_id_to_user_id
  WHERE user_id <> primary_or_recipe_user_id;
