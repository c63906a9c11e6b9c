/**
 * Change notices over Redis pub/sub, for instances that cannot LISTEN (they read from a hot
 * standby, where NOTIFY is never delivered, or sit behind a transaction-pooling PgBouncer).
 * Every listening instance forwards what PostgreSQL tells it; receivers drop the duplicates.
 *
 * Redis is never needed to start or to serve: the relay connects in the background and keeps
 * reconnecting (ioredis). Pub/sub keeps nothing for a subscriber that was away, so the caller is
 * told of each subscription, and reloads when it may have missed something.
 */
import { createRequire } from 'node:module';
import type { Redis as RedisClient } from 'ioredis';
import type { Logger } from '../logger.ts';

/** Loaded when a relay is asked for: an instance without REDIS_URL never compiles ioredis (50 ms of a start). */
const loadRedis = () => (createRequire(import.meta.url)('ioredis') as typeof import('ioredis')).Redis;

export interface RedisRelay {
  publish(payload: string): void;
  /** Subscribed now. */
  readonly isConnected: boolean;
  /** How long the subscriber has been away (0 while subscribed). */
  downForMs(now?: number): number;
  close(): Promise<void>;
}

export interface RedisRelayOptions {
  readonly url: string;
  readonly channel: string;
  readonly logger: Logger;
  readonly onPayload: (payload: string) => void;
  /** After each subscription, the first included: messages sent while unsubscribed are lost. */
  readonly onSubscribed: () => void;
}

export function connectRedisRelay({ url, channel, logger, onPayload, onSubscribed }: RedisRelayOptions): RedisRelay {
  const Redis = loadRedis();
  // Pub/sub takes a connection of its own: a subscribed client can do nothing else.
  const publisher: RedisClient = new Redis(url, { maxRetriesPerRequest: 2 });
  const subscriber: RedisClient = new Redis(url);
  let downSince: number | null = Date.now();
  let subscribedOnce = false;
  let closing = false;

  publisher.on('error', () => {}); // told once, by the subscriber's state below: the two share a server
  let warned = false;
  subscriber.on('error', (error: Error) => {
    if (closing) return;
    downSince ??= Date.now();
    // One line per outage, not one per reconnect attempt.
    if (!warned) logger.warn({ err: error }, 'redis is unreachable; relaying changes resumes when it answers');
    warned = true;
  });
  subscriber.on('message', (from: string, message: string) => {
    if (from === channel) onPayload(message);
  });
  // ioredis subscribes again by itself after a reconnect: 'ready' follows each (re)subscription.
  subscriber.on('ready', () => {
    if (closing) return;
    downSince = null;
    warned = false;
    logger.info(subscribedOnce ? 'relaying changes over Redis again' : 'relaying changes over Redis');
    subscribedOnce = true;
    onSubscribed();
  });
  subscriber.on('close', () => {
    if (!closing) downSince ??= Date.now();
  });
  subscriber.subscribe(channel).catch((error: unknown) => logger.warn({ err: error }, 'redis subscribe failed'));

  return {
    publish(payload) {
      publisher.publish(channel, payload).catch((error: unknown) => logger.debug({ err: error }, 'redis publish failed'));
    },
    get isConnected() {
      return downSince === null;
    },
    downForMs: (now = Date.now()) => (downSince === null ? 0 : now - downSince),
    async close() {
      closing = true;
      // Not quit(): while Redis is away it waits in the offline queue, and a shutdown would wait with it.
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}
