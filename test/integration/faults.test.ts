/**
 * Faults, for real: a PostgreSQL cluster of the file's own (its data directory and port), which
 * the tests restart, stop, lock and cut connections of, and a Redis the tests start and stop. What
 * must hold: no read fails while PostgreSQL restarts; a process started while it is down comes up
 * by itself; a full load whose connection is killed keeps the old directory and the process; a
 * killed listener converges; a locked table gives misses a coded timeout while hits go on and the
 * changes still arrive; Redis down never stops an instance.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { describe, expect } from 'vitest';
import { createUserRepository } from '../../src/db/user-repository.ts';
import { createLogger } from '../../src/logger.ts';
import { createDriftProbe } from '../../src/db/drift-probe.ts';
import { fingerprintOf } from '../../src/directory/fingerprint.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { seedSyntheticUsers, syntheticUserKey } from '../../supertokens-standin/synthetic-users.ts';
import { addUserRole, createRole, createSuperTokensTables, setUserMetadata, signUpEmailPassword } from '../../supertokens-standin/writes.ts';
import { test } from '../support/fixtures.ts';
import { createOwnPostgres, type OwnPostgres } from '../support/own-postgres.ts';
import { findFreePort } from '../../src/demo/free-port.ts';
import { openDatabase } from '../support/postgres-server.ts';
import { ADMIN_KEY, READER_KEY, errorCodes, expectData, type TestServer } from '../support/server.ts';
import { sleepUntil } from '../support/wait.ts';

const USERS = 2_000;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Cluster {
  readonly postgres: OwnPostgres;
  /** The database the services read (SuperTokens' tables, our migrations, USERS synthetic users). */
  readonly url: string;
  readonly db: Kysely<any>;
}

const it = test.extend('cluster', { scope: 'file' }, async ({}, { onCleanup }): Promise<Cluster> => {
  const postgres = await createOwnPostgres();
  let db: Kysely<any> | undefined;
  onCleanup(async () => {
    await db?.destroy();
    await postgres.destroy();
  });
  await postgres.start();
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  await admin.query('CREATE DATABASE usergraph');
  await admin.end();
  const url = postgres.urlFor('usergraph');
  db = openDatabase(url, 2);
  await createSuperTokensTables(db);
  await migrateToLatest(db);
  await seedSyntheticUsers(db, { count: USERS });
  return { postgres, url, db };
});

/** Ends the backends of our connections named `application` (and, if asked, only those waiting on a lock). */
async function terminate(db: Kysely<any>, application: string, { waitingOnLock = false } = {}): Promise<number> {
  const { rows } = await sql<{ pid: number }>`
    SELECT pg_terminate_backend(pid) AS pid FROM pg_stat_activity
    WHERE datname = current_database() AND application_name = ${application}
      AND (NOT ${waitingOnLock} OR wait_event_type = 'Lock')`.execute(db);
  return rows.length;
}

/** Holds ACCESS EXCLUSIVE on a table until released: every statement that reads it waits. */
async function lockTable(url: string, table: string): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('BEGIN');
  await client.query(`LOCK TABLE ${pg.escapeIdentifier(table)} IN ACCESS EXCLUSIVE MODE`);
  return async () => {
    await client.query('ROLLBACK').catch(() => {});
    await client.end();
  };
}

/** A statement of ours waits on a lock now (a full load, a re-read, a fingerprint). */
async function waitsOnLock(db: Kysely<any>, application: string): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM pg_stat_activity
    WHERE datname = current_database() AND application_name = ${application} AND wait_event_type = 'Lock'`.execute(db);
  return (rows[0]?.n ?? 0) > 0;
}

async function usersInView(db: Kysely<any>): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM user_full_view WHERE app_id = 'public'`.execute(db);
  return rows[0]!.n;
}

/** POST /graphql straight to the server (no replay through yoga: these tests count answers under load). */
async function query(server: TestServer, text: string, headers: Record<string, string> = { authorization: `Bearer ${READER_KEY}` }) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify({ query: text }),
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: Array<{ extensions?: { code?: string } }> } };
}

