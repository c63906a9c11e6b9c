CREATE TRIGGER usergraph_count_delete_emailpassword_users AFTER DELETE ON emailpassword_users REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION usergraph_count_changes()
