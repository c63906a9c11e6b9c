CREATE TRIGGER usergraph_count_update_user_metadata AFTER UPDATE ON user_metadata REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usergraph_count_changes()
