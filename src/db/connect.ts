/** One pool and one Kysely over it. `onQuery` lets callers observe every statement sent. */
import { Kysely, PostgresDialect, type LogEvent } from 'kysely';
import pg from 'pg';
import Cursor from 'pg-cursor';
import type { Database } from './database.ts';

export interface ConnectOptions {
  readonly url: string;
  readonly poolSize: number;
  readonly onQuery?: (sql: string) => void;
  /** An idle connection that breaks (server restart, pg_terminate_backend) is reported here. */
  readonly onIdleError?: (error: Error) => void;
}

/** Each handle's pool, for the one reader that needs pg itself (the set-wise load's raw rows). */
const pools = new WeakMap<Kysely<any>, { readonly pool: pg.Pool; readonly onQuery: ((sql: string) => void) | undefined }>();

export function connectDatabase({ url, poolSize, onQuery, onIdleError }: ConnectOptions): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, application_name: 'usergraph' });
  // Without a listener, an idle client's error is an unhandled 'error' event: the process dies.
  // The pool drops that client by itself and opens a new one on the next query.
  pool.on('error', (error) => onIdleError?.(error));
  const db = new Kysely<Database>({
    // The cursor lets the startup load stream the view instead of buffering it whole.
    dialect: new PostgresDialect({ pool, cursor: Cursor }),
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
