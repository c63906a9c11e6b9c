/** For benchmarks: a throwaway database with SuperTokens' tables and our migrations, and bulk users. */
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { connectDatabase } from '../../src/db/connect.ts';
import type { Database } from '../../src/db/database.ts';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { createSuperTokensTables } from '../../src/db/supertokens.ts';
import type { Logger } from '../../src/logger.ts';

/** Runs `work` on a fresh database on `serverUrl`'s server (an embedded one when undefined), then drops it. */
export async function withScratchDatabase<T>(
  serverUrl: string | undefined,
  logger: Logger,
  work: (databaseUrl: string, db: Kysely<Database>) => Promise<T>,
): Promise<T> {
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!serverUrl) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'usergraph-bench-'));
    await chmod(dir, 0o755);
    const embedded = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), port: 0, persistent: false, logger });
    serverUrl = embedded.url;
    stopEmbedded = async () => {
      await embedded.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }
  const name = `usergraph_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = connectDatabase({ url: url.toString(), poolSize: 8 });
  try {
    await createSuperTokensTables(db as unknown as Kysely<any>);
    await migrateToLatest(db);
    return await work(url.toString(), db);
  } finally {
    await db.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    await stopEmbedded?.();
  }
}

/** `count` email-password users written set-wise, with metadata, roles and activity on most. Returns their ids. */
export async function seedUsers(db: Kysely<any>, count: number): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    WITH made AS (
      SELECT gen_random_uuid()::text AS id, n FROM generate_series(1, ${count}) n
    ), a AS (
      INSERT INTO app_id_to_user_id (app_id, user_id, primary_or_recipe_user_id, recipe_id)
      SELECT 'public', id, id, 'emailpassword' FROM made
    ), b AS (
      INSERT INTO all_auth_recipe_users (app_id, tenant_id, user_id, primary_or_recipe_user_id, recipe_id, time_joined, primary_or_recipe_user_time_joined)
      SELECT 'public', 'public', id, id, 'emailpassword', 1600000000000 + n, 1600000000000 + n FROM made
    ), c AS (
      INSERT INTO emailpassword_users (app_id, user_id, email, password_hash, time_joined)
      SELECT 'public', id, 'bench' || n || '@example.com', 'x', 1600000000000 + n FROM made
    ), d AS (
      INSERT INTO user_metadata (app_id, user_id, user_metadata)
      SELECT 'public', id, json_build_object('first_name', 'User', 'n', n, 'preferences', json_build_object('theme', 'dark'))::text
      FROM made WHERE n % 5 <> 0
    ), e AS (
      INSERT INTO user_last_active (app_id, user_id, last_active_time)
      SELECT 'public', id, 1700000000000 + n FROM made WHERE n % 3 <> 0
    ), roles AS (
      INSERT INTO roles (app_id, role) VALUES ('public', 'viewer'), ('public', 'editor') ON CONFLICT DO NOTHING
    ), f AS (
      INSERT INTO user_roles (app_id, tenant_id, user_id, role)
      SELECT 'public', 'public', id, role FROM made, (VALUES ('viewer'), ('editor')) r(role)
      WHERE (role = 'viewer' AND n % 2 = 0) OR (role = 'editor' AND n % 7 = 0)
    )
    SELECT id FROM made`.execute(db);
  return rows.map((row) => row.id);
}

export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export function printTable(header: readonly string[], rows: readonly string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}
