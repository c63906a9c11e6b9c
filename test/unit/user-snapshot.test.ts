/**
 * UserSnapshot: a plain data structure, tested without a database. Orders are checked against a
 * reference written out here: newest first, id descending on ties.
 */
import { describe, expect, it } from 'vitest';
import type { User } from '../../src/directory/user.ts';
import { UserSnapshot } from '../../src/directory/user-snapshot.ts';
import { seededRandom as random } from '../../supertokens-standin/random.ts';
import { domainUser } from '../support/domain.ts';

function user(id: string, timeJoined: number, overrides: Partial<User> = {}): User {
  return domainUser(id, timeJoined, overrides);
}

/** The listing order, spelled out independently of the code under test. */
function referenceOrder(users: readonly User[]): string[] {
  return [...users]
    .sort((a, b) => b.timeJoined - a.timeJoined || (a.id > b.id ? -1 : a.id < b.id ? 1 : 0))
    .map((u) => u.id);
}

const ids = (users: readonly User[]) => users.map((u) => u.id);

/** Every id in listing order. */
const listed = (snapshot: UserSnapshot) => ids(snapshot.listUsers({ first: Number.MAX_SAFE_INTEGER }).users);

// Newest first: e (300), then d and c tie at 200 (d > c), then b (100), then a (50).
const a = user('a', 50, { roles: ['admin'] });
const b = user('b', 100, { roles: ['viewer'] });
const c = user('c', 200, { roles: ['admin', 'viewer'] });
const d = user('d', 200);
const e = user('e', 300, { roles: ['admin'] });

