/** Sends a NOTIFY through the pool (a transaction-pooling PgBouncer passes NOTIFY, not LISTEN). */
import { sql, type Kysely } from 'kysely';

export async function notify(db: Kysely<any>, channel: string, payload: string): Promise<void> {
  await sql`SELECT pg_notify(${channel}, ${payload})`.execute(db);
}
