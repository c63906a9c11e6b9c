CREATE TRIGGER usergraph_count_update_user_last_active AFTER UPDATE ON user_last_active REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usergraph_count_changes()