describe('UserSnapshot', () => {
  it('lists newest first, with id descending between users who joined at the same time', () => {
    const snapshot = UserSnapshot.fromUsers([a, c, e, b, d]);

    expect(listed(snapshot)).toEqual(['e', 'd', 'c', 'b', 'a']);
    expect(snapshot.size).toBe(5);
  });

  describe('listUsers', () => {
    const snapshot = UserSnapshot.fromUsers([a, b, c, d, e]);

    it('returns the first page', () => {
      expect(snapshot.listUsers({ first: 2 })).toEqual({
        users: [e, d],
        totalCount: 5,
        hasNextPage: true,
        hasPreviousPage: false,
      });
    });

    it('continues after a cursor', () => {
      expect(snapshot.listUsers({ first: 2, after: { timeJoined: d.timeJoined, id: d.id } })).toEqual({
        users: [c, b],
        totalCount: 5,
        hasNextPage: true,
        hasPreviousPage: true,
      });
    });

    it('ends on the last page', () => {
      expect(snapshot.listUsers({ first: 2, after: { timeJoined: b.timeJoined, id: b.id } })).toEqual({
        users: [a],
        totalCount: 5,
        hasNextPage: false,
        hasPreviousPage: true,
      });
    });

    it('has no next page when the page ends exactly at the last user', () => {
      expect(snapshot.listUsers({ first: 5 })).toEqual({
        users: [e, d, c, b, a],
        totalCount: 5,
        hasNextPage: false,
        hasPreviousPage: false,
      });
    });

    it('lists only the holders of a role, and counts only them', () => {
      expect(snapshot.listUsers({ first: 2, role: 'admin' })).toEqual({
        users: [e, c],
        totalCount: 3,
        hasNextPage: true,
        hasPreviousPage: false,
      });
      expect(snapshot.listUsers({ first: 2, role: 'admin', after: { timeJoined: c.timeJoined, id: c.id } })).toEqual({
        users: [a],
        totalCount: 3,
        hasNextPage: false,
        hasPreviousPage: true,
      });
    });

    it('returns an empty page for a role nobody holds', () => {
      expect(snapshot.listUsers({ first: 10, role: 'owner' })).toEqual({
        users: [],
        totalCount: 0,
        hasNextPage: false,
        hasPreviousPage: false,
      });
    });

    it('continues at the right place after a cursor whose user was deleted', () => {
      const firstPage = snapshot.listUsers({ first: 2 });
      const last = firstPage.users.at(-1)!;
      const afterDelete = snapshot.withChanges({ upserts: [], deletedIds: [last.id] });

      expect(afterDelete.listUsers({ first: 2, after: { timeJoined: last.timeJoined, id: last.id } })).toEqual({
        users: [c, b],
        totalCount: 4,
        hasNextPage: true,
        hasPreviousPage: true,
      });
    });
  });

  describe('getByEmail', () => {
    const older = user('older', 100, { email: 'shared@example.com' });
    const newer = user('newer', 200, { email: 'Shared@Example.com' });
    const snapshot = UserSnapshot.fromUsers([newer, older, a]);

    it('returns every holder of an email, oldest first', () => {
      expect(snapshot.getByEmail('shared@example.com')).toEqual([older, newer]);
    });

    it('ignores case and surrounding spaces', () => {
      expect(snapshot.getByEmail('  SHARED@example.COM ')).toEqual([older, newer]);
    });

    it('returns [] for an unknown email', () => {
      expect(snapshot.getByEmail('nobody@example.com')).toEqual([]);
    });
  });

  describe('withChanges', () => {
    const snapshot = UserSnapshot.fromUsers([a, b, c, d, e]);

    it('adds a new user in its place', () => {
      const f = user('f', 150);
      const next = snapshot.withChanges({ upserts: [f], deletedIds: [] });

      expect(listed(next)).toEqual(['e', 'd', 'c', 'f', 'b', 'a']);
      expect(next.userNamedBy('f')).toBe(f);
      expect(next.getByEmail('f@example.com')).toEqual([f]);
    });

    it('moves a user whose timeJoined changed', () => {
      const newestA = user('a', 400, { roles: ['admin'] });
      const next = snapshot.withChanges({ upserts: [newestA], deletedIds: [] });

      expect(listed(next)).toEqual(['a', 'e', 'd', 'c', 'b']);
      expect(next.userNamedBy('a')).toBe(newestA);
      expect(next.size).toBe(5);
    });

    it('replaces a user everywhere it is indexed', () => {
      const renamed = user('b', 100, { email: 'b.new@example.com', roles: ['admin'] });
      const next = snapshot.withChanges({ upserts: [renamed], deletedIds: [] });

      expect(next.getByEmail('b@example.com')).toEqual([]);
      expect(next.getByEmail('b.new@example.com')).toEqual([renamed]);
      expect(ids(next.listUsers({ first: 10, role: 'admin' }).users)).toEqual(['e', 'c', 'b', 'a']);
      expect(ids(next.listUsers({ first: 10, role: 'viewer' }).users)).toEqual(['c']);
    });

    it('deletes a user from every index', () => {
      const next = snapshot.withChanges({ upserts: [], deletedIds: ['c'] });

      expect(listed(next)).toEqual(['e', 'd', 'b', 'a']);
      expect(next.userNamedBy('c')).toBeUndefined();
      expect(next.getByEmail('c@example.com')).toEqual([]);
      expect(ids(next.listUsers({ first: 10, role: 'admin' }).users)).toEqual(['e', 'a']);
      expect(next.size).toBe(4);
    });

    it('returns the same snapshot when there is nothing to change', () => {
      expect(snapshot.withChanges({ upserts: [], deletedIds: [] })).toBe(snapshot);
    });

    it('leaves the snapshot it was called on unchanged', () => {
      const before = UserSnapshot.fromUsers([a, b, c, d, e]);
      before.listUsers({ first: 1, role: 'admin' }); // build the lazy role index first

      before.withChanges({ upserts: [user('f', 150), user('a', 400)], deletedIds: ['c'] });

      expect(listed(before)).toEqual(['e', 'd', 'c', 'b', 'a']);
      expect(before.size).toBe(5);
      expect(before.userNamedBy('a')).toBe(a);
      expect(before.userNamedBy('c')).toBe(c);
      expect(before.userNamedBy('f')).toBeUndefined();
      expect(ids(before.listUsers({ first: 10, role: 'admin' }).users)).toEqual(['e', 'c', 'a']);
    });

    it('keeps only the last version of a user upserted twice in one change set', () => {
      const first = user('b', 120);
      const second = user('b', 250);
      const next = snapshot.withChanges({ upserts: [first, second], deletedIds: [] });

      expect(next.userNamedBy('b')).toBe(second);
      expect(listed(next)).toEqual(['e', 'b', 'd', 'c', 'a']);
      expect(next.listUsers({ first: 10 }).totalCount).toBe(next.size);
    });

    it.each([
      ['small change sets (spliced in place)', 40],
      ['change sets larger than 256 (re-sorted)', 400],
    ])('keeps the order right for %s', (_name, changesPerStep) => {
      const next = random(42);
      // Few distinct times, so that many users tie and the id decides.
      const randomUser = (id: string) => user(id, Math.floor(next() * 50));
      const initial = Array.from({ length: 300 }, (_, i) => randomUser(`u${i}`));
      const expected = new Map(initial.map((u) => [u.id, u]));
      let current = UserSnapshot.fromUsers(initial);

      for (let step = 0; step < 5; step++) {
        // Distinct ids within a step: about a third deleted (some of them unknown), the rest upserted.
        const stepIds = new Set<string>();
        while (stepIds.size < changesPerStep) stepIds.add(`u${Math.floor(next() * 600)}`);
        const upserts: User[] = [];
        const deletedIds: string[] = [];
        for (const id of stepIds) {
          if (next() < 0.3) deletedIds.push(id);
          else upserts.push(randomUser(id));
        }
        for (const id of deletedIds) expected.delete(id);
        for (const u of upserts) expected.set(u.id, u);

        current = current.withChanges({ upserts, deletedIds });

        expect(listed(current)).toEqual(referenceOrder([...expected.values()]));
        expect(current.size).toBe(expected.size);
      }
    });
  });
});

