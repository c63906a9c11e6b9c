/**
 * The drift check pays in proportion to what changed, and tells drift from changes in flight: at
 * rest it reads two counters and nothing else; announced changes prompt no comparison; rows
 * changed behind the triggers' back prompt one, which re-reads the drifted users only; under
 * steady writes a comparison finds no drift where there is none; one instance compares at a time.
 */
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect } from 'vitest';
import { parseConfig } from '../../src/config/config.ts';
import { connectDatabase } from '../../src/db/connect.ts';
import { createUserRepository } from '../../src/db/user-repository.ts';
import { createLogger } from '../../src/logger.ts';
import { createDriftProbe } from '../../src/db/drift-probe.ts';
import { connectSyncDatabase } from '../../src/directory-service.ts';
import { seedSyntheticUsers, syntheticUserKey } from '../../supertokens-standin/synthetic-users.ts';
import { setUserMetadata } from '../../supertokens-standin/writes.ts';
import { test } from '../support/fixtures.ts';
import type { TestServer } from '../support/server.ts';
import { sleepUntil } from '../support/wait.ts';

const USERS = 1_000;

const it = test
  .extend('seed', { scope: 'file' }, async ({ database }) => {
    await seedSyntheticUsers(database.db, { count: USERS });
  })
  // The checks run when the tests say so.
  .extend('serverEnv', { scope: 'file' }, { DRIFT_CHECK_INTERVAL_MS: '0' });

/** Statements that read the view since `since`: what a comparison costs the database. */
const viewReads = (server: TestServer, since: number) => server.statements.slice(since).filter((s) => s.includes('user_full_view'));

/** A write behind the triggers' back, as a restore with triggers disabled would make. */
async function writeUnannounced(url: string, key: string, metadata: Record<string, unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query('ALTER TABLE user_metadata DISABLE TRIGGER USER');
    await client.query('UPDATE user_metadata SET user_metadata = $1 WHERE user_id = $2', [JSON.stringify(metadata), key]);
    await client.query('ALTER TABLE user_metadata ENABLE TRIGGER USER');
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}

