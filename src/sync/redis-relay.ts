/**
 * Change notices over Redis pub/sub, for instances that cannot LISTEN (they read from a hot
 * standby, where NOTIFY is never delivered, or sit behind a transaction-pooling PgBouncer).
 * Every listening instance forwards what PostgreSQL tells it; receivers drop the duplicates.
 */
import { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';

export interface RedisRelay {
  publish(payload: string): void;
  close(): Promise<void>;
}

export async function connectRedisRelay(
  url: string,
  channel: string,
  logger: Logger,
  onPayload: (payload: string) => void,
): Promise<RedisRelay> {
  // Pub/sub takes a connection of its own: a subscribed client can do nothing else.
  const publisher = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  const subscriber = new Redis(url, { lazyConnect: true });
  for (const [name, client] of [['publisher', publisher], ['subscriber', subscriber]] as const) {
    client.on('error', (error: Error) => logger.warn({ err: error, client: name }, 'redis connection error'));
  }
  await Promise.all([publisher.connect(), subscriber.connect()]);
  subscriber.on('message', (from: string, message: string) => {
    if (from === channel) onPayload(message);
  });
  // ioredis re-subscribes by itself after a reconnect.
  await subscriber.subscribe(channel);
  logger.info('relaying changes over Redis');
  return {
    publish(payload) {
      publisher.publish(channel, payload).catch((error: unknown) => logger.warn({ err: error }, 'redis publish failed'));
    },
    async close() {
      await Promise.allSettled([subscriber.quit(), publisher.quit()]);
    },
  };
}
