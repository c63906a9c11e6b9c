/**
 * An immutable view of every user at one moment: the base index of the last full load (or
 * compaction) with the changes applied since laid over it (change-overlay.ts). Indexed by every
 * id that names a user and by every email of its login methods, ordered newest first. A user's
 * identity is its SuperTokens id (its external id may come and go). Changes produce a new
 * snapshot, so a request that holds one sees a consistent directory while reloads and change
 * notices swap in others; a change costs O(k log d) for k users over an overlay of d.
 */
import { BaseIndex, buildBaseIndex, roleGroup, tenantGroup } from './base-index.ts';
import { BTree } from './btree.ts';
import { ChangeOverlay } from './change-overlay.ts';
import { conditionsOf, filterKey, type UserFilter } from './user-filter.ts';
import { compareNewestFirst, normalizeEmail, userKeys, type User, type UserOrderKey } from './user.ts';

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

/** How many filtered lists a snapshot remembers (each is rebuilt when first asked for again). */
const FILTERED_MEMO_SIZE = 64;

/** A group of users in listing order: the base's members not shadowed, merged with the overlay's. */
interface Pool {
  /** Positions into base.users, ascending; undefined: every base user. */
  readonly base: Int32Array | undefined;
  readonly overlay: BTree<UserOrderKey, User> | undefined;
  readonly size: number;
}

export class UserSnapshot {
  /** The users a filter that no index answers alone selects, in listing order, computed when first asked for. */
  private readonly filtered = new Map<string, readonly User[]>();

  private constructor(
    private readonly base: BaseIndex,
    private readonly overlay: ChangeOverlay,
    readonly loadedAt: Date,
  ) {}

  static empty(): UserSnapshot {
    return new UserSnapshot(BaseIndex.EMPTY, ChangeOverlay.EMPTY, new Date(0));
  }

  /** Built at once: for small sets and tests. */
  static fromUsers(users: Iterable<User>, loadedAt = new Date()): UserSnapshot {
    return new UserSnapshot(BaseIndex.of(users), ChangeOverlay.EMPTY, loadedAt);
  }

  /** Built in steps that let requests run between them: for full loads and compactions. */
  static async build(users: Iterable<User>, loadedAt = new Date()): Promise<UserSnapshot> {
    return new UserSnapshot(await buildBaseIndex(users), ChangeOverlay.EMPTY, loadedAt);
  }

  get size(): number {
    return this.base.users.length - this.overlay.parts.shadowed + this.overlay.parts.ordered.size;
  }

  /** How many users changed since the base was built: what a compaction would fold in. */
  get changesSinceBuild(): number {
    return this.overlay.size;
  }

  /** The user that any of its ids (see `userKeys`) names. */
  userNamedBy(id: string): User | undefined {
    const changed = this.overlay.parts.byKey.get(id);
    return changed === undefined ? this.base.byKey.get(id) : (changed ?? undefined);
  }

  /** The user whose own SuperTokens id this is (not one that merely answers to it, e.g. after linking). */
  getBySupertokensId(supertokensUserId: string): User | undefined {
    const changed = this.overlay.parts.users.get(supertokensUserId);
    return changed === undefined ? this.base.ownUser(supertokensUserId) : (changed ?? undefined);
  }

  /** Every user named by any of these ids. */
  usersNamedBy(ids: Iterable<string>): User[] {
    const found = new Map<string, User>();
    for (const id of ids) {
      const user = this.userNamedBy(id);
      if (user) found.set(user.supertokensUserId, user);
    }
    return [...found.values()];
  }

  /** Every user, in listing order. */
  all(): Iterable<User> {
    return this.iterate(this.pool(undefined), undefined);
  }

  /** Every user a filter selects, in listing order (for streaming exports: one snapshot, nothing built whole). */
  *users(filter: UserFilter = {}): IterableIterator<User> {
    const { pool, tests } = this.plan(filter);
    if (!pool) return;
    for (const user of this.iterate(pool, undefined)) if (tests.every((test) => test(user))) yield user;
  }

  /** Every user holding this email, oldest first. */
  getByEmail(email: string): readonly User[] {
    const normalized = normalizeEmail(email);
    return this.overlay.parts.byEmail.get(normalized) ?? this.base.holdersOf(normalized);
  }

  listUsers({ first, after, ...filter }: UserPageQuery): UserPage {
    const { pool, tests } = this.plan(filter);
    if (!pool) return pageOfArray([], first, after);
    if (tests.length === 0) return this.pageOfPool(pool, first, after);
    return pageOfArray(this.matching(filter, pool, tests), first, after);
  }

