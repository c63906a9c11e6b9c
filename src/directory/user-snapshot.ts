/**
 * An immutable view of every user at one moment: the base index of the last full load (or
 * compaction) with the changes applied since laid over it (change-overlay.ts). Indexed by every
 * id that names a user and by every email of its login methods, listed in any of the orders of
 * user-order.ts, filtered by any combination of the conditions of user-filter.ts. A user's
 * identity is its SuperTokens id (its external id may come and go). Changes produce a new
 * snapshot, so a request that holds one sees a consistent directory while reloads and change
 * notices swap in others; a change costs O(k log d) for k users over an overlay of d.
 *
 * A listing walks the smallest group of the indexes that holds every match (a role's, a tenant's
 * or a recipe's members, else everyone: user-pools.ts) in the order asked for. When that group
 * alone decides the filter, a page costs O(log n + page). Otherwise the other conditions are
 * tested: the first listing of a filter counts its matches in one pass over the group (and keeps
 * them when they are few), and the snapshot remembers the count, the few matches, and where the
 * matches begin and end in each order (filter-memo.ts, inherited by the snapshots changes make);
 * pages then cost a binary search in the few matches, or a walk from the cursor testing users
 * until the page is full, never past the last match. `prepare` makes those passes in steps, so
 * that a first listing over a million users does not hold up other requests.
 */
import { BaseIndex, buildBaseIndex, type BasePool, type BuildOptions } from './base-index.ts';
import { ChangeOverlay, type OverlayPool } from './change-overlay.ts';
import { FilterMemo, type Scan } from './filter-memo.ts';
import { runInSteps, runNow } from './steps.ts';
import { conditionsOf, filterKey, matchesFilter, type UserFilter } from './user-filter.ts';
import { comparatorOf, DEFAULT_ORDER, ORDERS, type UserOrder, type UserPosition } from './user-order.ts';
import { pageOf, type Matches, type UserPage } from './user-pages.ts';
import { findInPool, scanPool, walkPool, type Pool, type PoolContext } from './user-pools.ts';
import { normalizeEmail, userKeys, type User } from './user.ts';

export type { UserPage } from './user-pages.ts';

/** A page of the users a filter selects, in an order. */
export interface UserPageQuery extends UserFilter {
  readonly orderBy?: UserOrder | undefined;
  /** The first `first` users (50 when neither `first` nor `last` is given) strictly after `after`. */
  readonly first?: number | undefined;
  readonly after?: UserPosition | undefined;
  /** The last `last` users strictly before `before` (when `first` is not given). */
  readonly last?: number | undefined;
  readonly before?: UserPosition | undefined;
}

/** Which users, in which order. */
export interface UserListing extends UserFilter {
  readonly orderBy?: UserOrder | undefined;
}

export interface UserChanges {
  readonly upserts: readonly User[];
  /** Any id naming the users to remove (see `userKeys`). */
  readonly deletedIds: readonly string[];
}

export interface SnapshotOptions {
  /** A filter matching at most this many users has its matches kept; more, and pages walk the group testing users (default 10,000). */
  readonly fewMatches?: number;
}

export class UserSnapshot {
  private readonly context: PoolContext;

  private constructor(
    private readonly base: BaseIndex,
    private readonly overlay: ChangeOverlay,
    readonly loadedAt: Date,
    private readonly options: SnapshotOptions,
    private readonly memo = new FilterMemo(),
  ) {
    this.context = { users: base.users, shadowed: overlay.parts.users };
  }

  static empty(): UserSnapshot {
    return new UserSnapshot(BaseIndex.EMPTY, ChangeOverlay.EMPTY, new Date(0), {});
  }

  /** Built at once: for small sets and tests. */
  static fromUsers(users: Iterable<User>, loadedAt = new Date(), options: SnapshotOptions = {}): UserSnapshot {
    return new UserSnapshot(BaseIndex.of(users), ChangeOverlay.EMPTY, loadedAt, options);
  }

  /** Built in steps that let requests run between them: for full loads and compactions (`ordersLater`: see base-index.ts). */
  static async build(users: Iterable<User>, loadedAt = new Date(), options: BuildOptions = {}): Promise<UserSnapshot> {
    return new UserSnapshot(await buildBaseIndex(users, options), ChangeOverlay.EMPTY, loadedAt, {});
  }

  get size(): number {
    return this.base.users.length - this.overlay.parts.shadowed + this.overlay.parts.everyone.joined.size;
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
    return walkPool(this.context, this.pool(undefined), DEFAULT_ORDER, undefined);
  }

