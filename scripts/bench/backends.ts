/**
 * The servers' PostgreSQL backends between measured windows: a load that ends leaves statements
 * running (PostGraphile's, for requests the load generator gave up on; usergraph's drift check),
 * and they must not spill into the next window.
 */
import type pg from 'pg';

/** Cancels the statements these applications' backends are still running. */
export async function cancelStatements(monitor: pg.Client, applications: readonly string[]): Promise<void> {
  await monitor.query(
    `SELECT pg_cancel_backend(pid) FROM pg_stat_activity
     WHERE datname = current_database() AND application_name = ANY($1) AND state = 'active' AND pid <> pg_backend_pid()`,
    [applications],
  );
}

/** Waits (up to `timeoutMs`) until no backend of these applications is running a statement. */
export async function waitForIdleBackends(monitor: pg.Client, applications: readonly string[], timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { rows } = await monitor.query<{ active: number }>(
      `SELECT count(*)::int AS active FROM pg_stat_activity
       WHERE datname = current_database() AND application_name = ANY($1) AND state = 'active' AND pid <> pg_backend_pid()`,
      [applications],
    );
    if (rows[0]!.active === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
