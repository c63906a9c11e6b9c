CREATE TRIGGER usergraph_count_insert_userid_mapping AFTER INSERT ON userid_mapping REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usergraph_count_changes()
