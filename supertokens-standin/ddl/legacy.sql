-- SuperTokens before multi-tenancy (postgresql plugin 2.x/3.x = core 3 to 5): no app_id or
-- tenant_id anywhere, and no apps, tenants, app_id_to_user_id or *_user_to_tenant tables.
-- As the plugin creates them; sources and version notes: docs/supertokens-schema.md §3.
-- Used by the tests (and nothing else); never run against a DATABASE_URL.

CREATE TABLE IF NOT EXISTS all_auth_recipe_users (
  user_id CHAR(36) NOT NULL,
  recipe_id VARCHAR(128) NOT NULL,
  time_joined BIGINT NOT NULL,
  CONSTRAINT all_auth_recipe_users_pkey PRIMARY KEY (user_id));
CREATE INDEX all_auth_recipe_users_pagination_index ON all_auth_recipe_users (time_joined DESC, user_id DESC);

CREATE TABLE IF NOT EXISTS emailpassword_users (
  user_id CHAR(36) NOT NULL,
  email VARCHAR(256) NOT NULL CONSTRAINT emailpassword_users_email_key UNIQUE,
  password_hash VARCHAR(256) NOT NULL,
  time_joined BIGINT NOT NULL,
  CONSTRAINT emailpassword_users_pkey PRIMARY KEY (user_id));

CREATE TABLE IF NOT EXISTS thirdparty_users (
  third_party_id VARCHAR(28) NOT NULL,
  third_party_user_id VARCHAR(256) NOT NULL,
  user_id CHAR(36) NOT NULL CONSTRAINT thirdparty_users_user_id_key UNIQUE,
  email VARCHAR(256) NOT NULL,
  time_joined BIGINT NOT NULL,
  CONSTRAINT thirdparty_users_pkey PRIMARY KEY (third_party_id, third_party_user_id));

CREATE TABLE IF NOT EXISTS passwordless_users (
  user_id CHAR(36) NOT NULL,
  email VARCHAR(256) CONSTRAINT passwordless_users_email_key UNIQUE,
  phone_number VARCHAR(256) CONSTRAINT passwordless_users_phone_number_key UNIQUE,
  time_joined BIGINT NOT NULL,
  CONSTRAINT passwordless_users_pkey PRIMARY KEY (user_id));

CREATE TABLE IF NOT EXISTS user_metadata (
  user_id VARCHAR(128) NOT NULL,
  user_metadata TEXT NOT NULL,
  CONSTRAINT user_metadata_pkey PRIMARY KEY (user_id));

CREATE TABLE IF NOT EXISTS roles (
  role VARCHAR(255) NOT NULL,
  CONSTRAINT roles_pkey PRIMARY KEY (role));
CREATE TABLE IF NOT EXISTS role_permissions (
  role VARCHAR(255) NOT NULL,
  permission VARCHAR(255) NOT NULL,
  CONSTRAINT role_permissions_pkey PRIMARY KEY (role, permission),
  CONSTRAINT role_permissions_role_fkey FOREIGN KEY (role) REFERENCES roles (role) ON DELETE CASCADE);
CREATE INDEX role_permissions_permission_index ON role_permissions (permission);
CREATE TABLE IF NOT EXISTS user_roles (
  user_id VARCHAR(128) NOT NULL,
  role VARCHAR(255) NOT NULL,
  CONSTRAINT user_roles_pkey PRIMARY KEY (user_id, role),
  CONSTRAINT user_roles_role_fkey FOREIGN KEY (role) REFERENCES roles (role) ON DELETE CASCADE);
CREATE INDEX user_roles_role_index ON user_roles (role);

-- Partly inferred (see the docs): the postgres source excerpt is cut off after its first columns.
CREATE TABLE IF NOT EXISTS user_last_active (
  user_id VARCHAR(128),
  last_active_time BIGINT,
  PRIMARY KEY (user_id));

CREATE TABLE IF NOT EXISTS userid_mapping (
  supertokens_user_id CHAR(36) NOT NULL CONSTRAINT userid_mapping_supertokens_user_id_key UNIQUE,
  external_user_id VARCHAR(128) NOT NULL CONSTRAINT userid_mapping_external_user_id_key UNIQUE,
  external_user_id_info TEXT,
  CONSTRAINT userid_mapping_pkey PRIMARY KEY (supertokens_user_id, external_user_id),
  CONSTRAINT userid_mapping_supertokens_user_id_fkey FOREIGN KEY (supertokens_user_id)
    REFERENCES all_auth_recipe_users (user_id) ON DELETE CASCADE);

CREATE TABLE IF NOT EXISTS emailverification_verified_emails (
  user_id VARCHAR(128) NOT NULL,
  email VARCHAR(256) NOT NULL,
  CONSTRAINT emailverification_verified_emails_pkey PRIMARY KEY (user_id, email));
