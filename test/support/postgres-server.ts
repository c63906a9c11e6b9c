/**
 * A PostgreSQL server for tests and benchmarks (no vitest here: scripts use it too): the one
 * TEST_DATABASE_URL or BENCH_DATABASE_URL names, else an embedded one on a free port; and
 * throwaway databases on it.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { connectDatabase } from '../../src/db/connect.ts';
import { startEmbeddedPostgres } from '../../src/demo/embedded-postgres.ts';
import type { Logger } from '../../src/logger.ts';

export interface PostgresServer {
  /** Any database on the server (its maintenance database), for CREATE/DROP DATABASE. */
  readonly url: string;
  /** Stops the embedded server and deletes its folder; nothing for a server named by URL. */
  stop(): Promise<void>;
}

/** The server at `url`, or (undefined) an embedded one of our own in a temporary folder. */
export async function usePostgresServer(url: string | undefined, logger: Logger): Promise<PostgresServer> {
  if (url) return { url, stop: async () => {} };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'usergraph-pg-'));
  await chmod(dir, 0o755); // as root, the cluster runs as the postgres user
  try {
    const embedded = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), port: 0, persistent: false, logger });
    return {
      url: embedded.url,
      async stop() {
        await embedded.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs one statement on the server's maintenance connection (CREATE/DROP DATABASE, ALTER DATABASE). */
export async function adminQuery(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** An untyped handle for fixtures: SuperTokens' tables are not part of the service's types. */
export function openDatabase(url: string, poolSize = 4): Kysely<any> {
  return connectDatabase({ url, poolSize }) as unknown as Kysely<any>;
}

export interface ScratchDatabase {
  readonly name: string;
  readonly url: string;
  /** For fixtures: writes as SuperTokens would. */
  readonly db: Kysely<any>;
  drop(): Promise<void>;
}

/** A new database on the server: empty, or a copy of `template`. */
export async function createScratchDatabase(
  serverUrl: string,
  { template, prefix = 'usergraph_scratch', poolSize }: { template?: string; prefix?: string; poolSize?: number } = {},
): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  const url = databaseUrl(serverUrl, name);
  const db = openDatabase(url, poolSize);
  return {
    name,
    url,
    db,
    async drop() {
      await db.destroy();
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
