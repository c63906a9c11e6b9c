/**
 * Writes the way SuperTokens core does (statement for statement, see docs/supertokens-schema.md),
 * for the embedded demo and for test fixtures. The service itself never writes these tables.
 *
 * Core 7 to 11 layout (multi-tenancy and account linking). Core 12 adds `migration_mode`: pass
 * `mode` and the writes go to the old tables (all_auth_recipe_users, *_user_to_tenant), the new
 * ones (recipe_user_account_infos, recipe_user_tenants, primary_user_tenants) or both, as that
 * mode makes core write them. Without `mode`, a write is core 11's. The pre-multitenancy layout
 * has its own writers: legacy-writes.ts.
 *
 * Quoted from core: every old-table statement (plugin sources named in the docs). Written after
 * core 12's AccountInfoQueries where it was read (sign-up's account infos, becoming primary);
 * the other new-table statements (linking, tenant add/remove) are our reconstruction of the same
 * effect, marked as such: usergraph reads only which tenants a recipe user is in from them.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { sql, type Kysely } from 'kysely';

const CORE_11_DDL = new URL('./ddl/core-11.sql', import.meta.url);
const WEBAUTHN_DDL = new URL('./ddl/webauthn.sql', import.meta.url);
const CORE_12_DDL = new URL('./ddl/core-12.sql', import.meta.url);

/** Any database handle: these tables are not part of the service's typed `Database`. */
type Db = Kysely<any>;

/** Core 12's per-app `migration_mode`. */
export type MigrationMode = 'LEGACY' | 'DUAL_WRITE_READ_OLD' | 'DUAL_WRITE_READ_NEW' | 'MIGRATED';
export const MIGRATION_MODES: readonly MigrationMode[] = ['LEGACY', 'DUAL_WRITE_READ_OLD', 'DUAL_WRITE_READ_NEW', 'MIGRATED'];

/** Old tables: all_auth_recipe_users and the *_user_to_tenant tables (every mode but MIGRATED). */
const writesOld = (mode: MigrationMode | undefined) => mode !== 'MIGRATED';
/** New tables: recipe_user_account_infos, recipe_user_tenants, primary_user_tenants (core 12, not LEGACY). */
const writesNew = (mode: MigrationMode | undefined) => mode !== undefined && mode !== 'LEGACY';

export type RecipeId = 'emailpassword' | 'thirdparty' | 'passwordless' | 'webauthn';

/**
 * Core's tables, and the default app and tenant that core creates when it first starts. Core 11 by
 * default; 10 is a core 7 to 10.0 (the same tables without WebAuthn's, which came with 10.1).
 */
export async function createSuperTokensTables(db: Db, { core = 11 }: { core?: 10 | 11 | 12 } = {}): Promise<void> {
  await sql.raw(await readFile(CORE_11_DDL, 'utf8')).execute(db);
  if (core >= 11) await sql.raw(await readFile(WEBAUTHN_DDL, 'utf8')).execute(db);
  await createApp(db, 'public');
  if (core === 12) await sql.raw(await readFile(CORE_12_DDL, 'utf8')).execute(db);
}

export async function createApp(db: Db, appId: string, tenantIds: readonly string[] = ['public']): Promise<void> {
  const now = Date.now();
  await sql`INSERT INTO apps (app_id, created_at_time) VALUES (${appId}, ${now}) ON CONFLICT DO NOTHING`.execute(db);
  for (const tenantId of tenantIds) {
    await sql`INSERT INTO tenants (app_id, tenant_id, created_at_time) VALUES (${appId}, ${tenantId}, ${now})
              ON CONFLICT DO NOTHING`.execute(db);
  }
}

interface SignUpCommon {
  readonly timeJoined?: number;
  readonly userId?: string;
  readonly appId?: string;
  readonly tenantId?: string;
  /** Core 12 only. */
  readonly mode?: MigrationMode;
}

export interface EmailPasswordSignUp extends SignUpCommon {
  readonly email: string;
}

export interface ThirdPartySignUp extends SignUpCommon {
  readonly thirdPartyId: string;
  readonly thirdPartyUserId: string;
  readonly email: string;
}

/** At least one of email and phone number. */
export interface PasswordlessSignUp extends SignUpCommon {
  readonly email?: string | null;
  readonly phoneNumber?: string | null;
}