  /** Every user a filter selects, in its order (for streaming exports: one snapshot, nothing built whole). */
  *users({ orderBy = DEFAULT_ORDER, ...filter }: UserListing = {}): IterableIterator<User> {
    const { pool, tests } = this.plan(filter);
    if (!pool) return;
    for (const user of walkPool(this.context, pool, orderBy, undefined)) if (tests.every((test) => test(user))) yield user;
  }

  /** Every user holding this email, oldest first. */
  getByEmail(email: string): readonly User[] {
    const normalized = normalizeEmail(email);
    return this.overlay.parts.byEmail.get(normalized) ?? this.base.holdersOf(normalized);
  }

  /** A page, at once: after `prepare` has settled, or when it had nothing to do. */
  listUsers({ orderBy = DEFAULT_ORDER, first, after, last, before, ...filter }: UserPageQuery): UserPage {
    return pageOf(this.matchesOf(filter, orderBy), { order: orderBy, first, after, last, before });
  }

  /**
   * Makes the passes a listing of this filter in this order needs (see the top of this file) in
   * steps that let other requests run between them; undefined when there is none to make. A
   * listing after it answers at once.
   */
  prepare(query: UserPageQuery): Promise<void> | undefined {
    const { orderBy = DEFAULT_ORDER, first: _first, after: _after, last: _last, before: _before, ...filter } = query;
    // The base may still be sorting this order (a first load): a listing in it waits.
    const ordering = ORDERS[orderBy].key === 'joined' ? undefined : this.base.ordering;
    if (ordering) return ordering.then(() => this.prepare(query));
    const { pool, tests } = this.plan(filter);
    if (!pool || tests.length === 0) return undefined;
    const key = filterKey(filter);
    const known = this.memo.scan(key);
    if (known && !this.needsEnds(known, orderBy, key)) return undefined;
    const pendingKey = `${orderBy} ${key}`;
    let pending = this.memo.pending.get(pendingKey);
    if (!pending) {
      pending = (async () => {
        const scan = this.memo.scan(key) ?? this.rememberScan(key, filter, await runInSteps(scanPool(this.context, pool, allOf(tests), this.fewest)));
        if (!this.needsEnds(scan, orderBy, key)) return;
        const ends = this.memo.endsOf(orderBy, key);
        const test = allOf(tests);
        const first = ends.first !== null ? ends.first : await runInSteps(findInPool(this.context, pool, orderBy, false, test));
        const last = ends.last !== null ? ends.last : await runInSteps(findInPool(this.context, pool, orderBy, true, test));
        this.memo.rememberEnds({ order: orderBy, filter: key, first, last });
      })().finally(() => this.memo.pending.delete(pendingKey));
      this.memo.pending.set(pendingKey, pending);
    }
    return pending;
  }

  /**
   * A new snapshot with these users replaced or added and the users these ids name removed; this
   * one is untouched. An upserted user also replaces every user it has absorbed: one whose
   * SuperTokens id is now one of its login methods (account linking).
   */
  withChanges({ upserts, deletedIds }: UserChanges, loadedAt = this.loadedAt): UserSnapshot {
    if (upserts.length === 0 && deletedIds.length === 0) {
      // Nothing changed: this snapshot, read anew at `loadedAt` (a reload that found no change).
      return loadedAt === this.loadedAt ? this : new UserSnapshot(this.base, this.overlay, loadedAt, this.options, this.memo.carried([], [], this.fewest));
    }
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
    const removed = [...touched].flatMap((id) => this.getBySupertokensId(id) ?? []);
    return new UserSnapshot(this.base, overlay, loadedAt, this.options, this.memo.carried(removed, [...latest.values()], this.fewest));
  }

