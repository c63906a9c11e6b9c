/**
 * An immutable view of every user at one moment: indexed by every id that names a user and by
 * every email of its login methods, ordered newest first. A user's identity is its SuperTokens id
 * (its external id may come and go). Changes produce a new snapshot, so a request that holds one
 * sees a consistent directory while reloads and change notices swap in others.
 *
 * The indexes are copy-on-write B+ trees (sorted-btree): a new snapshot shares every node a
 * change does not touch, so applying k changes costs O(k log n), not a copy of the directory.
 */
import { BTree } from './btree.ts';
import { conditionsOf, filterKey, type UserFilter } from './user-filter.ts';
import { compareNewestFirst, compareStrings, normalizeEmail, userKeys, type User, type UserOrderKey } from './user.ts';

/** A page of the users a filter selects. */
export interface UserPageQuery extends UserFilter {
  readonly first: number;
  /** List the users that come strictly after this position. */
  readonly after?: UserOrderKey | undefined;
}

export interface UserPage {
  readonly users: readonly User[];
  readonly totalCount: number;
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
}

export interface UserChanges {
  readonly upserts: readonly User[];
  /** Any id naming the users to remove (see `userKeys`). */
  readonly deletedIds: readonly string[];
}

type Ordered = BTree<UserOrderKey, User>;

interface Indexes {
  /** SuperTokens id → user. */
  readonly byId: BTree<string, User>;
  /** Every id that names a user (see `userKeys`) → user. */
  readonly byKey: BTree<string, User>;
  /** Normalised email of any login method → its holders, oldest first. */
  readonly byEmail: BTree<string, readonly User[]>;
  /** Every user, in listing order. */
  readonly ordered: Ordered;
  /** Role (in any tenant) → its holders, in listing order. */
  readonly byRole: ReadonlyMap<string, Ordered>;
  /** Tenant → users with a login method in it, in listing order. */
  readonly byTenant: ReadonlyMap<string, Ordered>;
}

interface MutableIndexes extends Indexes {
  readonly byRole: Map<string, Ordered>;
  readonly byTenant: Map<string, Ordered>;
}

/** How many filtered lists a snapshot remembers (each is rebuilt when first asked for again). */
const FILTERED_MEMO_SIZE = 64;

export class UserSnapshot {
  /** The users a filter that no index answers alone selects, in listing order, computed when first asked for. */
  private readonly filtered = new Map<string, readonly User[]>();

  private constructor(
    private readonly indexes: Indexes,
    readonly loadedAt: Date,
  ) {
    const { byId, byKey, byEmail, ordered, byRole, byTenant } = indexes;
    for (const tree of [byId, byKey, byEmail, ordered, ...byRole.values(), ...byTenant.values()]) tree.freeze();
  }

  static empty(): UserSnapshot {
    return UserSnapshot.fromUsers([], new Date(0));
  }

  static fromUsers(users: Iterable<User>, loadedAt = new Date()): UserSnapshot {
    const latest = new Map<string, User>();
    for (const user of users) latest.set(user.supertokensUserId, user);
    const indexes = emptyIndexes();
    for (const user of latest.values()) add(indexes, user);
    return new UserSnapshot(indexes, loadedAt);
  }

  get size(): number {
    return this.indexes.byId.size;
  }

  /** The user that any of its ids (see `userKeys`) names. */
  userNamedBy(id: string): User | undefined {
    return this.indexes.byKey.get(id);
  }

  /** The user whose own SuperTokens id this is (not one that merely answers to it, e.g. after linking). */
  getBySupertokensId(supertokensUserId: string): User | undefined {
    return this.indexes.byId.get(supertokensUserId);
  }

  /** Every user named by any of these ids. */
  usersNamedBy(ids: Iterable<string>): User[] {
    const found = new Map<string, User>();
    for (const id of ids) {
      const user = this.indexes.byKey.get(id);
      if (user) found.set(user.supertokensUserId, user);
    }
    return [...found.values()];
  }

  /** Every user, in listing order. */
  all(): Iterable<User> {
    return this.indexes.ordered.values();
  }

  /** Every user holding this email, oldest first. */
  getByEmail(email: string): readonly User[] {
    return this.indexes.byEmail.get(normalizeEmail(email)) ?? [];
  }

