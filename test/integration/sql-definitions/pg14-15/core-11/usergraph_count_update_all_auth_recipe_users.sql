CREATE TRIGGER usergraph_count_update_all_auth_recipe_users AFTER UPDATE ON all_auth_recipe_users REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usergraph_count_changes()
