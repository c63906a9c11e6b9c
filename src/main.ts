/**
 * The process (`usergraph serve`): config → database (the embedded demo's when no DATABASE_URL) →
 * migrations → HTTP → first load. Shutdown runs in reverse. The only module that wires things
 * together.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, type Config } from './config/config.ts';
import { connectDatabase } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import { startDemoDatabase, type DemoDatabase } from './demo/start-demo-database.ts';
import { closeGracefully } from './http/graceful-close.ts';
import { createLogger, logFormatFor, type Logger } from './logger.ts';
import { createService } from './service.ts';

export async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, { format: logFormatFor(config) });
  const cleanups: Array<() => Promise<void>> = [];

  let demo: DemoDatabase | undefined;
  if (config.database.url === undefined) {
    demo = await startDemoDatabase({ dataDir: config.embedded.dataDir, port: config.embedded.port, logger });
    cleanups.unshift(() => demo!.stop());
  }
  const databaseUrl = config.database.url ?? demo!.url;

  const db = connectDatabase({
    url: databaseUrl,
    poolSize: config.database.poolSize,
    onIdleError: (error) => logger.warn({ err: error }, 'an idle database connection broke; the pool replaces it'),
  });
  cleanups.unshift(() => db.destroy());
  if (config.database.migrateOnStart) {
    const applied = await migrateToLatest(db);
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  }

  const service = createService({ config, db, databaseUrl, logger, demoAdminKey: demo?.adminApiKey });
  service.app.metrics.collectProcessMetrics();
  cleanups.unshift(() => service.stop());

  const server = createServer(service.app.handleRequest);
  await new Promise<void>((resolve) => server.listen(config.http.port, config.http.host, resolve));
  cleanups.unshift(async () => {
    // /ready turns 503 and kept-alive connections close after their current response; then the
    // listener closes and requests in flight get up to SHUTDOWN_GRACE_MS.
    service.app.drain();
    const { forced } = await closeGracefully(server, { graceMs: config.http.shutdownGraceMs });
    if (forced) logger.warn({ graceMs: config.http.shutdownGraceMs }, 'connections still open after the grace period were cut');
  });
  onShutdownSignal(logger, cleanups);

  // Serving first lets /health answer during a long load; /ready waits for it.
  await service.start();
  announceReady(logger, config, (server.address() as AddressInfo).port, demo);
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
}

function onShutdownSignal(logger: Logger, cleanups: ReadonlyArray<() => Promise<void>>): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second Ctrl-C: the operator does not want to wait.
      logger.warn({ signal }, 'stopping now, without waiting for the shutdown to finish');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    for (const cleanup of cleanups) {
      await cleanup().catch((error: unknown) => logger.error({ err: error }, 'shutdown step failed'));
    }
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', (signal) => void stop(signal));
  process.on('SIGTERM', (signal) => void stop(signal));
}
