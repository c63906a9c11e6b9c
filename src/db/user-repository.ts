/**
 * Every read of users: SQL on `user_full_view`, always scoped to the configured app, rows mapped
 * to the domain `User` here. A row we did not expect is logged (never with its email) and skipped
 * or repaired; it never fails a load.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import {
  compareStrings,
  distinctSorted,
  type LoginMethod,
  type ThirdPartyIdentity,
  type User,
} from '../directory/user.ts';
import type { Logger } from '../logger.ts';
import type { Database, LoginMethodJson, UserFullViewTable } from './database.ts';

export type UserRow = Selectable<UserFullViewTable>;

export interface UserRepository {
  /** Every user of the app, streamed in batches from one consistent snapshot of the view. */
  streamAllUsers(): AsyncIterable<User[]>;
  /**
   * The users any of these ids names: a SuperTokens user id, an external (mapped) id, or the id of
   * any of a user's login methods (and its external id). Each user once, however many ids name it.
   */
  findUsersByIds(ids: readonly string[]): Promise<User[]>;
  /**
   * The users holding any of these emails through any login method. Emails must already be
   * normalised (trimmed, lower-cased), as SuperTokens stores them.
   */
  findUsersByEmails(emails: readonly string[]): Promise<User[]>;
}

export interface UserRepositoryOptions {
  readonly appId: string;
  readonly batchSize: number;
  readonly logger: Logger;
}

/**
 * The statements the repository runs, unexecuted: for EXPLAIN in the tests and in
 * scripts/measure-directory.ts, so that what is measured is what runs.
 */
export function userQueries(db: Kysely<Database>, appId: string) {
  const selectUsers = () =>
    db
      .selectFrom('user_full_view')
      .select(SELECTED_COLUMNS)
      .select(rowVersion.as('version'))
      .where('app_id', '=', appId);
  return {
    all: selectUsers,
    // The migration's functions resolve any id (or email) to SuperTokens user ids through indexed
    // base tables; the view is then read for those ids only (an index scan on its key), in one
    // statement with one array parameter whatever the batch size.
    byIds: (ids: readonly string[]) =>
      selectUsers().where(sql<boolean>`user_id = any(array(select id from usergraph_user_ids_by_key(${appId}, ${[...ids]}) id))`),
    byEmails: (emails: readonly string[]) =>
      selectUsers().where(sql<boolean>`user_id = any(array(select id from usergraph_user_ids_by_email(${appId}, ${[...emails]}) id))`),
  };
}

export function createUserRepository(db: Kysely<Database>, options: UserRepositoryOptions): UserRepository {
  const { appId, batchSize, logger } = options;
  const queries = userQueries(db, appId);

  const mapRows = (rows: readonly MappedRow[]): User[] => {
    const users: User[] = [];
    for (const row of rows) {
      const user = rowToUser(row, logger);
      if (user) users.push(user);
    }
    return users;
  };

  return {
    async *streamAllUsers() {
      let rows: MappedRow[] = [];
      for await (const row of queries.all().stream(batchSize)) {
        rows.push(row);
        if (rows.length >= batchSize) {
          yield mapRows(rows);
          rows = [];
        }
      }
      if (rows.length > 0) yield mapRows(rows);
    },

    async findUsersByIds(ids) {
      if (ids.length === 0) return [];
      return mapRows(await queries.byIds(ids).execute());
    },

    async findUsersByEmails(emails) {
      if (emails.length === 0) return [];
      return mapRows(await queries.byEmails(emails).execute());
    },
  };
}

/** A hash of the whole view row: any change to what we serve changes it (the drift probe sums it too). */
export const rowVersion = sql<string>`md5(user_full_view::text)`;

const SELECTED_COLUMNS = [
  'user_id',
  'external_user_id',
  'is_primary_user',
  'email',
  'time_joined',
  'login_methods',
  'metadata',
  'metadata_invalid',
  'roles',
  'tenant_roles',
  'tenant_permissions',
  'permissions',
  'last_active_time',
] as const;

type MappedRow = Pick<UserRow, (typeof SELECTED_COLUMNS)[number]> & { version: string };

