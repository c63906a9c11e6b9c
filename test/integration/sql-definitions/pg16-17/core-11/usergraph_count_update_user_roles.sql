CREATE TRIGGER usergraph_count_update_user_roles AFTER UPDATE ON user_roles REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usergraph_count_changes()
