CREATE TRIGGER usergraph_count_update_emailpassword_users AFTER UPDATE ON emailpassword_users REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usergraph_count_changes()
