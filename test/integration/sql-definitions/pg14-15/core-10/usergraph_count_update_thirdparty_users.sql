CREATE TRIGGER usergraph_count_update_thirdparty_users AFTER UPDATE ON thirdparty_users REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usergraph_count_changes()
