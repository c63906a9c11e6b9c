CREATE TRIGGER usergraph_count_update_roles AFTER UPDATE ON roles REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usergraph_count_changes()