describe('UserSnapshot with linked accounts, external ids and tenants', () => {
  /** A login method of `userId`'s own. */
  const own = (u: User) => u.loginMethods[0]!;
  /** `primary` with `linked`'s login methods added to its own. */
  const linkedUser = (primary: User, ...linked: User[]): User => ({
    ...primary,
    isPrimaryUser: true,
    loginMethods: [own(primary), ...linked.map(own)],
    emails: [...new Set([primary, ...linked].flatMap((u) => u.emails))].sort(),
    version: `${primary.version}+`,
  });

  const p = user('p', 100);
  const r = user('r', 50, { email: 'r@other.example' });
  const mapped = user('m', 300, { id: 'ext-m' });

  it('finds a user by its id, its SuperTokens id, and the ids of its login methods', () => {
    const snapshot = UserSnapshot.fromUsers([linkedUser(p, r), mapped]);

    expect(snapshot.userNamedBy('p')?.supertokensUserId).toBe('p');
    expect(snapshot.userNamedBy('r')?.supertokensUserId).toBe('p');
    expect(snapshot.userNamedBy('ext-m')?.supertokensUserId).toBe('m');
    expect(snapshot.userNamedBy('m')?.supertokensUserId).toBe('m');
    expect(snapshot.usersNamedBy(['p', 'r', 'ext-m', 'nobody']).map((u) => u.supertokensUserId)).toEqual(['p', 'm']);
  });

  it('indexes every email of a user', () => {
    const snapshot = UserSnapshot.fromUsers([linkedUser(p, r)]);

    expect(ids(snapshot.getByEmail('R@other.example'))).toEqual(['p']);
    expect(ids(snapshot.getByEmail('p@example.com'))).toEqual(['p']);
  });

  it('drops the users a linked user absorbed when it is upserted', () => {
    const before = UserSnapshot.fromUsers([p, r, mapped]);

    const after = before.withChanges({ upserts: [linkedUser(p, r)], deletedIds: [] });

    expect(listed(after)).toEqual(['ext-m', 'p']);
    expect(after.userNamedBy('r')?.version).toBe('p+');
    expect(ids(after.getByEmail('r@other.example'))).toEqual(['p']);
  });

  it("keeps a user's key pointing at the user itself after an unlink, before its former primary is refreshed", () => {
    const before = UserSnapshot.fromUsers([linkedUser(p, r)]);

    const after = before.withChanges({ upserts: [r], deletedIds: [] });

    expect(after.userNamedBy('r')).toBe(r);
    expect(after.userNamedBy('p')?.supertokensUserId).toBe('p');
    expect(listed(after)).toEqual(['p', 'r']);
  });

  it('keeps one entry for a user whose external id appeared, found by both ids', () => {
    const plain = user('m', 300);
    const after = UserSnapshot.fromUsers([plain, p]).withChanges({ upserts: [mapped], deletedIds: [] });

    expect(after.size).toBe(2);
    expect(after.userNamedBy('m')).toBe(mapped);
    expect(after.userNamedBy('ext-m')).toBe(mapped);
  });

  it('deletes a user named by any of its ids', () => {
    const after = UserSnapshot.fromUsers([linkedUser(p, r), mapped]).withChanges({ upserts: [], deletedIds: ['r', 'ext-m'] });

    expect(after.size).toBe(0);
  });

  it('lists the members of a tenant, and the holders of a role in that tenant', () => {
    const inT1 = (u: User, rolesInT1: string[] = []): User => ({
      ...u,
      tenantIds: ['public', 't1'],
      roles: [...new Set([...u.roles, ...rolesInT1])].sort(),
      rolesByTenant: [...u.rolesByTenant, ...(rolesInT1.length > 0 ? [{ tenantId: 't1', roles: rolesInT1 }] : [])],
    });
    const a1 = inT1(user('a1', 10, { roles: ['admin'] }));
    const b1 = inT1(user('b1', 20), ['admin']);
    const c0 = user('c0', 30, { roles: ['admin'] });
    const snapshot = UserSnapshot.fromUsers([a1, b1, c0]);

    expect(snapshot.listUsers({ first: 10, tenantId: 't1' })).toMatchObject({ users: [b1, a1], totalCount: 2 });
    expect(snapshot.listUsers({ first: 10, tenantId: 't1', role: 'admin' })).toMatchObject({ users: [b1], totalCount: 1 });
    expect(snapshot.listUsers({ first: 10, tenantId: 'public', role: 'admin' })).toMatchObject({ users: [c0, a1], totalCount: 2 });
    expect(snapshot.listUsers({ first: 10, role: 'admin' })).toMatchObject({ users: [c0, b1, a1], totalCount: 3 });
    expect(snapshot.listUsers({ first: 1, tenantId: 't1', after: { timeJoined: b1.timeJoined, id: b1.id } })).toMatchObject({
      users: [a1],
      hasNextPage: false,
      hasPreviousPage: true,
    });
    expect(snapshot.listUsers({ first: 10, tenantId: 't9', role: 'admin' })).toMatchObject({ users: [], totalCount: 0 });
  });
});

