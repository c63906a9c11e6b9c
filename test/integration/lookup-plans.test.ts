/**
 * Lookups read the parts of the users they name only: on ten thousand users (ANALYZEd), every
 * table of per-user rows is reachable by an index from a lookup, whatever the batch size. Asked
 * with sequential scans priced out (enable_seqscan off), the plan must then read no such table
 * whole: a condition that cannot use an index (a cast on the indexed column, say) would still
 * show as a sequential scan. Without that, PostgreSQL may rightly hash a table of a few pages
 * (userid_mapping holds 2,000 rows here) instead of probing it. The statements are the
 * repository's own (userQueries), explained without running.
 */
import { sql } from 'kysely';
import { describe, expect } from 'vitest';
import { seedSyntheticUsers, syntheticLinkedId, syntheticUserId } from '../../supertokens-standin/synthetic-users.ts';
import { userQueries } from '../../src/db/user-repository.ts';
import { planOf, wholeScansOfUserTables } from '../support/plans.ts';
import { test } from '../support/fixtures.ts';

const USERS = 10000;

const it = test
  .extend('seed', { scope: 'file' }, ({ database }) => seedSyntheticUsers(database.db, { count: USERS }))
  /** The repository's statements, for app public, explained with sequential scans priced out. */
  .extend('queries', { scope: 'file' }, ({ database, seed }) => {
    const explainPricingOutSeqScans = (build: (queries: ReturnType<typeof userQueries>) => { explain(format: 'json'): Promise<unknown[]> }) => ({
      explain: (format: 'json') =>
        database.db.transaction().execute(async (trx) => {
          await sql`SET LOCAL enable_seqscan = off`.execute(trx);
          return build(userQueries(trx as any, 'public')).explain(format);
        }),
    });
    return {
      byIds: (ids: readonly string[]) => explainPricingOutSeqScans((queries) => queries.byIds(ids)),
      byEmails: (emails: readonly string[]) => explainPricingOutSeqScans((queries) => queries.byEmails(emails)),
      execute: userQueries(database.db as any, 'public'),
    };
  });

describe(`lookups among ${USERS} users`, () => {
  /** Ids of every kind: plain, external, primary, linked login method. */
  const mixedIds = (n: number) =>
    Array.from({ length: n }, (_, k) => [syntheticUserId(7 * k + 1), `ext-${5 * (k + 1)}`, syntheticUserId(10 * (k + 1)), syntheticLinkedId(10 * (k + 1))][k % 4]!);

  it.for([1, 10, 500])('by id, %i ids: every per-user table reachable by its index', async (count, { queries }) => {
    const found = await planOf(queries.byIds(mixedIds(count)));

    expect(wholeScansOfUserTables(found)).toEqual([]);
    expect(found).toContain('Index Scan on app_id_to_user_id using app_id_to_user_id_pkey');
    expect(found).toContain('Index Scan on userid_mapping using userid_mapping_external_user_id_key');
  });

  it.for([1, 10, 500])('by email, %i emails: every per-user table reachable by its index', async (count, { queries }) => {
    const emails = Array.from({ length: count }, (_, k) => `user${11 * k + 1}@example.com`);
    const found = await planOf(queries.byEmails(emails));

    expect(wholeScansOfUserTables(found)).toEqual([]);
    expect(found).toContain('Index Scan on emailpassword_users using emailpassword_users_email_index');
    // Passkey users are fewer: an index scan or a bitmap scan of the index, as the planner prefers.
    expect(found).toContainEqual(expect.stringMatching(/^(Index Scan on webauthn_user_to_tenant using webauthn_user_to_tenant_email_index|Bitmap Heap Scan on webauthn_user_to_tenant)$/));
  });

  it('finds the users those plans promise', async ({ queries }) => {
    const ids = [syntheticUserId(1), 'ext-5', syntheticLinkedId(10), syntheticUserId(10)];
    const { rows } = await queries.execute.byIds(ids).execute();
    // The users' own login-method rows: one per user the ids name.
    const users = rows.filter((row) => row.part === 'm' && row.a === row.b).map((row) => row.a);
    expect(users.sort()).toEqual([syntheticUserId(1), syntheticUserId(5), syntheticUserId(10)].sort());
  });
});
