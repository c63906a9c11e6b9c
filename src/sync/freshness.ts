/**
 * Keeps one directory equal to the database while the service runs: the LISTEN connection and
 * the Redis relay feed notices into the change feed; a reconnect or a drift mismatch becomes a
 * full reload; a reload asked of this instance is passed on to every other one.
 */
import { randomUUID } from 'node:crypto';
import type { Config } from '../config/config.ts';
import type { Fingerprint } from '../directory/fingerprint.ts';
import type { ReloadResult, UserDirectory } from '../directory/user-directory.ts';
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
  readonly fingerprint: () => Promise<Fingerprint>;
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
  /** Listening (or not meant to), or down for less than the grace period. */
  isHealthy(): boolean;
  status(): Record<string, unknown>;
  /** Reloads this directory, then asks every other instance to reload too. */
  reloadEverywhere(): Promise<ReloadResult>;
  stop(): Promise<void>;
}

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

  if (config.redisUrl) relay = await connectRedisRelay(config.redisUrl, config.redisChannel, log, (payload) => handle(payload, 'redis'));

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

  const driftCheck = new DriftCheck({ directory, feed, fingerprint: options.fingerprint, stats, logger: log });
  driftCheck.start(config.driftCheckIntervalMs);

  return {
    stats,
    driftCheck,
    settled: () => feed.idle(),
    listenerState: () => (listener ? { listening: listener.isListening, downForMs: listener.downForMs() } : undefined),
    isHealthy: () => !listener || listener.downForMs() <= config.listenerGraceMs,
    status: () => ({
      listener: listener ? { listening: listener.isListening, downForMs: listener.downForMs() } : 'off',
      redis: relay ? 'on' : 'off',
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
