/**
 * `npm run bench:lag`: how long a committed change takes to become visible in the directory,
 * under a steady write load, against the floor set by PostgreSQL itself (a bare LISTEN client
 * receiving the same notice), measured in the same run.
 *
 * Uses a scratch database on BENCH_DATABASE_URL's server (created and dropped), or an embedded
 * PostgreSQL when it is unset. Options (environment): BENCH_USERS (10000), BENCH_SECONDS (5),
 * BENCH_RATES (comma-separated writes per second: 50,200,500).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, chmod, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { parseConfig } from '../src/config.ts';
import { connectDatabase } from '../src/db/connect.ts';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { createSuperTokensTables } from '../src/db/supertokens.ts';
import { createLogger } from '../src/logger.ts';
import { createService } from '../src/service.ts';

const env = process.env; // a script's own knobs; the service's config still goes through parseConfig
const USERS = Number(env.BENCH_USERS ?? 10_000);
const SECONDS = Number(env.BENCH_SECONDS ?? 5);
const RATES = (env.BENCH_RATES ?? '50,200,500').split(',').map(Number);

async function main() {
  const logger = createLogger('warn');
  let serverUrl = env.BENCH_DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!serverUrl) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'usergraph-bench-'));
    await chmod(dir, 0o755);
    const embedded = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), port: 0, persistent: false, logger });
    serverUrl = embedded.url;
    stopEmbedded = async () => {
      await embedded.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }
  const name = `usergraph_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();

  const db = connectDatabase({ url: databaseUrl, poolSize: 8 });
  try {
    await createSuperTokensTables(db as unknown as Kysely<any>);
    await migrateToLatest(db);
    const ids = await seedUsers(db as unknown as Kysely<any>, USERS);

    const config = parseConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', DRIFT_CHECK_INTERVAL_MS: '0' });
    const service = createService(config, db, logger, databaseUrl);
    await service.start();

    // The load comes from a pool of its own, as it would from the application's servers.
    const writer = connectDatabase({ url: databaseUrl, poolSize: 8 }) as unknown as Kysely<any>;
    const floor = new pg.Client({ connectionString: databaseUrl });
    await floor.connect();
    await floor.query('LISTEN usergraph_changes');

    const rows: string[][] = [];
    for (const rate of RATES) {
      const { notified, visible } = await measure(writer, service, floor, ids, rate);
      const n = pct(notified, 0.5);
      const v = pct(visible, 0.5);
      rows.push([
        `${rate}/s`,
        String(visible.length),
        ms(n),
        ms(pct(notified, 0.99)),
        ms(v),
        ms(pct(visible, 0.99)),
        n > 0 ? `${(v / n).toFixed(2)}x` : '-',
      ]);
    }
    await floor.end();
    await writer.destroy();
    await service.stop();

    console.log(`\ncommit-to-visible lag, ${USERS} users, ${SECONDS} s per rate (write start → seen)`);
    printTable(['writes', 'samples', 'NOTIFY p50', 'NOTIFY p99', 'directory p50', 'directory p99', 'p50 ratio'], rows);
    console.log('\nNOTIFY: a bare LISTEN client receiving the trigger\'s notice (the floor). directory: the change applied and published to subscribers.');
  } finally {
    await db.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    await stopEmbedded?.();
  }
}

async function seedUsers(db: Kysely<any>, count: number): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    WITH made AS (
      SELECT gen_random_uuid()::text AS id, n FROM generate_series(1, ${count}) n
    ), a AS (
      INSERT INTO app_id_to_user_id (app_id, user_id, primary_or_recipe_user_id, recipe_id)
      SELECT 'public', id, id, 'emailpassword' FROM made RETURNING user_id
    ), b AS (
      INSERT INTO all_auth_recipe_users (app_id, tenant_id, user_id, primary_or_recipe_user_id, recipe_id, time_joined, primary_or_recipe_user_time_joined)
      SELECT 'public', 'public', id, id, 'emailpassword', 1600000000000 + n, 1600000000000 + n FROM made
    ), c AS (
      INSERT INTO emailpassword_users (app_id, user_id, email, password_hash, time_joined)
      SELECT 'public', id, 'bench' || n || '@example.com', 'x', 1600000000000 + n FROM made
    )
    SELECT id FROM made`.execute(db);
  return rows.map((row) => row.id);
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

function pct(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const ms = (value: number) => (Number.isNaN(value) ? '-' : `${value.toFixed(1)} ms`);

function printTable(header: string[], rows: string[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
