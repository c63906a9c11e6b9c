/**
 * `npm run bench:lag`: how long a committed change takes to become visible in the directory,
 * under a steady write load, against the floor set by PostgreSQL itself (a bare LISTEN client
 * receiving the same notice), measured in the same run.
 *
 * Uses a scratch database on BENCH_DATABASE_URL's server (created and dropped), or an embedded
 * PostgreSQL when it is unset. Options (environment): BENCH_USERS (10000), BENCH_SECONDS (5),
 * BENCH_RATES (comma-separated writes per second: 50,200,500), BENCH_DRIFT_CHECK_MS (the drift
 * check's interval; 0, the default: off) and BENCH_DRIFT_FULL_MS (how often it compares the whole
 * view when rows changed; the service's default when unset).
 */
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { parseConfig } from '../src/config/config.ts';
import { connectDatabase } from '../src/db/connect.ts';
import { createLogger } from '../src/logger.ts';
import { createService } from '../src/service.ts';
import { seedSyntheticUsers, syntheticUserKey } from '../supertokens-standin/synthetic-users.ts';
import { percentile, printTable, withScratchDatabase } from './support/scratch.ts';

const env = process.env; // a script's own knobs; the service's config still goes through parseConfig
const USERS = Number(env.BENCH_USERS ?? 10_000);
const SECONDS = Number(env.BENCH_SECONDS ?? 5);
const RATES = (env.BENCH_RATES ?? '50,200,500').split(',').map(Number);

async function main() {
  const logger = createLogger('warn');
  await withScratchDatabase(env.BENCH_DATABASE_URL, logger, async (databaseUrl, db) => {
    await seedSyntheticUsers(db as unknown as Kysely<any>, { count: USERS });
    const ids = Array.from({ length: USERS }, (_, i) => syntheticUserKey(i + 1));
    const config = parseConfig({
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
      DRIFT_CHECK_INTERVAL_MS: env.BENCH_DRIFT_CHECK_MS ?? '0',
      ...(env.BENCH_DRIFT_FULL_MS ? { DRIFT_FULL_CHECK_INTERVAL_MS: env.BENCH_DRIFT_FULL_MS } : {}),
    });
    const service = createService({ config, db, databaseUrl, logger });
    await service.start();

    // The load comes from a pool of its own, as it would from the application's servers.
    const writer = connectDatabase({ url: databaseUrl, poolSize: 8 }) as unknown as Kysely<any>;
    const floor = new pg.Client({ connectionString: databaseUrl });
    await floor.connect();
    await floor.query('LISTEN usergraph_changes');

    const rows: string[][] = [];
    for (const rate of RATES) {
      const { notified, visible } = await measure(writer, service, floor, ids, rate);
      const n = percentile(notified, 0.5);
      const v = percentile(visible, 0.5);
      rows.push([
        `${rate}/s`,
        String(visible.length),
        ms(n),
        ms(percentile(notified, 0.99)),
        ms(v),
        ms(percentile(visible, 0.99)),
        n > 0 ? `${(v / n).toFixed(2)}x` : '-',
      ]);
    }
    await floor.end();
    await writer.destroy();
    const { driftChecks, fullChecks, driftRepairs, reloads } = service.freshness!.stats;
    await service.stop();

    console.log(`\ncommit-to-visible lag, ${USERS} users, ${SECONDS} s per rate (write start → seen)`);
    printTable(['writes', 'samples', 'NOTIFY p50', 'NOTIFY p99', 'directory p50', 'directory p99', 'p50 ratio'], rows);
    console.log("\nNOTIFY: a bare LISTEN client receiving the trigger's notice (the floor). directory: the change applied and published to subscribers.");
    console.log(`drift check: ${driftChecks} checks, ${fullChecks} full comparisons, ${driftRepairs} repairs, ${reloads} full reloads`);
  });
}

/** Writes metadata at `rate` per second for SECONDS; times each write to its notice and to its visibility. */
async function measure(db: Kysely<any>, service: ReturnType<typeof createService>, floor: pg.Client, ids: string[], rate: number) {
  const started = new Map<string, number>(); // token → write start
  const notified: number[] = [];
  const visible: number[] = [];
  const tokenOf = (id: string) => id; // one write in flight per user at most: the user id is the token
  const onNotice = (message: pg.Notification) => {
    const at = performance.now();
    const payload = JSON.parse(message.payload ?? '{}');
    for (const id of payload.i ?? []) {
      const t0 = started.get(tokenOf(id));
      if (t0 !== undefined) notified.push(at - t0);
    }
  };
  floor.on('notification', onNotice);
  const subscription = service.userChanges.subscribe();
  const watching = (async () => {
    for await (const event of subscription) {
      if (event.kind === 'REFETCH') continue;
      const t0 = started.get(tokenOf(event.user.id));
      if (t0 !== undefined) {
        visible.push(performance.now() - t0);
        started.delete(tokenOf(event.user.id));
      }
    }
  })();

  const total = rate * SECONDS;
  const interval = 1000 / rate;
  const begin = performance.now();
  const writes: Promise<unknown>[] = [];
  for (let i = 0; i < total; i++) {
    const due = begin + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const id = ids[i % ids.length]!;
    if (started.has(id)) continue;
    started.set(id, performance.now());
    writes.push(
      sql`INSERT INTO user_metadata (app_id, user_id, user_metadata) VALUES ('public', ${id}, ${JSON.stringify({ i })})
          ON CONFLICT (app_id, user_id) DO UPDATE SET user_metadata = EXCLUDED.user_metadata`.execute(db),
    );
  }
  await Promise.all(writes);
  await service.freshness!.settled();
  await new Promise((resolve) => setTimeout(resolve, 200));
  floor.off('notification', onNotice);
  await subscription.return?.(undefined);
  await Promise.race([watching, new Promise((resolve) => setTimeout(resolve, 100))]);
  return { notified, visible };
}

const ms = (value: number) => (Number.isNaN(value) ? '-' : `${value.toFixed(1)} ms`);

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
