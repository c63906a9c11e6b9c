CREATE TRIGGER usergraph_count_update_userid_mapping AFTER UPDATE ON userid_mapping REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usergraph_count_changes()
