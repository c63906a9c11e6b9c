/** One pool and one Kysely over it. `onQuery` lets callers observe every statement sent. */
import { Kysely, PostgresDialect, type LogEvent } from 'kysely';
import pg from 'pg';
import Cursor from 'pg-cursor';
import type { Database } from './database.ts';

export interface ConnectOptions {
  readonly url: string;
  readonly poolSize: number;
  readonly onQuery?: (sql: string) => void;
}

export function connectDatabase({ url, poolSize, onQuery }: ConnectOptions): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, application_name: 'usergraph' });
  return new Kysely<Database>({
    // The cursor lets the startup load stream the view instead of buffering it whole.
    dialect: new PostgresDialect({ pool, cursor: Cursor }),
    log: onQuery ? (event: LogEvent) => onQuery(event.query.sql) : undefined,
  });
}
