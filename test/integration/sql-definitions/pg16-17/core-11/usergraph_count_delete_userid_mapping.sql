CREATE TRIGGER usergraph_count_delete_userid_mapping AFTER DELETE ON userid_mapping REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION usergraph_count_changes()
