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
      /** How long the listener may be down before /ready says not ready. */
      listenerGraceMs: e.LISTENER_GRACE_MS,
      reconnectMaxMs: e.LISTENER_RECONNECT_MAX_MS,
      /** 0: no periodic drift check. */
      driftCheckIntervalMs: e.DRIFT_CHECK_INTERVAL_MS,
    },
  }));
