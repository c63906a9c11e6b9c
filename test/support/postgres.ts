/** Real PostgreSQL for tests: a throwaway database per test file, cloned from the template. */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import { connectDatabase } from '../../src/db/connect.ts';

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs one statement on the server's maintenance connection (CREATE/DROP DATABASE). */
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
export function openDatabase(url: string): Kysely<any> {
  return connectDatabase({ url, poolSize: 4 }) as unknown as Kysely<any>;
}

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  /** For fixtures: writes as SuperTokens would. */
  readonly db: Kysely<any>;
  drop(): Promise<void>;
}

/** A fresh database: a clone of the migrated template, or (`empty`) one with nothing in it. */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const serverUrl = inject('serverUrl');
  const name = `usergraph_test_${randomBytes(6).toString('hex')}`;
  const template = options.empty ? '' : ` TEMPLATE ${inject('templateDatabase')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}${template}`);
  const url = databaseUrl(serverUrl, name);
  const db = openDatabase(url);
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
