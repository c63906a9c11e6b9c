CREATE TRIGGER usergraph_count_insert_recipe_user_tenants AFTER INSERT ON recipe_user_tenants REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usergraph_count_changes()