/** A passkey sign-up: the email the passkey was registered with, and the relying party. */
export interface WebAuthnSignUp extends SignUpCommon {
  readonly email: string;
  /** The relying party (the site's domain) the passkey belongs to. */
  readonly rpId?: string;
}

/** One identifier of a recipe user, as core 12's account-info tables hold it. */
interface AccountInfo {
  readonly type: 'email' | 'phone' | 'tparty';
  readonly value: string;
  readonly thirdPartyId: string;
  readonly thirdPartyUserId: string;
}

/** Core's sign-up: four inserts in one transaction. Returns the new user id. */
export async function signUpEmailPassword(db: Db, input: EmailPasswordSignUp): Promise<string> {
  const { email } = input;
  // Never read by usergraph; shaped like the argon2 hashes core stores.
  const passwordHash = `$argon2id$v=19$m=65536,t=3,p=1$${randomUUID()}`;
  return signUp(db, input, 'emailpassword', [{ type: 'email', value: email, thirdPartyId: '', thirdPartyUserId: '' }], {
    insertRecipeUser: (trx, { appId, userId, timeJoined }) =>
      sql`INSERT INTO emailpassword_users (app_id, user_id, email, password_hash, time_joined)
          VALUES (${appId}, ${userId}, ${email}, ${passwordHash}, ${timeJoined})`.execute(trx),
    insertToTenant: (trx, { appId, tenantId, userId }) =>
      sql`INSERT INTO emailpassword_user_to_tenant (app_id, tenant_id, user_id, email)
          VALUES (${appId}, ${tenantId}, ${userId}, ${email})`.execute(trx),
  });
}

/** ThirdPartyQueries.signUp: app_id_to_user_id, all_auth_recipe_users, thirdparty_users, thirdparty_user_to_tenant. */
export async function signUpThirdParty(db: Db, input: ThirdPartySignUp): Promise<string> {
  const { thirdPartyId, thirdPartyUserId, email } = input;
  const infos: AccountInfo[] = [
    { type: 'email', value: email, thirdPartyId, thirdPartyUserId },
    { type: 'tparty', value: `${thirdPartyId}::${thirdPartyUserId}`, thirdPartyId, thirdPartyUserId },
  ];
  return signUp(db, input, 'thirdparty', infos, {
    insertRecipeUser: (trx, { appId, userId, timeJoined }) =>
      sql`INSERT INTO thirdparty_users (app_id, third_party_id, third_party_user_id, user_id, email, time_joined)
          VALUES (${appId}, ${thirdPartyId}, ${thirdPartyUserId}, ${userId}, ${email}, ${timeJoined})`.execute(trx),
    insertToTenant: (trx, { appId, tenantId, userId }) =>
      sql`INSERT INTO thirdparty_user_to_tenant (app_id, tenant_id, user_id, third_party_id, third_party_user_id)
          VALUES (${appId}, ${tenantId}, ${userId}, ${thirdPartyId}, ${thirdPartyUserId})`.execute(trx),
  });
}

/** PasswordlessQueries.createUser: app_id_to_user_id, all_auth_recipe_users, passwordless_users, passwordless_user_to_tenant. */
export async function signUpPasswordless(db: Db, input: PasswordlessSignUp): Promise<string> {
  const email = input.email ?? null;
  const phoneNumber = input.phoneNumber ?? null;
  if (email === null && phoneNumber === null) throw new Error('a passwordless user has an email, a phone number or both');
  const infos: AccountInfo[] = [];
  if (email !== null) infos.push({ type: 'email', value: email, thirdPartyId: '', thirdPartyUserId: '' });
  if (phoneNumber !== null) infos.push({ type: 'phone', value: phoneNumber, thirdPartyId: '', thirdPartyUserId: '' });
  return signUp(db, input, 'passwordless', infos, {
    insertRecipeUser: (trx, { appId, userId, timeJoined }) =>
      sql`INSERT INTO passwordless_users (app_id, user_id, email, phone_number, time_joined)
          VALUES (${appId}, ${userId}, ${email}, ${phoneNumber}, ${timeJoined})`.execute(trx),
    insertToTenant: (trx, { appId, tenantId, userId }) =>
      sql`INSERT INTO passwordless_user_to_tenant (app_id, tenant_id, user_id, email, phone_number)
          VALUES (${appId}, ${tenantId}, ${userId}, ${email}, ${phoneNumber})`.execute(trx),
  });
}

