/**
 * The directory follows the database while the service runs: every kind of write appears in the
 * API, a killed listener reconnects and resynchronises, several instances follow one change,
 * bulk writes stay a bounded number of notices, drift is repaired, and subscribers see it all.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, inject } from 'vitest';
import {
  addUserRole,
  createUserIdMapping,
  deleteRecipeUser,
  linkAccounts,
  makePrimaryUser,
  setLastActive,
  setUserMetadata,
  signUpEmailPassword,
  signUpThirdParty,
  signUpWebAuthn,
  unlinkAccounts,
  updateWebAuthnEmail,
} from '../../supertokens-standin/writes.ts';
import { test as it } from '../support/fixtures.ts';
import { adminQuery, type TestDatabase } from '../support/postgres.ts';
import { ADMIN_KEY, asReader, expectData, type TestServer } from '../support/server.ts';
import { sleepUntil } from '../support/wait.ts';

const USER = 'query ($id: ID!) { user(id: $id) { id email roles metadata lastActive } }';

async function userSeenBy(target: TestServer, id: string) {
  // Through the directory only: a database fallback would hide a stale cache.
  return target.directory.snapshot.userNamedBy(id) ?? null;
}

describe('each kind of write appears in the API', () => {
  it('a sign-up (insert into every recipe table)', async ({ server, database }) => {
    const id = await signUpEmailPassword(database.db, { email: 'new@example.com' });
    await sleepUntil(async () => (await userSeenBy(server, id)) !== null);
    expect(expectData(await server.execute(USER, { id })).user).toMatchObject({ id, email: 'new@example.com' });
  });

  it('an email change (update of the recipe row)', async ({ server, database }) => {
    const id = await signUpEmailPassword(database.db, { email: 'before@example.com' });
    await sleepUntil(async () => (await userSeenBy(server, id)) !== null);
    await sql`UPDATE emailpassword_users SET email = 'after@example.com' WHERE user_id = ${id}`.execute(database.db);
    await sleepUntil(async () => (await userSeenBy(server, id))?.email === 'after@example.com');
    const byEmail = await server.execute('{ userByEmail(email: "after@example.com") { id } }');
    expect(expectData(byEmail).userByEmail).toEqual({ id });
  });

  it('metadata inserted, updated and deleted', async ({ server, database }) => {
    const id = await signUpEmailPassword(database.db, { email: 'meta@example.com' });
    await setUserMetadata(database.db, id, { plan: 'free' });
    await sleepUntil(async () => (await userSeenBy(server, id))?.metadata.plan === 'free');
    await setUserMetadata(database.db, id, { plan: 'pro' });
    await sleepUntil(async () => (await userSeenBy(server, id))?.metadata.plan === 'pro');
    await sql`DELETE FROM user_metadata WHERE user_id = ${id}`.execute(database.db);
    await sleepUntil(async () => Object.keys((await userSeenBy(server, id))?.metadata ?? { x: 1 }).length === 0);
  });

  it('a role granted and revoked', async ({ server, database }) => {
    const id = await signUpEmailPassword(database.db, { email: 'roles@example.com' });
    await addUserRole(database.db, id, 'editor');
    await sleepUntil(async () => (await userSeenBy(server, id))?.roles.includes('editor') === true);
    await sql`DELETE FROM user_roles WHERE user_id = ${id} AND role = 'editor'`.execute(database.db);
    await sleepUntil(async () => (await userSeenBy(server, id))?.roles.length === 0);
    const page = expectData(await server.execute('{ users(role: "editor") { nodes { id } } }'));
    expect(page.users.nodes).not.toContainEqual({ id });
  });

  it('activity recorded, updated and cleared', async ({ server, database }) => {
    const id = await signUpEmailPassword(database.db, { email: 'active@example.com' });
    await setLastActive(database.db, id, 1_700_000_000_000);
    await sleepUntil(async () => (await userSeenBy(server, id))?.lastActive === 1_700_000_000_000);
    await setLastActive(database.db, id, 1_700_000_000_999);
    await sleepUntil(async () => (await userSeenBy(server, id))?.lastActive === 1_700_000_000_999);
    await sql`DELETE FROM user_last_active WHERE user_id = ${id}`.execute(database.db);
    await sleepUntil(async () => (await userSeenBy(server, id))?.lastActive === null);
  });

  it('a deleted user (core deletes app_id_to_user_id; the recipe rows cascade)', async ({ server, database }) => {
    const id = await signUpEmailPassword(database.db, { email: 'gone@example.com' });
    await sleepUntil(async () => (await userSeenBy(server, id)) !== null);
    await sql`DELETE FROM app_id_to_user_id WHERE user_id = ${id}`.execute(database.db);
    await sleepUntil(async () => (await userSeenBy(server, id)) === null);
    expect(expectData(await server.execute(USER, { id })).user).toBeNull();
  });

  it('account linking: the linked user moves into its primary, and moves out again on unlink', async ({ server, database }) => {
    const primary = await signUpEmailPassword(database.db, { email: 'primary@example.com', timeJoined: 1_600_000_000_000 });
    const google = await signUpThirdParty(database.db, {
      email: 'primary.g@example.com',
      thirdPartyId: 'google',
      thirdPartyUserId: 'g-primary',
      timeJoined: 1_600_000_100_000,
    });
    await sleepUntil(async () => (await userSeenBy(server, google))?.supertokensUserId === google);

    await makePrimaryUser(database.db, primary);
    await linkAccounts(database.db, google, primary);
    await sleepUntil(async () => (await userSeenBy(server, google))?.supertokensUserId === primary);
    const linked = (await userSeenBy(server, primary))!;
    expect(linked.loginMethods.map((method) => method.recipeUserId)).toEqual([primary, google]);
    expect(server.directory.snapshot.usersNamedBy([google, primary]).map((user) => user.supertokensUserId)).toEqual([primary]);
    expect(expectData(await server.execute('{ usersByEmail(email: "primary.g@example.com") { id } }')).usersByEmail).toEqual([
      { id: primary },
    ]);

    await unlinkAccounts(database.db, google, primary);
    await sleepUntil(async () => (await userSeenBy(server, google))?.supertokensUserId === google);
    await sleepUntil(async () => (await userSeenBy(server, primary))?.loginMethods.length === 1);
  });

  it('a passkey sign-up, its email changed, the passkey linked to a primary user, then deleted', async ({ server, database }) => {
    const passkey = await signUpWebAuthn(database.db, { email: 'passkey.before@example.com', timeJoined: 1_600_000_200_000 });
    await sleepUntil(async () => (await userSeenBy(server, passkey)) !== null);
    expect((await userSeenBy(server, passkey))!.loginMethods.map((method) => method.recipeId)).toEqual(['webauthn']);

    // Only webauthn_users changes here (and webauthn_user_to_tenant, which the view does not read).
    await updateWebAuthnEmail(database.db, passkey, 'passkey.after@example.com');
    await sleepUntil(async () => (await userSeenBy(server, passkey))?.email === 'passkey.after@example.com');
    expect(expectData(await server.execute('{ userByEmail(email: "passkey.after@example.com") { id } }')).userByEmail).toEqual({ id: passkey });

    const primary = await signUpEmailPassword(database.db, { email: 'passkey.owner@example.com', timeJoined: 1_600_000_100_000 });
    await makePrimaryUser(database.db, primary);
    await linkAccounts(database.db, passkey, primary);
    await sleepUntil(async () => (await userSeenBy(server, passkey))?.supertokensUserId === primary);
    expect((await userSeenBy(server, primary))!.loginMethods.map((method) => [method.recipeId, method.recipeUserId])).toEqual([
      ['emailpassword', primary],
      ['webauthn', passkey],
    ]);

    // Core's deleteUser for a linked recipe user: its rows go, the primary user stays.
    await deleteRecipeUser(database.db, passkey);
    await sleepUntil(async () => (await userSeenBy(server, primary))?.loginMethods.length === 1);
    expect(await userSeenBy(server, passkey)).toBeNull();
    expect(expectData(await server.execute('{ usersByEmail(email: "passkey.after@example.com") { id } }')).usersByEmail).toEqual([]);
  });

  it('an external id mapped: the user answers to it, and metadata filed under it follows', async ({ server, database }) => {
    const id = await signUpEmailPassword(database.db, { email: 'mapped@example.com' });
    await sleepUntil(async () => (await userSeenBy(server, id)) !== null);
    await createUserIdMapping(database.db, id, 'crm-42');
    await sleepUntil(async () => (await userSeenBy(server, 'crm-42'))?.supertokensUserId === id);
    await setUserMetadata(database.db, 'crm-42', { source: 'crm' });
    await sleepUntil(async () => (await userSeenBy(server, id))?.metadata.source === 'crm');
    expect(expectData(await server.execute(USER, { id: 'crm-42' })).user).toMatchObject({ id: 'crm-42', metadata: { source: 'crm' } });
  });

  it('keeps /status counters of notices and of the commit-to-directory lag', async ({ server }) => {
    const status = await (await fetch(`${server.url}/status`)).json();
    expect(status.ready).toBe(true);
    expect(status.sync.listener).toEqual({ listening: true, downForMs: 0 });
    expect(status.sync.noticesReceived).toBeGreaterThan(0);
    expect(status.sync.noticesApplied).toBe(status.sync.noticesReceived);
    expect(status.sync.lagMs.p50).toEqual(expect.any(Number));
    expect(status.sync.lagMs.p99).toBeGreaterThanOrEqual(status.sync.lagMs.p50);
  });
});

describe('a lost listener connection', () => {
  // A database of its own: shutting out new connections must not starve the other tests' servers.
  it('is reported by /ready, reads go on, and on reconnect a full reload brings in what was missed', async ({ ownDatabase: database, startServer }) => {
    const target = await startServer(database.url, { LISTENER_GRACE_MS: '0', LISTENER_RECONNECT_MAX_MS: '200' });
    const writer = new pg.Client({ connectionString: database.url });
    await writer.connect();
    const serverUrl = inject('serverUrl');
    try {
      const id = await signUpEmailPassword(database.db, { email: 'outage@example.com' });
      await sleepUntil(async () => (await userSeenBy(target, id)) !== null);
      const reloadsBefore = target.service.freshness!.stats.reloads;

      // No new connection may reach the database, so the listener cannot come back yet.
      await adminQuery(serverUrl, `ALTER DATABASE ${database.name} ALLOW_CONNECTIONS false`);
      const { rowCount } = await writer.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE application_name = 'usergraph-listener' AND datname = current_database()`,
      );
      expect(rowCount).toBeGreaterThanOrEqual(1);
      await writer.query(`INSERT INTO user_metadata (app_id, user_id, user_metadata) VALUES ('public', $1, '{"during":"outage"}')`, [id]);

      await sleepUntil(async () => (await fetch(`${target.url}/ready`)).status === 503);
      expect(expectData(await target.execute(USER, { id })).user.metadata).toEqual({}); // last good directory

      await adminQuery(serverUrl, `ALTER DATABASE ${database.name} ALLOW_CONNECTIONS true`);
      await sleepUntil(async () => (await fetch(`${target.url}/ready`)).status === 200, 10_000);
      await sleepUntil(async () => (await userSeenBy(target, id))?.metadata.during === 'outage');
      expect(target.service.freshness!.stats.listenerReconnects).toBeGreaterThanOrEqual(1);
      expect(target.service.freshness!.stats.reloads).toBeGreaterThan(reloadsBefore);
    } finally {
      await adminQuery(serverUrl, `ALTER DATABASE ${database.name} ALLOW_CONNECTIONS true`);
      await writer.end();
    }
  });
});

describe('broken pool connections', () => {
  // A database of its own: the other servers' pools stay whole.
  it('are replaced without harm: the process lives and the next database lookup works', async ({ ownDatabase: database, startServer }) => {
    const target = await startServer(database.url, { CHANGE_LISTENER: 'false', DRIFT_CHECK_INTERVAL_MS: '0' });
    await target.execute('{ user(id: "warm-the-pool") { id } }');
    const { rows } = await sql<{ pid: number }>`
      SELECT pg_terminate_backend(pid) AS pid FROM pg_stat_activity
      WHERE application_name = 'usergraph' AND datname = current_database() AND pid <> pg_backend_pid()`.execute(database.db);
    expect(rows.length).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const id = await signUpEmailPassword(database.db, { email: 'after-termination@example.com' });
    expect(expectData(await target.execute(USER, { id })).user).toMatchObject({ id });
  });
});

describe('several instances', () => {
  it('all follow one change', async ({ server, database, startServer }) => {
    const second = await startServer(database.url);
    const id = await signUpEmailPassword(database.db, { email: 'both@example.com' });
    await setUserMetadata(database.db, id, { seen: 'everywhere' });
    for (const instance of [server, second]) {
      await sleepUntil(async () => (await userSeenBy(instance, id))?.metadata.seen === 'everywhere');
    }
  });

  it('reloadUsers on one reloads the others', async ({ server, database, startServer }) => {
    const second = await startServer(database.url);
    const loadedBefore = second.directory.snapshot.loadedAt;
    const response = await server.execute('mutation { reloadUsers { count } }', {}, { authorization: `Bearer ${ADMIN_KEY}` });
    expect(expectData(response).reloadUsers.count).toBe(server.directory.snapshot.size);
    await sleepUntil(async () => second.directory.snapshot.loadedAt > loadedBefore);
    expect(second.service.freshness!.stats.reloads).toBe(1);
    expect(server.service.freshness!.stats.duplicatesDropped).toBe(0); // it skipped its own request
  });

  it('an instance that cannot LISTEN follows through Redis', async ({ database, startServer }) => {
    const redis = { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_CHANNEL: `usergraph-test:${randomUUID()}` };
    const listening = await startServer(database.url, redis);
    const deaf = await startServer(database.url, { ...redis, CHANGE_LISTENER: 'false' });
    expect(deaf.service.freshness!.status().listener).toBe('off');
    const id = await signUpEmailPassword(database.db, { email: 'relayed@example.com' });
    await sleepUntil(async () => (await userSeenBy(deaf, id)) !== null);
    await setUserMetadata(database.db, id, { via: 'redis' });
    await sleepUntil(async () => (await userSeenBy(deaf, id))?.metadata.via === 'redis');
  });
});

describe('bulk writes', () => {
  async function collectPayloads(database: TestDatabase, during: () => Promise<void>): Promise<Array<Record<string, any>>> {
    const listener = new pg.Client({ connectionString: database.url });
    await listener.connect();
    const payloads: Array<Record<string, any>> = [];
    listener.on('notification', (message) => payloads.push({ bytes: Buffer.byteLength(message.payload ?? ''), ...JSON.parse(message.payload!) }));
    await listener.query('LISTEN usergraph_changes');
    try {
      await during();
      await new Promise((resolve) => setTimeout(resolve, 300)); // notices follow the commit at once
    } finally {
      await listener.end();
    }
    return payloads;
  }

  it('lists up to 1000 users per statement in parts that fit NOTIFY, applied with few re-reads', async ({ server, database }) => {
    const ids = Array.from({ length: 600 }, () => randomUUID());
    const before = server.statements.length;
    const payloads = await collectPayloads(database, async () => {
      await sql`INSERT INTO user_metadata (app_id, user_id, user_metadata)
                SELECT 'public', id, '{"bulk":1}' FROM unnest(${ids}::text[]) AS id`.execute(database.db);
    });
    expect(payloads.every((payload) => payload.k === 'ids' && payload.bytes < 8000)).toBe(true);
    expect(payloads.length).toBe(Math.ceil((600 * 39) / 6000));
    expect(new Set(payloads.flatMap((payload) => payload.i))).toEqual(new Set(ids));
    await server.service.freshness!.settled();
    const reReads = server.statements.slice(before).filter((s) => s.includes('usergraph_login_methods')).length;
    expect(reReads).toBeGreaterThanOrEqual(1);
    expect(reReads).toBeLessThanOrEqual(payloads.length);
  });

  it('sends one reload notice for a statement touching 10,000 users, and the directory gets all of them', async ({ server, database }) => {
    // 10,000 users written set-wise, as a bulk import would (four statements, one transaction).
    await database.db.transaction().execute(async (trx) => {
      await sql`CREATE TEMP TABLE bulk ON COMMIT DROP AS
                SELECT gen_random_uuid()::text AS id, 'bulk' || n || '@example.com' AS email, 1600000000000 + n AS t
                FROM generate_series(1, 10000) n`.execute(trx);
      await sql`INSERT INTO app_id_to_user_id (app_id, user_id, primary_or_recipe_user_id, recipe_id)
                SELECT 'public', id, id, 'emailpassword' FROM bulk`.execute(trx);
      await sql`INSERT INTO all_auth_recipe_users (app_id, tenant_id, user_id, primary_or_recipe_user_id, recipe_id, time_joined, primary_or_recipe_user_time_joined)
                SELECT 'public', 'public', id, id, 'emailpassword', t, t FROM bulk`.execute(trx);
      await sql`INSERT INTO emailpassword_users (app_id, user_id, email, password_hash, time_joined)
                SELECT 'public', id, email, 'x', t FROM bulk`.execute(trx);
    });
    await sleepUntil(async () => server.directory.snapshot.getByEmail('bulk10000@example.com').length === 1, 30_000);
    await server.service.freshness!.settled();

    const payloads = await collectPayloads(database, async () => {
      await sql`UPDATE emailpassword_users SET email = replace(email, 'bulk', 'mass') WHERE email LIKE 'bulk%'`.execute(database.db);
    });
    expect(payloads.map(({ k, a, n }) => ({ k, a, n }))).toEqual([{ k: 'reload', a: 'public', n: 0 }]);
    await sleepUntil(async () => server.directory.snapshot.getByEmail('mass10000@example.com').length === 1, 30_000);
    expect(server.directory.snapshot.getByEmail('bulk1@example.com')).toEqual([]);
  }, 90_000);
});

describe('the drift check', () => {
  it('repairs a directory changed behind its back', async ({ server, database }) => {
    const id = await signUpEmailPassword(database.db, { email: 'drift@example.com' });
    await sleepUntil(async () => (await userSeenBy(server, id)) !== null);
    const freshness = server.service.freshness!;
    expect(await freshness.driftCheck.verify()).toBe('verified');

    await database.db.transaction().execute(async (trx) => {
      await sql`ALTER TABLE user_metadata DISABLE TRIGGER USER`.execute(trx);
      await sql`INSERT INTO user_metadata (app_id, user_id, user_metadata) VALUES ('public', ${id}, '{"unseen":true}')`.execute(trx);
      await sql`ALTER TABLE user_metadata ENABLE TRIGGER USER`.execute(trx);
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await userSeenBy(server, id))?.metadata).toEqual({});

    expect(await freshness.driftCheck.verify()).toBe('repaired');
    expect((await userSeenBy(server, id))?.metadata).toEqual({ unseen: true });
    expect(freshness.stats.driftRepairs).toBe(1);
    expect(await freshness.driftCheck.verify()).toBe('verified');
  });
});

describe('the userChanged subscription', () => {
  it('streams an upsert and a delete of the watched user over server-sent events', async ({ server, database }) => {
    const id = await signUpEmailPassword(database.db, { email: 'watched@example.com' });
    await sleepUntil(async () => (await userSeenBy(server, id)) !== null);

    const controller = new AbortController();
    const response = await subscribe(server, id, asReader, controller.signal);
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events = readEvents(response.body!);
    try {
      // Another user's change must not reach this subscriber.
      await signUpEmailPassword(database.db, { email: 'someone-else@example.com' });
      await setUserMetadata(database.db, id, { step: 1 });
      const upsert = await events.next();
      expect(upsert.data.userChanged).toMatchObject({ kind: 'UPSERT', user: { id, metadata: { step: 1 } } });
      expect(upsert.data.userChanged.at).toMatch(/Z$/);

      await sql`DELETE FROM app_id_to_user_id WHERE user_id = ${id}`.execute(database.db);
      const deleted = await events.next();
      expect(deleted.data.userChanged).toMatchObject({ kind: 'DELETE', user: { id, metadata: { step: 1 } } });
    } finally {
      controller.abort();
    }
  });

  it('refuses an anonymous subscriber', async ({ server }) => {
    const controller = new AbortController();
    try {
      const first = await readEvents((await subscribe(server, null, {}, controller.signal)).body!).next();
      expect(first.errors?.map((error: any) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    } finally {
      controller.abort();
    }
  });
});

function subscribe(server: TestServer, id: string | null, headers: Record<string, string>, signal: AbortSignal) {
  return fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({
      query: 'subscription ($id: ID) { userChanged(id: $id) { kind at user { id metadata } } }',
      variables: { id },
    }),
    signal,
  });
}

/** Reads `data:` events of a server-sent event stream, one JSON payload at a time. */
function readEvents(body: ReadableStream<Uint8Array>) {
  const reader = body.pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>).getReader();
  let buffer = '';
  return {
    async next(): Promise<any> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = event.split('\n').filter((line) => line.startsWith('data:')).map((line) => line.slice(5)).join('\n');
          if (data.trim()) return JSON.parse(data);
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('the event stream ended');
        buffer += value;
      }
    },
  };
}
