/**
 * The service assembled from a config and a database handle: repository → directory → app, and
 * the freshness machinery that keeps the directory equal to the database. main.ts adds the
 * process around it (embedded database, migrations, HTTP, signals); the tests build exactly
 * this, so what they exercise is what runs.
 */
import type { Kysely } from 'kysely';
import { createApp, type App } from './app.ts';
import type { Config } from './config/config.ts';
import type { Database } from './db/database.ts';
import { notify } from './db/notify.ts';
import { createUserRepository } from './db/user-repository.ts';
import { UserDirectory } from './directory/user-directory.ts';
import { UserChangeHub } from './directory/user-change-hub.ts';
import type { Logger } from './logger.ts';
import { startFreshness, type Freshness } from './sync/freshness.ts';

export interface Service {
  readonly app: App;
  readonly directory: UserDirectory;
  /** Present once started. */
  readonly freshness: Freshness | undefined;
  /** Every change the directory applies (what the userChanged subscription streams). */
  readonly userChanges: UserChangeHub;
  /** Starts listening for changes, then loads the directory. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface ServiceOptions {
  readonly config: Config;
  readonly db: Kysely<Database>;
  /** Where the change listener connects, unless the config names its own URL. */
  readonly databaseUrl: string;
  readonly logger: Logger;
  /** The embedded demo's admin key; ADMIN_API_KEY, when set, wins. */
  readonly demoAdminKey?: string | undefined;
}

export function createService({ config, db, databaseUrl, logger, demoAdminKey }: ServiceOptions): Service {
  const repository = createUserRepository(db, {
    appId: config.appId,
    batchSize: config.directory.loadBatchSize,
    logger,
  });
  const userChanges = new UserChangeHub();
  // The metrics live in the app, made below (no load happens before `start`).
  const directory = new UserDirectory(() => repository.streamAllUsers(), {
    absentTtlMs: config.directory.absentTtlMs,
    logger,
    onChange: (events) => userChanges.publish(events),
    wantsChanges: () => userChanges.subscriberCount > 0,
    onLoaded: (result, first) => app.metrics.observeLoad(result, first),
  });
  let freshness: Freshness | undefined;

  const app = createApp({
    config,
    demoAdminKey,
    directory,
    fetchMissing: repository,
    logger,
    userChanges,
    isReady: () => directory.isLoaded && (freshness?.isHealthy() ?? false),
    reloadUsers: () => (freshness ? freshness.reloadEverywhere() : directory.reload()),
    status: () => ({
      ready: directory.isLoaded && (freshness?.isHealthy() ?? false),
      directory: { users: directory.snapshot.size, loadedAt: directory.isLoaded ? directory.snapshot.loadedAt : null },
      sync: freshness?.status() ?? 'not started',
    }),
    syncReading: () => freshness && { counters: freshness.stats, listener: freshness.listenerState() },
  });
  const { metrics } = app;

  return {
    app,
    directory,
    userChanges,
    get freshness() {
      return freshness;
    },
    async start() {
      // Listen before loading: a change committed during the load is then applied after it.
      freshness = await startFreshness({
        config: config.sync,
        appId: config.appId,
        databaseUrl,
        directory,
        findUsersByIds: (ids) => repository.findUsersByIds(ids),
        fingerprint: () => repository.fingerprint(),
        notify: (channel, payload) => notify(db, channel, payload),
        logger,
        onLag: (ms) => metrics.observeLag(ms),
      });
      await directory.reload();
    },
    async stop() {
      await freshness?.stop();
    },
  };
}
