/**
 * Writes the way SuperTokens core 3 to 5 (postgresql plugin 2.x/3.x, before multi-tenancy) does:
 * no app_id or tenant_id, no account linking. Statement for statement after the old plugin
 * sources named in docs/supertokens-schema.md §0. For test fixtures only.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { sql, type Kysely } from 'kysely';

const LEGACY_DDL = new URL('./ddl/legacy.sql', import.meta.url);

type Db = Kysely<any>;

export async function createLegacySuperTokensTables(db: Db): Promise<void> {
  await sql.raw(await readFile(LEGACY_DDL, 'utf8')).execute(db);
}

interface SignUpCommon {
  readonly timeJoined?: number;
  readonly userId?: string;
}

/** EmailPasswordQueries.signUp: all_auth_recipe_users, then emailpassword_users. */
export async function signUpEmailPassword(db: Db, input: SignUpCommon & { email: string }): Promise<string> {
  const passwordHash = `$argon2id$v=19$m=65536,t=3,p=1$${randomUUID()}`;
  return signUp(db, input, 'emailpassword', (trx, userId, timeJoined) =>
    sql`INSERT INTO emailpassword_users (user_id, email, password_hash, time_joined)
        VALUES (${userId}, ${input.email}, ${passwordHash}, ${timeJoined})`.execute(trx),
  );
}

/** ThirdPartyQueries.signUp: all_auth_recipe_users, then thirdparty_users. */
export async function signUpThirdParty(
  db: Db,
  input: SignUpCommon & { thirdPartyId: string; thirdPartyUserId: string; email: string },
): Promise<string> {
  return signUp(db, input, 'thirdparty', (trx, userId, timeJoined) =>
    sql`INSERT INTO thirdparty_users (third_party_id, third_party_user_id, user_id, email, time_joined)
        VALUES (${input.thirdPartyId}, ${input.thirdPartyUserId}, ${userId}, ${input.email}, ${timeJoined})`.execute(trx),
  );
}

/** PasswordlessQueries.createUser: all_auth_recipe_users, then passwordless_users. */
export async function signUpPasswordless(
  db: Db,
  input: SignUpCommon & { email?: string | null; phoneNumber?: string | null },
): Promise<string> {
  return signUp(db, input, 'passwordless', (trx, userId, timeJoined) =>
    sql`INSERT INTO passwordless_users (user_id, email, phone_number, time_joined)
        VALUES (${userId}, ${input.email ?? null}, ${input.phoneNumber ?? null}, ${timeJoined})`.execute(trx),
  );
}

async function signUp(
  db: Db,
  input: SignUpCommon,
  recipeId: string,
  insertRecipeUser: (trx: Db, userId: string, timeJoined: number) => Promise<unknown>,
): Promise<string> {
  const userId = input.userId ?? randomUUID();
  const timeJoined = input.timeJoined ?? Date.now();
  await db.transaction().execute(async (trx) => {
    await sql`INSERT INTO all_auth_recipe_users (user_id, recipe_id, time_joined)
              VALUES (${userId}, ${recipeId}, ${timeJoined})`.execute(trx);
    await insertRecipeUser(trx, userId, timeJoined);
  });
  return userId;
}

/** UserIdMappingQueries.createUserIdMapping. */
export async function createUserIdMapping(db: Db, supertokensUserId: string, externalUserId: string): Promise<void> {
  await sql`INSERT INTO userid_mapping (supertokens_user_id, external_user_id, external_user_id_info)
            VALUES (${supertokensUserId}, ${externalUserId}, ${null})`.execute(db);
}

export async function verifyEmail(db: Db, userId: string, email: string): Promise<void> {
  await sql`INSERT INTO emailverification_verified_emails (user_id, email) VALUES (${userId}, ${email})
            ON CONFLICT DO NOTHING`.execute(db);
}

export async function setUserMetadata(db: Db, userId: string, metadata: Record<string, unknown> | string): Promise<void> {
  const text = typeof metadata === 'string' ? metadata : JSON.stringify(metadata);
  await sql`INSERT INTO user_metadata (user_id, user_metadata) VALUES (${userId}, ${text})
            ON CONFLICT (user_id) DO UPDATE SET user_metadata = EXCLUDED.user_metadata`.execute(db);
}

export async function createRole(db: Db, role: string, permissions: readonly string[] = []): Promise<void> {
  await sql`INSERT INTO roles (role) VALUES (${role}) ON CONFLICT DO NOTHING`.execute(db);
  for (const permission of permissions) {
    await sql`INSERT INTO role_permissions (role, permission) VALUES (${role}, ${permission}) ON CONFLICT DO NOTHING`.execute(db);
  }
}

export async function addUserRole(db: Db, userId: string, role: string): Promise<void> {
  await createRole(db, role);
  await sql`INSERT INTO user_roles (user_id, role) VALUES (${userId}, ${role}) ON CONFLICT DO NOTHING`.execute(db);
}

export async function setLastActive(db: Db, userId: string, lastActive: number | null): Promise<void> {
  await sql`INSERT INTO user_last_active (user_id, last_active_time) VALUES (${userId}, ${lastActive})
            ON CONFLICT (user_id) DO UPDATE SET last_active_time = EXCLUDED.last_active_time`.execute(db);
}