/**
 * WebAuthNQueries.createUser_Transaction: app_id_to_user_id, all_auth_recipe_users,
 * webauthn_user_to_tenant, then webauthn_users (the tenant row comes before the user row here,
 * unlike the other recipes). Core 12 adds the email as an account info (addRecipeUserAccountInfo_Transaction).
 */
export async function signUpWebAuthn(db: Db, input: WebAuthnSignUp): Promise<string> {
  const { email, rpId = 'example.com' } = input;
  return signUp(db, input, 'webauthn', [{ type: 'email', value: email, thirdPartyId: '', thirdPartyUserId: '' }], {
    tenantRowFirst: true,
    insertRecipeUser: (trx, { appId, userId, timeJoined }) =>
      sql`INSERT INTO webauthn_users (app_id, user_id, email, rp_id, time_joined)
          VALUES (${appId}, ${userId}, ${email}, ${rpId}, ${timeJoined})`.execute(trx),
    insertToTenant: (trx, { appId, tenantId, userId }) =>
      sql`INSERT INTO webauthn_user_to_tenant (app_id, tenant_id, user_id, email)
          VALUES (${appId}, ${tenantId}, ${userId}, ${email})`.execute(trx),
  });
}

/**
 * WebAuthNQueries.updateUserEmail_Transaction (core 7 to 11 tables): the tenant's row, then the
 * user's. Core changes webauthn_user_to_tenant in the tenant of the request only.
 */
export async function updateWebAuthnEmail(
  db: Db,
  userId: string,
  email: string,
  { appId = 'public', tenantId = 'public' }: { appId?: string; tenantId?: string } = {},
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`UPDATE webauthn_user_to_tenant SET email = ${email}
              WHERE app_id = ${appId} AND tenant_id = ${tenantId} AND user_id = ${userId}`.execute(trx);
    await sql`UPDATE webauthn_users SET email = ${email} WHERE app_id = ${appId} AND user_id = ${userId}`.execute(trx);
  });
}

interface SignUpRow {
  readonly appId: string;
  readonly tenantId: string;
  readonly userId: string;
  readonly timeJoined: number;
}

interface RecipeInserts {
  /** Core writes the *_user_to_tenant row before the recipe's own row (WebAuthn does). */
  readonly tenantRowFirst?: boolean;
  insertRecipeUser(trx: Db, row: SignUpRow): Promise<unknown>;
  insertToTenant(trx: Db, row: SignUpRow): Promise<unknown>;
}

/** The sign-up every recipe shares: one transaction, in core's order. */
async function signUp(db: Db, input: SignUpCommon, recipeId: RecipeId, infos: readonly AccountInfo[], recipe: RecipeInserts): Promise<string> {
  const { appId = 'public', tenantId = 'public', mode } = input;
  const row: SignUpRow = { appId, tenantId, userId: input.userId ?? randomUUID(), timeJoined: input.timeJoined ?? Date.now() };
  const { userId, timeJoined } = row;
  await db.transaction().execute(async (trx) => {
    if (writesNew(mode)) {
      // Core 12 fills app_id_to_user_id's time columns (users signed up in LEGACY mode keep 0).
      await sql`INSERT INTO app_id_to_user_id (app_id, user_id, primary_or_recipe_user_id, recipe_id, time_joined, primary_or_recipe_user_time_joined)
                VALUES (${appId}, ${userId}, ${userId}, ${recipeId}, ${timeJoined}, ${timeJoined})`.execute(trx);
    } else {
      await sql`INSERT INTO app_id_to_user_id (app_id, user_id, primary_or_recipe_user_id, recipe_id)
                VALUES (${appId}, ${userId}, ${userId}, ${recipeId})`.execute(trx);
    }
    if (writesOld(mode)) {
      await sql`INSERT INTO all_auth_recipe_users
                  (app_id, tenant_id, user_id, primary_or_recipe_user_id, recipe_id, time_joined, primary_or_recipe_user_time_joined)
                VALUES (${appId}, ${tenantId}, ${userId}, ${userId}, ${recipeId}, ${timeJoined}, ${timeJoined})`.execute(trx);
    }
    if (recipe.tenantRowFirst && writesOld(mode)) await recipe.insertToTenant(trx, row);
    await recipe.insertRecipeUser(trx, row);
    if (!recipe.tenantRowFirst && writesOld(mode)) await recipe.insertToTenant(trx, row);
    if (writesNew(mode)) {
      // AccountInfoQueries.addRecipeUserAccountInfo_Transaction, once per account info.
      for (const info of infos) {
        await sql`INSERT INTO recipe_user_account_infos
                    (app_id, recipe_user_id, recipe_id, account_info_type, third_party_id, third_party_user_id, account_info_value, primary_user_id)
                  VALUES (${appId}, ${userId}, ${recipeId}, ${info.type}, ${info.thirdPartyId}, ${info.thirdPartyUserId}, ${info.value}, NULL)`.execute(trx);
        await sql`INSERT INTO recipe_user_tenants
                    (app_id, recipe_user_id, tenant_id, recipe_id, account_info_type, third_party_id, third_party_user_id, account_info_value)
                  VALUES (${appId}, ${userId}, ${tenantId}, ${recipeId}, ${info.type}, ${info.thirdPartyId}, ${info.thirdPartyUserId}, ${info.value})`.execute(trx);
      }
    }
  });
  return userId;
}

