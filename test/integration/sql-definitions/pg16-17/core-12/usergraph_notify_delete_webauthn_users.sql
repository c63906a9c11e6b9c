CREATE TRIGGER usergraph_notify_delete_webauthn_users AFTER DELETE ON webauthn_users REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION usergraph_notify_change('user_id')
