/**
 * databaseFault (src/db/database-errors.ts) on the errors a real PostgreSQL and the real pg client
 * give: a statement past its statement_timeout and a lock past its lock_timeout are `timeout`, a
 * connection the server ends is `unavailable`, a refused connection is `unavailable`, and a plain
 * mistake in SQL is nothing the database did (undefined): it stays an unexpected error.
 */
import { expect } from 'vitest';
import pg from 'pg';
import { databaseFault } from '../../src/db/database-errors.ts';
import { test } from '../support/fixtures.ts';

async function failureOf(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('the statement did not fail');
}

test('a statement past statement_timeout, and a lock past lock_timeout, are timeouts', async ({ database }) => {
  const first = new pg.Client(database.url);
  const second = new pg.Client(database.url);
  await first.connect();
  await second.connect();
  try {
    await first.query("SET statement_timeout = '50ms'");
    expect(databaseFault(await failureOf(() => first.query('SELECT pg_sleep(5)')))).toBe('timeout');

    await first.query('CREATE TABLE locked (id int)');
    await first.query('BEGIN');
    await first.query('LOCK TABLE locked IN ACCESS EXCLUSIVE MODE');
    await second.query("SET lock_timeout = '50ms'");
    expect(databaseFault(await failureOf(() => second.query('SELECT * FROM locked')))).toBe('timeout');
    await first.query('ROLLBACK');
  } finally {
    await first.end();
    await second.end();
  }
});

test('a connection the server ends, and a server nobody answers at, are unavailable', async ({ database }) => {
  const victim = new pg.Client({ connectionString: database.url, application_name: 'database-errors-victim' });
  victim.on('error', () => {}); // the termination is also emitted; the query's rejection is what is tested
  await victim.connect();
  const admin = new pg.Client(database.url);
  await admin.connect();
  try {
    const sleeping = failureOf(() => victim.query('SELECT pg_sleep(5)'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'database-errors-victim'");
    expect(databaseFault(await sleeping)).toBe('unavailable');
  } finally {
    await admin.end();
    await victim.end().catch(() => {});
  }

  const nowhere = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:1/nowhere', connectionTimeoutMillis: 2_000 });
  expect(databaseFault(await failureOf(() => nowhere.connect()))).toBe('unavailable');
});

test('a mistake in SQL is not a database fault', async ({ database }) => {
  const client = new pg.Client(database.url);
  await client.connect();
  try {
    expect(databaseFault(await failureOf(() => client.query('SELECT * FROM no_such_table')))).toBeUndefined();
  } finally {
    await client.end();
  }
});
