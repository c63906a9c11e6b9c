CREATE TRIGGER usergraph_count_insert_passwordless_users AFTER INSERT ON passwordless_users REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usergraph_count_changes()
