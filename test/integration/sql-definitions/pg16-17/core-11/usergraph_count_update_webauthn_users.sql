CREATE TRIGGER usergraph_count_update_webauthn_users AFTER UPDATE ON webauthn_users REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usergraph_count_changes()
