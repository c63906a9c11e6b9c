/**
 * Many synthetic users at once, for tests and benchmarks that need volume: the rows core's
 * statements write (see writes.ts), written set-at-a-time so that a million take a minute or
 * two. Core 7 to 11 layout. Never used by the service.
 *
 * For user i of 1..count: 60% sign up with email and password, 15% with a third party, 10% with
 * a passkey (WebAuthn), 15% passwordless (a third of those phone-only); every tenth (an email-password user) is a primary
 * user with a third-party login method linked to it; every fifth has an external id; every third
 * is also in tenant t1; most have metadata, roles in one or two tenants, last activity, and some
 * verified emails.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

export interface SyntheticUsers {
  readonly count: number;
  readonly appId?: string;
  /** Epoch milliseconds of user 1; user i joins i minutes later. */
  readonly since?: number;
}

/** The SuperTokens id of synthetic user i (and of the third-party method linked to it). */
export const syntheticUserId = (i: number) => uuidOf(`ug-${i}`);
export const syntheticLinkedId = (i: number) => uuidOf(`ug-link-${i}`);
/** The id the SDK shows for synthetic user i (its external id, every fifth user): metadata and roles are filed under it. */
export const syntheticUserKey = (i: number) => (i % 5 === 0 ? `ext-${i}` : syntheticUserId(i));

