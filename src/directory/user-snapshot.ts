/**
 * An immutable view of every user at one moment: indexed by id and by email, ordered newest first.
 * Changes produce a new snapshot, so a request that holds one sees a consistent directory while
 * reloads and change notices swap in others.
 *
 * The indexes are copy-on-write B+ trees (sorted-btree): a new snapshot shares every node a
 * change does not touch, so applying k changes costs O(k log n), not a copy of the directory.
 */
import { BTree } from './btree.ts';
import { compareNewestFirst, normalizeEmail, userKeys, type User, type UserOrderKey } from './user.ts';

export interface UserPageQuery {
  readonly first: number;
  /** List the users that come strictly after this position. */
  readonly after?: UserOrderKey | undefined;
  readonly role?: string | undefined;
}

export interface UserPage {
  readonly users: readonly User[];
  readonly totalCount: number;
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
}

export interface UserChanges {
  readonly upserts: readonly User[];
  readonly deletedIds: readonly string[];
}

type Ordered = BTree<UserOrderKey, User>;

interface Indexes {
  /** Primary id → user. */
  readonly byId: BTree<string, User>;
  /** Every id that names a user (see `userKeys`) → user. */
  readonly byKey: BTree<string, User>;
  /** Normalised email → its holders, oldest first. */
  readonly byEmail: BTree<string, readonly User[]>;
  /** Every user, in listing order. */
  readonly ordered: Ordered;
  /** Role → its holders, in listing order. */
  readonly byRole: ReadonlyMap<string, Ordered>;
}

export class UserSnapshot {
  private constructor(
    private readonly indexes: Indexes,
    readonly loadedAt: Date,
  ) {
    for (const tree of [indexes.byId, indexes.byKey, indexes.byEmail, indexes.ordered, ...indexes.byRole.values()]) {
      tree.freeze();
    }
  }

  static empty(): UserSnapshot {
    return UserSnapshot.fromUsers([], new Date(0));
  }

  static fromUsers(users: Iterable<User>, loadedAt = new Date()): UserSnapshot {
    const mutable = emptyIndexes();
    for (const user of users) {
      const old = mutable.byId.get(user.id);
      if (old) remove(mutable, old);
      add(mutable, user);
    }
    return new UserSnapshot(mutable, loadedAt);
  }

  get size(): number {
    return this.indexes.byId.size;
  }

  /** The user that any of its ids (see `userKeys`) names. */
  getById(id: string): User | undefined {
    return this.indexes.byKey.get(id);
  }

  /** Every user named by any of these ids. */
  usersNamedBy(ids: Iterable<string>): User[] {
    const found = new Map<string, User>();
    for (const id of ids) {
      const user = this.indexes.byKey.get(id);
      if (user) found.set(user.id, user);
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

  listUsers({ first, after, role }: UserPageQuery): UserPage {
    const pool = role === undefined ? this.indexes.ordered : this.indexes.byRole.get(role);
    if (!pool) return { users: [], totalCount: 0, hasNextPage: false, hasPreviousPage: false };
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

  /** A new snapshot with these users replaced or added and these ids removed; this one is untouched. */
  withChanges({ upserts, deletedIds }: UserChanges, loadedAt = this.loadedAt): UserSnapshot {
    if (upserts.length === 0 && deletedIds.length === 0) return this;
    const next = cloneIndexes(this.indexes);
    for (const id of deletedIds) {
      const old = next.byId.get(id);
      if (old) remove(next, old);
    }
    // The last version of a user in a change set wins.
    const latest = new Map(upserts.map((user) => [user.id, user]));
    for (const user of latest.values()) {
      const old = next.byId.get(user.id);
      if (old) remove(next, old);
      add(next, user);
    }
    return new UserSnapshot(next, loadedAt);
  }
}

interface MutableIndexes extends Indexes {
  readonly byRole: Map<string, Ordered>;
}

/** Plain code-unit order: several times faster than sorted-btree's default, which accepts any type. */
const compareStrings = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function emptyIndexes(): MutableIndexes {
  return {
    byId: new BTree<string, User>(undefined, compareStrings),
    byKey: new BTree<string, User>(undefined, compareStrings),
    byEmail: new BTree<string, readonly User[]>(undefined, compareStrings),
    ordered: new BTree<UserOrderKey, User>(undefined, compareNewestFirst),
    byRole: new Map(),
  };
}

/** O(1) per tree: nodes are shared until written (clone of a frozen tree is a thawed copy). */
function cloneIndexes(indexes: Indexes): MutableIndexes {
  return {
    byId: indexes.byId.clone(),
    byKey: indexes.byKey.clone(),
    byEmail: indexes.byEmail.clone(),
    ordered: indexes.ordered.clone(),
    // Role trees are cloned when first written (see roleTree).
    byRole: new Map(indexes.byRole),
  };
}

const orderKey = (user: User): UserOrderKey => ({ timeJoined: user.timeJoined, id: user.id });

function add(indexes: MutableIndexes, user: User): void {
  indexes.byId.set(user.id, user);
  for (const key of userKeys(user)) indexes.byKey.set(key, user);
  const email = normalizeEmail(user.email);
  indexes.byEmail.set(email, insertOldestFirst(indexes.byEmail.get(email) ?? [], user));
  indexes.ordered.set(orderKey(user), user);
  for (const role of user.roles) roleTree(indexes, role).set(orderKey(user), user);
}

function remove(indexes: MutableIndexes, user: User): void {
  indexes.byId.delete(user.id);
  for (const key of userKeys(user)) {
    if (indexes.byKey.get(key)?.id === user.id) indexes.byKey.delete(key);
  }
  const email = normalizeEmail(user.email);
  const holders = (indexes.byEmail.get(email) ?? []).filter((holder) => holder.id !== user.id);
  if (holders.length > 0) indexes.byEmail.set(email, holders);
  else indexes.byEmail.delete(email);
  indexes.ordered.delete(orderKey(user));
  for (const role of user.roles) {
    const tree = roleTree(indexes, role);
    tree.delete(orderKey(user));
    if (tree.size === 0) indexes.byRole.delete(role);
  }
}

/** The role's tree, made writable in this change set (cloned once, from a frozen snapshot's). */
function roleTree(indexes: MutableIndexes, role: string): Ordered {
  let tree = indexes.byRole.get(role);
  if (!tree) tree = new BTree<UserOrderKey, User>(undefined, compareNewestFirst);
  else if (tree.isFrozen) tree = tree.clone();
  else return tree;
  indexes.byRole.set(role, tree);
  return tree;
}

function insertOldestFirst(holders: readonly User[], user: User): User[] {
  const next = holders.filter((holder) => holder.id !== user.id);
  let at = next.length;
  while (at > 0 && compareNewestFirst(next[at - 1]!, user) < 0) at--; // the one before is newer
  next.splice(at, 0, user);
  return next;
}
