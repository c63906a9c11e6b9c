/**
 * `npm run bench:drift`: what the drift check costs the database, per check and per hour, on
 * BENCH_USERS synthetic users (default 100,000): the counters it reads every
 * DRIFT_CHECK_INTERVAL_MS, and the full comparison (every user read as a load reads them, fingerprinted by bucket) it
 * makes only when rows changed behind the triggers, or at most every DRIFT_FULL_CHECK_INTERVAL_MS
 * when rows changed at all. Next to it, what the previous design cost: a fingerprint of the whole
 * view on every check.
 *
 * Database time is each statement's wall time on a connection of its own (nothing is sent back
 * but a few rows). Scratch database on BENCH_DATABASE_URL's server (created and dropped), or an
 * embedded PostgreSQL. Options (environment): BENCH_USERS, BENCH_RUNS (counters: 50; comparisons: 3).
 */
import { sql, type Kysely } from 'kysely';
import { parseConfig } from '../src/config/config.ts';
import { createUserRepository } from '../src/db/user-repository.ts';
import { createDriftProbe } from '../src/db/drift-probe.ts';
import { VERSION_WEIGHT_HEX_DIGITS } from '../src/directory/fingerprint.ts';
import { createLogger } from '../src/logger.ts';
import { seedSyntheticUsers } from '../supertokens-standin/synthetic-users.ts';
import { percentile, printTable, withScratchDatabase } from './support/scratch.ts';

const env = process.env; // a script's own knobs
const USERS = Number(env.BENCH_USERS ?? 100_000);
const RUNS = Number(env.BENCH_RUNS ?? 50);

async function timed(runs: number, work: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return times;
}

async function main() {
  const logger = createLogger('warn');
  const { sync } = parseConfig({});
  await withScratchDatabase(env.BENCH_DATABASE_URL, logger, async (_databaseUrl, db) => {
    const seeded = performance.now();
    await seedSyntheticUsers(db as unknown as Kysely<any>, { count: USERS });
    console.log(`seeded ${USERS} synthetic users in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);
    const probe = createDriftProbe(db, 'public', createUserRepository(db, { appId: 'public', batchSize: 5_000, logger: createLogger('silent') }));

    const counters = await timed(RUNS, () => probe.changeCounters());
    const comparison = await timed(3, () => probe.fingerprint());
    // What every check ran before: count and sum of the whole view's row hashes.
    const previous = await timed(3, () =>
      sql`SELECT count(*)::int, sum(('x' || left(md5(user_full_view::text), ${sql.lit(VERSION_WEIGHT_HEX_DIGITS)}))::bit(60)::bigint)::text
          FROM user_full_view WHERE app_id = 'public'`.execute(db),
    );

    const checksPerHour = 3_600_000 / sync.driftCheckIntervalMs;
    const fullPerHour = sync.driftFullCheckIntervalMs > 0 ? 3_600_000 / sync.driftFullCheckIntervalMs : 0;
    const median = (values: number[]) => percentile(values, 0.5);
    const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 0)} ms`;
    const s = (value: number) => `${(value / 1000).toFixed(value < 10_000 ? 2 : 1)} s`;

    console.log(`\ndrift check, ${USERS} users (DRIFT_CHECK_INTERVAL_MS=${sync.driftCheckIntervalMs}, DRIFT_FULL_CHECK_INTERVAL_MS=${sync.driftFullCheckIntervalMs})`);
    printTable(
      ['', 'database time per check', 'per hour at rest', 'per hour, rows changing (all announced)'],
      [
        [
          'now: counters; full comparison when due',
          `${ms(median(counters))} (comparison: ${s(median(comparison))})`,
          s(checksPerHour * median(counters)),
          s(checksPerHour * median(counters) + fullPerHour * median(comparison)),
        ],
        ['before: the whole view on every check', s(median(previous)), s(checksPerHour * median(previous)), s(checksPerHour * median(previous))],
      ],
    );
    console.log(
      `\ncounters: median ${ms(median(counters))}, p99 ${ms(percentile(counters, 0.99))} over ${RUNS}; ` +
        `comparison: ${comparison.map(s).join(', ')}; before: ${previous.map(s).join(', ')}.` +
        '\nA comparison prompted by rows changed behind the triggers takes at most 1% of the time; per instance, one at a time.',
    );
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
