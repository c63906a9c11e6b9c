/** One pool and one Kysely over it. `onQuery` lets callers observe every statement sent. */
import { Kysely, PostgresDialect, type LogEvent } from 'kysely';
import pg from 'pg';
import Cursor from 'pg-cursor';
import type { Database } from './database.ts';

export interface ConnectOptions {
  readonly url: string;
  readonly poolSize: number;
  /** What pg_stat_activity shows for these connections (the fault tests find them by it). */
  readonly applicationName?: string;
  /** PostgreSQL's statement_timeout for every statement on these connections; 0 or unset: none. */
  readonly statementTimeoutMs?: number;
  /** PostgreSQL's lock_timeout; 0 or unset: none. */
  readonly lockTimeoutMs?: number;
  /** Longest wait for a connection from the pool (opening one included); 0 or unset: no limit. */
  readonly acquireTimeoutMs?: number;
  /**
   * Connections kept open however long they sit idle (the others close after 10 s idle). Opening
   * one costs the database a backend's start and cold caches: work that recurs every minute (the
   * drift check) should find its connection open.
   */
  readonly keepOpen?: number;
  readonly onQuery?: (sql: string) => void;
  /**
   * A connection that breaks (server restart, pg_terminate_backend, network), idle or in use, is
   * reported here; the statement it was running fails on its own, and the pool replaces it.
   */
  readonly onConnectionError?: (error: Error) => void;
}

/** Each handle's pool, for the one reader that needs pg itself (the set-wise load's raw rows). */
const pools = new WeakMap<Kysely<any>, { readonly pool: pg.Pool; readonly onQuery: ((sql: string) => void) | undefined }>();

/** What a cursor knows of its connection (pg-cursor keeps it, untyped). */
interface CursorConnection {
  readonly stream?: { readonly destroyed?: boolean };
  once(event: 'end', listener: () => void): unknown;
  removeListener(event: 'end', listener: () => void): unknown;
}

/**
 * pg-cursor's close() waits for the server's ReadyForQuery. On a connection that died mid-stream
 * (a terminated backend, a restart) none ever comes: a full load would hang in its `finally`, and
 * every later reload with it (they share the load in flight). This cursor stops waiting when the
 * connection is gone.
 */
export class ClosingCursor extends Cursor {
  override close(): Promise<void>;
  override close(callback: (err: Error) => void): undefined;
  override close(callback?: (err: Error) => void): Promise<void> | undefined {
    const connection = (this as unknown as { connection?: CursorConnection }).connection;
    let closed: Promise<void>;
    if (connection?.stream?.destroyed) {
      closed = Promise.resolve();
    } else if (connection) {
      let gone: () => void = () => {};
      const ended = new Promise<void>((resolve) => (gone = resolve));
      connection.once('end', gone);
      closed = Promise.race([super.close(), ended]).finally(() => connection.removeListener('end', gone));
    } else {
      closed = super.close();
    }
    if (!callback) return closed;
    closed.then(() => callback(undefined as unknown as Error), callback);
    return undefined;
  }
}

export function connectDatabase(options: ConnectOptions): Kysely<Database> {
  const { url, poolSize, applicationName = 'usergraph', onQuery, onConnectionError } = options;
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    application_name: applicationName,
    // Sent at connection start: no extra round trip, and a pooled connection cannot lose them.
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    ...(options.lockTimeoutMs ? { lock_timeout: options.lockTimeoutMs } : {}),
    ...(options.acquireTimeoutMs ? { connectionTimeoutMillis: options.acquireTimeoutMs } : {}),
    ...(options.keepOpen ? { min: options.keepOpen } : {}),
  });
  const report = (error: Error) => onConnectionError?.(error);
  // pg-pool listens for errors on idle connections only and takes its listener off a connection
  // it hands out: a connection that breaks while in use (a full load streaming the view through a
  // cursor, say) would then emit an 'error' nobody hears, and Node ends the process. Every
  // connection therefore gets a listener of its own for its whole life.
  pool.on('connect', (client) => client.on('error', report));
  // The pool re-emits an idle connection's error here; the connection's own listener reported it.
  pool.on('error', () => {});
  const db = new Kysely<Database>({
    // The cursor lets the startup load stream the view instead of buffering it whole.
    dialect: new PostgresDialect({ pool, cursor: ClosingCursor }),
    log: onQuery ? (event: LogEvent) => onQuery(event.query.sql) : undefined,
  });
  pools.set(db, { pool, onQuery });
  return db;
}

/** The pool behind a handle made by connectDatabase, and the observer of its statements. */
export function poolOf(db: Kysely<any>): { readonly pool: pg.Pool; readonly onQuery: ((sql: string) => void) | undefined } {
  const found = pools.get(db);
  if (!found) throw new Error('this database handle was not made by connectDatabase');
  return found;
}
