/**
 * The process: config → HTTP port → database (the embedded demo's when no DATABASE_URL) → wait
 * for it → migrations → service → first load. Shutdown runs in reverse. The only module that
 * wires things together.
 *
 * The port comes first: a taken one is said in one line before any other work, so a second start
 * beside a running one touches nothing of it. From then on /health answers; /ready and GraphQL
 * say not ready (NOT_READY) until the first load, however long the database takes to come.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import { loadConfig, type Config } from './config/config.ts';
import { connectDatabase } from './db/connect.ts';
import { databaseFault } from './db/database-errors.ts';
import { migrateToLatest } from './db/migrate.ts';
import { startDemoDatabase, type DemoDatabase } from './demo/start-demo-database.ts';
import { answerWhileStarting } from './http/while-starting.ts';
import { createLogger, type Logger } from './logger.ts';
import { retryWithBackoff } from './retry.ts';
import { connectSyncDatabase, createService } from './service.ts';

/** What shutdown undoes, last set up first. */
const cleanups: Array<() => Promise<void>> = [];

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);

  let answer: RequestListener = answerWhileStarting;
  const server = createServer((request, response) => answer(request, response));
  await listen(server, config);
  onShutdownSignal(logger, server);

  let demo: DemoDatabase | undefined;
  if (config.database.url === undefined) {
    demo = await startDemoDatabase({ dataDir: config.embedded.dataDir, port: config.embedded.port, logger });
    cleanups.unshift(() => demo!.stop());
  }
  const databaseUrl = config.database.url ?? demo!.url;
  const target = `PostgreSQL at ${describe(databaseUrl)}`;

  const { database } = config;
  const db = connectDatabase({
    url: databaseUrl,
    poolSize: database.poolSize,
    statementTimeoutMs: database.statementTimeoutMs,
    lockTimeoutMs: database.lockTimeoutMs,
    acquireTimeoutMs: database.acquireTimeoutMs,
    onConnectionError: (error) => logger.warn({ err: error }, 'a database connection broke; the pool replaces it'),
  });
  cleanups.unshift(() => db.destroy());
  const syncDb = connectSyncDatabase(config, databaseUrl, undefined, logger);
  cleanups.unshift(() => syncDb.destroy());
  const service = createService({ config, db, syncDb, databaseUrl, logger, demoAdminKey: demo?.adminApiKey });
  cleanups.unshift(() => service.stop());
  answer = service.app.handleRequest;

  // Down at startup is not fatal: wait for it (one log line per while), then go on by ourselves.
  const untilReachable = { waitingFor: target, logger, isRetryable: (error: unknown) => databaseFault(error) !== undefined };
  await retryWithBackoff(() => db.selectNoFrom((eb) => eb.lit(1).as('one')).execute(), { ...untilReachable, to: 'to start' });
  if (database.migrateOnStart) {
    const applied = await retryWithBackoff(() => migrate(databaseUrl), { ...untilReachable, to: 'to apply migrations' });
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  }
  await service.start();
  printBanner(config, demo);
}

/** Migrations on a connection of their own, without the lookups' statement timeout: an index may take a while. */
async function migrate(url: string): Promise<string[]> {
  const db = connectDatabase({ url, poolSize: 1, applicationName: 'usergraph-migrate' });
  try {
    return await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
}

/** Listens, or ends the process with one line when the port is taken. */
async function listen(server: Server, config: Config): Promise<void> {
  const { host, port } = config.http;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE' && error.code !== 'EACCES') throw error;
    const why = error.code === 'EADDRINUSE' ? 'is taken (another usergraph running?)' : 'may not be used by this user';
    console.error(`usergraph cannot start: port ${port} on ${host} ${why}; set PORT to another`);
    process.exit(1);
  });
}

/** host:port/database of a URL, without its credentials. */
function describe(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
}

function printBanner(config: Config, demo: DemoDatabase | undefined): void {
  const lines = [`usergraph is ready: http://localhost:${config.http.port}/graphql`];
  if (demo) {
    // Deliberately printed (not logged): the demo key exists so that a first-time user can try reloadUsers.
    const key = config.auth.adminApiKey === undefined ? demo.adminApiKey : '(ADMIN_API_KEY)';
    lines.push(`embedded demo database; admin key: ${key}`);
  }
  console.log(lines.join('\n'));
}

/** Stops accepting, lets requests in flight finish, then cuts what stays open (event streams). */
function closeServer(server: Server, graceMs = 5_000): Promise<void> {
  return new Promise((resolve) => {
    const cut = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearTimeout(cut);
      resolve();
    });
    server.closeIdleConnections();
  });
}

async function runCleanups(logger: Logger | undefined): Promise<void> {
  for (const cleanup of cleanups.splice(0)) {
    await cleanup().catch((error: unknown) => (logger ? logger.error({ err: error }, 'shutdown step failed') : console.error(error)));
  }
}

function onShutdownSignal(logger: Logger, server: Server): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // HTTP first (requests in flight finish), then the service, its pools, and the demo database.
    await closeServer(server);
    await runCleanups(logger);
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch(async (error: unknown) => {
  // One line: what went wrong, not a stack trace (the cause is logged where it happened).
  console.error(`usergraph failed to start: ${error instanceof Error ? error.message : String(error)}`);
  await runCleanups(undefined); // never leave the embedded database running without us
  process.exit(1);
});
