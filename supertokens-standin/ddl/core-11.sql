-- SuperTokens core 11 (postgresql plugin 9.x) tables, as the plugin creates them, but for the
-- WebAuthn recipe's (core 10.1+), which are in webauthn.sql. Sources and version notes: docs/supertokens-schema.md. Used by the embedded demo and the tests;
-- never run against a DATABASE_URL.

CREATE TABLE IF NOT EXISTS apps (
  app_id VARCHAR(64) NOT NULL DEFAULT 'public',
  created_at_time BIGINT,
  CONSTRAINT apps_pkey PRIMARY KEY (app_id)
);

CREATE TABLE IF NOT EXISTS tenants (
  app_id VARCHAR(64) NOT NULL DEFAULT 'public',
  tenant_id VARCHAR(64) NOT NULL DEFAULT 'public',
  created_at_time BIGINT,
  CONSTRAINT tenants_pkey PRIMARY KEY (app_id, tenant_id),
  CONSTRAINT tenants_app_id_fkey FOREIGN KEY (app_id) REFERENCES apps (app_id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS tenants_app_id_index ON tenants (app_id);

CREATE TABLE IF NOT EXISTS app_id_to_user_id (
  app_id VARCHAR(64) NOT NULL DEFAULT 'public',
  user_id CHAR(36) NOT NULL,
  recipe_id VARCHAR(128) NOT NULL,
  primary_or_recipe_user_id CHAR(36) NOT NULL,
  is_linked_or_is_a_primary_user BOOLEAN NOT NULL DEFAULT FALSE,
  CONSTRAINT app_id_to_user_id_pkey PRIMARY KEY (app_id, user_id),
  CONSTRAINT app_id_to_user_id_primary_or_recipe_user_id_fkey FOREIGN KEY (app_id, primary_or_recipe_user_id)
    REFERENCES app_id_to_user_id (app_id, user_id) ON DELETE CASCADE,
  CONSTRAINT app_id_to_user_id_app_id_fkey FOREIGN KEY (app_id) REFERENCES apps (app_id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS app_id_to_user_id_app_id_index ON app_id_to_user_id (app_id);
CREATE INDEX IF NOT EXISTS app_id_to_user_id_primary_user_id_index ON app_id_to_user_id (primary_or_recipe_user_id, app_id); -- 5.0.4+
CREATE INDEX IF NOT EXISTS app_id_to_user_id_user_id_index ON app_id_to_user_id (user_id, app_id);

CREATE TABLE IF NOT EXISTS all_auth_recipe_users (
  app_id VARCHAR(64) DEFAULT 'public',
  tenant_id VARCHAR(64) DEFAULT 'public',
  user_id CHAR(36) NOT NULL,
  primary_or_recipe_user_id CHAR(36) NOT NULL,
  is_linked_or_is_a_primary_user BOOLEAN NOT NULL DEFAULT FALSE,
  recipe_id VARCHAR(128) NOT NULL,
  time_joined BIGINT NOT NULL,
  primary_or_recipe_user_time_joined BIGINT NOT NULL,
  CONSTRAINT all_auth_recipe_users_pkey PRIMARY KEY (app_id, tenant_id, user_id),
  CONSTRAINT all_auth_recipe_users_tenant_id_fkey FOREIGN KEY (app_id, tenant_id)
    REFERENCES tenants (app_id, tenant_id) ON DELETE CASCADE,
  CONSTRAINT all_auth_recipe_users_primary_or_recipe_user_id_fkey FOREIGN KEY (app_id, primary_or_recipe_user_id)
    REFERENCES app_id_to_user_id (app_id, user_id) ON DELETE CASCADE,
  CONSTRAINT all_auth_recipe_users_user_id_fkey FOREIGN KEY (app_id, user_id)
    REFERENCES app_id_to_user_id (app_id, user_id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS all_auth_recipe_users_pagination_index1 ON all_auth_recipe_users (app_id, tenant_id, primary_or_recipe_user_time_joined DESC, primary_or_recipe_user_id DESC);
CREATE INDEX IF NOT EXISTS all_auth_recipe_users_pagination_index2 ON all_auth_recipe_users (app_id, tenant_id, primary_or_recipe_user_time_joined ASC,  primary_or_recipe_user_id DESC);
CREATE INDEX IF NOT EXISTS all_auth_recipe_users_pagination_index3 ON all_auth_recipe_users (recipe_id, app_id, tenant_id, primary_or_recipe_user_time_joined DESC, primary_or_recipe_user_id DESC);
CREATE INDEX IF NOT EXISTS all_auth_recipe_users_pagination_index4 ON all_auth_recipe_users (recipe_id, app_id, tenant_id, primary_or_recipe_user_time_joined ASC,  primary_or_recipe_user_id DESC);
CREATE INDEX IF NOT EXISTS all_auth_recipe_users_primary_user_id_index ON all_auth_recipe_users (primary_or_recipe_user_id, app_id);
CREATE INDEX IF NOT EXISTS all_auth_recipe_users_recipe_id_index ON all_auth_recipe_users (app_id, recipe_id, tenant_id);
CREATE INDEX IF NOT EXISTS all_auth_recipe_user_id_index ON all_auth_recipe_users (app_id, user_id);
CREATE INDEX IF NOT EXISTS all_auth_recipe_tenant_id_index ON all_auth_recipe_users (app_id, tenant_id);

CREATE TABLE IF NOT EXISTS emailpassword_users (
  app_id VARCHAR(64) DEFAULT 'public',
  user_id CHAR(36) NOT NULL,
  email VARCHAR(256) NOT NULL,
  password_hash VARCHAR(256) NOT NULL,
  time_joined BIGINT NOT NULL,
  CONSTRAINT emailpassword_users_user_id_fkey FOREIGN KEY (app_id, user_id)
    REFERENCES app_id_to_user_id (app_id, user_id) ON DELETE CASCADE,   -- 9.5+: + ON UPDATE CASCADE
  CONSTRAINT emailpassword_users_pkey PRIMARY KEY (app_id, user_id)
);
CREATE INDEX IF NOT EXISTS emailpassword_users_email_index ON emailpassword_users (app_id, email); -- 8.0.1+

CREATE TABLE IF NOT EXISTS emailpassword_user_to_tenant (
  app_id VARCHAR(64) DEFAULT 'public',
  tenant_id VARCHAR(64) DEFAULT 'public',
  user_id CHAR(36) NOT NULL,
  email VARCHAR(256) NOT NULL,
  CONSTRAINT emailpassword_user_to_tenant_email_key UNIQUE (app_id, tenant_id, email),
  CONSTRAINT emailpassword_user_to_tenant_pkey PRIMARY KEY (app_id, tenant_id, user_id),
  CONSTRAINT emailpassword_user_to_tenant_user_id_fkey FOREIGN KEY (app_id, tenant_id, user_id)
    REFERENCES all_auth_recipe_users (app_id, tenant_id, user_id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS emailpassword_user_to_tenant_email_index ON emailpassword_user_to_tenant (app_id, tenant_id, email); -- 8.0.1+

CREATE TABLE IF NOT EXISTS thirdparty_users (
  app_id VARCHAR(64) DEFAULT 'public',
  third_party_id VARCHAR(28) NOT NULL,
  third_party_user_id VARCHAR(256) NOT NULL,
  user_id CHAR(36) NOT NULL,
  email VARCHAR(256) NOT NULL,
  time_joined BIGINT NOT NULL,
  CONSTRAINT thirdparty_users_user_id_fkey FOREIGN KEY (app_id, user_id)
    REFERENCES app_id_to_user_id (app_id, user_id) ON DELETE CASCADE,   -- 9.5+: + ON UPDATE CASCADE
  CONSTRAINT thirdparty_users_pkey PRIMARY KEY (app_id, user_id)
);
CREATE INDEX IF NOT EXISTS thirdparty_users_email_index ON thirdparty_users (app_id, email);
CREATE INDEX IF NOT EXISTS thirdparty_users_thirdparty_user_id_index ON thirdparty_users (app_id, third_party_id, third_party_user_id);

CREATE TABLE IF NOT EXISTS thirdparty_user_to_tenant (
  app_id VARCHAR(64) DEFAULT 'public',
  tenant_id VARCHAR(64) DEFAULT 'public',
  user_id CHAR(36) NOT NULL,
  third_party_id VARCHAR(28) NOT NULL,
  third_party_user_id VARCHAR(256) NOT NULL,
  CONSTRAINT thirdparty_user_to_tenant_third_party_user_id_key UNIQUE (app_id, tenant_id, third_party_id, third_party_user_id),
  CONSTRAINT thirdparty_user_to_tenant_pkey PRIMARY KEY (app_id, tenant_id, user_id),
  CONSTRAINT thirdparty_user_to_tenant_user_id_fkey FOREIGN KEY (app_id, tenant_id, user_id)
    REFERENCES all_auth_recipe_users (app_id, tenant_id, user_id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS thirdparty_user_to_tenant_third_party_user_id_index
  ON thirdparty_user_to_tenant (app_id, tenant_id, third_party_id, third_party_user_id); -- 8.0.1+

CREATE TABLE IF NOT EXISTS passwordless_users (
  app_id VARCHAR(64) DEFAULT 'public',
  user_id CHAR(36) NOT NULL,
  email VARCHAR(256),
  phone_number VARCHAR(256),
  time_joined BIGINT NOT NULL,
  CONSTRAINT passwordless_users_user_id_fkey FOREIGN KEY (app_id, user_id)
    REFERENCES app_id_to_user_id (app_id, user_id) ON DELETE CASCADE,   -- 9.5+: + ON UPDATE CASCADE
  CONSTRAINT passwordless_users_pkey PRIMARY KEY (app_id, user_id)
);
CREATE INDEX IF NOT EXISTS passwordless_users_email_index ON passwordless_users (app_id, email);               -- 8.0.1+
CREATE INDEX IF NOT EXISTS passwordless_users_phone_number_index ON passwordless_users (app_id, phone_number); -- 8.0.1+

CREATE TABLE IF NOT EXISTS passwordless_user_to_tenant (
  app_id VARCHAR(64) DEFAULT 'public',
  tenant_id VARCHAR(64) DEFAULT 'public',
  user_id CHAR(36) NOT NULL,
  email VARCHAR(256),
  phone_number VARCHAR(256),
  CONSTRAINT passwordless_user_to_tenant_email_key UNIQUE (app_id, tenant_id, email),
  CONSTRAINT passwordless_user_to_tenant_phone_number_key UNIQUE (app_id, tenant_id, phone_number),
  CONSTRAINT passwordless_user_to_tenant_pkey PRIMARY KEY (app_id, tenant_id, user_id),
  CONSTRAINT passwordless_user_to_tenant_user_id_fkey FOREIGN KEY (app_id, tenant_id, user_id)
    REFERENCES all_auth_recipe_users (app_id, tenant_id, user_id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS passwordless_user_to_tenant_email_index ON passwordless_user_to_tenant (app_id, tenant_id, email);               -- 8.0.1+
CREATE INDEX IF NOT EXISTS passwordless_user_to_tenant_phone_number_index ON passwordless_user_to_tenant (app_id, tenant_id, phone_number); -- 8.0.1+

CREATE TABLE IF NOT EXISTS user_metadata (
  app_id VARCHAR(64) DEFAULT 'public',
  user_id VARCHAR(128) NOT NULL,
  user_metadata TEXT NOT NULL,
  CONSTRAINT user_metadata_pkey PRIMARY KEY (app_id, user_id),
  CONSTRAINT user_metadata_app_id_fkey FOREIGN KEY (app_id) REFERENCES apps (app_id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS user_metadata_app_id_index ON user_metadata (app_id);

CREATE TABLE IF NOT EXISTS roles (
  app_id VARCHAR(64) DEFAULT 'public',
  role VARCHAR(255) NOT NULL,
  CONSTRAINT roles_pkey PRIMARY KEY (app_id, role),
  CONSTRAINT roles_app_id_fkey FOREIGN KEY (app_id) REFERENCES apps (app_id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS roles_app_id_index ON roles (app_id);

CREATE TABLE IF NOT EXISTS role_permissions (
  app_id VARCHAR(64) DEFAULT 'public',
  role VARCHAR(255) NOT NULL,
  permission VARCHAR(255) NOT NULL,
  CONSTRAINT role_permissions_pkey PRIMARY KEY (app_id, role, permission),
  CONSTRAINT role_permissions_role_fkey FOREIGN KEY (app_id, role) REFERENCES roles (app_id, role) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS role_permissions_role_index ON role_permissions (app_id, role);
CREATE INDEX IF NOT EXISTS role_permissions_permission_index ON role_permissions (app_id, permission);

CREATE TABLE IF NOT EXISTS user_roles (
  app_id VARCHAR(64) DEFAULT 'public',
  tenant_id VARCHAR(64) DEFAULT 'public',
  user_id VARCHAR(128) NOT NULL,
  role VARCHAR(255) NOT NULL,
  CONSTRAINT user_roles_pkey PRIMARY KEY (app_id, tenant_id, user_id, role),
  CONSTRAINT user_roles_tenant_id_fkey FOREIGN KEY (app_id, tenant_id) REFERENCES tenants (app_id, tenant_id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS user_roles_role_index ON user_roles (app_id, tenant_id, role);
CREATE INDEX IF NOT EXISTS user_roles_tenant_id_index ON user_roles (app_id, tenant_id);
CREATE INDEX IF NOT EXISTS user_roles_app_id_role_index ON user_roles (app_id, role);
CREATE INDEX IF NOT EXISTS user_roles_app_id_user_id_index ON user_roles (app_id, user_id); -- 8.1.2+ (CHANGELOG SQL)

CREATE TABLE IF NOT EXISTS user_last_active (
  app_id VARCHAR(64) DEFAULT 'public',
  user_id VARCHAR(128),
  last_active_time BIGINT,
  PRIMARY KEY (app_id, user_id),                       -- unnamed in source → user_last_active_pkey
  CONSTRAINT user_last_active_app_id_fkey FOREIGN KEY (app_id) REFERENCES apps (app_id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS user_last_active_app_id_index ON user_last_active (app_id);
CREATE INDEX IF NOT EXISTS user_last_active_last_active_time_index ON user_last_active (last_active_time DESC, app_id DESC); -- 7.1.3+
CREATE INDEX IF NOT EXISTS user_last_active_app_id_last_active_time_index ON user_last_active (app_id, last_active_time);   -- 9.6.0+

CREATE TABLE IF NOT EXISTS userid_mapping (
  app_id VARCHAR(64) DEFAULT 'public',
  supertokens_user_id CHAR(36) NOT NULL,
  external_user_id VARCHAR(128) NOT NULL,
  external_user_id_info TEXT,
  CONSTRAINT userid_mapping_supertokens_user_id_key UNIQUE (app_id, supertokens_user_id),
  CONSTRAINT userid_mapping_external_user_id_key UNIQUE (app_id, external_user_id),
  CONSTRAINT userid_mapping_pkey PRIMARY KEY (app_id, supertokens_user_id, external_user_id),
  CONSTRAINT userid_mapping_supertokens_user_id_fkey FOREIGN KEY (app_id, supertokens_user_id)
    REFERENCES app_id_to_user_id (app_id, user_id) ON DELETE CASCADE   -- 9.5+: + ON UPDATE CASCADE
);
CREATE INDEX IF NOT EXISTS userid_mapping_supertokens_user_id_index ON userid_mapping (app_id, supertokens_user_id);

CREATE TABLE IF NOT EXISTS emailverification_verified_emails (
  app_id VARCHAR(64) DEFAULT 'public',
  user_id VARCHAR(128) NOT NULL,
  email VARCHAR(256) NOT NULL,
  CONSTRAINT emailverification_verified_emails_pkey PRIMARY KEY (app_id, user_id, email),
  CONSTRAINT emailverification_verified_emails_app_id_fkey FOREIGN KEY (app_id) REFERENCES apps (app_id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS emailverification_verified_emails_app_id_index ON emailverification_verified_emails (app_id);
CREATE INDEX IF NOT EXISTS emailverification_verified_emails_app_id_email_index ON emailverification_verified_emails (app_id, email); -- 8.1.0+