async function sameAsDatabase(server: TestServer, db: Kysely<any>): Promise<boolean> {
  await server.service.freshness!.settled();
  const snapshot = server.directory.snapshot;
  const [database, directory] = await Promise.all([createDriftProbe(db, 'public', createUserRepository(db, { appId: 'public', batchSize: 500, logger: createLogger('silent') })).fingerprint(), fingerprintOf(snapshot.all())]);
  return JSON.stringify([...database].sort()) === JSON.stringify([...directory].sort());
}

describe('PostgreSQL restarted under read load', () => {
  it('fails no read, a miss meanwhile says DATABASE_UNAVAILABLE, and the directory follows the writes made after it', async ({ cluster, startServer }) => {
    const server = await startServer(cluster.url, { LISTENER_RECONNECT_MAX_MS: '500' });
    let stop = false;
    let reads = 0;
    const failures: unknown[] = [];
    const readers = Array.from({ length: 8 }, async (_, reader) => {
      for (let i = reader; !stop; i += 8) {
        const { status, body } = await query(server, `{ user(id: "${syntheticUserKey((i % USERS) + 1)}") { id roles } }`);
        if (status !== 200 || body.errors || !body.data?.user) failures.push({ status, body });
        reads++;
      }
    });
    await sleepUntil(() => reads > 200);
    await cluster.postgres.stop();
    // While it is down, a lookup the directory misses says so with a code; hits go on.
    const miss = await query(server, '{ user(id: "not-in-the-directory") { id } }');
    expect(miss.body.errors?.map((error) => error.extensions?.code)).toEqual(['DATABASE_UNAVAILABLE']);
    // REST has no partial answer to carry the code in: the whole answer is a 503 that names it.
    const restMiss = await fetch(`${server.url}/users/not-in-the-directory-either`, { headers: { authorization: `Bearer ${READER_KEY}` } });
    expect(restMiss.status).toBe(503);
    expect(JSON.stringify(await restMiss.json())).toContain('DATABASE_UNAVAILABLE');
    // A miss the fast lane's compiled query meets is declined to yoga, which asks again: the
    // lane's own pending lookup then fails too, and must not go unhandled (that ended the process).
    const emailMiss = await query(server, '{ userByEmail(email: "nobody-while-down@example.com") { id } }');
    expect(emailMiss.body.errors?.map((error) => error.extensions?.code)).toEqual(['DATABASE_UNAVAILABLE']);
    await cluster.postgres.start();
    const afterRestart = reads;
    await sleepUntil(() => reads > afterRestart + 200);
    stop = true;
    await Promise.all(readers);
    expect(failures).toEqual([]);

    const id = await signUpEmailPassword(cluster.db, { email: 'after-restart@example.com' });
    await sleepUntil(() => server.directory.snapshot.userNamedBy(id) !== undefined);
    expect(server.service.freshness!.stats.listenerReconnects).toBeGreaterThanOrEqual(1);
  });
});

