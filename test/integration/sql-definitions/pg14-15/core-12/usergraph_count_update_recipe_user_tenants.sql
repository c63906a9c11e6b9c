CREATE TRIGGER usergraph_count_update_recipe_user_tenants AFTER UPDATE ON recipe_user_tenants REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usergraph_count_changes()
