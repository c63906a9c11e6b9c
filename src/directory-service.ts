/**
 * The directory kept equal to the database, without HTTP: repository → directory, and the
 * freshness machinery (listener, change feed, drift check) around it. service.ts puts the app on
 * it; main.ts starts its first load before the app's code is even imported, so that PostgreSQL
 * works on the load's statements while the GraphQL stack compiles.
 *
 * Two pools: lookups (directory misses, from requests) use the one handed in, bounded by the
 * short lookup timeouts; synchronisation (full loads, change re-reads, drift checks) has a small
 * one of its own, so that however many requests miss at once they can never starve the changes
 * the directory must apply.
 */
import type { Kysely } from 'kysely';
import type { Config } from './config/config.ts';
import { connectDatabase } from './db/connect.ts';
import type { Database } from './db/database.ts';
import { createDriftProbe } from './db/drift-probe.ts';
import { notify } from './db/notify.ts';
import { createUserRepository } from './db/user-repository.ts';
import type { MissingUserFetcher } from './directory/loaders.ts';
import { UserChangeHub } from './directory/user-change-hub.ts';
import { UserDirectory, type ReloadResult } from './directory/user-directory.ts';
import type { Logger } from './logger.ts';
import type { SyncReading } from './metrics/metrics.ts';
import { retryWithBackoff } from './retry.ts';
import { startFreshness, type Freshness } from './sync/freshness.ts';

export interface DirectoryService {
  readonly directory: UserDirectory;
  /** Every change the directory applies (what the userChanged subscription streams). */
  readonly userChanges: UserChangeHub;
  /** The database fallback for directory misses, on the lookups' pool. */
  readonly lookups: MissingUserFetcher;
  /** Present once started. */
  readonly freshness: Freshness | undefined;
  /** Loaded and kept fresh (/ready). */
  isReady(): boolean;
  /** What reloadUsers does: reload here, and ask the other instances to. */
  reloadUsers(): Promise<ReloadResult>;
  /** The directory's and the change feed's part of GET /status. */
  status(): Record<string, unknown>;
  /** The change feed's counters and listener, for /metrics (undefined until it starts). */
  syncReading(): SyncReading | undefined;
  /** Where load durations and change lags go; those observed before are handed over at once. */
  observeWith(observer: SyncObserver): void;
  /**
   * Starts listening for changes, then loads the directory; resolves once it is loaded. A first
   * load that fails (the database down or locked) is retried with backoff until it succeeds or
   * `stop()` is called: meanwhile GraphQL answers NOT_READY and /ready 503.
   */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface SyncObserver {
  observeLoad(result: ReloadResult, first: boolean): void;
  observeLag(ms: number): void;
}

export interface DirectoryServiceOptions {
  readonly config: Config;
  /** Lookups' pool (its timeouts: DATABASE_STATEMENT_TIMEOUT_MS and the others). */
  readonly db: Kysely<Database>;
  /** Synchronisation's pool; by default the service opens a small one to `databaseUrl` (and closes it). */
  readonly syncDb?: Kysely<Database>;
  /** Where the change listener connects, unless the config names its own URL. */
  readonly databaseUrl: string;
  readonly logger: Logger;
}

/** Connections for synchronisation: a load (two: it reads parts in parallel in one snapshot), a re-read, and a drift check's lock and read at once. */
export const SYNC_POOL_SIZE = 6;

/** The synchronisation pool main.ts and the tests open: its own name, its own statement timeout. */
export function connectSyncDatabase(config: Config, url: string, onQuery?: (sql: string) => void, logger?: Logger): Kysely<Database> {
  return connectDatabase({
    url,
    poolSize: SYNC_POOL_SIZE,
    applicationName: 'usergraph-sync',
    // The drift check's, every DRIFT_CHECK_INTERVAL_MS: about 5 ms of the database's CPU on an
    // open connection, 25 ms on a new one.
    keepOpen: 1,
    statementTimeoutMs: config.sync.statementTimeoutMs,
    lockTimeoutMs: config.database.lockTimeoutMs,
    acquireTimeoutMs: config.database.acquireTimeoutMs,
    onQuery,
    onConnectionError: (error) => logger?.warn({ err: error }, 'a synchronisation connection broke; the pool replaces it'),
  });
}

/** Observations kept until an observer comes: a start's, so a few; bounded all the same. */
const EARLY_OBSERVATIONS = 1_000;

export function createDirectoryService(options: DirectoryServiceOptions): DirectoryService {
  const { config, db, databaseUrl, logger } = options;
  const syncDb = options.syncDb ?? connectSyncDatabase(config, databaseUrl, undefined, logger);
  const lookups = createUserRepository(db, { appId: config.appId, batchSize: config.directory.loadBatchSize, logger });
  const repository = createUserRepository(syncDb, { appId: config.appId, batchSize: config.directory.loadBatchSize, logger });
  const probe = createDriftProbe(syncDb, config.appId, repository);
  const userChanges = new UserChangeHub();
  let freshness: Freshness | undefined;

  // The app (and its metrics) may come after the first load has begun, or even ended.
  const early: Array<(observer: SyncObserver) => void> = [];
  let observer: SyncObserver = {
    observeLoad: (result, first) => early.length < EARLY_OBSERVATIONS && early.push((to) => to.observeLoad(result, first)),
    observeLag: (ms) => early.length < EARLY_OBSERVATIONS && early.push((to) => to.observeLag(ms)),
  };

  const directory = new UserDirectory(
    (pause, options) => {
      // The drift check compares from the counters as they were when this load began.
      freshness?.driftCheck.beforeLoad();
      return repository.streamAllUsers(pause, options);
    },
    {
      absentTtlMs: config.directory.absentTtlMs,
      logger,
      onChange: (events) => userChanges.publish(events),
      wantsChanges: () => userChanges.subscriberCount > 0,
      onLoaded: (result, first) => observer.observeLoad(result, first),
    },
  );
  const stopping = new AbortController();
  const isReady = () => directory.isLoaded && (freshness?.isHealthy() ?? false);

  return {
    directory,
    userChanges,
    lookups,
    get freshness() {
      return freshness;
    },
    isReady,
    reloadUsers: () => (freshness ? freshness.reloadEverywhere() : directory.reload()),
    status: () => ({
      ready: isReady(),
      directory: { users: directory.snapshot.size, loadedAt: directory.isLoaded ? directory.snapshot.loadedAt : null },
      sync: freshness?.status() ?? 'not started',
    }),
    syncReading: () => freshness && { counters: freshness.stats, listener: freshness.listenerState() },
    observeWith(to) {
      observer = to;
      for (const observe of early.splice(0)) observe(to);
    },
    async start() {
      // Listen before loading: a change committed during the load is then applied after it.
      freshness = await startFreshness({
        config: config.sync,
        appId: config.appId,
        databaseUrl,
        directory,
        findUsersByIds: (ids) => repository.findUsersByIds(ids),
        probe,
        watchChanges: (listener) => userChanges.watch(listener),
        notify: (channel, payload) => notify(db, channel, payload),
        logger,
        onLag: (ms) => observer.observeLag(ms),
      });
      if (stopping.signal.aborted) return;
      await retryWithBackoff(() => directory.reload(), {
        waitingFor: 'the database',
        to: 'to load the directory',
        logger,
        signal: stopping.signal,
      }).catch((error: unknown) => {
        if (!stopping.signal.aborted) throw error;
      });
    },
    async stop() {
      stopping.abort();
      await freshness?.stop();
      if (!options.syncDb) await syncDb.destroy();
    },
  };
}
