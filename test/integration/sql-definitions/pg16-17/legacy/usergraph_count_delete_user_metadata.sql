CREATE TRIGGER usergraph_count_delete_user_metadata AFTER DELETE ON user_metadata REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION usergraph_count_changes()
