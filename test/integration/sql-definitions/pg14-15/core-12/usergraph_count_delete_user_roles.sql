CREATE TRIGGER usergraph_count_delete_user_roles AFTER DELETE ON user_roles REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION usergraph_count_changes()
