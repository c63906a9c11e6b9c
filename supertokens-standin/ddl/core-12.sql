-- What SuperTokens core 12 (postgresql plugin 9.5+) adds to the core 11 tables
-- (core-11.sql): the time columns on app_id_to_user_id, ON UPDATE CASCADE on the
-- foreign keys to it, and the account-info tables that `migration_mode` moves tenant membership
-- to. From v9.5.sql, core's SCHEMA-REWORK.md and AccountInfoQueries (docs/supertokens-schema.md).
-- Used by the tests (and nothing else); never run against a DATABASE_URL.

ALTER TABLE app_id_to_user_id
  ADD COLUMN time_joined BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN primary_or_recipe_user_time_joined BIGINT NOT NULL DEFAULT 0;

ALTER TABLE app_id_to_user_id
  DROP CONSTRAINT app_id_to_user_id_primary_or_recipe_user_id_fkey,
  ADD CONSTRAINT app_id_to_user_id_primary_or_recipe_user_id_fkey FOREIGN KEY (app_id, primary_or_recipe_user_id)
    REFERENCES app_id_to_user_id (app_id, user_id) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE all_auth_recipe_users
  DROP CONSTRAINT all_auth_recipe_users_primary_or_recipe_user_id_fkey,
  ADD CONSTRAINT all_auth_recipe_users_primary_or_recipe_user_id_fkey FOREIGN KEY (app_id, primary_or_recipe_user_id)
    REFERENCES app_id_to_user_id (app_id, user_id) ON DELETE CASCADE ON UPDATE CASCADE,
  DROP CONSTRAINT all_auth_recipe_users_user_id_fkey,
  ADD CONSTRAINT all_auth_recipe_users_user_id_fkey FOREIGN KEY (app_id, user_id)
    REFERENCES app_id_to_user_id (app_id, user_id) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE emailpassword_users
  DROP CONSTRAINT emailpassword_users_user_id_fkey,
  ADD CONSTRAINT emailpassword_users_user_id_fkey FOREIGN KEY (app_id, user_id)
    REFERENCES app_id_to_user_id (app_id, user_id) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE thirdparty_users
  DROP CONSTRAINT thirdparty_users_user_id_fkey,
  ADD CONSTRAINT thirdparty_users_user_id_fkey FOREIGN KEY (app_id, user_id)
    REFERENCES app_id_to_user_id (app_id, user_id) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE passwordless_users
  DROP CONSTRAINT passwordless_users_user_id_fkey,
  ADD CONSTRAINT passwordless_users_user_id_fkey FOREIGN KEY (app_id, user_id)
    REFERENCES app_id_to_user_id (app_id, user_id) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE webauthn_users
  DROP CONSTRAINT webauthn_users_user_id_fkey,
  ADD CONSTRAINT webauthn_users_user_id_fkey FOREIGN KEY (app_id, user_id)
    REFERENCES app_id_to_user_id (app_id, user_id) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE userid_mapping
  DROP CONSTRAINT userid_mapping_supertokens_user_id_fkey,
  ADD CONSTRAINT userid_mapping_supertokens_user_id_fkey FOREIGN KEY (app_id, supertokens_user_id)
    REFERENCES app_id_to_user_id (app_id, user_id) ON DELETE CASCADE ON UPDATE CASCADE;

CREATE INDEX app_id_to_user_id_pagination_index1 ON app_id_to_user_id (app_id, primary_or_recipe_user_time_joined DESC, primary_or_recipe_user_id DESC);
CREATE INDEX app_id_to_user_id_pagination_index2 ON app_id_to_user_id (app_id, primary_or_recipe_user_time_joined ASC,  primary_or_recipe_user_id DESC);
CREATE INDEX app_id_to_user_id_pagination_index3 ON app_id_to_user_id (recipe_id, app_id, primary_or_recipe_user_time_joined DESC, primary_or_recipe_user_id DESC);
CREATE INDEX app_id_to_user_id_pagination_index4 ON app_id_to_user_id (recipe_id, app_id, primary_or_recipe_user_time_joined ASC,  primary_or_recipe_user_id DESC);
CREATE INDEX IF NOT EXISTS app_id_to_user_id_linked_flag_index ON app_id_to_user_id (app_id, user_id, is_linked_or_is_a_primary_user); -- 9.6.1

