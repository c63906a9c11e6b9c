CREATE TRIGGER usergraph_notify_insert_webauthn_users AFTER INSERT ON webauthn_users REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION usergraph_notify_change('user_id')
