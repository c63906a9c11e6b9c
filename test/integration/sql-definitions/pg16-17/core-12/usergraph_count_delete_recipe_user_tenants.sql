CREATE TRIGGER usergraph_count_delete_recipe_user_tenants AFTER DELETE ON recipe_user_tenants REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION usergraph_count_changes()
