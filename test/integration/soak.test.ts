/**
 * The soak: thousands of random SuperTokens writes, as core makes them (sign-ups of every recipe,
 * metadata, roles granted and revoked, a role's permissions, id mappings, verification, activity,
 * linking and unlinking, tenants joined and left, deletes), from several writers at once, against
 * two instances whose change listeners are killed again and again. Afterwards each instance must
 * serve every user exactly as an instance loaded fresh from the view does, field by field, and
 * serve no deleted user. Prints what it did.
 *
 * Trimmed in `npm test`; `npm run soak` runs it in full. Knobs (the test's own): SOAK_WRITES
 * (default 600), SOAK_WRITERS (4), SOAK_KILL_EVERY_MS (300), SOAK_SEED.
 */
import { sql, type Kysely } from 'kysely';
import { describe, expect } from 'vitest';
import {
  addUserRole,
  addUserToTenant,
  createApp,
  createRole,
  createUserIdMapping,
  deleteRecipeUser,
  linkAccounts,
  makePrimaryUser,
  removeUserFromTenant,
  setLastActive,
  setUserMetadata,
  signUpEmailPassword,
  signUpPasswordless,
  signUpThirdParty,
  signUpWebAuthn,
  unlinkAccounts,
  verifyEmail,
} from '../../supertokens-standin/writes.ts';
import { seededRandom } from '../../supertokens-standin/random.ts';
import { test } from '../support/fixtures.ts';
import { USER_FIELDS } from '../support/scenario.ts';
import { READER_KEY, WITHOUT_CHANGE_FEED, type TestServer } from '../support/server.ts';
import { sleepUntil } from '../support/wait.ts';

const knobs = process.env; // the test's own knobs, not the service's config
const WRITES = Number(knobs.SOAK_WRITES ?? 600);
const WRITERS = Number(knobs.SOAK_WRITERS ?? 4);
const KILL_EVERY_MS = Number(knobs.SOAK_KILL_EVERY_MS ?? 300);
const SEED = Number(knobs.SOAK_SEED ?? 20_261_130);

const TENANTS = ['public', 't1', 't2'];
const ROLES = ['viewer', 'editor', 'support', 'admin'];

/** What the writers know of the users they made: enough to aim most writes at something that exists. */
interface Known {
  readonly id: string;
  readonly email: string | null;
  external?: string;
  primary?: string;
}

class Model {
  readonly live: Known[] = [];
  readonly deleted = new Set<string>();
  private next = 0;
  constructor(readonly random: () => number) {}
  serial(): number {
    return ++this.next;
  }
  pick(): Known | undefined {
    return this.live[Math.floor(this.random() * this.live.length)];
  }
  /** The id metadata, roles and verification are filed under: the external one when mapped. */
  key(user: Known): string {
    return user.external ?? user.id;
  }
  oneOf<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)]!;
  }
}

type Write = (db: Kysely<any>, model: Model) => Promise<void>;

