/**
 * The directory's reload contract, driven step by step: the source is a hand-paced stream of
 * domain users (what the repository yields), so each interleaving is exact rather than lucky.
 */
import { describe, expect, it } from 'vitest';
import { DirectoryUser, NO_GRANTS, type RoleGrants } from '../../src/directory/directory-user.ts';
import type { User } from '../../src/directory/user.ts';
import { UserDirectory } from '../../src/directory/user-directory.ts';
import { createLogger } from '../../src/logger.ts';
import { domainUser, plainUser } from '../support/domain.ts';

function user(id: string, timeJoined = 1_000): User {
  return domainUser(id, timeJoined);
}

/** A source whose every load yields `batches`, pausing before the last one until released. */
function pacedSource(batches: User[][]) {
  let loads = 0;
  let release!: () => void;
  let fail: Error | undefined;
  let gate = new Promise<void>((resolve) => (release = resolve));
  return {
    get loads() {
      return loads;
    },
    release: () => release(),
    failNextLoad: (error: Error) => (fail = error),
    rearm: () => (gate = new Promise<void>((resolve) => (release = resolve))),
    source: async function* () {
      loads++;
      for (const [i, batch] of batches.entries()) {
        if (i === batches.length - 1) await gate;
        if (fail) {
          const error = fail;
          fail = undefined;
          throw error;
        }
        yield batch;
      }
    },
  };
}

const logger = createLogger('silent');

describe('UserDirectory.reload', () => {
  it('serves the old snapshot until the new one is complete, then swaps it in whole', async () => {
    const paced = pacedSource([[user('a'), user('b')], [user('c')]]);
    const directory = new UserDirectory(paced.source, { absentTtlMs: 0, logger });
    expect(directory.isLoaded).toBe(false);

    const first = directory.reload();
    await new Promise((resolve) => setTimeout(resolve, 20)); // the first batch is in, the last is not
    expect(directory.snapshot.size).toBe(0); // half-loaded batches are never visible
    paced.release();
    expect((await first).count).toBe(3);
    expect(directory.isLoaded).toBe(true);
    expect(directory.snapshot.size).toBe(3);
  });

  it('shares one load between concurrent calls', async () => {
    const paced = pacedSource([[user('a')], [user('b')]]);
    const directory = new UserDirectory(paced.source, { absentTtlMs: 0, logger });
    const calls = [directory.reload(), directory.reload(), directory.reload()];
    paced.release();
    const results = await Promise.all(calls);
    expect(paced.loads).toBe(1);
    expect(results[1]).toBe(results[0]);
    expect(results[2]).toBe(results[0]);

    paced.rearm();
    const next = directory.reload();
    paced.release();
    await next;
    expect(paced.loads).toBe(2); // a later call starts a new load
  });

  it('keeps the previous snapshot when a load fails, and can reload afterwards', async () => {
    const paced = pacedSource([[user('a')], [user('b')]]);
    const directory = new UserDirectory(paced.source, { absentTtlMs: 0, logger });
    paced.release();
    await directory.reload();
    const before = directory.snapshot;

    paced.failNextLoad(new Error('connection lost'));
    await expect(directory.reload()).rejects.toThrow('connection lost');
    expect(directory.snapshot).toBe(before);
    expect(directory.isLoaded).toBe(true);

    await directory.reload();
    expect(directory.snapshot).not.toBe(before);
    expect(directory.snapshot.size).toBe(2);
  });

  it('replays changes applied during a load on top of the loaded snapshot', async () => {
    const paced = pacedSource([[user('a')], [user('b')]]);
    const directory = new UserDirectory(paced.source, { absentTtlMs: 0, logger });
    const load = directory.reload();
    directory.apply({ upserts: [user('late', 5_000)], deletedIds: ['a'] });
    paced.release();
    await load;
    expect(directory.snapshot.userNamedBy('late')).toEqual(user('late', 5_000));
    expect(directory.snapshot.userNamedBy('a')).toBeUndefined();
    expect(directory.snapshot.size).toBe(2);
  });

  it('forgets remembered absences when a found user is applied', () => {
    const directory = new UserDirectory(pacedSource([[]]).source, { absentTtlMs: 60_000, logger });
    directory.rememberAbsentId('x');
    directory.rememberAbsentEmail('X@Example.com');
    expect(directory.isKnownAbsentId('x')).toBe(true);
    expect(directory.isKnownAbsentEmail(' x@example.com ')).toBe(true);
    directory.apply({ upserts: [user('x')], deletedIds: [] });
    expect(directory.isKnownAbsentId('x')).toBe(false);
    expect(directory.isKnownAbsentEmail('x@example.com')).toBe(false);
  });
});

/** A directory user (the class the repository assembles) with one email-password login method. */
function held(n: number, changes: { email?: string | null; lastActive?: number | null; metadata?: Record<string, unknown>; roles?: string[] } = {}): User {
  const id = `user-${String(n).padStart(5, '0')}`;
  const roles = changes.roles ?? [];
  const grants: RoleGrants = roles.length === 0 ? NO_GRANTS : { roles, rolesByTenant: [{ tenantId: 'public', roles }], permissions: [], permissionsByTenant: [] };
  return DirectoryUser.single(
    {
      id,
      supertokensUserId: id,
      isPrimaryUser: false,
      email: changes.email === undefined ? `${id}@example.com` : changes.email,
      timeJoined: 1_600_000_000_000 + n * 1_000,
      lastActive: changes.lastActive === undefined ? null : changes.lastActive,
      tenantIds: ['public'],
      grants,
      metadata: changes.metadata ?? {},
    },
    { recipeId: 'emailpassword', phoneNumber: null, thirdParty: null, verified: n % 2 === 0 },
  );
}

