/**
 * `npm run measure -- [server-url] [users]`: how fast the directory reads SuperTokens' tables.
 *
 * Creates a throwaway database on the server (default: an embedded PostgreSQL),
 * writes `users` synthetic users into core 11's tables (default 20000; see supertokens-standin/synthetic-users.ts),
 * applies our migrations and ANALYZE, then reports:
 * - the plans of a by-id lookup (100 ids of every kind) and a by-email lookup, with any
 *   sequential scan called out;
 * - the median time of lookups, of a full load through the repository, and of a whole
 *   UserDirectory.reload (load + snapshot).
 * Drops its database at the end.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { seedSyntheticUsers, syntheticLinkedId, syntheticUserId } from '../supertokens-standin/synthetic-users.ts';
import { createSuperTokensTables } from '../supertokens-standin/writes.ts';
import { createUserRepository, userQueries } from '../src/db/user-repository.ts';
import { createDriftProbe } from '../src/db/drift-probe.ts';
import { UserDirectory } from '../src/directory/user-directory.ts';
import { createLogger } from '../src/logger.ts';
import { scansOf, wholeScansOfUserTables, type PlanNode } from '../test/support/plans.ts';
import { createScratchDatabase, usePostgresServer } from '../test/support/postgres-server.ts';

const serverUrl = process.argv[2]; // undefined: an embedded PostgreSQL
const count = Number(process.argv[3] ?? 20_000);
const RUNS = 5;

async function median(runs: number, task: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await task();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)]! * 10) / 10;
}

const server = await usePostgresServer(serverUrl, createLogger('warn'));
const scratch = await createScratchDatabase(server.url, { prefix: 'usergraph_measure' });
const db = scratch.db as Kysely<Database>;
try {
  const any = db as any;
  const started = performance.now();
  await createSuperTokensTables(any);
  await seedSyntheticUsers(any, { count });
  await migrateToLatest(any);
  console.log(`seeded ${count} users (+${count / 10} linked login methods) and migrated in ${Math.round(performance.now() - started)} ms`);

  const ids = Array.from({ length: 25 }, (_, k) => [
    syntheticUserId(7 * k + 1), // a plain user's SuperTokens id
    `ext-${5 * (k + 1)}`, // an external id
    syntheticUserId(10 * (k + 1)), // a primary user's id
    syntheticLinkedId(10 * (k + 1)), // a login method linked to a primary user
  ]).flat();
  const emails = Array.from({ length: 100 }, (_, k) => `user${37 * k + 3}@example.com`);
  const queries = userQueries(db, 'public');

  for (const [label, query] of [
    ['by id (1 id)', queries.byIds(ids.slice(3, 4))],
    ['by id (100 ids of every kind)', queries.byIds(ids)],
    ['by email (100 emails)', queries.byEmails(emails)],
  ] as const) {
    const [row] = await query.explain('json', sql`analyze, buffers`);
    const plan = (row as { 'QUERY PLAN': Array<{ Plan: PlanNode; 'Execution Time': number }> })['QUERY PLAN'][0]!;
    const found = scansOf(plan.Plan);
    const sequential = wholeScansOfUserTables(found);
    console.log(`\nplan ${label}: execution ${plan['Execution Time']} ms`);
    for (const scan of [...new Set(found)]) console.log(`  ${scan}`);
    console.log(sequential.length === 0 ? '  no sequential scan of a per-user table' : `  SEQUENTIAL SCANS OF PER-USER TABLES: ${sequential.join('; ')}`);
  }

  const logger = createLogger('warn');
  const repository = createUserRepository(db, { appId: 'public', batchSize: 5000, logger });
  const byIds = await repository.findUsersByIds(ids);
  console.log(`\nfindUsersByIds(1 id): median ${await median(RUNS, () => repository.findUsersByIds(ids.slice(3, 4)))} ms`);
  console.log(`findUsersByIds(100 ids) finds ${byIds.length} users: median ${await median(RUNS, () => repository.findUsersByIds(ids))} ms`);
  const many = Array.from({ length: 500 }, (_, k) => syntheticUserId(37 * k + 1));
  console.log(`findUsersByIds(500 ids): median ${await median(RUNS, () => repository.findUsersByIds(many))} ms`);
  console.log(`findUsersByEmails(100 emails): median ${await median(RUNS, () => repository.findUsersByEmails(emails))} ms`);

  let loaded = 0;
  const load = await median(3, async () => {
    loaded = 0;
    for await (const batch of repository.streamAllUsers()) loaded += batch.length;
  });
  console.log(`full load through the repository: ${loaded} users, median ${load} ms`);
  const directory = new UserDirectory(() => repository.streamAllUsers(), { absentTtlMs: 0, logger });
  const reload = await median(3, () => directory.reload());
  console.log(`UserDirectory.reload (load + snapshot): ${directory.snapshot.size} users, median ${reload} ms`);
  const probe = createDriftProbe(db, 'public', repository);
  console.log(`fingerprint: median ${await median(3, () => probe.fingerprint())} ms`);
} finally {
  await scratch.drop();
  await server.stop();
}
