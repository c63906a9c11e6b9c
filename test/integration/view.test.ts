/**
 * user_full_view and the repository over it, on fixtures written the way SuperTokens core writes
 * them: what a user looks like, what is repaired, what is left out, and what never leaks.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect } from 'vitest';
import {
  addUserRole,
  createApp,
  createRole,
  setLastActive,
  setUserMetadata,
  signUpEmailPassword,
} from '../../supertokens-standin/writes.ts';
import { seedSyntheticUsers } from '../../supertokens-standin/synthetic-users.ts';
import { createUserRepository, type UserRepository } from '../../src/db/user-repository.ts';
import { createDriftProbe } from '../../src/db/drift-probe.ts';
import { bucketOf, differingBuckets, fingerprintOf } from '../../src/directory/fingerprint.ts';
import type { User } from '../../src/directory/user.ts';
import { domainUser, plainUser } from '../support/domain.ts';
import { captureLogs } from '../support/logs.ts';
import { test } from '../support/fixtures.ts';

const JOINED = 1_700_000_000_000;
/** The hash of what the directory serves of the user (md5, hex). */
const aVersion = expect.stringMatching(/^[0-9a-f]{32}$/);
const ACTIVE = 1_700_000_900_000;

const it = test
  .extend('seed', { scope: 'file' }, ({ database }) => createApp(database.db, 'public', ['public', 't1']))
  /** Opens a repository over the test database whose log lines (pino JSON) are kept for assertions. */
  .extend('openRepository', { scope: 'file' }, ({ database }) => {
    return (appId = 'public', batchSize = 100): { repo: UserRepository; logs: Array<Record<string, any>> } => {
      const { logger, logs } = captureLogs();
      const repo = createUserRepository(database.db as any, { appId, batchSize, logger });
      return { repo, logs };
    };
  });

async function streamAll(repo: UserRepository): Promise<User[][]> {
  const batches: User[][] = [];
  for await (const batch of repo.streamAllUsers()) batches.push(batch);
  return batches;
}

/**
 * What the repository makes of a user who only signed up with an email and a password, in tenant
 * public of its app: the fields the view served before login methods existed, and the rest derived.
 */
function emailPasswordUser(fields: {
  id: string;
  email: string;
  timeJoined: number;
  lastActive: number | null;
  roles: string[];
  rolesByTenant?: Array<{ tenantId: string; roles: string[] }>;
  metadata: Record<string, unknown>;
  version: unknown;
}) {
  const { id, timeJoined, rolesByTenant = [], version, ...rest } = fields;
  // `version` is a matcher here (the md5 of the row), not a string.
  return { ...domainUser(id, timeJoined, { ...rest, rolesByTenant }), version };
}

/** Warnings and worse (pino: warn is 40). */
const warnings = (logs: Array<Record<string, any>>) => logs.filter((line) => line.level >= 40);

