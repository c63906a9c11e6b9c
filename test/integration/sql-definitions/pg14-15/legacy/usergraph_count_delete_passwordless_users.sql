CREATE TRIGGER usergraph_count_delete_passwordless_users AFTER DELETE ON passwordless_users REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION usergraph_count_changes()
