CREATE TRIGGER usergraph_count_insert_thirdparty_users AFTER INSERT ON thirdparty_users REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usergraph_count_changes()
