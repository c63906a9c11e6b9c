/** Keeping the directory equal to the database while the service runs: LISTEN, Redis, drift checks. */
import { z } from 'zod';
import { flag, integer, optional, postgresUrl } from './values.ts';

export const SyncModel = z
  .object({
    CHANGE_LISTENER: flag.default(true),
    LISTEN_DATABASE_URL: optional(postgresUrl, 'unset: the database URL'),
    REDIS_URL: optional(z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }), 'unset: no relay'),
    REDIS_CHANNEL: z.string().min(1).max(200).default('usergraph:changes'),
    CHANGE_COALESCE_MS: integer(0, 10_000).default(5),
    LISTENER_GRACE_MS: integer(0, 3_600_000).default(10_000),
    LISTENER_RECONNECT_MAX_MS: integer(100, 600_000).default(30_000),
    DRIFT_CHECK_INTERVAL_MS: integer(0, 86_400_000).default(60_000),
    DRIFT_FULL_CHECK_INTERVAL_MS: integer(0, 604_800_000).default(21_600_000),
    SYNC_STATEMENT_TIMEOUT_MS: integer(0, 86_400_000).default(600_000),
  })
  .transform((e) => ({
    sync: {
      /** LISTEN for the triggers' notices (off: rely on Redis and the drift check). */
      listen: e.CHANGE_LISTENER,
      /** Where to LISTEN; undefined: the database URL. */
      listenUrl: e.LISTEN_DATABASE_URL,
      redisUrl: e.REDIS_URL,
      /** Instances that share a database share this channel. */
      redisChannel: e.REDIS_CHANNEL,
      coalesceMs: e.CHANGE_COALESCE_MS,
      /** How long the listener (or the change feed) may be down before /ready says not ready. */
      listenerGraceMs: e.LISTENER_GRACE_MS,
      reconnectMaxMs: e.LISTENER_RECONNECT_MAX_MS,
      /** How often the cheap drift check runs (0: never). */
      driftCheckIntervalMs: e.DRIFT_CHECK_INTERVAL_MS,
      /** How often, at most, the whole view is verified when rows changed (0: only when changes bypassed the triggers). */
      driftFullCheckIntervalMs: e.DRIFT_FULL_CHECK_INTERVAL_MS,
      /** statement_timeout of the synchronisation pool: full loads, re-reads, fingerprints (0: none). */
      statementTimeoutMs: e.SYNC_STATEMENT_TIMEOUT_MS,
    },
  }));
