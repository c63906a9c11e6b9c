/**
 * The `usergraph` command, run as a process: help, print-schema, migrate, and check, which says
 * in words what it finds and exits 0 only when all is well.
 */
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { describe, expect } from 'vitest';
import { createSuperTokensTables } from '../../supertokens-standin/writes.ts';
import { test } from '../support/fixtures.ts';
import { runCli } from '../support/service-process.ts';

const it = test;

describe('usergraph', () => {
  it('--help lists the commands; an unknown command is refused with them', async () => {
    const help = await runCli(['--help'], {});
    expect(help.code).toBe(0);
    for (const command of ['serve', 'migrate', 'check', 'print-schema']) expect(help.stdout).toContain(command);
    const unknown = await runCli(['frobnicate'], {});
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command "frobnicate"');
  });

  it('print-schema prints the committed schema.graphql', async () => {
    const printed = await runCli(['print-schema'], {});
    expect(printed.code).toBe(0);
    expect(printed.stdout).toBe(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));
  });
});

describe('usergraph check', () => {
  it('finds all well on a migrated SuperTokens database', async ({ database }) => {
    const { code, stdout } = await runCli(['check'], { DATABASE_URL: database.url });
    expect(stdout).toContain('ok       SuperTokens layout: apps, tenants and account linking (core 7 to 11');
    expect(stdout).toContain('ok       app "public": 0 users');
    expect(stdout).toMatch(/ok {7}migrations: all \d+ applied, and the SQL files in sql\/ as they ran/);
    expect(stdout).toMatch(/ok {7}change triggers on all \d+ watched tables/);
    expect(stdout).toContain('ok       LISTEN works on this connection');
    expect(stdout).toContain('ok       privileges: all the service needs');
    expect(stdout.trim().split('\n').at(-1)).toBe('All is well.');
    expect(code).toBe(0);
  });

  it('says what is missing, exits 1, and finds all well once `usergraph migrate` ran', async ({ ownDatabase }) => {
    // SuperTokens' tables without usergraph's migrations: what a first deployment finds.
    await sql`DROP SCHEMA public CASCADE; CREATE SCHEMA public`.execute(ownDatabase.db);
    await createSuperTokensTables(ownDatabase.db);
    const before = await runCli(['check'], { DATABASE_URL: ownDatabase.url, APP_ID: 'public' });
    expect(before.stdout).toMatch(/PROBLEM {2}migrations: 0 applied, \d+ pending/);
    expect(before.stdout).toMatch(/PROBLEM {2}change triggers missing on app_id_to_user_id \(insert, update, delete\)/);
    expect(before.code).toBe(1);

    const migrated = await runCli(['migrate'], { DATABASE_URL: ownDatabase.url });
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toContain('applied 1795486388499_notify_user_changes');
    const after = await runCli(['check'], { DATABASE_URL: ownDatabase.url });
    expect(after.stdout.trim().split('\n').at(-1)).toBe('All is well.');
    expect(after.code).toBe(0);
  });

  it('refuses an app that is not there, and a database without SuperTokens', async ({ database, ownDatabase }) => {
    const noApp = await runCli(['check'], { DATABASE_URL: database.url, APP_ID: 'nonesuch' });
    expect(noApp.stdout).toContain('PROBLEM  app "nonesuch" does not exist in this database (APP_ID)');
    expect(noApp.code).toBe(1);
    await sql`DROP SCHEMA public CASCADE; CREATE SCHEMA public`.execute(ownDatabase.db);
    const empty = await runCli(['check'], { DATABASE_URL: ownDatabase.url });
    expect(empty.stdout).toContain('PROBLEM  no SuperTokens tables here');
    expect(empty.code).toBe(1);
  });

  it('names a privilege the service lacks', async ({ database }) => {
    const role = `usergraph_check_${process.pid}`;
    // A password of its own: the embedded server (npm test without TEST_DATABASE_URL) asks for one.
    const password = `check-${process.pid}`;
    await sql
      .raw(`DROP ROLE IF EXISTS ${role}; CREATE ROLE ${role} LOGIN PASSWORD '${password}'; GRANT CONNECT ON DATABASE "${new URL(database.url).pathname.slice(1)}" TO ${role}`)
      .execute(database.db);
    try {
      const url = new URL(database.url);
      url.username = role;
      url.password = password;
      const { code, stdout } = await runCli(['check'], { DATABASE_URL: url.toString(), MIGRATE_ON_START: 'false' });
      expect(stdout).toContain('PROBLEM  privileges missing: SELECT on user_full_view');
      expect(code).toBe(1);
    } finally {
      await sql.raw(`REVOKE ALL ON DATABASE "${new URL(database.url).pathname.slice(1)}" FROM ${role}; DROP OWNED BY ${role}; DROP ROLE ${role}`).execute(database.db);
    }
  });

  it('without DATABASE_URL, says there is nothing to check', async () => {
    const { code, stdout } = await runCli(['check'], {});
    expect(stdout).toContain('DATABASE_URL is not set');
    expect(code).toBe(1);
  });
});
