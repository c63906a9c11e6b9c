/**
 * BaseIndex: the build that claims ids with one write each (the one loads use) against the one
 * that claims them one user at a time, on consistent users and on what a consistent database
 * never holds (a user given twice, ids that collide), where the first must fall back on the second.
 */
import { describe, expect, it } from 'vitest';
import { BaseIndex, segmentRun } from '../../src/directory/base-index.ts';
import type { User } from '../../src/directory/user.ts';
import { seededRandom } from '../../supertokens-standin/random.ts';
import { domainUser, plainUser } from '../support/domain.ts';
import { randomUser } from '../support/random-users.ts';

/** Everything a build decides, with users named by their position in `given` (so that identity counts, not equality). */
function describeIndex(index: BaseIndex, given: readonly User[]) {
  const named = (user: User) => {
    const at = given.indexOf(user);
    expect(at).toBeGreaterThanOrEqual(0);
    return at;
  };
  const pool = (name: string) => {
    const found = name === '' ? index.everyone : index.groups.get(name)!;
    const segments = (['joined', 'active', 'inactive', 'email', 'noEmail'] as const).map((segment) => {
      const { positions, start, end } = segmentRun(found, segment);
      return Array.from({ length: end - start }, (_, i) => (positions ? positions[start + i]! : start + i));
    });
    return { size: found.size, shared: found === index.everyone, segments };
  };
  return {
    users: index.users.map(named),
    byKey: [...index.byKey].map(([key, user]) => [key, named(user)] as const).sort(([a], [b]) => (a < b ? -1 : 1)),
    byEmail: [...index.byEmail]
      .map(([email, held]) => [email, Array.isArray(held) ? held.map(named) : named(held as User)] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
    everyone: pool(''),
    groups: Object.fromEntries([...index.groups.keys()].sort().map((name) => [name, pool(name)])),
  };
}

const consistentUsers = (count: number, seed: number) => {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, n) => randomUser(random, n + 1));
};

const same = (given: readonly User[]) => expect(describeIndex(BaseIndex.of(given), given)).toEqual(describeIndex(BaseIndex.ofOneByOne(given), given));

describe('BaseIndex, ids claimed at once and one by one', () => {
  it('builds the same index from consistent users, linked and external ids included', () => {
    for (const seed of [1, 2, 3]) same(consistentUsers(3_000, seed));
  });

  it('keeps the last version of a user given twice, as one by one does', () => {
    const users = consistentUsers(500, 4);
    const again = users.slice(100, 140).map((user, i) => ({ ...plainUser(user), timeJoined: user.timeJoined + (i % 3) * 5, version: `${user.version}+` }));
    const given = [...users.slice(0, 300), ...again, ...users.slice(300)];
    same(given);
    const index = BaseIndex.of(given);
    expect(index.users).toHaveLength(500);
    for (const user of again) expect(index.byKey.get(user.supertokensUserId)).toBe(user);
  });

  it('gives an id that only login methods name to the oldest user naming it', () => {
    const naming = (id: string, timeJoined: number) =>
      domainUser(id, timeJoined, { loginMethods: [...domainUser(id, timeJoined).loginMethods, domainUser('lost', 5).loginMethods[0]!] });
    const [older, newer] = [naming('m1', 10), naming('m2', 20)];
    const given = [...consistentUsers(200, 5), newer, older];
    same(given);
    expect(BaseIndex.of(given).byKey.get('lost')).toBe(older);
  });

  it("gives an id its owner when another user's login method names it too, and the newest owner when two own it", () => {
    const owner = domainUser('shared', 100);
    const namer = domainUser('namer', 200, {
      loginMethods: [domainUser('namer', 200).loginMethods[0]!, domainUser('shared', 150).loginMethods[0]!],
    });
    const older = domainUser('st-old', 50, { id: 'ext-x' });
    const newer = domainUser('st-new', 300, { id: 'ext-x' });
    for (const given of [[...consistentUsers(200, 5), owner, namer], [...consistentUsers(200, 5), older, newer]]) same(given);
    expect(BaseIndex.of([namer, owner]).byKey.get('shared')).toBe(owner);
    expect(BaseIndex.of([older, newer]).byKey.get('ext-x')).toBe(newer);
  });

  it('lists newest first, id descending on ties, whatever order the users come in', () => {
    const given = consistentUsers(2_000, 6);
    const expected = [...given].sort((a, b) => b.timeJoined - a.timeJoined || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    expect(BaseIndex.of(given).users).toEqual(expected);
    expect(BaseIndex.of([...given].reverse()).users).toEqual(expected);
  });

  it('lists and orders by activity as a comparison sort does, on ties, on times far apart and on times no database gives', () => {
    const random = seededRandom(7);
    const base = consistentUsers(3_000, 7);
    const withTimes = (times: (n: number) => number) =>
      base.map((user, n) => ({ ...plainUser(user), timeJoined: times(n), lastActive: n % 4 === 0 ? null : times(3_000 - n) }));
    const byIdDescending = (a: User, b: User) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
    for (const given of [
      withTimes(() => Math.floor(random() * 5)), // most users share their millisecond with others
      withTimes((n) => Math.floor(n / 2)), // two users in each millisecond
      withTimes(() => 1_700_000_000_000), // every user in one millisecond
      withTimes((n) => (n % 2 === 0 ? 0 : 8.64e15 - n)), // the oldest and newest times a user can have
      withTimes((n) => Math.floor(random() * 2 ** 40) + (n % 3 === 0 ? 0.5 : 0)), // not whole: the comparison sort's path
      withTimes((n) => (n === 17 ? -1 : n)), // negative: the same
    ]) {
      const index = BaseIndex.of(given);
      expect(index.users).toEqual([...given].sort((a, b) => b.timeJoined - a.timeJoined || byIdDescending(a, b)));
      const { positions, start, end } = segmentRun(index.everyone, 'active');
      const active = Array.from(positions!.subarray(start, end), (position) => index.users[position]!);
      const expectedActive = given.filter((user) => user.lastActive !== null).sort((a, b) => b.lastActive! - a.lastActive! || byIdDescending(a, b));
      expect(active).toEqual(expectedActive);
    }
  });
});
