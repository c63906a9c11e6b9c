/**
 * An immutable view of every user at one moment: indexed by id and by email, ordered newest first.
 * Changes produce a new snapshot, so a request that holds one sees a consistent directory while
 * reloads and change notices swap in others.
 */
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

/** Past this many changes a full re-sort is cheaper than splicing each one into place. */
const SPLICE_LIMIT = 256;

export class UserSnapshot {
  private byRoleIndex: Map<string, readonly User[]> | undefined;

  private constructor(
    private readonly byId: ReadonlyMap<string, User>,
    /** Every key of every user (see `userKeys`). */
    private readonly byKey: ReadonlyMap<string, User>,
    private readonly byEmailIndex: ReadonlyMap<string, readonly User[]>,
    /** Every user, in listing order. */
    private readonly ordered: readonly User[],
    readonly loadedAt: Date,
  ) {}

  static empty(): UserSnapshot {
    return UserSnapshot.fromUsers([], new Date(0));
  }

  static fromUsers(users: Iterable<User>, loadedAt = new Date()): UserSnapshot {
    const byId = new Map<string, User>();
    for (const user of users) byId.set(user.id, user);
    const ordered = [...byId.values()].sort(compareNewestFirst);
    return new UserSnapshot(byId, indexByKey(ordered), indexByEmail(ordered), ordered, loadedAt);
  }

  get size(): number {
    return this.byId.size;
  }

  /** The user that any of its ids (see `userKeys`) names. */
  getById(id: string): User | undefined {
    return this.byKey.get(id);
  }

  /** Every user named by any of these ids. */
  usersNamedBy(ids: Iterable<string>): User[] {
    const found = new Map<string, User>();
    for (const id of ids) {
      const user = this.byKey.get(id);
      if (user) found.set(user.id, user);
    }
    return [...found.values()];
  }

  /** Every user, in listing order. */
  all(): readonly User[] {
    return this.ordered;
  }

  /** Every user holding this email, oldest first. */
  getByEmail(email: string): readonly User[] {
    return this.byEmailIndex.get(normalizeEmail(email)) ?? [];
  }

  listUsers({ first, after, role }: UserPageQuery): UserPage {
    const pool = role === undefined ? this.ordered : (this.roleIndex().get(role) ?? []);
    const start = after === undefined ? 0 : upperBound(pool, after);
    const users = pool.slice(start, start + first);
    return {
      users,
      totalCount: pool.length,
      hasNextPage: start + first < pool.length,
      hasPreviousPage: start > 0,
    };
  }

  /** A new snapshot with these users replaced or added and these ids removed. */
  withChanges({ upserts, deletedIds }: UserChanges, loadedAt = this.loadedAt): UserSnapshot {
    if (upserts.length === 0 && deletedIds.length === 0) return this;
    const byId = new Map(this.byId);
    for (const id of deletedIds) byId.delete(id);
    // The last version of a user in a change set wins.
    const latest = new Map(upserts.map((user) => [user.id, user]));
    for (const user of latest.values()) byId.set(user.id, user);

    const touched = new Set([...deletedIds, ...latest.keys()]);
    const removed = [...touched].flatMap((id) => this.byId.get(id) ?? []);
    const added = [...latest.values()];
    const ordered =
      removed.length + added.length > SPLICE_LIMIT
        ? [...byId.values()].sort(compareNewestFirst)
        : spliceOrdered(this.ordered, removed, added);
    return new UserSnapshot(byId, indexByKey(ordered), indexByEmail(ordered), ordered, loadedAt);
  }

  /** Built on first use: most snapshots are never asked for a role. */
  private roleIndex(): Map<string, readonly User[]> {
    if (!this.byRoleIndex) {
      const index = new Map<string, User[]>();
      for (const user of this.ordered) {
        for (const role of user.roles) {
          let list = index.get(role);
          if (!list) index.set(role, (list = []));
          list.push(user);
        }
      }
      this.byRoleIndex = index;
    }
    return this.byRoleIndex;
  }
}

function indexByKey(users: readonly User[]): Map<string, User> {
  const index = new Map<string, User>();
  for (const user of users) for (const key of userKeys(user)) index.set(key, user);
  return index;
}

function indexByEmail(ordered: readonly User[]): Map<string, readonly User[]> {
  const index = new Map<string, User[]>();
  // Walk oldest first so each email's list is oldest first.
  for (let i = ordered.length - 1; i >= 0; i--) {
    const user = ordered[i]!;
    const key = normalizeEmail(user.email);
    const list = index.get(key);
    if (list) list.push(user);
    else index.set(key, [user]);
  }
  return index;
}

function spliceOrdered(ordered: readonly User[], removed: readonly User[], added: readonly User[]): User[] {
  const next = ordered.slice();
  for (const user of removed) {
    const at = lowerBound(next, user);
    if (next[at]?.id === user.id) next.splice(at, 1);
  }
  for (const user of added) next.splice(lowerBound(next, user), 0, user);
  return next;
}

/** First index whose user does not come before `key`. */
function lowerBound(list: readonly User[], key: UserOrderKey): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareNewestFirst(list[mid]!, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose user comes strictly after `key`. */
function upperBound(list: readonly User[], key: UserOrderKey): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareNewestFirst(list[mid]!, key) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