describe('user_full_view through the repository', () => {
  it('maps a user with metadata, roles and last activity to the domain User', async ({ database: testDb, openRepository }) => {
    const db = testDb.db;
    const id = await signUpEmailPassword(db, { email: 'ada@example.com', timeJoined: JOINED });
    await setUserMetadata(db, id, { plan: 'pro', profile: { name: 'Ada', tags: ['math', 1] } });
    await addUserRole(db, id, 'editor');
    await addUserRole(db, id, 'admin');
    await setLastActive(db, id, ACTIVE);
    const { repo, logs } = openRepository();

    expect((await repo.findUsersByIds([id])).map(plainUser)).toEqual([
      {
        id,
        supertokensUserId: id,
        isPrimaryUser: false,
        email: 'ada@example.com',
        emails: ['ada@example.com'],
        phoneNumbers: [],
        thirdParty: [],
        loginMethods: [
          {
            recipeId: 'emailpassword',
            recipeUserId: id,
            supertokensUserId: id,
            email: 'ada@example.com',
            phoneNumber: null,
            thirdParty: null,
            tenantIds: ['public'],
            timeJoined: JOINED,
            verified: false,
          },
        ],
        tenantIds: ['public'],
        timeJoined: JOINED,
        lastActive: ACTIVE,
        roles: ['admin', 'editor'],
        rolesByTenant: [{ tenantId: 'public', roles: ['admin', 'editor'] }],
        permissions: [],
        permissionsByTenant: [],
        metadata: { plan: 'pro', profile: { name: 'Ada', tags: ['math', 1] } },
        version: aVersion,
      },
    ]);
    expect(warnings(logs)).toEqual([]);
  });

  it('maps a user without metadata, roles or activity to {}, [] and null', async ({ database: testDb, openRepository }) => {
    const id = await signUpEmailPassword(testDb.db, { email: 'bare@example.com', timeJoined: JOINED });
    const { repo } = openRepository();

    expect((await repo.findUsersByIds([id])).map(plainUser)).toEqual([
      emailPasswordUser({ id, email: 'bare@example.com', timeJoined: JOINED, lastActive: null, roles: [], metadata: {}, version: aVersion }),
    ]);
  });

  it('unites roles held in several tenants into one sorted, distinct list on one row', async ({ database: testDb, openRepository }) => {
    const db = testDb.db;
    const id = await signUpEmailPassword(db, { email: 'tenants@example.com', timeJoined: JOINED });
    await addUserRole(db, id, 'viewer', 't1');
    await addUserRole(db, id, 'admin', 't1');
    await addUserRole(db, id, 'admin', 'public');
    await addUserRole(db, id, 'editor', 'public');
    const { repo } = openRepository();

    const users = await repo.findUsersByIds([id]);

    expect(users).toHaveLength(1);
    expect(users[0]?.roles).toEqual(['admin', 'editor', 'viewer']);
    expect(users[0]?.rolesByTenant).toEqual([
      { tenantId: 'public', roles: ['admin', 'editor'] },
      { tenantId: 't1', roles: ['admin', 'viewer'] },
    ]);
  });

  it('keeps role names intact whatever characters they hold', async ({ database: testDb, openRepository }) => {
    const db = testDb.db;
    const id = await signUpEmailPassword(db, { email: 'odd-roles@example.com', timeJoined: JOINED });
    const odd = ['a,b', 'quo"te', '{brace}', 'back\\slash', 'sp ace', 'NULL', 'é'];
    for (const role of odd) await addUserRole(db, id, role, 't1');
    await createRole(db, 'a,b', ['p{1}', 'p,2']);
    const { repo } = openRepository();

    const [user] = await repo.findUsersByIds([id]);

    const sorted = ['NULL', 'a,b', 'back\\slash', 'quo"te', 'sp ace', '{brace}', 'é'];
    expect(user?.roles).toEqual(sorted);
    expect(user?.rolesByTenant).toEqual([{ tenantId: 't1', roles: sorted }]);
    expect(user?.permissions).toEqual(['p,2', 'p{1}']);
    expect(user?.permissionsByTenant).toEqual([{ tenantId: 't1', permissions: ['p,2', 'p{1}'] }]);
  });

  it('tells what the roles held in each tenant grant there', async ({ database: testDb, openRepository }) => {
    const db = testDb.db;
    await createRole(db, 'writer', ['posts:edit', 'posts:read']);
    await createRole(db, 'reader', ['posts:read']);
    const id = await signUpEmailPassword(db, { email: 'grants@example.com', timeJoined: JOINED });
    await addUserRole(db, id, 'writer', 't1');
    await addUserRole(db, id, 'reader', 'public');
    await addUserRole(db, id, 'no-permissions', 'public');
    const { repo } = openRepository();

    const [user] = await repo.findUsersByIds([id]);

    expect(user?.permissions).toEqual(['posts:edit', 'posts:read']);
    expect(user?.permissionsByTenant).toEqual([
      { tenantId: 'public', permissions: ['posts:read'] },
      { tenantId: 't1', permissions: ['posts:edit', 'posts:read'] },
    ]);
  });

  it.for(['{not json', '[1,2]', '"text"', 'null'])(
    'serves metadata %s as {} and warns with the user id but without the email',
    async (stored, { database: testDb, openRepository }) => {
      const email = `bad-metadata-${randomUUID()}@example.com`;
      const id = await signUpEmailPassword(testDb.db, { email, timeJoined: JOINED });
      await setUserMetadata(testDb.db, id, stored);
      const { repo, logs } = openRepository();

      expect((await repo.findUsersByIds([id])).map(plainUser)).toEqual([
        emailPasswordUser({ id, email, timeJoined: JOINED, lastActive: null, roles: [], metadata: {}, version: aVersion }),
      ]);
      const lines = warnings(logs);
      expect(lines.map(({ time, pid, hostname, ...rest }) => rest)).toEqual([
        { level: 40, name: 'usergraph', userId: id, msg: 'user metadata is not a valid JSON object; serving {}' },
      ]);
      expect(JSON.stringify(lines)).not.toContain(email);
    },
  );

  it('serves {} for metadata nested too deeply for jsonb instead of failing the whole load', async ({ database: testDb, openRepository }) => {
    const db = testDb.db;
    await createApp(db, 'deep');
    const id = await signUpEmailPassword(db, { email: 'deep@example.com', timeJoined: JOINED, appId: 'deep' });
    // Valid JSON, but deeper than PostgreSQL's default max_stack_depth (2MB) lets jsonb parse.
    await setUserMetadata(db, id, `{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`, 'deep');
    const { repo } = openRepository('deep');

    expect((await streamAll(repo)).flat().map(plainUser)).toEqual([
      emailPasswordUser({ id, email: 'deep@example.com', timeJoined: JOINED, lastActive: null, roles: [], metadata: {}, version: aVersion }),
    ]);
  });

  it('maps a last-active row without a time to lastActive null', async ({ database: testDb, openRepository }) => {
    const id = await signUpEmailPassword(testDb.db, { email: 'never-active@example.com', timeJoined: JOINED });
    await setLastActive(testDb.db, id, null);
    const { repo } = openRepository();

    expect((await repo.findUsersByIds([id])).map(plainUser)).toEqual([
      emailPasswordUser({ id, email: 'never-active@example.com', timeJoined: JOINED, lastActive: null, roles: [], metadata: {}, version: aVersion }),
    ]);
  });

  it('ignores metadata, roles and activity of a user id that has no email-password user', async ({ database: testDb, openRepository }) => {
    const db = testDb.db;
    await createApp(db, 'orphans');
    const id = await signUpEmailPassword(db, { email: 'real@example.com', timeJoined: JOINED, appId: 'orphans' });
    const orphanId = randomUUID();
    await setUserMetadata(db, orphanId, { ghost: true }, 'orphans');
    await addUserRole(db, orphanId, 'admin', 'public', 'orphans');
    await setLastActive(db, orphanId, ACTIVE, 'orphans');
    const { repo } = openRepository('orphans');

    expect((await streamAll(repo)).flat().map(plainUser)).toEqual([
      emailPasswordUser({ id, email: 'real@example.com', timeJoined: JOINED, lastActive: null, roles: [], metadata: {}, version: aVersion }),
    ]);
    expect(await repo.findUsersByIds([orphanId])).toEqual([]);
  });

  it('shows a user of another app only to a repository of that app', async ({ database: testDb, openRepository }) => {
    const db = testDb.db;
    await createApp(db, 'app2');
    const id = await signUpEmailPassword(db, { email: 'elsewhere@example.com', timeJoined: JOINED, appId: 'app2' });
    const publicRepo = openRepository('public').repo;
    const app2Repo = openRepository('app2').repo;

    expect(await publicRepo.findUsersByIds([id])).toEqual([]);
    expect(await publicRepo.findUsersByEmails(['elsewhere@example.com'])).toEqual([]);
    expect((await app2Repo.findUsersByIds([id])).map(plainUser)).toEqual([
      emailPasswordUser({ id, email: 'elsewhere@example.com', timeJoined: JOINED, lastActive: null, roles: [], metadata: {}, version: aVersion }),
    ]);
  });

  it('keeps the roles, metadata and activity of one app away from the same user id in another', async ({ database: testDb, openRepository }) => {
    const db = testDb.db;
    await createApp(db, 'app2');
    const id = randomUUID();
    await signUpEmailPassword(db, { email: 'twin@example.com', timeJoined: JOINED, userId: id });
    await signUpEmailPassword(db, { email: 'twin-app2@example.com', timeJoined: JOINED + 1, userId: id, appId: 'app2' });
    await setUserMetadata(db, id, { app: 'two' }, 'app2');
    await addUserRole(db, id, 'app2-admin', 'public', 'app2');
    await setLastActive(db, id, ACTIVE, 'app2');

    expect((await openRepository('public').repo.findUsersByIds([id])).map(plainUser)).toEqual([
      emailPasswordUser({ id, email: 'twin@example.com', timeJoined: JOINED, lastActive: null, roles: [], metadata: {}, version: aVersion }),
    ]);
    expect((await openRepository('app2').repo.findUsersByIds([id])).map(plainUser)).toEqual([
      emailPasswordUser({
        id,
        email: 'twin-app2@example.com',
        timeJoined: JOINED + 1,
        lastActive: ACTIVE,
        roles: ['app2-admin'],
        rolesByTenant: [{ tenantId: 'public', roles: ['app2-admin'] }],
        metadata: { app: 'two' },
        version: aVersion,
      }),
    ]);
  });

  it('finds a user by the email as stored', async ({ database: testDb, openRepository }) => {
    const id = await signUpEmailPassword(testDb.db, { email: 'a@x.com', timeJoined: JOINED });
    const { repo } = openRepository();

    expect((await repo.findUsersByEmails(['a@x.com'])).map(plainUser)).toEqual([
      emailPasswordUser({ id, email: 'a@x.com', timeJoined: JOINED, lastActive: null, roles: [], metadata: {}, version: aVersion }),
    ]);
  });

  it('streams every user of the app in batches of at most batchSize', async ({ database: testDb, openRepository }) => {
    const db = testDb.db;
    await createApp(db, 'bulk');
    const ids: string[] = [];
    for (let i = 0; i < 250; i++) {
      ids.push(await signUpEmailPassword(db, { email: `bulk-${i}@example.com`, timeJoined: JOINED + i, appId: 'bulk' }));
    }
    const { repo } = openRepository('bulk', 100);

    const batches = await streamAll(repo);

    expect(batches.map((batch) => batch.length)).toEqual([100, 100, 50]);
    expect(batches.flat().map((user) => user.id).sort()).toEqual([...ids].sort());
  });

  // The startup load's rows stream unasked (see RowStream): for rows to be still coming after the
  // first batch, there must be more than it holds unread and the connection buffers.
  it.for([
    { load: 'a reload', first: false, users: 250 },
    { load: 'the startup load', first: true, users: 40_000 },
  ])('$load holds one transaction while users stream, and none, with no connection stuck, once its reader stops early', async ({ first, users }, { database: testDb, openRepository }) => {
    const db = testDb.db;
    const appId = first ? 'early-first' : 'early';
    await createApp(db, appId);
    await seedSyntheticUsers(db, { count: users, appId });
    const { repo } = openRepository(appId, 100);

    const inTransaction = async () => {
      const { rows } = await sql<{ open: number }>`
        SELECT count(*)::int AS open FROM pg_stat_activity
        WHERE datname = current_database() AND xact_start IS NOT NULL AND pid <> pg_backend_pid()`.execute(db);
      return rows[0]!.open;
    };

    // Users stream once the parts are read: the parts' connection has ended its transaction then,
    // and only the login methods' is in one. Its rows are still coming after the first batch (the
    // cursor's next fetch, or the stream's rest): that connection is dropped.
    for await (const batch of repo.streamAllUsers(undefined, { first })) {
      expect(batch).toHaveLength(100);
      expect(await inTransaction()).toBe(1);
      break;
    }

    await expect.poll(inTransaction).toBe(0);
    // And the next load, on the same pool, reads every user.
    expect((await streamAll(repo)).flat()).toHaveLength(users);
  });

  it('exposes exactly these columns, never password_hash', async ({ database: testDb }) => {
    const { rows } = await sql<{ column_name: string }>`
      SELECT column_name FROM information_schema.columns
      WHERE table_name = 'user_full_view' ORDER BY ordinal_position
    `.execute(testDb.db);

    expect(rows.map((row) => row.column_name)).toEqual([
      'app_id',
      'user_id',
      'external_user_id',
      'is_primary_user',
      'email',
      'time_joined',
      'login_methods',
      'metadata',
      'metadata_invalid',
      'roles',
      'tenant_roles',
      'permissions',
      'last_active_time',
      'tenant_permissions',
    ]);
  });
});

