/**
 * One dedicated connection LISTENing on a channel (LISTEN needs a session of its own: it does not
 * work through a transaction-pooling PgBouncer). When the connection drops or stops answering,
 * it reconnects with exponential backoff and jitter, and reports each reconnection: notices sent
 * while it was away are lost, so the caller resynchronises.
 */
import pg from 'pg';
import type { Logger } from '../logger.ts';

export interface PgListenerOptions {
  readonly url: string;
  readonly channel: string;
  readonly logger: Logger;
  readonly onPayload: (payload: string) => void;
  /** After every connection but the first, once LISTEN is in place again. */
  readonly onReconnected: () => void;
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** A query this often proves the connection alive (a network blip can kill it silently). */
  readonly heartbeatMs?: number;
}

export class PgListener {
  private client: pg.Client | undefined;
  private stopped = false;
  private attempts = 0;
  private connectedOnce = false;
  private downSince: number | null = Date.now();
  /** The current outage was logged (one line per outage, the first connection's included). */
  private reported = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private onFirstListen: (() => void) | undefined;

  constructor(private readonly options: PgListenerOptions) {}

  /** Resolves once listening; until then it keeps retrying with backoff. */
  start(): Promise<void> {
    const listening = new Promise<void>((resolve) => (this.onFirstListen = resolve));
    this.connect().catch((error: unknown) => this.lost(this.client, error));
    return listening;
  }

  get isListening(): boolean {
    return this.downSince === null;
  }

  /** How long the listener has been down (0 while listening). */
  downForMs(now = Date.now()): number {
    return this.downSince === null ? 0 : now - this.downSince;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.onFirstListen?.();
    clearTimeout(this.reconnectTimer);
    clearInterval(this.heartbeatTimer);
    const client = this.client;
    this.client = undefined;
    if (client) {
      await client.query('UNLISTEN *').catch(() => undefined);
      await client.end().catch(() => undefined);
    }
  }

  private async connect(): Promise<void> {
    const { url, channel, logger, onPayload } = this.options;
    const client = new pg.Client({ connectionString: url, keepAlive: true, application_name: 'usergraph-listener' });
    this.client = client;
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    client.on('notification', (message) => {
      if (message.channel === channel && message.payload !== undefined) onPayload(message.payload);
    });
    await client.connect();
    await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    if (this.stopped || this.client !== client) {
      await client.end().catch(() => undefined);
      return;
    }
    this.attempts = 0;
    this.downSince = null;
    this.reported = false;
    this.startHeartbeat(client);
    logger.info({ channel }, 'listening for changes');
    if (this.connectedOnce) this.options.onReconnected();
    this.connectedOnce = true;
    this.onFirstListen?.();
    this.onFirstListen = undefined;
  }

  private startHeartbeat(client: pg.Client): void {
    const { heartbeatMs = 15_000 } = this.options;
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = setInterval(() => {
      const timeout = setTimeout(() => this.lost(client, new Error('heartbeat timed out')), heartbeatMs);
      client.query('SELECT 1').then(
        () => clearTimeout(timeout),
        (error: unknown) => {
          clearTimeout(timeout);
          this.lost(client, error);
        },
      );
    }, heartbeatMs);
    this.heartbeatTimer.unref();
  }

  /** The connection is gone (or never came): drop it and schedule the next attempt. */
  private lost(client: pg.Client | undefined, error?: unknown): void {
    if (client !== undefined && client !== this.client) return; // an old connection's late news
    this.client = undefined;
    clearInterval(this.heartbeatTimer);
    if (client) {
      client.removeAllListeners('notification');
      client.on('error', () => undefined); // ending a broken client may still emit
      client.end().catch(() => undefined);
    }
    if (this.stopped) return;
    this.downSince ??= Date.now();
    if (!this.reported) {
      this.reported = true;
      const message = this.connectedOnce ? 'change listener lost its connection; reconnecting' : 'change listener cannot connect yet; retrying';
      this.options.logger.warn({ err: error }, message);
    }
    const { initialBackoffMs = 100, maxBackoffMs = 30_000 } = this.options;
    const ceiling = Math.min(maxBackoffMs, initialBackoffMs * 2 ** this.attempts);
    const delay = Math.round(ceiling / 2 + Math.random() * (ceiling / 2)); // jitter: replicas do not retry in step
    this.attempts++;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.connect().catch((connectError: unknown) => this.lost(this.client, connectError));
    }, delay);
    this.options.logger.debug({ attempt: this.attempts, delayMs: delay }, 'change listener reconnect scheduled');
  }
}