const WRITES_BY_KIND: Record<string, { weight: number; write: Write }> = {
  'sign-up, email and password': {
    weight: 4,
    write: async (db, m) => {
      const email = `soak${m.serial()}@example.com`;
      const id = await signUpEmailPassword(db, { email, tenantId: m.oneOf(TENANTS) });
      m.live.push({ id, email });
    },
  },
  'sign-up, third party': {
    weight: 2,
    write: async (db, m) => {
      const n = m.serial();
      const email = `soak${n}@example.com`;
      const id = await signUpThirdParty(db, { email, thirdPartyId: m.oneOf(['google', 'github']), thirdPartyUserId: `tp-${n}`, tenantId: m.oneOf(TENANTS) });
      m.live.push({ id, email });
    },
  },
  'sign-up, passwordless': {
    weight: 2,
    write: async (db, m) => {
      const n = m.serial();
      const phoneOnly = m.random() < 0.4;
      const email = phoneOnly ? null : `soak${n}@example.com`;
      const id = await signUpPasswordless(db, { email, phoneNumber: phoneOnly ? `+1555${String(n).padStart(7, '0')}` : null, tenantId: m.oneOf(TENANTS) });
      m.live.push({ id, email });
    },
  },
  'sign-up, passkey (WebAuthn)': {
    weight: 1,
    write: async (db, m) => {
      const email = `soak${m.serial()}@example.com`;
      const id = await signUpWebAuthn(db, { email, tenantId: m.oneOf(TENANTS) });
      m.live.push({ id, email });
    },
  },
  metadata: {
    weight: 5,
    write: async (db, m) => {
      const user = m.pick();
      if (user) await setUserMetadata(db, m.key(user), { n: m.serial(), plan: m.oneOf(['free', 'pro']) });
    },
  },
  'role granted': {
    weight: 3,
    write: async (db, m) => {
      const user = m.pick();
      if (user) await addUserRole(db, m.key(user), m.oneOf(ROLES), m.oneOf(TENANTS));
    },
  },
  'role revoked': {
    weight: 1,
    write: async (db, m) => {
      const user = m.pick();
      if (user) await sql`DELETE FROM user_roles WHERE app_id = 'public' AND user_id = ${m.key(user)} AND role = ${m.oneOf(ROLES)}`.execute(db);
    },
  },
  "a role's permissions": {
    weight: 0.3,
    write: async (db, m) => {
      await createRole(db, m.oneOf(ROLES), [`perm:${m.serial() % 5}`]);
    },
  },
  'id mapping': {
    weight: 1,
    write: async (db, m) => {
      const user = m.pick();
      if (!user || user.external) return;
      const external = `ext-soak-${m.serial()}`;
      await createUserIdMapping(db, user.id, external);
      user.external = external;
    },
  },
  verification: {
    weight: 1,
    write: async (db, m) => {
      const user = m.pick();
      if (user?.email) await verifyEmail(db, m.key(user), user.email);
    },
  },
  activity: {
    weight: 2,
    write: async (db, m) => {
      const user = m.pick();
      if (user) await setLastActive(db, user.primary ?? user.id, 1_700_000_000_000 + m.serial());
    },
  },
  link: {
    weight: 1,
    write: async (db, m) => {
      const primary = m.pick();
      const recipe = m.pick();
      if (!primary || !recipe || primary === recipe || primary.primary || recipe.primary) return;
      await makePrimaryUser(db, primary.id);
      await linkAccounts(db, recipe.id, primary.id);
      recipe.primary = primary.id;
    },
  },
  unlink: {
    weight: 0.7,
    write: async (db, m) => {
      const linked = m.live.filter((user) => user.primary !== undefined);
      const recipe = linked.length ? m.oneOf(linked) : undefined;
      if (!recipe) return;
      await unlinkAccounts(db, recipe.id, recipe.primary!);
      recipe.primary = undefined;
    },
  },
  'tenant joined': {
    weight: 1,
    write: async (db, m) => {
      const user = m.pick();
      if (user) await addUserToTenant(db, user.id, m.oneOf(TENANTS));
    },
  },
  'tenant left': {
    weight: 1,
    write: async (db, m) => {
      const user = m.pick();
      if (user) await removeUserFromTenant(db, user.id, m.oneOf(TENANTS));
    },
  },
  delete: {
    weight: 1,
    write: async (db, m) => {
      const user = m.pick();
      if (!user) return;
      m.live.splice(m.live.indexOf(user), 1);
      await deleteRecipeUser(db, user.id);
      m.deleted.add(user.id);
    },
  },
};

function chooseKind(random: () => number): string {
  const entries = Object.entries(WRITES_BY_KIND);
  let roll = random() * entries.reduce((sum, [, kind]) => sum + kind.weight, 0);
  for (const [name, kind] of entries) {
    roll -= kind.weight;
    if (roll <= 0) return name;
  }
  return entries[0]![0];
}

/** Every user an instance serves, as a client sees it: id → the whole user, every field. */
async function servedUsers(server: TestServer): Promise<Map<string, string>> {
  const users = new Map<string, string>();
  let after: string | null = null;
  for (;;) {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${READER_KEY}` },
      body: JSON.stringify({
        query: `query ($after: String) { users(first: 500, after: $after) { pageInfo { hasNextPage endCursor } nodes { ${USER_FIELDS} } } }`,
        variables: { after },
      }),
    });
    const { data, errors } = (await response.json()) as { data?: any; errors?: unknown };
    if (errors) throw new Error(JSON.stringify(errors));
    for (const node of data.users.nodes) users.set(node.id, JSON.stringify(node));
    if (!data.users.pageInfo.hasNextPage) return users;
    after = data.users.pageInfo.endCursor;
  }
}

/** The ids whose user differs between what an instance serves and the truth (or that only one has). */
function divergent(served: Map<string, string>, truth: Map<string, string>): string[] {
  const ids = new Set([...served.keys(), ...truth.keys()]);
  return [...ids].filter((id) => served.get(id) !== truth.get(id));
}

async function userAnswer(server: TestServer, id: string): Promise<string> {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${READER_KEY}` },
    body: JSON.stringify({ query: 'query ($id: ID!) { user(id: $id) { id supertokensUserId loginMethods { supertokensUserId } } }', variables: { id } }),
  });
  return JSON.stringify(await response.json());
}