describe('fingerprint', () => {
  it('is computed alike by the database and by the directory, bucket by bucket, and moves in the changed user\'s bucket only', async ({ database: testDb, openRepository }) => {
    const db = testDb.db;
    await createApp(db, 'prints');
    const id = await signUpEmailPassword(db, { email: 'print@example.com', appId: 'prints', timeJoined: JOINED });
    await signUpEmailPassword(db, { email: 'print2@example.com', appId: 'prints', timeJoined: JOINED });
    const { repo } = openRepository('prints');
    const probe = createDriftProbe(db, 'prints', repo);

    const loaded = (await streamAll(repo)).flat();
    const before = await probe.fingerprint();
    expect(before).toEqual(await fingerprintOf(loaded));
    expect([...before.values()].reduce((sum, bucket) => sum + bucket.count, 0)).toBe(2);

    await setUserMetadata(db, id, { changed: true }, 'prints');
    const after = await probe.fingerprint();
    expect(differingBuckets(before, after)).toEqual([bucketOf(id)]);
    expect(after).toEqual(await fingerprintOf((await streamAll(repo)).flat()));
    expect(await probe.userIdsInBuckets([bucketOf(id)])).toContain(id);
  });
});

describe('parallel plans', () => {
  it('read the whole view without error when PostgreSQL parallelises the scan', async ({ database: testDb }) => {
    const db = testDb.db;
    const id = await signUpEmailPassword(db, { email: 'parallel@example.com', timeJoined: JOINED });
    await setUserMetadata(db, id, '{not json');
    // What the planner does on its own for a large directory (it did at 100,000 users), forced here.
    const rows = await db.transaction().execute(async (trx) => {
      for (const setting of ['parallel_setup_cost = 0', 'parallel_tuple_cost = 0', 'min_parallel_table_scan_size = 0', 'max_parallel_workers_per_gather = 2']) {
        await sql.raw(`SET LOCAL ${setting}`).execute(trx);
      }
      const { rows } = await sql<{ users: number }>`
        SELECT count(*)::int AS users, count(DISTINCT md5(v::text))::int AS versions FROM user_full_view v`.execute(trx);
      return rows;
    });
    expect(rows[0]?.users).toBeGreaterThan(0);
  });
});
