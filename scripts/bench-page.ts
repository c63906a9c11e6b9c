/**
 * `npx tsx scripts/bench-page.ts [postgres://…/postgres]`: the time of a full page (500 users,
 * every field) through createApp in-process, as the admin key and as a reader key (users:read +
 * users:pii), median and p90 of 200 requests after 30 warm-ups, on a throwaway database (that
 * server's, or an embedded one). A second argument replaces the query.
 */
import type { Kysely } from 'kysely';
import { parseConfig } from '../src/config/config.ts';
import { addUserRole, setUserMetadata, signUpEmailPassword } from '../supertokens-standin/writes.ts';
import { createLogger } from '../src/logger.ts';
import { createService } from '../src/service.ts';
import { percentile, withScratchDatabase } from './support/scratch.ts';

const serverUrl = process.argv[2];
const query = process.argv[3] ?? '{ users(first: 500) { totalCount nodes { id email timeJoined lastActive roles metadata } } }';
const ADMIN_KEY = 'bench-admin-key-0123456789';
const READER_KEY = 'bench-reader-key-0123456789';

await withScratchDatabase(serverUrl, createLogger('warn'), async (databaseUrl, typed) => {
  const db = typed as unknown as Kysely<any>;
  for (let i = 0; i < 500; i++) {
    const id = await signUpEmailPassword(db, { email: `bench${i}@example.com` });
    if (i % 3 === 0) await addUserRole(db, id, 'editor');
    if (i % 2 === 0) await setUserMetadata(db, id, { n: i });
  }
  const config = parseConfig({
    DATABASE_URL: databaseUrl,
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    ADMIN_API_KEY: ADMIN_KEY,
    API_KEYS: JSON.stringify([{ name: 'reader', scopes: ['users:read', 'users:pii'], key: READER_KEY }]),
  });
  const service = createService({ config, db: typed, databaseUrl, logger: createLogger('silent') });
  await service.start();

  const run = async (key: string) => {
    const response = await service.app.yoga.fetch('http://bench/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
  };
  for (const [label, key] of [['admin key', ADMIN_KEY], ['reader key', READER_KEY]] as const) {
    for (let i = 0; i < 30; i++) await run(key);
    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      const start = performance.now();
      await run(key);
      times.push(performance.now() - start);
    }
    console.log(`${label}: median ${percentile(times, 0.5).toFixed(2)} ms, p90 ${percentile(times, 0.9).toFixed(2)} ms`);
  }
  await service.stop();
});
