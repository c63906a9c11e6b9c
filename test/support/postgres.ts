/** Real PostgreSQL for tests: a throwaway database per test file, cloned from the migrated template. */
import { inject } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from './postgres-server.ts';

export { adminQuery, databaseUrl, openDatabase } from './postgres-server.ts';

export type TestDatabase = ScratchDatabase;

/** A fresh database: a clone of the migrated template, or (`empty`) one with nothing in it. */
export function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  return createScratchDatabase(inject('serverUrl'), {
    prefix: 'usergraph_test',
    ...(options.empty ? {} : { template: inject('templateDatabase') }),
  });
}
