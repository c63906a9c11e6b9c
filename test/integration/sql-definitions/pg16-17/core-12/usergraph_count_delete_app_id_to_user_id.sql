CREATE TRIGGER usergraph_count_delete_app_id_to_user_id AFTER DELETE ON app_id_to_user_id REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION usergraph_count_changes()
