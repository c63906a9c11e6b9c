/**
 * users(...) in the directory: every filter, every order and their combinations, paged forwards
 * and backwards, against a plain filter-and-sort of the same users (test/support/listing-reference.ts).
 * On random users (with the matches kept, and with them walked: the two ways a snapshot answers a
 * tested filter), after random changes laid over the base, and across changes made between pages.
 */
import { describe, expect, it } from 'vitest';
import type { UserFilter } from '../../src/directory/user-filter.ts';
import type { UserOrder } from '../../src/directory/user-order.ts';
import { UserSnapshot, type UserPageQuery } from '../../src/directory/user-snapshot.ts';
import type { User } from '../../src/directory/user.ts';
import { seededRandom } from '../../supertokens-standin/random.ts';
import { domainUser } from '../support/domain.ts';
import { ORDERS, referenceList, referencePage, type Order, type Place, type ReferenceFilter } from '../support/listing-reference.ts';
import { randomFilter, randomUser } from '../support/random-users.ts';

const ids = (users: readonly User[]) => users.map((user) => user.id);

/** A page as plain data: what the reference gives. */
function page(snapshot: UserSnapshot, query: UserPageQuery) {
  const answer = snapshot.listUsers(query);
  return { ids: ids(answer.users), totalCount: answer.totalCount, hasNextPage: answer.hasNextPage, hasPreviousPage: answer.hasPreviousPage };
}

function expected(users: readonly User[], filter: ReferenceFilter, order: Order, window: { first?: number; after?: Place; last?: number; before?: Place }) {
  const answer = referencePage(referenceList(users, filter, order), order, window);
  return { ids: ids(answer.users), totalCount: answer.totalCount, hasNextPage: answer.hasNextPage, hasPreviousPage: answer.hasPreviousPage };
}

/** Every page forwards, then every page backwards, with random sizes, each checked; and the walks joined up. */
function checkEveryPage(snapshot: UserSnapshot, users: readonly User[], filter: ReferenceFilter, order: Order, random: () => number, label: string) {
  const all = ids(referenceList(users, filter, order));
  const forward: string[] = [];
  let after: User | undefined;
  for (let guard = 0; guard < 500; guard++) {
    const first = Math.floor(random() * 7);
    const got = page(snapshot, { ...(filter as UserFilter), orderBy: order as UserOrder, first, after });
    expect(got, `${label} first ${first} after ${after?.id}`).toEqual(expected(users, filter, order, { first, after }));
    forward.push(...got.ids);
    if (!got.hasNextPage) break;
    if (got.ids.length > 0) after = snapshot.listUsers({ ...(filter as UserFilter), orderBy: order as UserOrder, first, after }).users.at(-1);
  }
  expect(forward, `${label}: forward pages`).toEqual(all);

  const backward: string[][] = [];
  let before: User | undefined;
  for (let guard = 0; guard < 500; guard++) {
    const last = Math.floor(random() * 7);
    const answer = snapshot.listUsers({ ...(filter as UserFilter), orderBy: order as UserOrder, last, before });
    expect(page(snapshot, { ...(filter as UserFilter), orderBy: order as UserOrder, last, before }), `${label} last ${last} before ${before?.id}`).toEqual(
      expected(users, filter, order, { last, before }),
    );
    backward.unshift(ids(answer.users));
    if (!answer.hasPreviousPage) break;
    if (answer.users.length > 0) before = answer.users[0];
  }
  expect(backward.flat(), `${label}: backward pages`).toEqual(all);
  expect(ids([...snapshot.users({ ...(filter as UserFilter), orderBy: order as UserOrder })]), `${label}: users(filter)`).toEqual(all);
}

