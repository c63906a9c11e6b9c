/**
 * The database's side of the drift check (sync/drift-check.ts): two counters read in a
 * millisecond, and the bucketed fingerprint of every user, which costs a full set-wise read (the
 * load's own, assembled by the same code, so that versions compare) and is therefore computed by
 * one instance at a time.
 *
 * - `rowChanges`: rows inserted, updated or deleted in the tables that feed the view, as
 *   PostgreSQL's own statistics count them (pg_stat_user_tables), whatever the triggers did.
 * - `announced`: the same rows as usergraph's triggers counted them (sql/shared/): a row that
 *   changed without them (a trigger disabled, session_replication_role = replica, a table created
 *   after the triggers) shows as rowChanges outgrowing announced.
 */
import { sql, type Kysely } from 'kysely';
import { BUCKET_HEX_DIGITS, fingerprintOf, type Fingerprint } from '../directory/fingerprint.ts';
import { BACKGROUND_REST_MS, timeSlices } from '../directory/steps.ts';
import type { User } from '../directory/user.ts';
import type { Database } from './database.ts';
import type { UserRepository } from './user-repository.ts';

export interface ChangeCounters {
  readonly rowChanges: bigint;
  readonly announced: bigint;
}

export interface DriftProbe {
  changeCounters(): Promise<ChangeCounters>;
  /** The database's users' fingerprint, computed like the directory's own (see directory/fingerprint.ts). */
  fingerprint(): Promise<Fingerprint>;
  /** The same, unless another instance is computing one now (then null: try again later). */
  fingerprintAlone(): Promise<Fingerprint | null>;
  /** The SuperTokens ids of the users in these buckets. */
  userIdsInBuckets(buckets: readonly number[]): Promise<string[]>;
}

/** pg_try_advisory_xact_lock(class, hashtext(app)): one fingerprint per app at a time, across instances. */
const FINGERPRINT_LOCK_CLASS = 72_319_053;

const bucket = sql<number>`('x' || left(md5(user_key::text), ${sql.lit(BUCKET_HEX_DIGITS)}))::bit(${sql.lit(BUCKET_HEX_DIGITS * 4)})::int`;

export function createDriftProbe(db: Kysely<Database>, appId: string, repository: Pick<UserRepository, 'streamAllUsers'>): DriftProbe {
  const fingerprint = (): Promise<Fingerprint> => fingerprintOf(everyUser(repository));

  return {
    async changeCounters() {
      const { rows } = await sql<{ row_changes: string; announced: string }>`
        SELECT row_changes::text, announced::text FROM usergraph_change_counters()
      `.execute(db);
      const row = rows[0]!;
      return { rowChanges: BigInt(row.row_changes), announced: BigInt(row.announced) };
    },

    fingerprint,

    // The lock is held on a connection of its own while the read (on others) runs.
    fingerprintAlone: () =>
      db.connection().execute(async (connection) => {
        const { rows } = await sql<{ locked: boolean }>`
          SELECT pg_try_advisory_lock(${sql.lit(FINGERPRINT_LOCK_CLASS)}, hashtext(${appId})) AS locked
        `.execute(connection);
        if (!rows[0]?.locked) return null;
        try {
          return await fingerprint();
        } finally {
          await sql`SELECT pg_advisory_unlock(${sql.lit(FINGERPRINT_LOCK_CLASS)}, hashtext(${appId}))`.execute(connection);
        }
      }),

    async userIdsInBuckets(buckets) {
      if (buckets.length === 0) return [];
      // Each user once: its own login-method row (the one whose recipe user is the user).
      const { rows } = await sql<{ user_key: string }>`
        SELECT user_key::text FROM usergraph_login_methods
        WHERE app_id = ${appId} AND recipe_user_key = user_key AND ${bucket} = ANY(${[...buckets]}::int[])
      `.execute(db);
      return rows.map((row) => row.user_key.trim());
    },
  };
}

async function* everyUser(repository: Pick<UserRepository, 'streamAllUsers'>): AsyncGenerator<User> {
  // Beside a served directory, like a reload: it rests while requests are being served.
  for await (const batch of repository.streamAllUsers(timeSlices({ restMs: BACKGROUND_REST_MS }))) yield* batch;
}