/** Every user and every order of `directory`, as plain values. */
async function contents(directory: UserDirectory) {
  const { snapshot } = directory;
  const orders: string[][] = [];
  for (const orderBy of ORDERS) {
    await snapshot.prepare({ orderBy, first: 10_000 }); // the first load sorts some orders later
    orders.push(snapshot.listUsers({ orderBy, first: 10_000 }).users.map((user) => user.id));
  }
  return { users: [...snapshot.all()].map(plainUser), orders };
}

/** The population after a reload: some users changed, some gone, some new. */
function changedPopulation(count: number, seed: number): User[] {
  const users: User[] = [];
  for (let n = 0; n < count; n++) {
    const kind = (n * 7 + seed) % 23;
    if (kind === 0) continue; // deleted behind our back
    if (kind === 1) users.push(held(n, { email: `moved-${n}@example.com` }));
    else if (kind === 2) users.push(held(n, { lastActive: 1_700_000_000_000 + n }));
    else if (kind === 3) users.push(held(n, { metadata: { plan: 'pro', n } }));
    else if (kind === 4) users.push(held(n, { roles: ['admin'] }));
    else users.push(held(n));
  }
  for (let n = count; n < count + (seed % 5); n++) users.push(held(n)); // signed up behind our back
  return users;
}

const ORDERS = ['JOINED_DESC', 'JOINED_ASC', 'LAST_ACTIVE_DESC', 'LAST_ACTIVE_ASC', 'EMAIL_ASC', 'EMAIL_DESC'] as const;

describe('a reload by difference', () => {
  /** `keeping`: the source hands each user to `keep` as the repository does; otherwise the directory compares the batch itself. */
  const loadedFrom = (populations: User[][], keeping = false) => {
    let load = 0;
    return new UserDirectory(
      async function* (_pause, { keep }) {
        const users = populations[Math.min(load++, populations.length - 1)]!;
        yield keeping && keep ? users.map(keep) : users;
      },
      { absentTtlMs: 0, logger },
    );
  };

  it.each([false, true])('keeps every user it finds unchanged: the same objects (kept by the source: %s)', async (keeping) => {
    const directory = loadedFrom([Array.from({ length: 500 }, (_, n) => held(n)), Array.from({ length: 500 }, (_, n) => held(n))], keeping);
    await directory.reload();
    const before = [...directory.snapshot.all()];
    await directory.reload();
    const after = [...directory.snapshot.all()];
    expect(after).toHaveLength(500);
    after.forEach((user, i) => expect(user).toBe(before[i]));
  });

  it.each([1, 2, 3, 4].flatMap((seed) => [false, true].map((keeping) => [seed, keeping] as const)))(
    'ends where a whole load of the same users ends (variation %i, kept by the source: %s)',
    async (seed, keeping) => {
      const first = Array.from({ length: 2_000 }, (_, n) => held(n));
      const second = changedPopulation(2_000, seed);
      const byDifference = loadedFrom([first, second], keeping);
      await byDifference.reload();
      const kept = byDifference.snapshot.getBySupertokensId(held(5).supertokensUserId);
      await byDifference.reload();
      const whole = loadedFrom([second]);
      await whole.reload();
      expect(await contents(byDifference)).toEqual(await contents(whole));
      // What did not change is still the object that was held.
      const unchanged = second.find((user) => user.id === kept?.id && plainUser(user).email === kept?.email);
      if (unchanged) expect(byDifference.snapshot.getBySupertokensId(unchanged.supertokensUserId)).toBe(kept);
    },
  );

  it('finds a user deleted behind its back when another signed up: as many users, not the same', async () => {
    const directory = loadedFrom([Array.from({ length: 300 }, (_, n) => held(n)), [...Array.from({ length: 299 }, (_, n) => held(n + 1)), held(300)]], true);
    await directory.reload();
    await directory.reload();
    expect(directory.snapshot.size).toBe(300);
    expect(directory.snapshot.getBySupertokensId(held(0).supertokensUserId)).toBeUndefined();
    expect(directory.snapshot.getBySupertokensId(held(300).supertokensUserId)?.id).toBe(held(300).id);
  });

  it('builds a whole new snapshot when more changed than a compaction folds', async () => {
    // 1,500 changed: more than the 1,000 a compaction waits for.
    const directory = loadedFrom([Array.from({ length: 1_500 }, (_, n) => held(n)), Array.from({ length: 1_500 }, (_, n) => held(n, { lastActive: n }))]);
    await directory.reload();
    await directory.reload();
    const whole = loadedFrom([Array.from({ length: 1_500 }, (_, n) => held(n, { lastActive: n }))]);
    await whole.reload();
    expect(await contents(directory)).toEqual(await contents(whole));
    expect(directory.snapshot.changesSinceBuild).toBe(0);
  });

  it('replays changes applied while it read, on top of the difference', async () => {
    const paced = pacedSource([[held(1), held(2)], [held(3, { email: 'new@example.com' })]]);
    const directory = new UserDirectory(paced.source, { absentTtlMs: 0, logger });
    paced.release();
    await directory.reload();
    paced.rearm();
    const load = directory.reload();
    directory.apply({ upserts: [held(9)], deletedIds: [held(1).supertokensUserId] });
    paced.release();
    await load;
    expect([...directory.snapshot.all()].map((user) => user.id).sort()).toEqual([held(2).id, held(3).id, held(9).id]);
    expect(directory.snapshot.getBySupertokensId(held(3).supertokensUserId)?.email).toBe('new@example.com');
  });
});