  /** Which pool to walk (the smallest group some condition offers; none: nobody matches), and the conditions it does not decide. */
  private plan(filter: UserFilter): { pool: Pool | undefined; tests: Array<(user: User) => boolean> } {
    const conditions = conditionsOf(filter);
    let best: { pool: Pool; condition: (typeof conditions)[number] } | undefined;
    for (const condition of conditions) {
      if (condition.group === undefined) continue;
      const pool = this.pool(condition.group);
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

  /** A group's members (or everyone, for `undefined`), in the base and in the overlay. */
  private pool(group: string | undefined): Pool {
    const { parts } = this.overlay;
    if (group === undefined) return { base: this.base.everyone, overlay: parts.everyone, size: this.size };
    const base: BasePool | undefined = this.base.groups.get(group);
    const overlay: OverlayPool | undefined = parts.groups.get(group);
    const size = (base?.size ?? 0) - (parts.shadowedInGroup.get(group) ?? 0) + (overlay?.joined.size ?? 0);
    return { base, overlay, size };
  }

  /** The users a filter selects, in an order, as pages read them; what is not remembered yet is found now. */
  private matchesOf(filter: UserFilter, order: UserOrder): Matches {
    const { pool, tests } = this.plan(filter);
    if (!pool) return NO_MATCHES;
    if (tests.length === 0) return poolMatches(this.context, pool, order);
    const key = filterKey(filter);
    const test = allOf(tests);
    const scan = this.memo.scan(key) ?? this.rememberScan(key, filter, runNow(scanPool(this.context, pool, test, this.fewest)));
    if (scan.few) return listMatches(this.memo.sortedFew(order, key, scan.few), order);
    let ends = this.memo.endsOf(order, key);
    if (this.needsEnds(scan, order, key)) {
      ends = {
        ...ends,
        first: ends.first !== null ? ends.first : runNow(findInPool(this.context, pool, order, false, test)),
        last: ends.last !== null ? ends.last : runNow(findInPool(this.context, pool, order, true, test)),
      };
      this.memo.rememberEnds(ends);
    }
    return scanMatches(this.context, pool, order, test, scan.count, ends.first ?? undefined, ends.last ?? undefined);
  }

  private get fewest(): number {
    return this.options.fewMatches ?? 10_000;
  }

  private rememberScan(key: string, filter: UserFilter, found: { count: number; few: readonly User[] | undefined }): Scan {
    const scan = { ...found, test: matchesFilter(filter) };
    this.memo.rememberScan(key, scan);
    return scan;
  }

  /** Whether pages of many matches in this order still need to know where the matches begin and end. */
  private needsEnds(scan: Scan, order: UserOrder, key: string): boolean {
    if (scan.few || scan.count === 0) return false;
    const ends = this.memo.endsOf(order, key);
    return ends.first === null || ends.last === null;
  }
}

function allOf(tests: ReadonlyArray<(user: User) => boolean>): (user: User) => boolean {
  return tests.length === 1 ? tests[0]! : (user) => tests.every((test) => test(user));
}

const NO_MATCHES: Matches = { count: 0, walk: () => [], first: () => undefined, last: () => undefined };

/** Every member of the pool matches. */
function poolMatches(context: PoolContext, pool: Pool, order: UserOrder): Matches {
  return {
    count: pool.size,
    walk: (from, backwards) => walkPool(context, pool, order, from, backwards),
    first: () => walkPool(context, pool, order, undefined).next().value ?? undefined,
    last: () => walkPool(context, pool, order, undefined, true).next().value ?? undefined,
  };
}

/** The matches, remembered in the order. */
function listMatches(list: readonly User[], order: UserOrder): Matches {
  const compare = comparatorOf(order);
  return {
    count: list.length,
    *walk(from, backwards) {
      // The first index strictly after `from` (upwards), or at or after it (the walk begins just before).
      let low = 0;
      let high = list.length;
      if (from !== undefined) {
        while (low < high) {
          const mid = (low + high) >>> 1;
          const side = compare(list[mid]!, from);
          if (side < 0 || (!backwards && side === 0)) low = mid + 1;
          else high = mid;
        }
      } else if (backwards) {
        low = list.length;
      }
      if (backwards) for (let i = low - 1; i >= 0; i--) yield list[i]!;
      else for (let i = low; i < list.length; i++) yield list[i]!;
    },
    first: () => list[0],
    last: () => list.at(-1),
  };
}

/** Matches found by walking the pool and testing its users: each walk begins no earlier than the first match and ends at the last one. */
function scanMatches(
  context: PoolContext,
  pool: Pool,
  order: UserOrder,
  test: (user: User) => boolean,
  count: number,
  first: User | undefined,
  last: User | undefined,
): Matches {
  const compare = comparatorOf(order);
  return {
    count,
    first: () => first,
    last: () => last,
    *walk(from, backwards) {
      const near = backwards ? last : first;
      const far = backwards ? first : last;
      if (near === undefined || far === undefined) return;
      const ahead = (a: UserPosition, b: UserPosition) => (backwards ? compare(b, a) : compare(a, b));
      if (from !== undefined && ahead(from, far) >= 0) return; // past the last match
      let start = from;
      if (from === undefined || ahead(from, near) < 0) {
        yield near;
        if (near === far) return;
        start = near;
      }
      for (const user of walkPool(context, pool, order, start, backwards)) {
        if (!test(user)) continue;
        yield user;
        if (user === far) return;
      }
    },
  };
}
