CREATE TRIGGER usergraph_count_delete_user_last_active AFTER DELETE ON user_last_active REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION usergraph_count_changes()