describe('PostgreSQL down at startup', () => {
  it('keeps the process up, says what it waits for, answers NOT_READY, and comes up by itself', async ({ cluster, onTestFinished }) => {
    await cluster.postgres.stop();
    let child: ChildProcess | undefined;
    onTestFinished(async () => {
      await cluster.postgres.start().catch(() => {});
      await stopProcess(child);
    });
    const port = await findFreePort();
    const output: string[] = [];
    child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: cluster.url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ADMIN_API_KEY: ADMIN_KEY },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const base = `http://127.0.0.1:${port}`;
    const status = (path: string) => fetch(`${base}${path}`).then((response) => response.status, () => 0);

    await sleepUntil(async () => (await status('/health')) === 200, 30_000, 100);
    await sleepUntil(() => output.join('').includes(`waiting for PostgreSQL at 127.0.0.1:${cluster.postgres.port}/usergraph to start`), 10_000, 50);
    expect(await status('/ready')).toBe(503);
    // The app is built while the database keeps it waiting: operators see the service's state.
    await sleepUntil(async () => (await status('/status')) === 200, 10_000, 50);
    const waiting = (await (await fetch(`${base}/status`)).json()) as { ready: boolean; directory: { users: number } };
    expect(waiting).toMatchObject({ ready: false, directory: { users: 0 } });
    expect(await status('/metrics')).toBe(200);
    const refused = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
      body: JSON.stringify({ query: '{ users { totalCount } }' }),
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await refused.json()) as any).errors.map((error: any) => error.extensions.code)).toEqual(['NOT_READY']);
    expect(child.exitCode).toBeNull();
    // One line per attempt group, not one per attempt.
    const waitingLines = output.join('').split('\n').filter((line) => line.includes('waiting for PostgreSQL'));
    expect(waitingLines.length).toBeLessThanOrEqual(2);

    await cluster.postgres.start();
    await sleepUntil(async () => (await status('/ready')) === 200, 60_000, 100);
    const answer = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
      body: JSON.stringify({ query: '{ users(first: 0) { totalCount } }' }),
    });
    expect(await answer.json()).toMatchObject({ data: { users: { totalCount: expect.any(Number) } } });
    expect(output.join('')).toContain('answered; went on to start');
  }, 120_000);
});

describe('the loading connection killed during a full load', () => {
  // No lock timeout: the load waits on the lock until its connection is killed.
  const env = { DATABASE_LOCK_TIMEOUT_MS: '0', LISTENER_RECONNECT_MAX_MS: '300', DRIFT_CHECK_INTERVAL_MS: '0' };

  it('the first load: retried with backoff, then ready, the process alive', async ({ cluster, startServer }) => {
    const release = await lockTable(cluster.url, 'user_metadata');
    try {
      const starting = startServer(cluster.url, env);
      await sleepUntil(() => waitsOnLock(cluster.db, 'usergraph-sync'));
      expect(await terminate(cluster.db, 'usergraph-sync', { waitingOnLock: true })).toBeGreaterThanOrEqual(1);
      await sleepUntil(() => waitsOnLock(cluster.db, 'usergraph-sync')); // tried again
      await release();
      const server = await starting;
      expect(server.directory.snapshot.size).toBe(await usersInView(cluster.db));
      expect(server.logs.some((line) => String(line.msg).startsWith('waiting for the database to load the directory'))).toBe(true);
    } finally {
      await release();
    }
  });

  it('reloadUsers: RELOAD_FAILED, the old directory kept; the next reload succeeds', async ({ cluster, startServer }) => {
    const server = await startServer(cluster.url, env);
    const loadedAt = server.directory.snapshot.loadedAt;
    const release = await lockTable(cluster.url, 'user_metadata');
    try {
      const reloading = server.execute('mutation { reloadUsers { count } }', {}, { authorization: `Bearer ${ADMIN_KEY}` });
      await sleepUntil(() => waitsOnLock(cluster.db, 'usergraph-sync'));
      await terminate(cluster.db, 'usergraph-sync', { waitingOnLock: true });
      expect(errorCodes(await reloading)).toEqual(['RELOAD_FAILED']);
      expect(server.directory.snapshot.loadedAt).toBe(loadedAt);
      expect(expectData(await server.execute(`{ user(id: "${syntheticUserKey(7)}") { id } }`)).user).toEqual({ id: syntheticUserKey(7) });
    } finally {
      await release();
    }
    const again = await server.execute('mutation { reloadUsers { count } }', {}, { authorization: `Bearer ${ADMIN_KEY}` });
    expect(expectData(again).reloadUsers.count).toBe(await usersInView(cluster.db));
  });

  it('the reload after a listener reconnect: retried until it succeeds, with what was written meanwhile', async ({ cluster, startServer }) => {
    const server = await startServer(cluster.url, env);
    const reloads = server.service.freshness!.stats.reloads;
    const release = await lockTable(cluster.url, 'user_metadata');
    let id: string;
    try {
      id = await signUpEmailPassword(cluster.db, { email: 'while-reconnecting@example.com' });
      await terminate(cluster.db, 'usergraph-listener');
      await sleepUntil(() => waitsOnLock(cluster.db, 'usergraph-sync'));
      await terminate(cluster.db, 'usergraph-sync', { waitingOnLock: true });
      await sleepUntil(() => server.service.freshness!.stats.reloads === reloads && waitsOnLock(cluster.db, 'usergraph-sync'));
    } finally {
      await release();
    }
    await sleepUntil(() => server.directory.snapshot.userNamedBy(id) !== undefined);
    expect(server.service.freshness!.stats.reloads).toBeGreaterThan(reloads);
  });

  it('the drift check: its fingerprint fails alone, and the next one repairs', async ({ cluster, startServer }) => {
    const server = await startServer(cluster.url, env);
    const key = syntheticUserKey(11);
    await cluster.db.transaction().execute(async (trx) => {
      await sql`ALTER TABLE user_metadata DISABLE TRIGGER USER`.execute(trx);
      await sql`UPDATE user_metadata SET user_metadata = '{"behind":"its back"}' WHERE user_id = ${key}`.execute(trx);
      await sql`ALTER TABLE user_metadata ENABLE TRIGGER USER`.execute(trx);
    });
    const release = await lockTable(cluster.url, 'user_metadata');
    try {
      const verifying = server.service.freshness!.driftCheck.verify();
      await sleepUntil(() => waitsOnLock(cluster.db, 'usergraph-sync'));
      await terminate(cluster.db, 'usergraph-sync', { waitingOnLock: true });
      await expect(verifying).rejects.toThrow();
    } finally {
      await release();
    }
    expect(await server.service.freshness!.driftCheck.verify()).toBe('repaired');
    expect(server.directory.snapshot.userNamedBy(key)?.metadata).toEqual({ behind: 'its back' });
  });
});