describe('users(...) on random users, against the reference', () => {
  const random = seededRandom(2024);
  const users = Array.from({ length: 300 }, (_, n) => randomUser(random, n));

  it.each([
    ['the matches kept (few)', {}],
    ['the matches walked (many: every tested filter walks its group)', { fewMatches: 0 }],
  ])('answers random filters in every order, every page both ways: %s', (_name, options) => {
    const snapshot = UserSnapshot.fromUsers(users, new Date(), options);
    for (let round = 0; round < 120; round++) {
      const filter = randomFilter(random) as ReferenceFilter;
      const order = ORDERS[round % ORDERS.length]!;
      checkEveryPage(snapshot, users, filter, order, random, `${JSON.stringify(filter)} ${order}`);
    }
  });

  it('pages between two cursors, and from cursors of users it does not list', () => {
    const snapshot = UserSnapshot.fromUsers(users);
    for (let round = 0; round < 300; round++) {
      const filter = randomFilter(random) as ReferenceFilter;
      const order = ORDERS[Math.floor(random() * ORDERS.length)]!;
      const after = random() < 0.7 ? users[Math.floor(random() * users.length)] : undefined;
      const before = random() < 0.7 ? users[Math.floor(random() * users.length)] : undefined;
      const size = Math.floor(random() * 8);
      const window = random() < 0.5 ? { first: size, after, before } : { last: size, after, before };
      expect(page(snapshot, { ...(filter as UserFilter), orderBy: order, ...window }), JSON.stringify({ filter, order, window })).toEqual(
        expected(users, filter, order, window),
      );
    }
  });

  it('counts every combination exactly', () => {
    const snapshot = UserSnapshot.fromUsers(users);
    for (let round = 0; round < 500; round++) {
      const filter = randomFilter(random) as ReferenceFilter;
      expect(snapshot.listUsers({ ...(filter as UserFilter), first: 0 }).totalCount, JSON.stringify(filter)).toBe(referenceList(users, filter, 'JOINED_DESC').length);
    }
  });
});

describe('users(...) over changes', () => {
  it('answers as the reference after random change sets laid over the base, pages both ways', () => {
    for (const options of [{}, { fewMatches: 0 }]) {
      const random = seededRandom(99);
      let next = 0;
      const live = new Map<string, User>();
      for (let i = 0; i < 120; i++) {
        const user = randomUser(random, next++);
        live.set(user.supertokensUserId, user);
      }
      let snapshot = UserSnapshot.fromUsers(live.values(), new Date(), options);
      for (let step = 0; step < 25; step++) {
        const upserts: User[] = [];
        const deletedIds: string[] = [];
        for (let k = 1 + Math.floor(random() * 8); k > 0; k--) {
          const existing = [...live.keys()];
          const roll = random();
          if (roll < 0.3) upserts.push(randomUser(random, next++));
          else if (roll < 0.75) upserts.push(randomUser(random, Number(existing[Math.floor(random() * existing.length)]!.slice(1))));
          else deletedIds.push(existing[Math.floor(random() * existing.length)]!);
        }
        snapshot = snapshot.withChanges({ upserts, deletedIds });
        for (const id of deletedIds) live.delete(id);
        for (const user of upserts) live.set(user.supertokensUserId, user);
        const users = [...live.values()];
        for (let round = 0; round < 6; round++) {
          const filter = randomFilter(random) as ReferenceFilter;
          checkEveryPage(snapshot, users, filter, ORDERS[(step + round) % ORDERS.length]!, random, `step ${step} ${JSON.stringify(filter)}`);
        }
      }
      expect(snapshot.changesSinceBuild).toBeGreaterThan(50);
    }
  });

  it('continues from a cursor after the users changed between pages: a cursor is a position', () => {
    const random = seededRandom(5);
    for (let round = 0; round < 150; round++) {
      let next = 0;
      const before = Array.from({ length: 60 }, () => randomUser(random, next++));
      const snapshot = UserSnapshot.fromUsers(before, new Date(), round % 2 === 0 ? {} : { fewMatches: 0 });
      const filter = randomFilter(random) as ReferenceFilter;
      const order = ORDERS[round % ORDERS.length]!;
      const backwards = round % 3 === 0;
      const size = 1 + Math.floor(random() * 5);
      const firstPage = snapshot.listUsers({ ...(filter as UserFilter), orderBy: order, ...(backwards ? { last: size } : { first: size }) });
      const cursor = backwards ? firstPage.users[0] : firstPage.users.at(-1);
      if (!cursor) continue;

      // Change the cursor's user too (deleted, or moved), and others around it.
      const live = new Map(before.map((user) => [user.supertokensUserId, user]));
      const upserts: User[] = [];
      const deletedIds: string[] = [];
      if (random() < 0.5) deletedIds.push(cursor.supertokensUserId);
      else upserts.push(randomUser(random, Number(cursor.supertokensUserId.slice(1))));
      for (let k = 0; k < 10; k++) {
        const roll = random();
        if (roll < 0.4) upserts.push(randomUser(random, next++));
        else if (roll < 0.8) upserts.push(randomUser(random, Math.floor(random() * 60)));
        else deletedIds.push(`u${Math.floor(random() * 60)}`);
      }
      const changed = snapshot.withChanges({ upserts, deletedIds });
      for (const id of deletedIds) live.delete(id);
      for (const user of upserts) live.set(user.supertokensUserId, user);

      const window = backwards ? { last: size, before: cursor } : { first: size, after: cursor };
      expect(page(changed, { ...(filter as UserFilter), orderBy: order, ...window }), JSON.stringify({ filter, order, window: backwards ? 'last' : 'first' })).toEqual(
        expected([...live.values()], filter, order, window),
      );
    }
  });
});