describe('UserSnapshot.users(filter): the listing, walked one user at a time', () => {
  const inTenant = (u: User, tenantId: string, rolesThere: string[] = []): User => ({
    ...u,
    tenantIds: [...new Set([...u.tenantIds, tenantId])].sort(),
    rolesByTenant: rolesThere.length > 0 ? [...u.rolesByTenant, { tenantId, roles: rolesThere }] : u.rolesByTenant,
    roles: [...new Set([...u.roles, ...rolesThere])].sort(),
  });
  const rand = random(7);
  const everyone = Array.from({ length: 300 }, (_, i) => {
    const roles = rand() < 0.3 ? ['admin'] : rand() < 0.5 ? ['viewer'] : [];
    const base = user(`u${i}`, Math.floor(rand() * 50), { roles });
    return rand() < 0.4 ? inTenant(base, 't1', rand() < 0.5 ? ['editor'] : []) : base;
  });
  const snapshot = UserSnapshot.fromUsers(everyone);

  it.each([
    [{}],
    [{ role: 'admin' }],
    [{ tenantId: 't1' }],
    [{ tenantId: 't1', role: 'editor' }],
    [{ tenantId: 'public', role: 'editor' }],
    [{ role: 'nobody' }],
    [{ tenantId: 'nowhere' }],
  ])('yields exactly what listUsers pages through, in the same order, for %j', (filter) => {
    const paged: string[] = [];
    let after: { timeJoined: number; id: string } | undefined;
    for (;;) {
      const page = snapshot.listUsers({ ...filter, first: 7, after });
      paged.push(...ids(page.users));
      if (!page.hasNextPage) break;
      const last = page.users.at(-1)!;
      after = { timeJoined: last.timeJoined, id: last.id };
    }
    expect(ids([...snapshot.users(filter)])).toEqual(paged);
    expect(paged.length).toBe(snapshot.listUsers({ ...filter, first: 0 }).totalCount);
  });

  it('is lazy: taking the first users does not walk the rest', () => {
    const walked = snapshot.users({ role: 'admin' });
    const first = walked.next();
    expect(first.done).toBe(false);
    expect(first.value).toBe(snapshot.listUsers({ role: 'admin', first: 1 }).users[0]);
  });
});

describe('UserSnapshot changes that hold the base’s own objects', () => {
  // A reload keeps the users it finds unchanged, so a change replayed on it may upsert the very
  // object the base holds: removing it afterwards must remove it everywhere.
  it('removes a user upserted as the same object the base holds', async () => {
    const snapshot = await UserSnapshot.build([a, b, c], new Date(0));
    const upserted = snapshot.withChanges({ upserts: [a], deletedIds: [] });
    expect(listed(upserted).sort()).toEqual(['a', 'b', 'c']);
    const removed = upserted.withChanges({ upserts: [], deletedIds: ['a'] });
    expect(listed(removed).sort()).toEqual(['b', 'c']);
    expect(removed.size).toBe(2);
    expect(ids(removed.listUsers({ first: 10, role: 'admin' }).users)).toEqual(['c']);
    expect(removed.userNamedBy('a')).toBeUndefined();
  });

  it('removes, brings back and removes again the same object', async () => {
    const snapshot = await UserSnapshot.build([a, b], new Date(0));
    const back = snapshot.withChanges({ upserts: [], deletedIds: ['a'] }).withChanges({ upserts: [a], deletedIds: [] });
    expect(listed(back).sort()).toEqual(['a', 'b']);
    expect(listed(back.withChanges({ upserts: [], deletedIds: ['a'] }))).toEqual(['b']);
  });
});
