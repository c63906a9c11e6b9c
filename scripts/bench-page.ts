/**
 * `npx tsx scripts/bench-page.ts postgres://postgres@127.0.0.1:5432/postgres`: the time of a full
 * page (500 users, every field) through createApp in-process, as the admin key and as a reader key
 * (users:read + users:pii), median and p90 of 200 requests after 30 warm-ups. It creates a
 * throwaway database on that server (SuperTokens' tables, our migrations, 500 users) and drops it.
 * A second argument replaces the query.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { parseConfig } from '../src/config.ts';
import { connectDatabase } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { addUserRole, createSuperTokensTables, setUserMetadata, signUpEmailPassword } from '../src/db/supertokens.ts';
import { createLogger } from '../src/logger.ts';
import { createService } from '../src/service.ts';

const serverUrl = process.argv[2];
if (!serverUrl) throw new Error('usage: tsx scripts/bench-page.ts postgres://…/postgres');
const query = process.argv[3] ?? '{ users(first: 500) { totalCount nodes { id email timeJoined lastActive roles metadata } } }';
const ADMIN_KEY = 'bench-admin-key-0123456789';
const READER_KEY = 'bench-reader-key-0123456789';

async function adminQuery(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

const name = `usergraph_bench_${randomBytes(4).toString('hex')}`;
const url = new URL(serverUrl);
url.pathname = `/${name}`;
await adminQuery(`CREATE DATABASE ${name}`);
const db = connectDatabase({ url: url.toString(), poolSize: 4 });
try {
  await createSuperTokensTables(db);
  await migrateToLatest(db);
  for (let i = 0; i < 500; i++) {
    const id = await signUpEmailPassword(db, { email: `bench${i}@example.com` });
    if (i % 3 === 0) await addUserRole(db, id, 'editor');
    if (i % 2 === 0) await setUserMetadata(db, id, { n: i });
  }
  const config = parseConfig({
    DATABASE_URL: url.toString(),
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    ADMIN_API_KEY: ADMIN_KEY,
    API_KEYS: JSON.stringify([{ name: 'reader', scopes: ['users:read', 'users:pii'], key: READER_KEY }]),
  });
  const service = createService(config, db, createLogger('silent'), url.toString());
  const { app } = service;
  await service.start();

  const run = async (key: string) => {
    const response = await app.fetch('http://bench/graphql', {
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
    times.sort((a, b) => a - b);
    console.log(`${label}: median ${times[100]!.toFixed(2)} ms, p90 ${times[180]!.toFixed(2)} ms`);
  }
  await service.stop();
} finally {
  await db.destroy();
  await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