export interface AccountLinkingInput {
  readonly appId?: string;
  readonly mode?: MigrationMode;
}

/** GeneralQueries.makePrimaryUser_Transaction (+ core 12's addPrimaryUserAccountInfo_Transaction). */
export async function makePrimaryUser(db: Db, userId: string, { appId = 'public', mode }: AccountLinkingInput = {}): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (writesOld(mode)) {
      await sql`UPDATE all_auth_recipe_users SET is_linked_or_is_a_primary_user = true
                WHERE app_id = ${appId} AND user_id = ${userId}`.execute(trx);
    }
    await sql`UPDATE app_id_to_user_id SET is_linked_or_is_a_primary_user = true
              WHERE app_id = ${appId} AND user_id = ${userId}`.execute(trx);
    if (writesNew(mode)) {
      await sql`INSERT INTO primary_user_tenants (app_id, tenant_id, account_info_type, account_info_value, primary_user_id)
                SELECT DISTINCT r.app_id, r.tenant_id, r.account_info_type, r.account_info_value, ${userId}
                FROM recipe_user_tenants r
                INNER JOIN recipe_user_account_infos ai
                  ON r.app_id = ai.app_id AND r.recipe_user_id = ai.recipe_user_id AND r.recipe_id = ai.recipe_id
                  AND r.account_info_type = ai.account_info_type AND r.account_info_value = ai.account_info_value
                WHERE r.app_id = ${appId} AND r.recipe_user_id = ${userId} AND ai.primary_user_id IS NULL
                ON CONFLICT ON CONSTRAINT primary_user_tenants_pkey DO UPDATE SET account_info_type = EXCLUDED.account_info_type`.execute(trx);
      await sql`UPDATE recipe_user_account_infos SET primary_user_id = recipe_user_id
                WHERE app_id = ${appId} AND recipe_user_id = ${userId}`.execute(trx);
    }
  });
}

/**
 * GeneralQueries.linkAccounts_Transaction: the recipe user joins the primary user, and every row
 * of the group gets the group's earliest time_joined (updateTimeJoinedForPrimaryUser_Transaction).
 */
export async function linkAccounts(
  db: Db,
  recipeUserId: string,
  primaryUserId: string,
  { appId = 'public', mode }: AccountLinkingInput = {},
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (writesOld(mode)) {
      await sql`UPDATE all_auth_recipe_users SET is_linked_or_is_a_primary_user = true, primary_or_recipe_user_id = ${primaryUserId}
                WHERE app_id = ${appId} AND user_id = ${recipeUserId}`.execute(trx);
      await updateTimeJoinedForPrimaryUser(trx, appId, primaryUserId);
    }
    await sql`UPDATE app_id_to_user_id SET is_linked_or_is_a_primary_user = true, primary_or_recipe_user_id = ${primaryUserId}
              WHERE app_id = ${appId} AND user_id = ${recipeUserId}`.execute(trx);
    if (writesNew(mode)) {
      // Reconstruction: the recipe user's account infos now belong to the primary user, in every tenant it is in.
      await sql`UPDATE recipe_user_account_infos SET primary_user_id = ${primaryUserId}
                WHERE app_id = ${appId} AND recipe_user_id = ${recipeUserId}`.execute(trx);
      await sql`INSERT INTO primary_user_tenants (app_id, tenant_id, account_info_type, account_info_value, primary_user_id)
                SELECT DISTINCT r.app_id, r.tenant_id, r.account_info_type, r.account_info_value, ${primaryUserId}
                FROM recipe_user_tenants r WHERE r.app_id = ${appId} AND r.recipe_user_id = ${recipeUserId}
                ON CONFLICT DO NOTHING`.execute(trx);
      await sql`UPDATE app_id_to_user_id SET primary_or_recipe_user_time_joined =
                  (SELECT MIN(time_joined) FROM app_id_to_user_id WHERE app_id = ${appId} AND primary_or_recipe_user_id = ${primaryUserId})
                WHERE app_id = ${appId} AND primary_or_recipe_user_id = ${primaryUserId}`.execute(trx);
    }
  });
}

