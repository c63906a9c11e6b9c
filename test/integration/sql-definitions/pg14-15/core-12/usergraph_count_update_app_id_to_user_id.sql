CREATE TRIGGER usergraph_count_update_app_id_to_user_id AFTER UPDATE ON app_id_to_user_id REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usergraph_count_changes()
