CREATE TRIGGER usergraph_count_delete_webauthn_users AFTER DELETE ON webauthn_users REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION usergraph_count_changes()