/** GeneralQueries.unlinkAccounts_Transaction (core 7 to 11 tables only). */
export async function unlinkAccounts(
  db: Db,
  recipeUserId: string,
  primaryUserId: string,
  { appId = 'public' }: { appId?: string } = {},
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`UPDATE all_auth_recipe_users SET is_linked_or_is_a_primary_user = false, primary_or_recipe_user_id = ${recipeUserId},
                primary_or_recipe_user_time_joined = time_joined
              WHERE app_id = ${appId} AND user_id = ${recipeUserId}`.execute(trx);
    await updateTimeJoinedForPrimaryUser(trx, appId, primaryUserId);
    await sql`UPDATE app_id_to_user_id SET is_linked_or_is_a_primary_user = false, primary_or_recipe_user_id = ${recipeUserId}
              WHERE app_id = ${appId} AND user_id = ${recipeUserId}`.execute(trx);
  });
}

/** GeneralQueries.updateTimeJoinedForPrimaryUser_Transaction. */
async function updateTimeJoinedForPrimaryUser(trx: Db, appId: string, primaryUserId: string): Promise<void> {
  await sql`UPDATE all_auth_recipe_users SET primary_or_recipe_user_time_joined =
              (SELECT MIN(time_joined) FROM all_auth_recipe_users WHERE app_id = ${appId} AND primary_or_recipe_user_id = ${primaryUserId})
            WHERE app_id = ${appId} AND primary_or_recipe_user_id = ${primaryUserId}`.execute(trx);
}

interface RecipeUserRow {
  recipe_id: RecipeId;
  primary_or_recipe_user_id: string;
  is_linked_or_is_a_primary_user: boolean;
  email: string | null;
  phone_number: string | null;
  third_party_id: string | null;
  third_party_user_id: string | null;
  time_joined: string;
}

/** What core's getUserInfoUsingId + getAccountLinkingInfo_Transaction read before a tenant change. */
async function readRecipeUser(trx: Db, appId: string, userId: string): Promise<RecipeUserRow> {
  const { rows } = await sql<RecipeUserRow>`
    SELECT a.recipe_id, a.primary_or_recipe_user_id, a.is_linked_or_is_a_primary_user,
           COALESCE(e.email, t.email, p.email, w.email) AS email, p.phone_number, t.third_party_id, t.third_party_user_id,
           COALESCE(e.time_joined, t.time_joined, p.time_joined, w.time_joined) AS time_joined
    FROM app_id_to_user_id a
    LEFT JOIN emailpassword_users e ON a.recipe_id = 'emailpassword' AND e.app_id = a.app_id AND e.user_id = a.user_id
    LEFT JOIN thirdparty_users t ON a.recipe_id = 'thirdparty' AND t.app_id = a.app_id AND t.user_id = a.user_id
    LEFT JOIN passwordless_users p ON a.recipe_id = 'passwordless' AND p.app_id = a.app_id AND p.user_id = a.user_id
    LEFT JOIN webauthn_users w ON a.recipe_id = 'webauthn' AND w.app_id = a.app_id AND w.user_id = a.user_id
    WHERE a.app_id = ${appId} AND a.user_id = ${userId}
  `.execute(trx);
  const row = rows[0];
  if (!row || row.time_joined === null) throw new Error(`unknown recipe user ${userId}`);
  return row;
}

export interface TenantMembershipInput {
  readonly appId?: string;
  readonly mode?: MigrationMode;
}

/**
 * <Recipe>Queries.addUserIdToTenant_Transaction: a row in all_auth_recipe_users (with the user's
 * linking state), the group's earliest time_joined recomputed, a row in the recipe's *_user_to_tenant.
 */
