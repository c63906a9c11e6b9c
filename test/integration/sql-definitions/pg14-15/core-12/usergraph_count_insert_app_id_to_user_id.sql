CREATE TRIGGER usergraph_count_insert_app_id_to_user_id AFTER INSERT ON app_id_to_user_id REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usergraph_count_changes()
