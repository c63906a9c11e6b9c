CREATE TRIGGER usergraph_count_delete_thirdparty_users AFTER DELETE ON thirdparty_users REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION usergraph_count_changes()