export async function addUserToTenant(
  db: Db,
  userId: string,
  tenantId: string,
  { appId = 'public', mode }: TenantMembershipInput = {},
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const user = await readRecipeUser(trx, appId, userId);
    if (writesOld(mode)) {
      await sql`INSERT INTO all_auth_recipe_users
                  (app_id, tenant_id, user_id, primary_or_recipe_user_id, is_linked_or_is_a_primary_user,
                   recipe_id, time_joined, primary_or_recipe_user_time_joined)
                VALUES (${appId}, ${tenantId}, ${userId}, ${user.primary_or_recipe_user_id}, ${user.is_linked_or_is_a_primary_user},
                        ${user.recipe_id}, ${user.time_joined}, ${user.time_joined})
                ON CONFLICT DO NOTHING`.execute(trx);
      await updateTimeJoinedForPrimaryUser(trx, appId, user.primary_or_recipe_user_id);
      switch (user.recipe_id) {
        case 'emailpassword':
          await sql`INSERT INTO emailpassword_user_to_tenant (app_id, tenant_id, user_id, email)
                    VALUES (${appId}, ${tenantId}, ${userId}, ${user.email})
                    ON CONFLICT (app_id, tenant_id, user_id) DO NOTHING`.execute(trx);
          break;
        case 'thirdparty':
          await sql`INSERT INTO thirdparty_user_to_tenant (app_id, tenant_id, user_id, third_party_id, third_party_user_id)
                    VALUES (${appId}, ${tenantId}, ${userId}, ${user.third_party_id}, ${user.third_party_user_id})
                    ON CONFLICT (app_id, tenant_id, user_id) DO NOTHING`.execute(trx);
          break;
        case 'passwordless':
          await sql`INSERT INTO passwordless_user_to_tenant (app_id, tenant_id, user_id, email, phone_number)
                    VALUES (${appId}, ${tenantId}, ${userId}, ${user.email}, ${user.phone_number})
                    ON CONFLICT (app_id, tenant_id, user_id) DO NOTHING`.execute(trx);
          break;
        case 'webauthn':
          // Reconstruction, after the other recipes: usergraph reads a login method's tenants from
          // all_auth_recipe_users (as core's getUsersInfoUsingIdList does), not from this row.
          await sql`INSERT INTO webauthn_user_to_tenant (app_id, tenant_id, user_id, email)
                    VALUES (${appId}, ${tenantId}, ${userId}, ${user.email})
                    ON CONFLICT (app_id, tenant_id, user_id) DO NOTHING`.execute(trx);
          break;
      }
    }
    if (writesNew(mode)) {
      // Reconstruction: the recipe user's account infos, now also in this tenant.
      await sql`INSERT INTO recipe_user_tenants
                  (app_id, recipe_user_id, tenant_id, recipe_id, account_info_type, third_party_id, third_party_user_id, account_info_value)
                SELECT app_id, recipe_user_id, ${tenantId}, recipe_id, account_info_type, third_party_id, third_party_user_id, account_info_value
                FROM recipe_user_account_infos WHERE app_id = ${appId} AND recipe_user_id = ${userId}
                ON CONFLICT DO NOTHING`.execute(trx);
    }
  });
}

/** <Recipe>Queries.removeUserIdFromTenant_Transaction (the *_user_to_tenant row goes by cascade). */
export async function removeUserFromTenant(
  db: Db,
  userId: string,
  tenantId: string,
  { appId = 'public', mode }: TenantMembershipInput = {},
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const user = await readRecipeUser(trx, appId, userId);
    if (writesOld(mode)) {
      await sql`DELETE FROM all_auth_recipe_users
                WHERE app_id = ${appId} AND tenant_id = ${tenantId} AND user_id = ${userId} AND recipe_id = ${user.recipe_id}`.execute(trx);
    }
    if (writesNew(mode)) {
      // Reconstruction.
      await sql`DELETE FROM recipe_user_tenants WHERE app_id = ${appId} AND tenant_id = ${tenantId} AND recipe_user_id = ${userId}`.execute(trx);
    }
  });
}

/**
 * Core's deleteUser for one recipe user (core 7 to 11 tables). A primary user's own login method
 * keeps its app_id_to_user_id row (its linked methods point at it), its id mapping, metadata and
 * roles: <Recipe>Queries.deleteUser_Transaction(…, deleteUserIdMappingToo = false). Any other recipe
 * user goes with its app_id_to_user_id row, which cascades to everything keyed on it.
 */
