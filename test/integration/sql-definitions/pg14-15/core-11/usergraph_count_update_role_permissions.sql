CREATE TRIGGER usergraph_count_update_role_permissions AFTER UPDATE ON role_permissions REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usergraph_count_changes()