describe('the change counters', () => {
  it('count every row a statement changes, also for a database user without rights on them', async ({ database }) => {
    const probe = createDriftProbe(database.db, 'public', createUserRepository(database.db, { appId: 'public', batchSize: 500, logger: createLogger('silent') }));
    const before = await probe.changeCounters();
    // A connection of its own, ended after: a backend publishes its statistics when it exits.
    const core = new pg.Client({ connectionString: database.url });
    await core.connect();
    try {
      await core.query('UPDATE user_metadata SET user_metadata = user_metadata WHERE user_id = ANY($1)', [[1, 2, 3].map(syntheticUserKey)]);
      expect((await probe.changeCounters()).announced - before.announced).toBe(3n);
      // SuperTokens' own database user needs no privilege on usergraph's counter (SECURITY DEFINER).
      await core.query(`DO $$ BEGIN CREATE ROLE usergraph_test_core NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
      await core.query('GRANT SELECT, UPDATE ON user_metadata TO usergraph_test_core');
      await core.query('BEGIN');
      await core.query('SET LOCAL ROLE usergraph_test_core');
      await core.query(`UPDATE user_metadata SET user_metadata = '{"by":"core"}' WHERE user_id = $1`, [syntheticUserKey(4)]);
      await core.query('COMMIT');
    } finally {
      await core.query('ROLLBACK').catch(() => {});
      await core.end();
    }
    expect((await probe.changeCounters()).announced - before.announced).toBe(4n);
  });

  it('count the rows of passkey users too (webauthn_users)', async ({ database }) => {
    const probe = createDriftProbe(database.db, 'public', createUserRepository(database.db, { appId: 'public', batchSize: 500, logger: createLogger('silent') }));
    const before = await probe.changeCounters();
    const core = new pg.Client({ connectionString: database.url });
    await core.connect();
    try {
      const { rowCount } = await core.query('UPDATE webauthn_users SET email = email WHERE user_id IN (SELECT user_id FROM webauthn_users ORDER BY user_id LIMIT 2)');
      expect(rowCount).toBe(2); // the synthetic users include passkey users
    } finally {
      await core.end();
    }
    expect((await probe.changeCounters()).announced - before.announced).toBe(2n);
  });
});

describe('the drift check', () => {
  it('at rest reads the counters and nothing else', async ({ server }) => {
    const check = server.service.freshness!.driftCheck;
    await check.check(); // takes its reference
    const since = server.statements.length;
    expect(await check.check()).toBe('unchanged');
    expect(await check.check()).toBe('unchanged');
    expect(viewReads(server, since)).toEqual([]);
    expect(server.statements.slice(since).every((statement) => statement.includes('usergraph_change_counters'))).toBe(true);
  });

  it('compares nothing after changes the triggers announced', async ({ server, database }) => {
    const check = server.service.freshness!.driftCheck;
    await check.check();
    await setUserMetadata(database.db, syntheticUserKey(5), { announced: true });
    await sleepUntil(() => server.directory.snapshot.userNamedBy(syntheticUserKey(5))?.metadata.announced === true);
    const since = server.statements.length;
    expect(await check.check()).toBe('announced');
    expect(viewReads(server, since)).toEqual([]);
  });

  it('verifies after rows changed behind the triggers, and re-reads the drifted users only', async ({ server, database }) => {
    const freshness = server.service.freshness!;
    expect(await freshness.driftCheck.verify()).toBe('verified'); // a new reference, now
    // Its statistics are read 11 s later (PostgreSQL publishes them up to 10 s late): until then,
    // and beyond as many rows as were announced meanwhile, unannounced rows are left to the insurance.
    await new Promise((resolve) => setTimeout(resolve, 11_500));
    const reloads = freshness.stats.reloads;
    const key = syntheticUserKey(6); // one with metadata (most have)
    await writeUnannounced(database.url, key, { unannounced: 1 });
    let outcome = '';
    await sleepUntil(async () => (outcome = await freshness.driftCheck.check()) !== 'announced' && outcome !== 'unchanged', 10_000, 250);
    expect(outcome).toBe('repaired');
    expect(server.directory.snapshot.userNamedBy(key)?.metadata).toEqual({ unannounced: 1 });
    expect(freshness.stats.driftRepairs).toBe(1);
    expect(freshness.stats.reloads).toBe(reloads); // the bucket's users re-read, not the directory reloaded
    expect(await freshness.driftCheck.verify()).toBe('verified');
  });

  it('finds no drift under steady writes, and the one real drift among them', async ({ server, database }) => {
    const freshness = server.service.freshness!;
    await freshness.driftCheck.verify();
    const repairs = freshness.stats.driftRepairs;
    let writing = true;
    let written = 0;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        await setUserMetadata(database.db, syntheticUserKey((i % 200) + 100), { steady: i });
        written++;
        await new Promise((resolve) => setTimeout(resolve, 20)); // about 50 writes a second
      }
    })();
    try {
      for (let round = 0; round < 3; round++) expect(await freshness.driftCheck.verify()).toBe('verified');
      expect(freshness.stats.driftRepairs).toBe(repairs);

      const key = syntheticUserKey(12); // one with metadata
      await writeUnannounced(database.url, key, { drifted: 'amid writes' });
      expect(await freshness.driftCheck.verify()).toBe('repaired');
      expect(server.directory.snapshot.userNamedBy(key)?.metadata).toEqual({ drifted: 'amid writes' });
      expect(freshness.stats.driftRepairs).toBe(repairs + 1);
    } finally {
      writing = false;
      await writer;
    }
    expect(written).toBeGreaterThan(20);
  });

  it('compares on one instance at a time', async ({ server, database }) => {
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query(`SELECT pg_advisory_lock(72319053, hashtext('public'))`);
      const since = server.statements.length;
      expect(await server.service.freshness!.driftCheck.verify()).toBe('busy');
      expect(viewReads(server, since)).toEqual([]);
    } finally {
      await holder.end();
    }
    expect(await server.service.freshness!.driftCheck.verify()).toBe('verified');
  });
});

describe('the drift check between checks', () => {
  it('finds its connection open after the pool closed its idle others', async ({ database, onTestFinished }) => {
    const config = parseConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
    const sync = connectSyncDatabase(config, database.url);
    const plain = connectDatabase({ url: database.url, poolSize: 2 });
    onTestFinished(() => Promise.all([sync.destroy(), plain.destroy()]).then(() => {}));
    const backend = async (db: typeof sync) => (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(db)).rows[0]!.pid;
    const before = await Promise.all([backend(sync), backend(plain)]);
    // pg-pool closes a connection idle for 10 s, unless the pool keeps it.
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    const after = await Promise.all([backend(sync), backend(plain)]);
    expect(after[0]).toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
  }, 30_000);
});