CREATE TABLE IF NOT EXISTS recipe_user_account_infos (
  app_id VARCHAR(64) NOT NULL,
  recipe_user_id CHAR(36) NOT NULL,
  recipe_id VARCHAR(128) NOT NULL,
  account_info_type VARCHAR(8) NOT NULL,
  account_info_value TEXT NOT NULL,
  third_party_id VARCHAR(28),
  third_party_user_id VARCHAR(256),
  primary_user_id CHAR(36) NULL,
  CONSTRAINT recipe_user_account_infos_pkey
    PRIMARY KEY (app_id, recipe_id, recipe_user_id, account_info_type, third_party_id, third_party_user_id),
  CONSTRAINT recipe_user_account_infos_tenant_id_fkey FOREIGN KEY (app_id) REFERENCES apps (app_id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS idx_recipe_user_account_infos_app_recipe_user ON recipe_user_account_infos (app_id, recipe_user_id);
CREATE INDEX IF NOT EXISTS idx_recipe_user_account_infos_account_info ON recipe_user_account_infos (app_id, account_info_type, account_info_value); -- 9.6.2

CREATE TABLE IF NOT EXISTS recipe_user_tenants (
  app_id VARCHAR(64) NOT NULL,
  recipe_user_id CHAR(36) NOT NULL,
  tenant_id VARCHAR(64) NOT NULL,
  recipe_id VARCHAR(128) NOT NULL,
  account_info_type VARCHAR(8) NOT NULL,
  account_info_value TEXT NOT NULL,
  third_party_id VARCHAR(28),
  third_party_user_id VARCHAR(256),
  CONSTRAINT recipe_user_tenants_pkey
    PRIMARY KEY (app_id, tenant_id, recipe_id, account_info_type, third_party_id, third_party_user_id, account_info_value),
  CONSTRAINT recipe_user_tenants_tenant_id_fkey FOREIGN KEY (app_id, tenant_id)
    REFERENCES tenants (app_id, tenant_id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS idx_recipe_user_tenants_tenant ON recipe_user_tenants (app_id, tenant_id);
CREATE INDEX IF NOT EXISTS idx_recipe_user_tenants_recipe_user_id ON recipe_user_tenants (app_id, recipe_user_id);
CREATE INDEX IF NOT EXISTS idx_recipe_user_tenants_account_info ON recipe_user_tenants (app_id, tenant_id, account_info_type, account_info_value);
CREATE INDEX IF NOT EXISTS idx_recipe_user_tenants_tenant_recipe_user ON recipe_user_tenants (app_id, tenant_id, recipe_user_id); -- 9.6.1

CREATE TABLE IF NOT EXISTS primary_user_tenants (
  app_id VARCHAR(64) NOT NULL,
  tenant_id VARCHAR(64) NOT NULL,
  account_info_type VARCHAR(8) NOT NULL,
  account_info_value TEXT NOT NULL,
  primary_user_id CHAR(36) NOT NULL,
  CONSTRAINT primary_user_tenants_pkey PRIMARY KEY (app_id, tenant_id, account_info_type, account_info_value),
  CONSTRAINT primary_user_tenants_app_id_fkey FOREIGN KEY (app_id, tenant_id) REFERENCES tenants (app_id, tenant_id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS idx_primary_user_tenants_primary ON primary_user_tenants (primary_user_id);
CREATE INDEX IF NOT EXISTS idx_primary_user_tenants_tenant_primary ON primary_user_tenants (app_id, tenant_id, primary_user_id); -- 9.6.1