describe('what a snapshot remembers of a filter (its count, its few matches, where matches begin and end)', () => {
  const FILTERS: ReferenceFilter[] = [
    { search: 'ada' },
    { search: 'example' },
    { metadata: [{ path: ['plan'], equals: 'pro' }] },
    { verified: false, tenantId: 't1' },
    { permission: 'users:read' },
    { neverActive: true },
    { joinedAfter: 1_200 },
    { role: 'editor', tenantId: 't2' },
    { isPrimaryUser: true, recipeId: 'thirdparty' },
    { search: 'nobody-at-all' },
  ];

  it.each([
    ['kept', {}],
    ['walked', { fewMatches: 0 }],
    ['kept until they grow past 40', { fewMatches: 40 }],
  ])('is inherited by the snapshots changes make, with the changes applied (matches %s)', (_name, options) => {
    const random = seededRandom(31);
    let next = 0;
    const live = new Map<string, User>();
    for (let i = 0; i < 150; i++) {
      const user = randomUser(random, next++);
      live.set(user.supertokensUserId, user);
    }
    let snapshot = UserSnapshot.fromUsers(live.values(), new Date(), options);
    for (let step = 0; step < 40; step++) {
      const users = [...live.values()];
      // Every filter asked on every snapshot, so that each inherits what the one before found.
      for (const [i, filter] of FILTERS.entries()) {
        const order = ORDERS[(step + i) % ORDERS.length]!;
        for (const window of [{ first: 3 }, { last: 3 }, { first: 2, after: users[(step * 7) % users.length] }]) {
          expect(page(snapshot, { ...(filter as UserFilter), orderBy: order, ...window }), `step ${step} ${JSON.stringify(filter)} ${order}`).toEqual(
            expected(users, filter, order, window),
          );
        }
      }
      const upserts: User[] = [];
      const deletedIds: string[] = [];
      for (let k = 1 + Math.floor(random() * 6); k > 0; k--) {
        const existing = [...live.keys()];
        const roll = random();
        if (roll < 0.35) upserts.push(randomUser(random, next++));
        else if (roll < 0.75) upserts.push(randomUser(random, Number(existing[Math.floor(random() * existing.length)]!.slice(1))));
        else deletedIds.push(existing[Math.floor(random() * existing.length)]!);
      }
      snapshot = snapshot.withChanges({ upserts, deletedIds });
      for (const id of deletedIds) live.delete(id);
      for (const user of upserts) live.set(user.supertokensUserId, user);
    }
  });

  it('is found in steps by prepare, which lets other work run, and then pages answer at once', async () => {
    const random = seededRandom(8);
    const users = Array.from({ length: 40_000 }, (_, n) => randomUser(random, n));
    const snapshot = UserSnapshot.fromUsers(users, new Date(), { fewMatches: 100 });
    const query = { search: 'example', orderBy: 'EMAIL_DESC' as const };
    expect(snapshot.prepare({ role: 'admin' })).toBeUndefined(); // a group decides it: nothing to pass over

    let ranMeanwhile = 0;
    const other = setInterval(() => ranMeanwhile++, 0);
    const preparing = snapshot.prepare(query);
    expect(preparing).toBeInstanceOf(Promise);
    expect(snapshot.prepare(query)).toBe(preparing); // one pass for every request waiting for it
    await preparing;
    clearInterval(other);
    expect(ranMeanwhile).toBeGreaterThan(0);
    expect(snapshot.prepare(query)).toBeUndefined();
    expect(page(snapshot, { ...query, last: 5 })).toEqual(expected(users, query, 'EMAIL_DESC', { last: 5 }));
    expect(page(snapshot, { ...query, first: 5 })).toEqual(expected(users, query, 'EMAIL_DESC', { first: 5 }));

    // Another order of the same filter: the count is known, the ends in that order are not yet.
    expect(snapshot.prepare({ ...query, orderBy: 'JOINED_ASC' })).toBeInstanceOf(Promise);
    // A change: the snapshot it makes inherits what this one found, with the change applied.
    const few = { search: 'U1234' };
    await snapshot.prepare(few);
    const added = randomUser(random, 40_001);
    const changed = snapshot.withChanges({ upserts: [added], deletedIds: ['u1234', 'u5'] });
    expect(changed.prepare(few)).toBeUndefined();
    const after = [...users.filter((user) => !['u1234', 'u5'].includes(user.supertokensUserId)), added];
    expect(page(changed, { ...few, first: 5 })).toEqual(expected(after, few, 'JOINED_DESC', { first: 5 }));
    await changed.prepare(query);
    expect(page(changed, { ...query, last: 5 })).toEqual(expected(after, query, 'EMAIL_DESC', { last: 5 }));
  });

  it('answers as a whole build when its activity and email orders are sorted after it is in use (a first load)', async () => {
    const random = seededRandom(9);
    const users = Array.from({ length: 30_000 }, (_, n) => randomUser(random, n));
    const whole = UserSnapshot.fromUsers(users, new Date(), { fewMatches: 100 });
    const early = await UserSnapshot.build(users, new Date(), { ordersLater: true });
    const changed = early.withChanges({ upserts: [randomUser(random, 30_001)], deletedIds: ['u7'] });
    const wholeChanged = whole.withChanges({ upserts: [changed.getBySupertokensId('u30001')!], deletedIds: ['u7'] });

    // Listing order needs no sorting: answered at once. The others wait for it, then agree.
    expect(early.prepare({ first: 5 })).toBeUndefined();
    expect(page(early, { first: 5 })).toEqual(page(whole, { first: 5 }));
    const waiting = [
      { orderBy: 'LAST_ACTIVE_DESC' as const, first: 7 },
      { orderBy: 'EMAIL_ASC' as const, last: 7, role: 'admin' },
      { orderBy: 'EMAIL_DESC' as const, first: 7, search: 'example' },
    ];
    for (const query of waiting) expect(early.prepare(query)).toBeInstanceOf(Promise);
    expect(() => early.listUsers(waiting[0]!)).toThrow(/before the base index has sorted it/);
    for (const query of waiting) {
      await early.prepare(query);
      await changed.prepare(query);
      await wholeChanged.prepare(query);
      expect(page(early, query)).toEqual(page(whole, query));
      expect(page(changed, query)).toEqual(page(wholeChanged, query));
    }
  });
});

