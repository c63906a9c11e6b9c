CREATE TRIGGER usergraph_count_update_passwordless_users AFTER UPDATE ON passwordless_users REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usergraph_count_changes()
