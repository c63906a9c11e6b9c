/**
 * The process (`usergraph serve`): config → HTTP port → database (the embedded demo's when no
 * DATABASE_URL) → wait for it → migrations → first load, and the app while it runs. Shutdown runs
 * in reverse. The only module that wires things together.
 *
 * The app's code (the GraphQL stack, about a third of a second to compile) is imported only once
 * the first load has begun: PostgreSQL spends that time on the load's statements.
 *
 * The port comes first: a taken one is said in one line before any other work, so a second start
 * beside a running one touches nothing of it. From then on /health answers; /ready and GraphQL
 * say not ready (NOT_READY) until the first load, however long the database takes to come.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, type Config } from './config/config.ts';
import { connectDatabase } from './db/connect.ts';
import { databaseFault } from './db/database-errors.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { DemoDatabase } from './demo/start-demo-database.ts';
import { closeGracefully } from './http/graceful-close.ts';
import { answerWhileStarting } from './http/while-starting.ts';
import { createLogger, logFormatFor, type Logger } from './logger.ts';
import { retryWithBackoff } from './retry.ts';
import { connectSyncDatabase, createDirectoryService } from './directory-service.ts';
import type { Service } from './service.ts';

/** What shutdown undoes, last set up first. */
const cleanups: Array<() => Promise<void>> = [];

export async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, { format: logFormatFor(config) });
  try {
    await serve(config, logger);
  } catch (error) {
    // One line on stderr: what went wrong, not a stack trace (the cause is logged where it happened).
    console.error(`usergraph failed to start: ${error instanceof Error ? error.message : String(error)}`);
    await runCleanups(logger); // never leave the embedded database running without us
    process.exit(1);
  }
}

async function serve(config: Config, logger: Logger): Promise<void> {
  let answer: RequestListener = answerWhileStarting;
  const server = createServer((request, response) => answer(request, response));
  await listen(server, config);
  let service: Service | undefined;
  cleanups.unshift(async () => {
    // /ready turns 503 and kept-alive connections close after their current response; then the
    // listener closes and requests in flight get up to SHUTDOWN_GRACE_MS.
    service?.app.drain();
    const { forced } = await closeGracefully(server, { graceMs: config.http.shutdownGraceMs });
    if (forced) logger.warn({ graceMs: config.http.shutdownGraceMs }, 'connections still open after the grace period were cut');
  });
  onShutdownSignal(logger);

  let demo: DemoDatabase | undefined;
  if (config.database.url === undefined) {
    // Imported only here: a production start never runs the embedded PostgreSQL's code.
    const { startDemoDatabase } = await import('./demo/start-demo-database.ts');
    demo = await startDemoDatabase({ dataDir: config.embedded.dataDir, port: config.embedded.port, logger });
    cleanups.push(() => demo!.stop());
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
  const syncDb = connectSyncDatabase(config, databaseUrl, undefined, logger);
  // Shut down after HTTP, before the demo database: pools, then the service's listeners.
  cleanups.splice(1, 0, () => db.destroy(), () => syncDb.destroy());
  const core = createDirectoryService({ config, db, syncDb, databaseUrl, logger });
  cleanups.splice(1, 0, () => core.stop());

  // The app is imported once the first load has begun (PostgreSQL works on its statements while
  // the GraphQL stack compiles), or as soon as the database keeps us waiting (then /status and
  // /metrics serve meanwhile). Until then the port answers as while starting: /health alive,
  // everything else NOT_READY.
  let appBuilt: Promise<void> | undefined;
  const buildApp = () => {
    if (appBuilt) return appBuilt;
    appBuilt = import('./service.ts').then(({ serviceOn }) => {
      service = serviceOn(core, { config, logger, demoAdminKey: demo?.adminApiKey });
      service.app.metrics.collectProcessMetrics();
      answer = service.app.handleRequest;
    });
    appBuilt.catch(() => {}); // awaited below; not an unhandled rejection meanwhile
    return appBuilt;
  };

  // Down at startup is not fatal: wait for it (one log line per while), then go on by ourselves.
  const untilReachable = { waitingFor: target, logger, isRetryable: (error: unknown) => databaseFault(error) !== undefined, onWait: buildApp };
  await retryWithBackoff(() => db.selectNoFrom((eb) => eb.lit(1).as('one')).execute(), { ...untilReachable, to: 'to start' });
  if (database.migrateOnStart) {
    const applied = await retryWithBackoff(() => migrate(databaseUrl), { ...untilReachable, to: 'to apply migrations' });
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  }
  await Promise.all([core.start(), buildApp()]);
  announceReady(logger, config, (server.address() as AddressInfo).port, demo);
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

/** `port`: the one listened on (PORT=0 picks a free one). */
function announceReady(logger: Logger, config: Config, port: number, demo: DemoDatabase | undefined): void {
  const host = config.http.host === '0.0.0.0' || config.http.host === '::' ? 'localhost' : config.http.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/graphql`;
  logger.info({ url, host: config.http.host, port }, `usergraph is ready: ${url}`);
  if (demo) {
    // Deliberately shown: the demo key exists so that a first-time user can try every query. It
    // opens only this embedded demo database, and is the one key ever written to the log.
    const key = config.auth.adminApiKey === undefined ? demo.adminApiKey : '(ADMIN_API_KEY)';
    logger.info(`embedded demo database; admin key: ${key} (GraphiQL has it in its Headers tab)`);
  }
  logger.flush(); // not left in the log buffer: someone is waiting for these lines
}

async function runCleanups(logger: Logger): Promise<void> {
  for (const cleanup of cleanups.splice(0)) {
    await cleanup().catch((error: unknown) => logger.error({ err: error }, 'shutdown step failed'));
  }
}

function onShutdownSignal(logger: Logger): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second Ctrl-C: the operator does not want to wait.
      logger.warn({ signal }, 'stopping now, without waiting for the shutdown to finish');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // HTTP first (requests in flight finish), then the service, its pools, and the demo database.
    await runCleanups(logger);
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', (signal) => void stop(signal));
  process.on('SIGTERM', (signal) => void stop(signal));
}
