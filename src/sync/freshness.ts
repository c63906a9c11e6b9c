/**
 * Keeps one directory equal to the database while the service runs: the LISTEN connection and
 * the Redis relay feed notices into the change feed; a reconnect or a drift mismatch becomes a
 * full reload; a reload asked of this instance is passed on to every other one.
 */
import { randomUUID } from 'node:crypto';
import type { Config } from '../config/config.ts';
import type { DriftProbe } from '../db/drift-probe.ts';
import type { ReloadResult, UserChangeEvent, UserDirectory } from '../directory/user-directory.ts';
import type { User } from '../directory/user.ts';
import type { Logger } from '../logger.ts';
import { ChangeFeed } from './change-feed.ts';
import { DriftCheck } from './drift-check.ts';
import { NOTIFY_CHANNEL, parseNotice, reloadRequest } from './notice.ts';
import { PgListener } from './pg-listener.ts';
import { connectRedisRelay, type RedisRelay } from './redis-relay.ts';
import { SyncStats } from './sync-stats.ts';

export interface FreshnessOptions {
  readonly config: Config['sync'];
  readonly appId: string;
  /** LISTENs here unless config.listenUrl says otherwise. */
  readonly databaseUrl: string;
  readonly directory: UserDirectory;
  readonly findUsersByIds: (ids: readonly string[]) => Promise<readonly User[]>;
  readonly probe: DriftProbe;
  /** Every change the directory applies, as it applies it (the drift check watches them). */
  readonly watchChanges: (listener: (events: readonly UserChangeEvent[]) => void) => () => void;
  /** Sends a NOTIFY on our channel (through the pool). */
  readonly notify: (channel: string, payload: string) => Promise<void>;
  readonly logger: Logger;
  /** Told of each change's commit-to-directory lag (the metrics' histogram). */
  readonly onLag?: (ms: number) => void;
}

export interface Freshness {
  readonly stats: SyncStats;
  /** The LISTEN connection's state; undefined when the service does not LISTEN. */
  listenerState(): { listening: boolean; downForMs: number } | undefined;
  readonly driftCheck: DriftCheck;
  /** Resolves when every queued notice has been applied. */
  settled(): Promise<void>;
  /** Listening (or not meant to) and applying changes, or failing at it for less than the grace period. */
  isHealthy(): boolean;
  status(): Record<string, unknown>;
  /** Reloads this directory, then asks every other instance to reload too. */
  reloadEverywhere(): Promise<ReloadResult>;
  stop(): Promise<void>;
}

/** How long the start waits for Redis before it goes on without it. */
const REDIS_FIRST_WAIT_MS = 2_000;

export async function startFreshness(options: FreshnessOptions): Promise<Freshness> {
  const { config, appId, directory, logger } = options;
  const log = logger.child({ component: 'sync' });
  const instanceId = randomUUID();
  const stats = new SyncStats(options.onLag);
  const feed = new ChangeFeed({
    appId,
    directory,
    fetchUsers: options.findUsersByIds,
    coalesceMs: config.coalesceMs,
    stats,
    logger: log,
  });
  let relay: RedisRelay | undefined;

  const handle = (payload: string, from: 'postgres' | 'redis') => {
    const notice = parseNotice(payload);
    if (!notice) {
      log.warn({ from, bytes: payload.length }, 'ignored a change notice that is not ours');
      return;
    }
    if (notice.kind === 'reload' && notice.origin === instanceId) return; // our own request
    feed.receive(notice);
    if (from === 'postgres') relay?.publish(payload);
  };

  if (config.redisUrl) {
    let subscribed: () => void = () => {};
    const firstSubscription = new Promise<void>((resolve) => (subscribed = resolve));
    let started = false;
    relay = connectRedisRelay({
      url: config.redisUrl,
      channel: config.redisChannel,
      logger: log,
      onPayload: (payload) => handle(payload, 'redis'),
      onSubscribed: () => {
        subscribed();
        // Subscribed only after the first load began, or again after an outage: messages sent
        // meanwhile are lost, and only a full reload is sure.
        if (started) feed.requestReload();
      },
    });
    // Redis up: subscribed before the first load, as before. Down: start without it.
    await Promise.race([firstSubscription, new Promise((resolve) => setTimeout(resolve, REDIS_FIRST_WAIT_MS))]);
    started = true;
  }

  const listener = config.listen
    ? new PgListener({
        url: config.listenUrl ?? options.databaseUrl,
        channel: NOTIFY_CHANNEL,
        logger: log,
        maxBackoffMs: config.reconnectMaxMs,
        onPayload: (payload) => handle(payload, 'postgres'),
        onReconnected: () => {
          // Notices sent while we were away are lost: only a full reload is sure.
          stats.listenerReconnects++;
          feed.requestReload();
        },
      })
    : undefined;
  await listener?.start();

  const driftCheck = new DriftCheck({
    directory,
    feed,
    probe: options.probe,
    watchChanges: options.watchChanges,
    stats,
    logger: log,
    fullIntervalMs: config.driftFullCheckIntervalMs,
  });
  driftCheck.start(config.driftCheckIntervalMs);

  /** How long changes have not been reaching the directory: through the listener (or, without one, Redis), or the feed. */
  const staleForMs = () =>
    Math.max(listener ? listener.downForMs() : relay ? relay.downForMs() : 0, feed.failingForMs());

  return {
    stats,
    driftCheck,
    settled: () => feed.idle(),
    listenerState: () => (listener ? { listening: listener.isListening, downForMs: listener.downForMs() } : undefined),
    isHealthy: () => staleForMs() <= config.listenerGraceMs,
    status: () => ({
      listener: listener ? { listening: listener.isListening, downForMs: listener.downForMs() } : 'off',
      redis: relay ? { connected: relay.isConnected, downForMs: relay.downForMs() } : 'off',
      feed: { failingForMs: feed.failingForMs() },
      ...stats.toJSON(),
    }),
    async reloadEverywhere() {
      const result = await directory.reload();
      const request = reloadRequest(appId, instanceId);
      await options.notify(NOTIFY_CHANNEL, request).catch((error: unknown) => log.warn({ err: error }, 'could not notify other instances'));
      relay?.publish(request);
      return result;
    },
    async stop() {
      driftCheck.stop();
      feed.stop();
      await listener?.stop();
      await relay?.close();
    },
  };
}
