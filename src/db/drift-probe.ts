/**
 * The database's side of the drift check (sync/drift-check.ts): two counters read in a
 * millisecond, and the bucketed fingerprint of the view, which costs a full evaluation of it and
 * is therefore computed by one instance at a time.
 *
 * - `rowChanges`: rows inserted, updated or deleted in the tables that feed the view, as
 *   PostgreSQL's own statistics count them (pg_stat_user_tables), whatever the triggers did.
 * - `announced`: the same rows as usergraph's triggers counted them (sql/shared/): a row that
 *   changed without them (a trigger disabled, session_replication_role = replica, a table created
 *   after the triggers) shows as rowChanges outgrowing announced.
 */
import { sql, type Kysely } from 'kysely';
import { BUCKET_HEX_DIGITS, VERSION_WEIGHT_HEX_DIGITS, type BucketPrint, type Fingerprint } from '../directory/fingerprint.ts';
import type { Database } from './database.ts';
import { rowVersion } from './user-repository.ts';

export interface ChangeCounters {
  readonly rowChanges: bigint;
  readonly announced: bigint;
}

export interface DriftProbe {
  changeCounters(): Promise<ChangeCounters>;
  /** The view's fingerprint, computed like the directory's own (see directory/fingerprint.ts). */
  fingerprint(): Promise<Fingerprint>;
  /** The same, unless another instance is computing one now (then null: try again later). */
  fingerprintAlone(): Promise<Fingerprint | null>;
  /** The SuperTokens ids of the users in these buckets. */
  userIdsInBuckets(buckets: readonly number[]): Promise<string[]>;
}

/** pg_try_advisory_xact_lock(class, hashtext(app)): one fingerprint per app at a time, across instances. */
const FINGERPRINT_LOCK_CLASS = 72_319_053;

const bucket = sql<number>`('x' || left(md5(user_id::text), ${sql.lit(BUCKET_HEX_DIGITS)}))::bit(${sql.lit(BUCKET_HEX_DIGITS * 4)})::int`;

export function createDriftProbe(db: Kysely<Database>, appId: string): DriftProbe {
  const fingerprint = async (executor: Kysely<Database>): Promise<Fingerprint> => {
    const { rows } = await sql<{ bucket: number; count: number; sum: string }>`
      SELECT ${bucket} AS bucket, count(*)::int AS count,
             sum(('x' || left(${rowVersion}, ${sql.lit(VERSION_WEIGHT_HEX_DIGITS)}))::bit(60)::bigint)::text AS sum
      FROM user_full_view WHERE app_id = ${appId} GROUP BY 1
    `.execute(executor);
    return new Map(rows.map((row): [number, BucketPrint] => [row.bucket, { count: row.count, sum: row.sum }]));
  };

  return {
    async changeCounters() {
      const { rows } = await sql<{ row_changes: string; announced: string }>`
        SELECT row_changes::text, announced::text FROM usergraph_change_counters()
      `.execute(db);
      const row = rows[0]!;
      return { rowChanges: BigInt(row.row_changes), announced: BigInt(row.announced) };
    },

    fingerprint: () => fingerprint(db),

    fingerprintAlone: () =>
      db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ locked: boolean }>`
          SELECT pg_try_advisory_xact_lock(${sql.lit(FINGERPRINT_LOCK_CLASS)}, hashtext(${appId})) AS locked
        `.execute(trx);
        return rows[0]?.locked ? fingerprint(trx) : null;
      }),

    async userIdsInBuckets(buckets) {
      if (buckets.length === 0) return [];
      // The bucket is a condition on the users' table alone: PostgreSQL evaluates the view for those users only.
      const { rows } = await sql<{ user_id: string }>`
        SELECT user_id FROM user_full_view WHERE app_id = ${appId} AND ${bucket} = ANY(${[...buckets]}::int[])
      `.execute(db);
      return rows.map((row) => row.user_id.trim());
    },
  };
}