describe('orders, spelled out', () => {
  const user = (id: string, timeJoined: number, lastActive: number | null, email: string | null) => domainUser(id, timeJoined, { lastActive, email });
  const users = [
    user('a', 10, 500, 'b@example.com'),
    user('b', 20, null, 'a@example.com'),
    user('c', 20, 500, null),
    user('d', 30, 700, 'a@example.com'),
    user('e', 5, null, null),
  ];
  const snapshot = UserSnapshot.fromUsers(users);
  const listedIn = (orderBy: UserOrder) => ids(snapshot.listUsers({ orderBy }).users);

  it('orders by each key both ways, the id breaking ties in the same direction, users lacking the key last both ways', () => {
    expect(listedIn('JOINED_DESC')).toEqual(['d', 'c', 'b', 'a', 'e']);
    expect(listedIn('JOINED_ASC')).toEqual(['e', 'a', 'b', 'c', 'd']);
    expect(listedIn('LAST_ACTIVE_DESC')).toEqual(['d', 'c', 'a', 'e', 'b']);
    expect(listedIn('LAST_ACTIVE_ASC')).toEqual(['a', 'c', 'd', 'b', 'e']);
    expect(listedIn('EMAIL_ASC')).toEqual(['b', 'd', 'a', 'c', 'e']);
    expect(listedIn('EMAIL_DESC')).toEqual(['a', 'd', 'b', 'e', 'c']);
  });

  it('gives the last page of an order with last, and the pages before it with before', () => {
    const last = snapshot.listUsers({ orderBy: 'EMAIL_ASC', last: 2 });
    expect(ids(last.users)).toEqual(['c', 'e']);
    expect(last).toMatchObject({ totalCount: 5, hasNextPage: false, hasPreviousPage: true });
    const earlier = snapshot.listUsers({ orderBy: 'EMAIL_ASC', last: 2, before: users[2] });
    expect(ids(earlier.users)).toEqual(['d', 'a']);
    expect(earlier).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const first = snapshot.listUsers({ orderBy: 'EMAIL_ASC', last: 5, before: users[3] });
    expect(ids(first.users)).toEqual(['b']);
    expect(first).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  });
});
