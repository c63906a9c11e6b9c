/**
 * The process: config → database (the embedded demo's when no DATABASE_URL) → migrations → HTTP →
 * first load. Shutdown runs in reverse. The only module that wires things together.
 */
import { createServer } from 'node:http';
import { loadConfig, type Config } from './config/config.ts';
import { connectDatabase } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import { startDemoDatabase, type DemoDatabase } from './demo/start-demo-database.ts';
import { createLogger, type Logger } from './logger.ts';
import { createService } from './service.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
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
  cleanups.unshift(() => service.stop());

  const server = createServer(service.app.handleRequest);
  await new Promise<void>((resolve) => server.listen(config.http.port, config.http.host, resolve));
  cleanups.unshift(() => closeServer(server));
  onShutdownSignal(logger, cleanups);

  // Serving first lets /health answer during a long load; /ready waits for it.
  await service.start();
  printBanner(config, demo);
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
function closeServer(server: ReturnType<typeof createServer>, graceMs = 5_000): Promise<void> {
  return new Promise((resolve) => {
    const cut = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearTimeout(cut);
      resolve();
    });
    server.closeIdleConnections();
  });
}

function onShutdownSignal(logger: Logger, cleanups: ReadonlyArray<() => Promise<void>>): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    for (const cleanup of cleanups) {
      await cleanup().catch((error: unknown) => logger.error({ err: error }, 'shutdown step failed'));
    }
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error('usergraph failed to start:', error);
  process.exit(1);
});