export async function deleteRecipeUser(db: Db, userId: string, { appId = 'public' }: { appId?: string } = {}): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const user = await readRecipeUser(trx, appId, userId);
    const { rows } = await sql<{ others: number }>`
      SELECT count(*)::int AS others FROM app_id_to_user_id
      WHERE app_id = ${appId} AND primary_or_recipe_user_id = ${userId} AND user_id <> ${userId}
    `.execute(trx);
    if ((rows[0]?.others ?? 0) === 0) {
      await sql`DELETE FROM app_id_to_user_id WHERE app_id = ${appId} AND user_id = ${userId}`.execute(trx);
      if (user.primary_or_recipe_user_id.trim() !== userId) {
        await updateTimeJoinedForPrimaryUser(trx, appId, user.primary_or_recipe_user_id);
      }
      return;
    }
    await sql`DELETE FROM all_auth_recipe_users WHERE app_id = ${appId} AND user_id = ${userId}`.execute(trx);
    const table = sql.table(`${user.recipe_id}_users`);
    await sql`DELETE FROM ${table} WHERE app_id = ${appId} AND user_id = ${userId}`.execute(trx);
  });
}

/** UserIdMappingQueries.createUserIdMapping, and core moving verified emails to the external id. */
export async function createUserIdMapping(
  db: Db,
  supertokensUserId: string,
  externalUserId: string,
  { appId = 'public', externalUserIdInfo = null }: { appId?: string; externalUserIdInfo?: string | null } = {},
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`INSERT INTO userid_mapping (app_id, supertokens_user_id, external_user_id, external_user_id_info)
              VALUES (${appId}, ${supertokensUserId}, ${externalUserId}, ${externalUserIdInfo})`.execute(trx);
    // EmailVerificationQueries.updateIsEmailVerifiedToExternalUserId
    await sql`UPDATE emailverification_verified_emails SET user_id = ${externalUserId}
              WHERE app_id = ${appId} AND user_id = ${supertokensUserId}`.execute(trx);
  });
}

/**
 * EmailVerificationQueries.updateUsersIsEmailVerified_Transaction (verified = true). `userId` is
 * the recipe user's id as the SDK passes it: the external one when it has a mapping.
 */
export async function verifyEmail(db: Db, userId: string, email: string, appId = 'public'): Promise<void> {
  await sql`INSERT INTO emailverification_verified_emails (app_id, user_id, email) VALUES (${appId}, ${userId}, ${email})
            ON CONFLICT DO NOTHING`.execute(db);
}

/** Metadata is stored as JSON text; a string is written as given (tests store invalid JSON). */
export async function setUserMetadata(
  db: Db,
  userId: string,
  metadata: Record<string, unknown> | string,
  appId = 'public',
): Promise<void> {
  const text = typeof metadata === 'string' ? metadata : JSON.stringify(metadata);
  await sql`INSERT INTO user_metadata (app_id, user_id, user_metadata) VALUES (${appId}, ${userId}, ${text})
            ON CONFLICT (app_id, user_id) DO UPDATE SET user_metadata = EXCLUDED.user_metadata`.execute(db);
}

export async function createRole(db: Db, role: string, permissions: readonly string[] = [], appId = 'public'): Promise<void> {
  await sql`INSERT INTO roles (app_id, role) VALUES (${appId}, ${role}) ON CONFLICT DO NOTHING`.execute(db);
  for (const permission of permissions) {
    await sql`INSERT INTO role_permissions (app_id, role, permission) VALUES (${appId}, ${role}, ${permission})
              ON CONFLICT DO NOTHING`.execute(db);
  }
}

export async function addUserRole(db: Db, userId: string, role: string, tenantId = 'public', appId = 'public'): Promise<void> {
  await createRole(db, role, [], appId);
  await sql`INSERT INTO user_roles (app_id, tenant_id, user_id, role) VALUES (${appId}, ${tenantId}, ${userId}, ${role})
            ON CONFLICT DO NOTHING`.execute(db);
}

/** Core records activity against the primary user id; `null` is a row without a time. */
export async function setLastActive(db: Db, userId: string, lastActive: number | null, appId = 'public'): Promise<void> {
  await sql`INSERT INTO user_last_active (app_id, user_id, last_active_time) VALUES (${appId}, ${userId}, ${lastActive})
            ON CONFLICT (app_id, user_id) DO UPDATE SET last_active_time = EXCLUDED.last_active_time`.execute(db);
}
