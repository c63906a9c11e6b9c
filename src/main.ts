/**
 * The process: config → database (embedded when no DATABASE_URL) → migrations → HTTP → first
 * load. Shutdown runs in reverse. The only module that wires things together.
 */
import { createServer } from 'node:http';
import path from 'node:path';
import { readOrCreateDemoAdminKey } from './auth/demo-admin-key.ts';
import { loadConfig, type Config } from './config.ts';
import { connectDatabase } from './db/connect.ts';
import { seedDemoIfEmpty } from './db/demo.ts';
import { startEmbeddedPostgres } from './db/embedded-postgres.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createLogger, type Logger } from './logger.ts';
import { createService } from './service.ts';

async function main(): Promise<void> {
  let config: Config = loadConfig();
  const logger = createLogger(config.logLevel);
  const cleanups: Array<() => Promise<void>> = [];
  const embedded = config.database.url === undefined;

  let databaseUrl = config.database.url;
  if (databaseUrl === undefined) {
    const postgres = await startEmbeddedPostgres({
      dataDir: path.join(config.embedded.dataDir, 'postgres'),
      port: config.embedded.port,
      persistent: true,
      logger,
    });
    cleanups.unshift(() => postgres.stop());
    databaseUrl = postgres.url;
    if (config.auth.adminApiKey === undefined) {
      config = { ...config, auth: { ...config.auth, adminApiKey: await readOrCreateDemoAdminKey(config.embedded.dataDir) } };
    }
  }

  const db = connectDatabase({
    url: databaseUrl,
    poolSize: config.database.poolSize,
    onIdleError: (error) => logger.warn({ err: error }, 'an idle database connection broke; the pool replaces it'),
  });
  cleanups.unshift(() => db.destroy());
  if (embedded) await seedDemoIfEmpty(db, logger);
  if (config.database.migrateOnStart) {
    const applied = await migrateToLatest(db);
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  }

  const service = createService(config, db, logger, databaseUrl);
  cleanups.unshift(() => service.stop());

  const server = createServer(service.app);
  await new Promise<void>((resolve) => server.listen(config.http.port, config.http.host, resolve));
  cleanups.unshift(() => closeServer(server));
  onShutdownSignal(logger, cleanups);

  // Serving first lets /health answer during a long load; /ready waits for it.
  await service.start();
  printBanner(config, embedded);
}

function printBanner(config: Config, embedded: boolean): void {
  const lines = [`usergraph is ready: http://localhost:${config.http.port}/graphql`];
  if (embedded) {
    // Deliberately printed (not logged): the demo key exists so that a first-time user can try reloadUsers.
    lines.push(`embedded demo database; admin key: ${config.auth.adminApiKey}`);
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
