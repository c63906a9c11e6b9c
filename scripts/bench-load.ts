/**
 * `npm run bench:load`: the startup load (stream the view → map rows → build the snapshot), next
 * to its floor in the same run: the same view read with one plain query, rows left as pg gives them.
 *
 * Scratch database on BENCH_DATABASE_URL's server, or embedded. BENCH_LOAD_SIZES: 10000,100000.
 */
import { sql, type Kysely } from 'kysely';
import { parseConfig } from '../src/config/config.ts';
import { createLogger } from '../src/logger.ts';
import { createService } from '../src/service.ts';
import { seedSyntheticUsers } from '../supertokens-standin/synthetic-users.ts';
import { printTable, withScratchDatabase } from './support/scratch.ts';

const env = process.env; // a script's own knobs
const SIZES = (env.BENCH_LOAD_SIZES ?? '10000,100000').split(',').map(Number);

async function main() {
  const logger = createLogger('warn');
  const rows: string[][] = [];
  for (const size of SIZES) {
    await withScratchDatabase(env.BENCH_DATABASE_URL, logger, async (databaseUrl, db) => {
      await seedSyntheticUsers(db as unknown as Kysely<any>, { count: size });

      global.gc?.();
      const floorStart = performance.now();
      const plain = await sql`SELECT * FROM user_full_view WHERE app_id = 'public'`.execute(db);
      const floorMs = performance.now() - floorStart;
      const count = plain.rows.length;
      plain.rows.length = 0;

      global.gc?.();
      const heapBefore = process.memoryUsage().heapUsed;
      const config = parseConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', CHANGE_LISTENER: 'false', DRIFT_CHECK_INTERVAL_MS: '0' });
      const service = createService({ config, db, databaseUrl, logger });
      const loadStart = performance.now();
      await service.start();
      const loadMs = performance.now() - loadStart;
      global.gc?.();
      const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
      if (service.directory.snapshot.size !== count) throw new Error(`loaded ${service.directory.snapshot.size} of ${count}`);
      await service.stop();

      rows.push([String(size), `${floorMs.toFixed(0)} ms`, `${loadMs.toFixed(0)} ms`, `${(loadMs / floorMs).toFixed(2)}x`, `${heapMb.toFixed(0)} MiB`]);
    });
  }
  console.log('\nstartup load of the directory');
  printTable(['users', 'plain SELECT (floor)', 'usergraph load', 'ratio', 'heap held'], rows);
  console.log('\nplain SELECT: the whole view in one query, rows as pg returns them. usergraph load: streamed in batches, mapped, indexed.');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
