/** For benchmarks: a throwaway database with SuperTokens' tables and our migrations, and table printing. */
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import type { Logger } from '../../src/logger.ts';
import { createSuperTokensTables } from '../../supertokens-standin/writes.ts';
import { createScratchDatabase, usePostgresServer } from '../../test/support/postgres-server.ts';

/** Runs `work` on a fresh database on `serverUrl`'s server (an embedded one when undefined), then drops it. */
export async function withScratchDatabase<T>(
  serverUrl: string | undefined,
  logger: Logger,
  work: (databaseUrl: string, db: Kysely<Database>) => Promise<T>,
): Promise<T> {
  const server = await usePostgresServer(serverUrl, logger);
  try {
    const scratch = await createScratchDatabase(server.url, { prefix: 'usergraph_bench', poolSize: 8 });
    try {
      await createSuperTokensTables(scratch.db);
      await migrateToLatest(scratch.db);
      return await work(scratch.url, scratch.db as Kysely<Database>);
    } finally {
      await scratch.drop();
    }
  } finally {
    await server.stop();
  }
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
