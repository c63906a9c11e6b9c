/**
 * An immutable view of every user at one moment: indexed by every id that names a user and by
 * every email of its login methods, ordered newest first. A user's identity is its SuperTokens id
 * (its external id may come and go). Changes produce a new snapshot, so a request that holds one
 * sees a consistent directory while reloads and change notices swap in others.
 */
import { compareNewestFirst, normalizeEmail, userKeys, type User, type UserOrderKey } from './user.ts';

export interface UserPageQuery {
  readonly first: number;
  /** List the users that come strictly after this position. */
  readonly after?: UserOrderKey | undefined;
  /** Only holders of this role: in `tenantId` when one is given, else in any tenant. */
  readonly role?: string | undefined;
  /** Only users with a login method in this tenant. */
  readonly tenantId?: string | undefined;
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

/** Past this many changes a full re-sort is cheaper than splicing each one into place. */
const SPLICE_LIMIT = 256;

const NO_USERS: readonly User[] = Object.freeze([]);

export class UserSnapshot {
  private byRoleIndex: Map<string, readonly User[]> | undefined;
  private byTenantIndex: Map<string, readonly User[]> | undefined;
  /** Holders of a role within a tenant, computed when first asked for. */
  private readonly byTenantRole = new Map<string, readonly User[]>();

  private constructor(
    /** Every user, by SuperTokens id. */
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
    for (const user of users) byId.set(user.supertokensUserId, user);
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
      if (user) found.set(user.supertokensUserId, user);
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

  listUsers({ first, after, role, tenantId }: UserPageQuery): UserPage {
    const pool = this.pool(role, tenantId);
    const start = after === undefined ? 0 : upperBound(pool, after);
    const users = pool.slice(start, start + first);
    return {
      users,
      totalCount: pool.length,
      hasNextPage: start + first < pool.length,
      hasPreviousPage: start > 0,
    };
  }

  /**
   * A new snapshot with these users replaced or added and the users these ids name removed. An
   * upserted user also replaces every user it has absorbed: one whose SuperTokens id is now one of
   * its login methods (account linking).
   */
  withChanges({ upserts, deletedIds }: UserChanges, loadedAt = this.loadedAt): UserSnapshot {
    if (upserts.length === 0 && deletedIds.length === 0) return this;
    // The last version of a user in a change set wins.
    const latest = new Map(upserts.map((user) => [user.supertokensUserId, user]));
    const touched = new Set<string>();
    for (const id of deletedIds) touched.add(this.byKey.get(id)?.supertokensUserId ?? id);
    for (const user of latest.values()) {
      touched.add(user.supertokensUserId);
      for (const key of userKeys(user)) if (this.byId.has(key)) touched.add(key);
    }

    const byId = new Map(this.byId);
    for (const id of touched) byId.delete(id);
    for (const user of latest.values()) byId.set(user.supertokensUserId, user);

    const removed = [...touched].flatMap((id) => this.byId.get(id) ?? []);
    const added = [...latest.values()];
    const ordered =
      removed.length + added.length > SPLICE_LIMIT
        ? [...byId.values()].sort(compareNewestFirst)
        : spliceOrdered(this.ordered, removed, added);
    return new UserSnapshot(byId, indexByKey(ordered), indexByEmail(ordered), ordered, loadedAt);
  }

  /** The users a listing walks: all, or those the filters keep, in listing order. */
  private pool(role: string | undefined, tenantId: string | undefined): readonly User[] {
    if (tenantId === undefined) return role === undefined ? this.ordered : (this.roleIndex().get(role) ?? NO_USERS);
    const members = this.tenantIndex().get(tenantId) ?? NO_USERS;
    if (role === undefined) return members;
    const key = `${tenantId}\u0000${role}`;
    let holders = this.byTenantRole.get(key);
    if (!holders) {
      holders = members.filter((user) => user.rolesByTenant.some((entry) => entry.tenantId === tenantId && entry.roles.includes(role)));
      // Remember only lists that hold someone: unknown roles must not grow the memo.
      if (holders.length === 0) return NO_USERS;
      this.byTenantRole.set(key, holders);
    }
    return holders;
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

  private tenantIndex(): Map<string, readonly User[]> {
    if (!this.byTenantIndex) {
      const index = new Map<string, User[]>();
      for (const user of this.ordered) {
        for (const tenantId of user.tenantIds) {
          let list = index.get(tenantId);
          if (!list) index.set(tenantId, (list = []));
          list.push(user);
        }
      }
      this.byTenantIndex = index;
    }
    return this.byTenantIndex;
  }
}

/**
 * Every key of every user. A key that is a user's own id or SuperTokens id wins over the same key
 * as another user's login method: after an unlink the change set may hold the unlinked user while
 * the user it left still lists it, until that one is refreshed too.
 */
function indexByKey(users: readonly User[]): Map<string, User> {
  const index = new Map<string, User>();
  for (const user of users) for (const key of userKeys(user)) index.set(key, user);
  for (const user of users) {
    index.set(user.id, user);
    index.set(user.supertokensUserId, user);
  }
  return index;
}

function indexByEmail(ordered: readonly User[]): Map<string, readonly User[]> {
  const index = new Map<string, User[]>();
  // Walk oldest first so each email's list is oldest first.
  for (let i = ordered.length - 1; i >= 0; i--) {
    const user = ordered[i]!;
    for (const email of new Set(user.emails.map(normalizeEmail))) {
      const list = index.get(email);
      if (list) list.push(user);
      else index.set(email, [user]);
    }
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
