/**
 * Every read of users: SQL on `user_full_view`, always scoped to the configured app, rows mapped
 * to the domain `User` here. A row we did not expect is logged (never with its email) and skipped
 * or repaired; it never fails a load.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import { VERSION_WEIGHT_HEX_DIGITS, type Fingerprint } from '../directory/fingerprint.ts';
import type { User } from '../directory/user.ts';
import type { Logger } from '../logger.ts';
import type { Database, UserFullViewTable } from './database.ts';

export type UserRow = Selectable<UserFullViewTable>;

export interface UserRepository {
  /** Every user of the app, streamed in batches from one consistent snapshot of the view. */
  streamAllUsers(): AsyncIterable<User[]>;
  findUsersByIds(ids: readonly string[]): Promise<User[]>;
  /** Emails must already be normalised (trimmed, lower-cased), as SuperTokens stores them. */
  findUsersByEmails(emails: readonly string[]): Promise<User[]>;
  /** The view's fingerprint, computed like the directory's own (see directory/fingerprint.ts). */
  fingerprint(): Promise<Fingerprint>;
}

export interface UserRepositoryOptions {
  readonly appId: string;
  readonly batchSize: number;
  readonly logger: Logger;
}

export function createUserRepository(db: Kysely<Database>, options: UserRepositoryOptions): UserRepository {
  const { appId, batchSize, logger } = options;

  const selectUsers = () =>
    db
      .selectFrom('user_full_view')
      .select(['user_id', 'email', 'time_joined', 'metadata', 'metadata_invalid', 'roles', 'last_active_time'])
      .select(rowVersion.as('version'))
      .where('app_id', '=', appId);

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
      for await (const row of selectUsers().stream(batchSize)) {
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
      // One array parameter: one statement and one plan whatever the batch size.
      const rows = await selectUsers()
        .where(sql<boolean>`user_id = any(${[...ids]})`)
        .execute();
      return mapRows(rows);
    },

    async findUsersByEmails(emails) {
      if (emails.length === 0) return [];
      const rows = await selectUsers()
        .where(sql<boolean>`email = any(${[...emails]})`)
        .execute();
      return mapRows(rows);
    },

    async fingerprint() {
      const row = await db
        .selectFrom('user_full_view')
        .select([
          sql<number>`count(*)::int`.as('count'),
          sql<string>`coalesce(sum(('x' || left(${rowVersion}, ${sql.lit(VERSION_WEIGHT_HEX_DIGITS)}))::bit(60)::bigint), 0)::text`.as('sum'),
        ])
        .where('app_id', '=', appId)
        .executeTakeFirstOrThrow();
      return { count: row.count, sum: row.sum };
    },
  };
}

/** A hash of the whole view row: any change to what we serve changes it. */
const rowVersion = sql<string>`md5(user_full_view::text)`;

type SelectedColumn = 'user_id' | 'email' | 'time_joined' | 'metadata' | 'metadata_invalid' | 'roles' | 'last_active_time';
type MappedRow = Pick<UserRow, SelectedColumn> & { version: string };

/** Maps one view row; null (and a warning) for a row that cannot be a user. */
export function rowToUser(row: MappedRow, logger: Logger): User | null {
  const id = typeof row.user_id === 'string' ? row.user_id.trim() : '';
  if (id === '') {
    logger.warn('skipped a user row without a user id');
    return null;
  }
  const timeJoined = parseEpochMs(row.time_joined);
  if (timeJoined === null) {
    logger.warn({ userId: id }, 'skipped a user row without a valid time_joined');
    return null;
  }
  if (typeof row.email !== 'string' || row.email === '') {
    logger.warn({ userId: id }, 'skipped a user row without an email');
    return null;
  }
  if (row.metadata_invalid) {
    logger.warn({ userId: id }, 'user metadata is not a valid JSON object; serving {}');
  }
  const metadata = isPlainObject(row.metadata) ? row.metadata : {};
  const roles = Array.isArray(row.roles) ? row.roles.filter((role): role is string => typeof role === 'string') : [];
  return Object.freeze({
    id,
    email: row.email,
    timeJoined,
    lastActive: row.last_active_time === null ? null : parseEpochMs(row.last_active_time),
    roles: Object.freeze(roles),
    metadata: Object.freeze(metadata),
    version: row.version,
  });
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