/** As the SQL below makes them: md5(seed)::uuid. */
function uuidOf(seed: string): string {
  const hex = createHash('md5').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export async function seedSyntheticUsers(db: Kysely<any>, { count, appId = 'public', since = 1_600_000_000_000 }: SyntheticUsers): Promise<void> {
  await sql`INSERT INTO tenants (app_id, tenant_id, created_at_time) VALUES (${appId}, 't1', 0) ON CONFLICT DO NOTHING`.execute(db);
  await db.transaction().execute(async (trx) => {
    const run = (statement: ReturnType<typeof sql>) => statement.execute(trx);
    await run(sql`
      CREATE TEMP TABLE synthetic ON COMMIT DROP AS
      SELECT i,
             md5('ug-' || i)::uuid::text AS user_id,
             CASE WHEN i % 20 < 12 THEN 'emailpassword' WHEN i % 20 < 15 THEN 'thirdparty' WHEN i % 20 < 17 THEN 'webauthn'
                  ELSE 'passwordless' END AS recipe_id,
             'user' || i || '@example.com' AS email,
             (${since}::bigint + i::bigint * 60000) AS time_joined,
             i % 10 = 0 AS is_primary,
             md5('ug-link-' || i)::uuid::text AS linked_id
      FROM generate_series(1, ${count}) AS i
    `);
    await run(sql`ANALYZE synthetic`);
    await run(sql`
      INSERT INTO app_id_to_user_id (app_id, user_id, primary_or_recipe_user_id, recipe_id, is_linked_or_is_a_primary_user)
      SELECT ${appId}, user_id, user_id, recipe_id, is_primary FROM synthetic
      UNION ALL
      SELECT ${appId}, linked_id, user_id, 'thirdparty', true FROM synthetic WHERE is_primary
    `);
    await run(sql`
      INSERT INTO all_auth_recipe_users
        (app_id, tenant_id, user_id, primary_or_recipe_user_id, is_linked_or_is_a_primary_user, recipe_id, time_joined, primary_or_recipe_user_time_joined)
      SELECT ${appId}, tenant_id, user_id, user_id, is_primary, recipe_id, time_joined, time_joined
      FROM synthetic CROSS JOIN LATERAL (VALUES ('public'), ('t1')) t(tenant_id) WHERE tenant_id = 'public' OR i % 3 = 0
      UNION ALL
      SELECT ${appId}, 'public', linked_id, user_id, true, 'thirdparty', time_joined + 1000, time_joined FROM synthetic WHERE is_primary
    `);
    await run(sql`ANALYZE all_auth_recipe_users`);
    await run(sql`
      INSERT INTO emailpassword_users (app_id, user_id, email, password_hash, time_joined)
      SELECT ${appId}, user_id, email, '$argon2id$synthetic', time_joined FROM synthetic WHERE recipe_id = 'emailpassword'
    `);
    await run(sql`
      INSERT INTO emailpassword_user_to_tenant (app_id, tenant_id, user_id, email)
      SELECT ${appId}, a.tenant_id, s.user_id, s.email FROM synthetic s JOIN all_auth_recipe_users a ON a.app_id = ${appId} AND a.user_id = s.user_id
      WHERE s.recipe_id = 'emailpassword'
    `);
    await run(sql`
      INSERT INTO thirdparty_users (app_id, third_party_id, third_party_user_id, user_id, email, time_joined)
      SELECT ${appId}, 'google', 'g-' || i, user_id, email, time_joined FROM synthetic WHERE recipe_id = 'thirdparty'
      UNION ALL
      SELECT ${appId}, 'github', 'gh-' || i, linked_id, email, time_joined + 1000 FROM synthetic WHERE is_primary
    `);
    await run(sql`
      INSERT INTO thirdparty_user_to_tenant (app_id, tenant_id, user_id, third_party_id, third_party_user_id)
      SELECT ${appId}, a.tenant_id, t.user_id, t.third_party_id, t.third_party_user_id
      FROM thirdparty_users t JOIN all_auth_recipe_users a ON a.app_id = t.app_id AND a.user_id = t.user_id WHERE t.app_id = ${appId}
    `);
    await run(sql`
      INSERT INTO passwordless_users (app_id, user_id, email, phone_number, time_joined)
      SELECT ${appId}, user_id, CASE WHEN i % 20 = 19 THEN NULL ELSE email END, '+1555' || lpad(i::text, 7, '0'), time_joined
      FROM synthetic WHERE recipe_id = 'passwordless'
    `);
    await run(sql`
      INSERT INTO webauthn_users (app_id, user_id, email, rp_id, time_joined)
      SELECT ${appId}, user_id, email, 'example.com', time_joined FROM synthetic WHERE recipe_id = 'webauthn'
    `);
    await run(sql`
      INSERT INTO webauthn_user_to_tenant (app_id, tenant_id, user_id, email)
      SELECT ${appId}, a.tenant_id, w.user_id, w.email
      FROM webauthn_users w JOIN all_auth_recipe_users a ON a.app_id = w.app_id AND a.user_id = w.user_id WHERE w.app_id = ${appId}
    `);
    await run(sql`ANALYZE thirdparty_users, passwordless_users, webauthn_users, webauthn_user_to_tenant`);
    await run(sql`
      INSERT INTO passwordless_user_to_tenant (app_id, tenant_id, user_id, email, phone_number)
      SELECT ${appId}, a.tenant_id, p.user_id, p.email, p.phone_number
      FROM passwordless_users p JOIN all_auth_recipe_users a ON a.app_id = p.app_id AND a.user_id = p.user_id WHERE p.app_id = ${appId}
    `);
    await run(sql`
      INSERT INTO userid_mapping (app_id, supertokens_user_id, external_user_id)
      SELECT ${appId}, user_id, 'ext-' || i FROM synthetic WHERE i % 5 = 0
    `);
    // Metadata, roles and verified emails are filed under the external id when there is one.
    await run(sql`
      CREATE TEMP TABLE synthetic_keys ON COMMIT DROP AS
      SELECT i, CASE WHEN i % 5 = 0 THEN 'ext-' || i ELSE user_id END AS key, user_id, email, recipe_id FROM synthetic
    `);
    await run(sql`ANALYZE synthetic_keys`);
    await run(sql`
      INSERT INTO user_metadata (app_id, user_id, user_metadata)
      SELECT ${appId}, key, json_build_object('first_name', 'User', 'n', i, 'preferences', json_build_object('theme', 'dark'))::text
      FROM synthetic_keys WHERE i % 10 < 7
    `);
    await run(sql`INSERT INTO roles (app_id, role) VALUES (${appId}, 'viewer'), (${appId}, 'admin') ON CONFLICT DO NOTHING`);
    await run(sql`
      INSERT INTO role_permissions (app_id, role, permission)
      VALUES (${appId}, 'viewer', 'content:read'), (${appId}, 'admin', 'users:read'), (${appId}, 'admin', 'users:write')
      ON CONFLICT DO NOTHING
    `);
    await run(sql`
      INSERT INTO user_roles (app_id, tenant_id, user_id, role)
      SELECT ${appId}, 'public', key, 'viewer' FROM synthetic_keys WHERE i % 2 = 0
      UNION ALL
      SELECT ${appId}, 't1', key, 'admin' FROM synthetic_keys WHERE i % 7 = 0
    `);
    await run(sql`
      INSERT INTO user_last_active (app_id, user_id, last_active_time)
      SELECT ${appId}, user_id, time_joined + 86400000 FROM synthetic WHERE i % 10 < 6
    `);
    await run(sql`
      INSERT INTO emailverification_verified_emails (app_id, user_id, email)
      SELECT ${appId}, key, email FROM synthetic_keys WHERE recipe_id = 'emailpassword' AND i % 5 < 2
    `);
  });
  await sql`ANALYZE`.execute(db);
}