  listUsers({ first, after, ...filter }: UserPageQuery): UserPage {
    const { pool, tests } = this.plan(filter);
    if (!pool) return pageOfArray([], first, after);
    if (tests.length === 0) return pageOfTree(pool, first, after);
    return pageOfArray(this.matching(filter, pool, tests), first, after);
  }

  /**
   * Every user the filter selects, in listing order, walked lazily over the same index a listing
   * would use (nothing is collected: an export of every user holds one at a time).
   */
  *users(filter: UserFilter): IterableIterator<User> {
    const { pool, tests } = this.plan(filter);
    if (!pool) return;
    for (const user of pool.values()) if (tests.every((test) => test(user))) yield user;
  }

  /** The index to walk (undefined: nobody can match) and the conditions it does not decide. */
  private plan(filter: UserFilter): { pool: Ordered | undefined; tests: Array<(user: User) => boolean> } {
    const conditions = conditionsOf(filter);
    // Walk the smallest index some condition offers; test every condition it does not decide.
    let best: { tree: Ordered; condition: (typeof conditions)[number] } | undefined;
    for (const condition of conditions) {
      if (!condition.index) continue;
      const tree = this.indexes[condition.index.name].get(condition.index.group);
      if (!tree) return { pool: undefined, tests: [] }; // nobody is in that group
      const smaller = !best || tree.size < best.tree.size || (tree.size === best.tree.size && !condition.needsTest);
      if (smaller) best = { tree, condition };
    }
    const pool = best?.tree ?? this.indexes.ordered;
    const decided = best && !best.condition.needsTest ? best.condition : undefined;
    const tests = conditions.filter((condition) => condition !== decided).map((condition) => condition.test);
    return { pool, tests };
  }

  /**
   * A new snapshot with these users replaced or added and the users these ids name removed; this
   * one is untouched. An upserted user also replaces every user it has absorbed: one whose
   * SuperTokens id is now one of its login methods (account linking).
   */
  withChanges({ upserts, deletedIds }: UserChanges, loadedAt = this.loadedAt): UserSnapshot {
    if (upserts.length === 0 && deletedIds.length === 0) return this;
    const { byId, byKey } = this.indexes;
    // The last version of a user in a change set wins.
    const latest = new Map(upserts.map((user) => [user.supertokensUserId, user]));
    const touched = new Set<string>();
    for (const id of deletedIds) touched.add(byKey.get(id)?.supertokensUserId ?? id);
    for (const user of latest.values()) {
      touched.add(user.supertokensUserId);
      for (const key of userKeys(user)) if (byId.has(key)) touched.add(key);
    }

    const next = cloneIndexes(this.indexes);
    for (const id of touched) {
      const old = next.byId.get(id);
      if (old) remove(next, old);
    }
    for (const user of latest.values()) add(next, user);
    return new UserSnapshot(next, loadedAt);
  }

  private matching(filter: UserFilter, pool: Ordered, tests: ReadonlyArray<(user: User) => boolean>): readonly User[] {
    const key = filterKey(filter);
    let users = this.filtered.get(key);
    if (!users) {
      users = [];
      for (const user of pool.values()) if (tests.every((test) => test(user))) (users as User[]).push(user);
      if (this.filtered.size >= FILTERED_MEMO_SIZE) this.filtered.delete(this.filtered.keys().next().value!);
      this.filtered.set(key, users);
    }
    return users;
  }
}

function pageOfTree(pool: Ordered, first: number, after: UserOrderKey | undefined): UserPage {
  const users: User[] = [];
  let hasNextPage = false;
  for (const [key, user] of pool.entries(after)) {
    if (after !== undefined && compareNewestFirst(key, after) === 0) continue; // strictly after
    if (users.length === first) {
      hasNextPage = true;
      break;
    }
    users.push(user);
  }
  const min = pool.minKey();
  const hasPreviousPage = after !== undefined && min !== undefined && compareNewestFirst(min, after) <= 0;
  return { users, totalCount: pool.size, hasNextPage, hasPreviousPage };
}