  /**
   * A new snapshot with these users replaced or added and the users these ids name removed; this
   * one is untouched. An upserted user also replaces every user it has absorbed: one whose
   * SuperTokens id is now one of its login methods (account linking).
   */
  withChanges({ upserts, deletedIds }: UserChanges, loadedAt = this.loadedAt): UserSnapshot {
    if (upserts.length === 0 && deletedIds.length === 0) return this;
    // The last version of a user in a change set wins.
    const latest = new Map(upserts.map((user) => [user.supertokensUserId, user]));
    const touched = new Set<string>();
    for (const id of deletedIds) touched.add(this.userNamedBy(id)?.supertokensUserId ?? id);
    for (const user of latest.values()) {
      touched.add(user.supertokensUserId);
      for (const key of userKeys(user)) if (this.getBySupertokensId(key)) touched.add(key);
    }
    const overlay = this.overlay.with(this.base, touched, [...latest.values()], {
      ownUser: (id) => this.getBySupertokensId(id),
      userNamedBy: (key) => this.userNamedBy(key),
      holdersOf: (email) => this.getByEmail(email),
    });
    return new UserSnapshot(this.base, overlay, loadedAt);
  }

  /** Which pool to walk (the smallest index some condition offers), and the conditions it does not decide. */
  private plan(filter: UserFilter): { pool: Pool | undefined; tests: Array<(user: User) => boolean> } {
    const conditions = conditionsOf(filter);
    let best: { pool: Pool; condition: (typeof conditions)[number] } | undefined;
    for (const condition of conditions) {
      if (!condition.index) continue;
      const group = condition.index.name === 'byRole' ? roleGroup(condition.index.group) : tenantGroup(condition.index.group);
      const pool = this.pool(group);
      if (pool.size === 0) return { pool: undefined, tests: [] }; // nobody is in that group
      const smaller = !best || pool.size < best.pool.size || (pool.size === best.pool.size && !condition.needsTest);
      if (smaller) best = { pool, condition };
    }
    const decided = best && !best.condition.needsTest ? best.condition : undefined;
    return {
      pool: best?.pool ?? this.pool(undefined),
      tests: conditions.filter((condition) => condition !== decided).map((condition) => condition.test),
    };
  }

  /** A group's members (or everyone, for `undefined`), as base positions and overlay tree. */
  private pool(group: string | undefined): Pool {
    const { parts } = this.overlay;
    if (group === undefined) return { base: undefined, overlay: parts.ordered, size: this.size };
    const base = this.base.groups.get(group);
    const overlay = parts.groups.get(group);
    const size = (base?.length ?? 0) - (parts.shadowedInGroup.get(group) ?? 0) + (overlay?.size ?? 0);
    return { base, overlay, size };
  }

  /** The pool's users strictly after `after`, in listing order: base members not shadowed, merged with the overlay's. */
  private *iterate(pool: Pool, after: UserOrderKey | undefined): Generator<User> {
    const { users } = this.base;
    const shadowed = this.overlay.parts.users;
    const positions = pool.base;
    let i = after === undefined ? 0 : positions ? this.base.memberIndexAfter(positions, after) : this.base.positionAfter(after);
    const end = positions ? positions.length : users.length;
    const overlay = pool.overlay && pool.overlay.size > 0 ? pool.overlay.entries(after) : undefined;
    let next = overlay?.next();
    if (next && !next.done && after !== undefined && compareNewestFirst(next.value[0], after) === 0) next = overlay!.next(); // strictly after
    const checkShadow = shadowed.size > 0;
    for (;;) {
      let fromBase: User | undefined;
      while (i < end) {
        const candidate = users[positions ? positions[i]! : i]!;
        if (!checkShadow || !shadowed.has(candidate.supertokensUserId)) {
          fromBase = candidate;
          break;
        }
        i++;
      }
      const fromOverlay = next && !next.done ? next.value[1] : undefined;
      if (fromBase === undefined && fromOverlay === undefined) return;
      if (fromOverlay === undefined || (fromBase !== undefined && compareNewestFirst(fromBase, fromOverlay) < 0)) {
        i++;
        yield fromBase!;
      } else {
        next = overlay!.next();
        yield fromOverlay;
      }
    }
  }

  private pageOfPool(pool: Pool, first: number, after: UserOrderKey | undefined): UserPage {
    const users: User[] = [];
    let hasNextPage = false;
    for (const user of this.iterate(pool, after)) {
      if (users.length === first) {
        hasNextPage = true;
        break;
      }
      users.push(user);
    }
    let hasPreviousPage = false;
    if (after !== undefined) {
      // Someone in the pool comes at or before the cursor's position.
      for (const user of this.iterate(pool, undefined)) {
        hasPreviousPage = compareNewestFirst(user, after) <= 0;
        break;
      }
    }
    return { users, totalCount: pool.size, hasNextPage, hasPreviousPage };
  }

  private matching(filter: UserFilter, pool: Pool, tests: ReadonlyArray<(user: User) => boolean>): readonly User[] {
    const key = filterKey(filter);
    let users = this.filtered.get(key);
    if (!users) {
      const found: User[] = [];
      for (const user of this.iterate(pool, undefined)) if (tests.every((test) => test(user))) found.push(user);
      if (this.filtered.size >= FILTERED_MEMO_SIZE) this.filtered.delete(this.filtered.keys().next().value!);
      this.filtered.set(key, (users = found));
    }
    return users;
  }
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
