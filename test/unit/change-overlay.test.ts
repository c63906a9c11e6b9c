/**
 * A snapshot answers the same whether its users were built at once into a base index or arrived
 * as changes laid over an older base (and after that overlay is compacted into a new base): random
 * change sets, after each of which every read is compared with a snapshot built from scratch.
 */
import { describe, expect, it } from 'vitest';
import { UserDirectory } from '../../src/directory/user-directory.ts';
import { UserSnapshot } from '../../src/directory/user-snapshot.ts';
import type { User } from '../../src/directory/user.ts';
import { createLogger } from '../../src/logger.ts';
import { seededRandom } from '../../supertokens-standin/random.ts';
import { domainUser } from '../support/domain.ts';
import { ORDERS } from '../support/listing-reference.ts';
import type { UserPageQuery } from '../../src/directory/user-snapshot.ts';

const ROLES = ['admin', 'editor', 'viewer'];
const TENANTS = ['public', 't1', 't2'];

function randomUser(random: () => number, n: number): User {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const roles = ROLES.filter(() => random() < 0.4);
  const tenant = pick(TENANTS);
  const id = `u${n}`;
  return domainUser(id, 1_000 + Math.floor(random() * 50) * 10, {
    email: random() < 0.1 ? null : `${pick(['ada', 'bob', 'cy', id])}@example.com`,
    lastActive: random() < 0.3 ? null : 1_000 + Math.floor(random() * 20) * 10,
    isPrimaryUser: random() < 0.3,
    metadata: pick([{}, { plan: 'pro' }, { plan: 'free' }]),
    roles,
    rolesByTenant: roles.length > 0 ? [{ tenantId: tenant, roles }] : [],
    tenantIds: [tenant],
    version: `${id}-${random()}`,
  });
}

/** Every read the directory offers, as plain data. */
function reads(snapshot: UserSnapshot, users: readonly User[]) {
  const ids = (list: Iterable<User>) => [...list].map((user) => user.id);
  const pages = (filter: Omit<UserPageQuery, 'first' | 'after' | 'last' | 'before'>) => {
    const walked: string[][] = [];
    let after: User | undefined;
    for (let guard = 0; guard < 100; guard++) {
      const page = snapshot.listUsers({ first: 3, after, ...filter });
      walked.push([...ids(page.users), `next:${page.hasNextPage}`, `previous:${page.hasPreviousPage}`, `total:${page.totalCount}`]);
      const last = page.users.at(-1);
      if (!page.hasNextPage || !last) break;
      after = last;
    }
    let before: User | undefined;
    for (let guard = 0; guard < 100; guard++) {
      const page = snapshot.listUsers({ last: 4, before, ...filter });
      walked.push([...ids(page.users), `next:${page.hasNextPage}`, `previous:${page.hasPreviousPage}`, `total:${page.totalCount}`]);
      const first = page.users[0];
      if (!page.hasPreviousPage || !first) break;
      before = first;
    }
    return walked;
  };
  const emails = [...new Set(users.flatMap((user) => user.emails))];
  return {
    size: snapshot.size,
    all: ids(snapshot.all()),
    everyone: pages({}),
    byRole: ROLES.map((role) => pages({ role })),
    byTenant: TENANTS.map((tenantId) => pages({ tenantId })),
    byTenantRole: TENANTS.flatMap((tenantId) => ROLES.map((role) => pages({ tenantId, role }))),
    byEmail: emails.map((email) => ids(snapshot.getByEmail(email))),
    byId: users.map((user) => snapshot.userNamedBy(user.id)?.version ?? null),
    exported: ids(snapshot.users({ role: 'admin', tenantId: 't1' })),
    ordered: ORDERS.map((orderBy) => [
      pages({ orderBy }),
      pages({ orderBy, role: 'editor' }),
      pages({ orderBy, tenantId: 't2', neverActive: false }),
      pages({ orderBy, metadata: [{ path: ['plan'], equals: 'pro' }] }),
      pages({ orderBy, search: 'ada', isPrimaryUser: false }),
      pages({ orderBy, permission: 'nothing-granted' }),
      ids(snapshot.users({ orderBy, activeAfter: 1_050 })),
    ]),
  };
}

describe('a snapshot with changes laid over its base', () => {
  it('answers every read as a snapshot built at once from the same users', () => {
    const random = seededRandom(7);
    let next = 0;
    const live = new Map<string, User>();
    for (let i = 0; i < 40; i++) {
      const user = randomUser(random, next++);
      live.set(user.id, user);
    }
    let snapshot = UserSnapshot.fromUsers(live.values());

    for (let step = 0; step < 60; step++) {
      const upserts: User[] = [];
      const deletedIds: string[] = [];
      for (let k = Math.floor(random() * 6); k > 0; k--) {
        const roll = random();
        const existing = [...live.keys()];
        if (roll < 0.3 || existing.length === 0) upserts.push(randomUser(random, next++));
        else if (roll < 0.7) upserts.push(randomUser(random, Number(existing[Math.floor(random() * existing.length)]!.slice(1))));
        else deletedIds.push(existing[Math.floor(random() * existing.length)]!);
      }
      snapshot = snapshot.withChanges({ upserts, deletedIds });
      for (const id of deletedIds) live.delete(id);
      for (const user of upserts) live.set(user.id, user);

      const users = [...live.values()];
      expect(reads(snapshot, users), `after change set ${step}`).toEqual(reads(UserSnapshot.fromUsers(users), users));
    }
    expect(snapshot.changesSinceBuild).toBeGreaterThan(0);
  });
});

describe('compaction', () => {
  it('folds the changes into a new base, answering as before, while changes keep coming', async () => {
    const random = seededRandom(11);
    const initial = Array.from({ length: 30 }, (_, n) => randomUser(random, n));
    const directory = new UserDirectory(
      async function* () {
        yield initial;
      },
      { absentTtlMs: 0, logger: createLogger('silent'), compactAfter: () => 10 },
    );
    await directory.reload();
    const live = new Map(initial.map((user) => [user.id, user]));
    let compactions = 0;
    for (let n = 30; n < 120; n++) {
      const user = randomUser(random, random() < 0.5 ? n : Math.floor(random() * n));
      const before = directory.snapshot.changesSinceBuild;
      directory.apply({ upserts: [user], deletedIds: [] });
      live.set(user.id, user);
      if (n % 7 === 0) await new Promise((resolve) => setImmediate(resolve)); // let a compaction run
      if (directory.snapshot.changesSinceBuild < before) compactions++;
    }
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));

    const users = [...live.values()];
    expect(compactions).toBeGreaterThan(0);
    expect(reads(directory.snapshot, users)).toEqual(reads(UserSnapshot.fromUsers(users), users));
  });
});