describe('the listener killed again and again during writes', () => {
  it('converges: afterwards the directory equals the view', async ({ cluster, startServer }) => {
    const server = await startServer(cluster.url, { LISTENER_RECONNECT_MAX_MS: '200', DRIFT_CHECK_INTERVAL_MS: '0' });
    let writing = true;
    const writer = (async () => {
      for (let i = 1; writing; i++) await setUserMetadata(cluster.db, syntheticUserKey((i * 37) % USERS + 1), { killed: i });
    })();
    for (let kill = 0; kill < 4; kill++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      await terminate(cluster.db, 'usergraph-listener');
    }
    writing = false;
    await writer;
    await sleepUntil(() => (server.service.freshness!.status().listener as { listening: boolean }).listening);
    await sleepUntil(() => sameAsDatabase(server, cluster.db), 15_000, 200);
    expect(server.service.freshness!.stats.listenerReconnects).toBeGreaterThanOrEqual(1);
  });
});

describe('a lock on a base table', () => {
  it('gives misses a coded timeout, leaves hits alone, says not ready while changes cannot apply, and the changes arrive once it is gone', async ({ cluster, startServer }) => {
    // Made before the service starts: a new role is a change of roles' permissions, which asks for a
    // full reload, and that reload must not be the one the lock below holds up.
    await createRole(cluster.db, 'during-lock');
    const server = await startServer(cluster.url, {
      DATABASE_POOL_SIZE: '1',
      DATABASE_LOCK_TIMEOUT_MS: '300',
      DATABASE_ACQUIRE_TIMEOUT_MS: '400',
      DRIFT_CHECK_INTERVAL_MS: '0',
      ABSENT_TTL_MS: '0',
      LISTENER_GRACE_MS: '1000',
    });
    const ready = async () => (await fetch(`${server.url}/ready`)).status;
    const release = await lockTable(cluster.url, 'user_metadata');
    let released = false;
    try {
      // Misses: the database cannot answer in time; hits: the directory answers as ever.
      const misses = await Promise.all(Array.from({ length: 6 }, (_, i) => query(server, `{ user(id: "nobody-${i}") { id } }`)));
      for (const miss of misses) {
        expect(miss.status).toBe(200);
        expect(miss.body.data).toEqual({ user: null });
        expect(miss.body.errors?.map((error) => error.extensions?.code)).toEqual(['DATABASE_TIMEOUT']);
      }
      const hits = await Promise.all(Array.from({ length: 20 }, (_, i) => query(server, `{ user(id: "${syntheticUserKey(i + 1)}") { id } }`)));
      expect(hits.map((hit) => [hit.status, hit.body.errors, hit.body.data?.user?.id])).toEqual(
        hits.map((_, i) => [200, undefined, syntheticUserKey(i + 1)]),
      );

      // A change meanwhile: its re-read waits on the lock on a connection of its own, not behind the lookups.
      expect(await ready()).toBe(200);
      await addUserRole(cluster.db, syntheticUserKey(3), 'during-lock');
      await sleepUntil(() => waitsOnLock(cluster.db, 'usergraph-sync'));
      // The re-read keeps failing on the lock: past LISTENER_GRACE_MS the instance says it is stale.
      await sleepUntil(async () => (await ready()) === 503, 15_000, 100);
      await release();
      released = true;
      await sleepUntil(() => server.directory.snapshot.userNamedBy(syntheticUserKey(3))?.roles.includes('during-lock') === true);
      await sleepUntil(async () => (await ready()) === 200, 15_000, 100);
    } finally {
      if (!released) await release();
    }
    // The pool recovered: a miss is answered again.
    const after = await query(server, '{ user(id: "nobody-after") { id } }');
    expect(after.body).toMatchObject({ data: { user: null } });
    expect(after.body.errors).toBeUndefined();
  });
});