/** Maps one view row; null (and a warning with the user id, never an email) for a row that cannot be a user. */
export function rowToUser(row: MappedRow, logger: Logger): User | null {
  const supertokensUserId = typeof row.user_id === 'string' ? row.user_id.trim() : '';
  if (supertokensUserId === '') {
    logger.warn('skipped a user row without a user id');
    return null;
  }
  const timeJoined = parseEpochMs(row.time_joined);
  if (timeJoined === null) {
    logger.warn({ userId: supertokensUserId }, 'skipped a user row without a valid time_joined');
    return null;
  }
  const loginMethods = (Array.isArray(row.login_methods) ? row.login_methods : []).flatMap((json) => {
    const method = toLoginMethod(json);
    if (!method) logger.warn({ userId: supertokensUserId }, 'skipped a login method the view did not shape as expected');
    return method ? [method] : [];
  });
  if (loginMethods.length === 0) {
    logger.warn({ userId: supertokensUserId }, 'skipped a user row without login methods');
    return null;
  }
  if (row.metadata_invalid) {
    logger.warn({ userId: supertokensUserId }, 'user metadata is not a valid JSON object; serving {}');
  }
  const metadata = isPlainObject(row.metadata) ? row.metadata : {};
  const external = typeof row.external_user_id === 'string' && row.external_user_id !== '' ? row.external_user_id : null;
  return Object.freeze({
    id: external ?? supertokensUserId,
    supertokensUserId,
    isPrimaryUser: row.is_primary_user === true,
    email: typeof row.email === 'string' && row.email !== '' ? row.email : null,
    emails: Object.freeze(distinctSorted(loginMethods.flatMap((method) => (method.email === null ? [] : [method.email])))),
    phoneNumbers: Object.freeze(distinctSorted(loginMethods.flatMap((method) => (method.phoneNumber === null ? [] : [method.phoneNumber])))),
    thirdParty: Object.freeze(distinctThirdParty(loginMethods)),
    loginMethods: Object.freeze(loginMethods),
    tenantIds: Object.freeze(distinctSorted(loginMethods.flatMap((method) => method.tenantIds))),
    timeJoined,
    lastActive: row.last_active_time === null ? null : parseEpochMs(row.last_active_time),
    roles: Object.freeze(stringList(row.roles)),
    rolesByTenant: Object.freeze(
      byTenant(row.tenant_roles).map(([tenantId, roles]) => Object.freeze({ tenantId, roles: Object.freeze(roles) })),
    ),
    permissionsByTenant: Object.freeze(
      byTenant(row.tenant_permissions).map(([tenantId, permissions]) =>
        Object.freeze({ tenantId, permissions: Object.freeze(permissions) }),
      ),
    ),
    permissions: Object.freeze(stringList(row.permissions)),
    metadata: Object.freeze(metadata),
    version: row.version,
  });
}

function toLoginMethod(json: LoginMethodJson): LoginMethod | null {
  if (!isPlainObject(json)) return null;
  const supertokensUserId = typeof json.recipe_user_id === 'string' ? json.recipe_user_id.trim() : '';
  const timeJoined = parseEpochMs(json.time_joined);
  if (typeof json.recipe_id !== 'string' || supertokensUserId === '' || timeJoined === null) return null;
  const thirdParty =
    typeof json.third_party_id === 'string' && typeof json.third_party_user_id === 'string'
      ? Object.freeze({ id: json.third_party_id, userId: json.third_party_user_id })
      : null;
  return Object.freeze({
    recipeId: json.recipe_id,
    recipeUserId: typeof json.external_user_id === 'string' && json.external_user_id !== '' ? json.external_user_id : supertokensUserId,
    supertokensUserId,
    email: typeof json.email === 'string' ? json.email : null,
    phoneNumber: typeof json.phone_number === 'string' ? json.phone_number : null,
    thirdParty,
    tenantIds: Object.freeze(stringList(json.tenant_ids)),
    timeJoined,
    verified: json.verified === true,
  });
}

function distinctThirdParty(methods: readonly LoginMethod[]): ThirdPartyIdentity[] {
  const byKey = new Map<string, ThirdPartyIdentity>();
  for (const { thirdParty } of methods) if (thirdParty) byKey.set(`${thirdParty.id}\u0000${thirdParty.userId}`, thirdParty);
  return [...byKey.values()].sort((a, b) => compareStrings(a.id, b.id) || compareStrings(a.userId, b.userId));
}

/** {tenant, value} pairs (a two-dimensional text array) → [tenant, distinct sorted values], by tenant. */
function byTenant(pairs: unknown): Array<[string, string[]]> {
  const grouped = new Map<string, string[]>();
  for (const pair of Array.isArray(pairs) ? pairs : []) {
    if (!Array.isArray(pair) || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') continue;
    const values = grouped.get(pair[0]);
    if (values) values.push(pair[1]);
    else grouped.set(pair[0], [pair[1]]);
  }
  return [...grouped.keys()].sort(compareStrings).map((tenantId) => [tenantId, distinctSorted(grouped.get(tenantId)!)]);
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** BIGINT epoch milliseconds (a string from `pg`), within the range a Date and a double hold exactly. */
function parseEpochMs(value: string | number | null): number | null {
  if (value === null) return null;
  const ms = Number(value);
  return Number.isSafeInteger(ms) && ms >= 0 && ms <= 8.64e15 ? ms : null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
