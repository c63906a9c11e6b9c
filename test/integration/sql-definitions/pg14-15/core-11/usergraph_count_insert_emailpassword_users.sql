CREATE TRIGGER usergraph_count_insert_emailpassword_users AFTER INSERT ON emailpassword_users REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usergraph_count_changes()