function pageOfArray(pool: readonly User[], first: number, after: UserOrderKey | undefined): UserPage {
  let start = 0;
  if (after !== undefined) {
    // First index whose user comes strictly after `after`.
    let hi = pool.length;
    while (start < hi) {
      const mid = (start + hi) >>> 1;
      if (compareNewestFirst(pool[mid]!, after) <= 0) start = mid + 1;
      else hi = mid;
    }
  }
  return {
    users: pool.slice(start, start + first),
    totalCount: pool.length,
    hasNextPage: start + first < pool.length,
    hasPreviousPage: start > 0,
  };
}

function emptyIndexes(): MutableIndexes {
  return {
    byId: new BTree<string, User>(undefined, compareStrings),
    byKey: new BTree<string, User>(undefined, compareStrings),
    byEmail: new BTree<string, readonly User[]>(undefined, compareStrings),
    ordered: new BTree<UserOrderKey, User>(undefined, compareNewestFirst),
    byRole: new Map(),
    byTenant: new Map(),
  };
}

/** O(1) per tree: nodes are shared until written. Grouped trees are cloned when first written. */
function cloneIndexes(indexes: Indexes): MutableIndexes {
  return {
    byId: indexes.byId.clone(),
    byKey: indexes.byKey.clone(),
    byEmail: indexes.byEmail.clone(),
    ordered: indexes.ordered.clone(),
    byRole: new Map(indexes.byRole),
    byTenant: new Map(indexes.byTenant),
  };
}

const orderKey = (user: User): UserOrderKey => ({ timeJoined: user.timeJoined, id: user.id });
const emailsOf = (user: User) => new Set(user.emails.map(normalizeEmail));

function add(indexes: MutableIndexes, user: User): void {
  indexes.byId.set(user.supertokensUserId, user);
  for (const key of userKeys(user)) {
    // A key that is another user's own id or SuperTokens id stays theirs: after an unlink the
    // change set may hold the unlinked user while the user it left still lists it, until that
    // one is refreshed too.
    const holder = indexes.byKey.get(key);
    const ownedByOther =
      holder !== undefined &&
      holder.supertokensUserId !== user.supertokensUserId &&
      (holder.id === key || holder.supertokensUserId === key);
    if (!ownedByOther) indexes.byKey.set(key, user);
  }
  for (const email of emailsOf(user)) indexes.byEmail.set(email, insertOldestFirst(indexes.byEmail.get(email) ?? [], user));
  indexes.ordered.set(orderKey(user), user);
  for (const role of user.roles) writable(indexes.byRole, role).set(orderKey(user), user);
  for (const tenantId of user.tenantIds) writable(indexes.byTenant, tenantId).set(orderKey(user), user);
}

function remove(indexes: MutableIndexes, user: User): void {
  indexes.byId.delete(user.supertokensUserId);
  for (const key of userKeys(user)) {
    if (indexes.byKey.get(key)?.supertokensUserId === user.supertokensUserId) indexes.byKey.delete(key);
  }
  for (const email of emailsOf(user)) {
    const holders = (indexes.byEmail.get(email) ?? []).filter((holder) => holder.supertokensUserId !== user.supertokensUserId);
    if (holders.length > 0) indexes.byEmail.set(email, holders);
    else indexes.byEmail.delete(email);
  }
  indexes.ordered.delete(orderKey(user));
  for (const [groups, names] of [
    [indexes.byRole, user.roles],
    [indexes.byTenant, user.tenantIds],
  ] as const) {
    for (const name of names) {
      const tree = writable(groups, name);
      tree.delete(orderKey(user));
      if (tree.size === 0) groups.delete(name);
    }
  }
}

/** The group's tree, writable in this change set (a frozen snapshot's is cloned once). */
function writable(groups: Map<string, Ordered>, name: string): Ordered {
  let tree = groups.get(name);
  if (!tree) tree = new BTree<UserOrderKey, User>(undefined, compareNewestFirst);
  else if (tree.isFrozen) tree = tree.clone();
  else return tree;
  groups.set(name, tree);
  return tree;
}

function insertOldestFirst(holders: readonly User[], user: User): User[] {
  const next = holders.filter((holder) => holder.supertokensUserId !== user.supertokensUserId);
  let at = next.length;
  while (at > 0 && compareNewestFirst(next[at - 1]!, user) < 0) at--; // the one before is newer
  next.splice(at, 0, user);
  return next;
}
