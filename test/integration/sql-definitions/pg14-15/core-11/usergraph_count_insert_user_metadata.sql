CREATE TRIGGER usergraph_count_insert_user_metadata AFTER INSERT ON user_metadata REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usergraph_count_changes()