describe('Redis, when configured', () => {
  it('down at start or later never stops an instance; a deaf instance catches up when it returns', async ({ cluster, startServer, onTestFinished }) => {
    const port = await findFreePort();
    let redis = await startRedis(port);
    onTestFinished(() => stopProcess(redis));
    const relay = { REDIS_URL: `redis://127.0.0.1:${port}`, LISTENER_GRACE_MS: '500', DRIFT_CHECK_INTERVAL_MS: '0' };
    const listening = await startServer(cluster.url, relay);
    const deaf = await startServer(cluster.url, { ...relay, CHANGE_LISTENER: 'false' });

    await stopProcess(redis);
    // Down: the listening instance is ready and follows; the deaf one keeps answering, says it is stale.
    const id = await signUpEmailPassword(cluster.db, { email: 'redis-down@example.com' });
    await sleepUntil(() => listening.directory.snapshot.userNamedBy(id) !== undefined);
    await sleepUntil(async () => (await fetch(`${deaf.url}/ready`)).status === 503);
    expect((await fetch(`${listening.url}/ready`)).status).toBe(200);
    expect((await query(deaf, `{ user(id: "${syntheticUserKey(1)}") { id } }`)).body.data.user).toEqual({ id: syntheticUserKey(1) });
    // And an instance started while Redis is down starts.
    const late = await startServer(cluster.url, relay);
    expect((await fetch(`${late.url}/ready`)).status).toBe(200);

    redis = await startRedis(port);
    await sleepUntil(() => deaf.directory.snapshot.userNamedBy(id) !== undefined, 20_000);
    await sleepUntil(async () => (await fetch(`${deaf.url}/ready`)).status === 200);
  });
});

function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    const deadline = Date.now() + 10_000;
    const probe = () => {
      const socket = new net.Socket();
      socket.once('connect', () => {
        socket.destroy();
        resolve(child);
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error('redis-server did not start'));
        else setTimeout(probe, 50);
      });
      socket.connect(port, '127.0.0.1');
    };
    probe();
  });
}

async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
