/**
 * Writes the way SuperTokens core does (statement for statement, see docs/supertokens-schema.md),
 * for the embedded demo and for test fixtures. The service itself never writes these tables.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { sql, type Kysely } from 'kysely';

const CORE_11_DDL = new URL('./supertokens-core-11.sql', import.meta.url);

/** Any database handle: these tables are not part of the service's typed `Database`. */
type Db = Kysely<any>;

/** Core's tables, and the default app and tenant that core creates when it first starts. */
export async function createSuperTokensTables(db: Db): Promise<void> {
  await sql.raw(await readFile(CORE_11_DDL, 'utf8')).execute(db);
  await createApp(db, 'public');
}

export async function createApp(db: Db, appId: string, tenantIds: readonly string[] = ['public']): Promise<void> {
  const now = Date.now();
  await sql`INSERT INTO apps (app_id, created_at_time) VALUES (${appId}, ${now}) ON CONFLICT DO NOTHING`.execute(db);
  for (const tenantId of tenantIds) {
    await sql`INSERT INTO tenants (app_id, tenant_id, created_at_time) VALUES (${appId}, ${tenantId}, ${now})
              ON CONFLICT DO NOTHING`.execute(db);
  }
}

export interface EmailPasswordSignUp {
  readonly email: string;
  readonly timeJoined?: number;
  readonly userId?: string;
  readonly appId?: string;
  readonly tenantId?: string;
}

/** Core's sign-up: four inserts in one transaction. Returns the new user id. */
export async function signUpEmailPassword(db: Db, input: EmailPasswordSignUp): Promise<string> {
  const { email, appId = 'public', tenantId = 'public' } = input;
  const userId = input.userId ?? randomUUID();
  const timeJoined = input.timeJoined ?? Date.now();
  // Never read by usergraph; shaped like the argon2 hashes core stores.
  const passwordHash = `$argon2id$v=19$m=65536,t=3,p=1$${randomUUID()}`;
  await db.transaction().execute(async (trx) => {
    await sql`INSERT INTO app_id_to_user_id (app_id, user_id, primary_or_recipe_user_id, recipe_id)
              VALUES (${appId}, ${userId}, ${userId}, 'emailpassword')`.execute(trx);
    await sql`INSERT INTO all_auth_recipe_users
                (app_id, tenant_id, user_id, primary_or_recipe_user_id, recipe_id, time_joined, primary_or_recipe_user_time_joined)
              VALUES (${appId}, ${tenantId}, ${userId}, ${userId}, 'emailpassword', ${timeJoined}, ${timeJoined})`.execute(trx);
    await sql`INSERT INTO emailpassword_users (app_id, user_id, email, password_hash, time_joined)
              VALUES (${appId}, ${userId}, ${email}, ${passwordHash}, ${timeJoined})`.execute(trx);
    await sql`INSERT INTO emailpassword_user_to_tenant (app_id, tenant_id, user_id, email)
              VALUES (${appId}, ${tenantId}, ${userId}, ${email})`.execute(trx);
  });
  return userId;
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