describe('the soak', () => {
  test(`${WRITES} random SuperTokens writes against two instances whose listeners are killed: both serve exactly the view`, async ({ database, startServer }) => {
    const { db } = database;
    await createApp(db, 'public', TENANTS);
    for (const role of ROLES) await createRole(db, role, [`${role}:read`]);
    const sync = { LISTENER_RECONNECT_MAX_MS: '200', LISTENER_GRACE_MS: '60000' };
    // One with the drift check at work under the writes (counters often, a full verification every 2 s), one without.
    const first = await startServer(database.url, { ...sync, DRIFT_CHECK_INTERVAL_MS: '500', DRIFT_FULL_CHECK_INTERVAL_MS: '2000' });
    const second = await startServer(database.url, { ...sync, DRIFT_CHECK_INTERVAL_MS: '0' });
    const instances = { first, second };

    const random = seededRandom(SEED);
    const model = new Model(random);
    const done: Record<string, number> = {};
    const refused: Record<string, number> = {};
    let writes = 0;
    const writers = Array.from({ length: WRITERS }, async () => {
      while (writes < WRITES) {
        writes++;
        const kind = chooseKind(random);
        try {
          await WRITES_BY_KIND[kind]!.write(db, model);
          done[kind] = (done[kind] ?? 0) + 1;
        } catch {
          // Two writers aimed at one user (a delete, a link) as two clients of core may: core refuses one.
          refused[kind] = (refused[kind] ?? 0) + 1;
        }
      }
    });
    let kills = 0;
    let writing = true;
    const killer = (async () => {
      while (writing) {
        await new Promise((resolve) => setTimeout(resolve, KILL_EVERY_MS));
        const { rows } = await sql<{ pid: number }>`
          SELECT pg_terminate_backend(pid) AS pid FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = 'usergraph-listener'
          ORDER BY random() LIMIT 1`.execute(db);
        kills += rows.length;
      }
    })();
    const started = performance.now();
    await Promise.all(writers);
    writing = false;
    await killer;
    const writeSeconds = (performance.now() - started) / 1000;

    // The truth: an instance loaded from the view now, with nothing else to do.
    const fresh = await startServer(database.url, WITHOUT_CHANGE_FEED);
    const truth = await servedUsers(fresh);
    const differences: Record<string, string[]> = {};
    for (const [name, instance] of Object.entries(instances)) {
      const listening = () => (instance.service.freshness!.status().listener as { listening: boolean }).listening;
      await sleepUntil(listening, 20_000, 50);
      await sleepUntil(async () => {
        await instance.service.freshness!.settled();
        differences[name] = divergent(await servedUsers(instance), truth);
        return differences[name]!.length === 0;
      }, 30_000, 200).catch(() => {});
    }

    const deletedAnswers: Record<string, number> = { first: 0, second: 0 };
    let deletedGone = 0;
    for (const id of model.deleted) {
      const expected = await userAnswer(fresh, id);
      if (JSON.parse(expected).data.user === null) deletedGone++;
      for (const [name, instance] of Object.entries(instances)) {
        if ((await userAnswer(instance, id)) !== expected) deletedAnswers[name]!++;
      }
    }

    const stats = Object.fromEntries(
      Object.entries(instances).map(([name, instance]) => {
        const s = instance.service.freshness!.stats;
        return [name, { reconnects: s.listenerReconnects, reloads: s.reloads, notices: s.noticesReceived, driftChecks: s.driftChecks, verifications: s.fullChecks, repairs: s.driftRepairs }];
      }),
    );
    console.log(
      JSON.stringify(
        {
          soak: { writes: WRITES, writers: WRITERS, seconds: Number(writeSeconds.toFixed(1)), listenerKills: kills, seed: SEED },
          done,
          refused,
          usersCompared: truth.size,
          deletedRecipeUsers: model.deleted.size,
          deletedUsersGone: deletedGone,
          divergentUsers: Object.fromEntries(Object.entries(differences).map(([name, ids]) => [name, ids.length])),
          deletedServedOtherwise: deletedAnswers,
          instances: stats,
        },
        null,
        1,
      ),
    );
    expect(differences).toEqual({ first: [], second: [] });
    expect(deletedAnswers).toEqual({ first: 0, second: 0 });
    expect(truth.size).toBeGreaterThan(0);
    expect(model.deleted.size).toBeGreaterThan(0);
    expect(kills).toBeGreaterThan(0);
  }, 600_000);
});
