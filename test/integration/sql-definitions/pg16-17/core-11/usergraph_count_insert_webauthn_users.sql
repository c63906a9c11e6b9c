CREATE TRIGGER usergraph_count_insert_webauthn_users AFTER INSERT ON webauthn_users REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usergraph_count_changes()
