CREATE TRIGGER usergraph_count_delete_all_auth_recipe_users AFTER DELETE ON all_auth_recipe_users REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION usergraph_count_changes()
