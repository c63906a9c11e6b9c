/**
 * The users of one full load (or of one compaction), indexed once and never changed after: a
 * plain array in listing order, tables from every id and every email to users (string-table.ts),
 * and pools of positions in that array: every user's, and each role's, tenant's and recipe's
 * members'. A pool holds its members sorted in each order's segments (user-order.ts): by listing
 * order, by last activity, by email, each an Int32Array of positions, 4 bytes a member. A group
 * holding every user shares the pool of everyone. Arrays and tables cost a few words an entry
 * where a tree costs nodes and key objects: with a million users this is most of the directory's
 * memory. Changes after the build live beside it (change-overlay.ts).
 *
 * Built in steps, so that a load can yield to requests between them (`buildBaseIndex`); tests and
 * small sets build it at once (`BaseIndex.of`). The activity and email orders may be left to
 * steps that run after the index is in use (`ordersLater`): the first load of a million users is
 * ready two seconds sooner, and a listing in those orders waits for them (`ordering`).
 */
import { runInSteps, runNow, type Steps } from './steps.ts';
import { StringTable } from './string-table.ts';
import type { SegmentName } from './user-order.ts';
import { hasOwnKeysOnly, normalizeEmail, recipeIdsOf, userKeys, type User } from './user.ts';

/** How many users a build step handles before it may let the event loop run (see steps.ts). */
const STEP = 512;
/** Sorted runs are this long before they are merged: a run is sorted in one step (about 2 ms). */
const SORT_RUN = 4_096;

/** A role's, a tenant's or a recipe's members: the group's name as `role:<name>`, `tenant:<id>` or `recipe:<id>`. */
export const roleGroup = (role: string) => `role:${role}`;
export const tenantGroup = (tenantId: string) => `tenant:${tenantId}`;
export const recipeGroup = (recipeId: string) => `recipe:${recipeId}`;

/**
 * The groups of a user. Users share their role and tenant lists, and most have one of few recipe
 * sets: the names are made once per combination, so most users cost three lookups and no array.
 */
const groupNames = new WeakMap<readonly string[], WeakMap<readonly string[], Map<string, readonly string[]>>>();

export function groupsOf(user: User): readonly string[] {
  const recipeIds = recipeIdsOf(user);
  const recipes = recipeIds.length === 1 ? recipeIds[0]! : recipeIds.join('\u0000');
  let byTenants = groupNames.get(user.roles);
  if (!byTenants) groupNames.set(user.roles, (byTenants = new WeakMap()));
  let byRecipes = byTenants.get(user.tenantIds);
  if (!byRecipes) byTenants.set(user.tenantIds, (byRecipes = new Map()));
  let names = byRecipes.get(recipes);
  if (!names) {
    names = Object.freeze([...user.roles.map(roleGroup), ...user.tenantIds.map(tenantGroup), ...recipeIds.map(recipeGroup)]);
    byRecipes.set(recipes, names);
  }
  return names;
}

/**
 * Some users (everyone, or a group's members), as positions into the base's `users`, sorted in
 * each segment's order (user-order.ts): a segment is a run of one of these arrays.
 */
export interface BasePool {
  readonly size: number;
  /** Listing order (the `joined` segment); undefined: every position in turn (the pool of everyone). */
  readonly joined: Int32Array | undefined;
  /** The other orders' segments; undefined until the index's `ordering` is done. */
  readonly orders: PoolOrders | undefined;
}

export interface PoolOrders {
  /** The `active` segment (the first `active` entries), then the `inactive` one. */
  readonly byActivity: Int32Array;
  readonly active: number;
  /** The `email` segment (the first `withEmail` entries), then the `noEmail` one. */
  readonly byEmail: Int32Array;
  readonly withEmail: number;
}

/** A pool while its index is built: its orders are set once they are sorted. */
interface PoolInBuild {
  readonly size: number;
  readonly joined: Int32Array | undefined;
  orders: PoolOrders | undefined;
}

/** Where a segment of a pool lies: positions `start` to `end` (exclusive) of `positions` (undefined: the positions themselves). */
export interface SegmentRun {
  readonly positions: Int32Array | undefined;
  readonly start: number;
  readonly end: number;
}

export function segmentRun(pool: BasePool, segment: SegmentName): SegmentRun {
  if (segment === 'joined') return { positions: pool.joined, start: 0, end: pool.size };
  const orders = pool.orders;
  // Callers wait for the index's `ordering` first (UserSnapshot.prepare): this is a bug, not a state.
  if (orders === undefined) throw new Error(`the ${segment} segment is read before the base index has sorted it`);
  switch (segment) {
    case 'active':
      return { positions: orders.byActivity, start: 0, end: orders.active };
    case 'inactive':
      return { positions: orders.byActivity, start: orders.active, end: pool.size };
    case 'email':
      return { positions: orders.byEmail, start: 0, end: orders.withEmail };
    case 'noEmail':
      return { positions: orders.byEmail, start: orders.withEmail, end: pool.size };
  }
}

const NO_POSITIONS = new Int32Array(0);
const EMPTY_POOL: BasePool = { size: 0, joined: undefined, orders: { byActivity: NO_POSITIONS, active: 0, byEmail: NO_POSITIONS, withEmail: 0 } };

export class BaseIndex {
  /** Until the activity and email orders are sorted (see `ordersLater`): settles when they are. */
  private pendingOrders: Promise<void> | undefined;

  private constructor(
    /** Listing order: newest first, id descending on ties. */
    readonly users: readonly User[],
    /** Every id that names a user (see `userKeys`); a user's own id and SuperTokens id are always its own. */
    readonly byKey: StringTable<User>,
    /** Normalised email → its holder, or its holders oldest first. */
    readonly byEmail: StringTable<User | readonly User[]>,
    /** Every user. */
    readonly everyone: BasePool,
    /** Group → its members. */
    readonly groups: ReadonlyMap<string, BasePool>,
  ) {}

  static readonly EMPTY = new BaseIndex([], new StringTable(), new StringTable(), EMPTY_POOL, new Map());

  /** Built at once (for small sets and tests). */
  static of(users: Iterable<User>): BaseIndex {
    const { index, orderSteps } = runNow(buildSteps(users));
    runNow(orderSteps);
    return index;
  }

  /**
   * Built at once, claiming each user's ids one user at a time: what a build falls back on (see
   * `buildSteps`), and what tests compare it with.
   */
  static ofOneByOne(users: Iterable<User>): BaseIndex {
    const { index, orderSteps } = runNow(buildSteps(users, true));
    runNow(orderSteps);
    return index;
  }

  /** While the activity and email orders are being sorted: settles once they are (undefined: they are). */
  get ordering(): Promise<void> | undefined {
    return this.pendingOrders;
  }

  /** The user whose own SuperTokens id this is. */
  ownUser(supertokensUserId: string): User | undefined {
    const user = this.byKey.get(supertokensUserId);
    return user?.supertokensUserId === supertokensUserId ? user : undefined;
  }

  holdersOf(email: string): readonly User[] {
    const held = this.byEmail.get(email);
    return held === undefined ? [] : isUserList(held) ? held : [held];
  }

  /** Builds it from `BaseIndex.of`'s steps; only the builders below construct one. */
  static fromParts(
    users: readonly User[],
    byKey: StringTable<User>,
    byEmail: StringTable<User | readonly User[]>,
    everyone: BasePool,
    groups: Map<string, BasePool>,
  ): BaseIndex {
    return new BaseIndex(users, byKey, byEmail, everyone, groups);
  }

  /** Sorts the orders in steps, after the index is returned (see `buildBaseIndex`). */
  static sortLater(index: BaseIndex, orderSteps: Steps<void>): void {
    const sorting = runInSteps(orderSteps).finally(() => {
      index.pendingOrders = undefined;
    });
    sorting.catch(() => {}); // a failure reaches whoever waits on `ordering`
    index.pendingOrders = sorting;
  }
}

export interface BuildOptions {
  /**
   * Return the index once its ids, emails and groups are in, and sort the activity and email
   * orders in steps after that (a first load: nothing is served before it, and a listing in those
   * orders waits on `ordering`). Otherwise (a reload, a compaction) it is returned whole.
   */
  readonly ordersLater?: boolean;
  /** For a build beside a served directory (a reload, a compaction): its rest between steps while requests are served (see steps.ts). */
  readonly restMs?: number;
}

/** Built in steps of a few thousand users, yielding to the event loop between them. */
export async function buildBaseIndex(users: Iterable<User>, { ordersLater = false, restMs = 0 }: BuildOptions = {}): Promise<BaseIndex> {
  const { index, orderSteps } = await runInSteps(buildSteps(users), { restMs });
  if (ordersLater) BaseIndex.sortLater(index, orderSteps);
  else await runInSteps(orderSteps, { restMs });
  return index;
}

function isUserList(held: User | readonly User[]): held is readonly User[] {
  return Array.isArray(held);
}

/**
 * The build, as a generator that yields after each step. The last version of a user (by its
 * SuperTokens id) wins; orders are sorted in runs that are then merged, so that no step sorts
 * more than SORT_RUN items at once.
 *
 * A load gives each user once, and no two users claim the same id: the ids are then claimed
 * with one write each, into a Map that grows to a million entries where every probe is a cache
 * miss. When two users do claim an id (a user given twice, or an id that collides), the build
 * starts again one user at a time, as `BaseIndex.ofOneByOne` does; the two give the same index
 * (test/unit/base-index.test.ts).
 */
function* buildSteps(input: Iterable<User>, oneByOne = false): Steps<{ index: BaseIndex; orderSteps: Steps<void> }> {
  const given = Array.isArray(input) ? (input as readonly User[]) : [...input];
  let users: User[] | undefined;
  let byKey: StringTable<User> | undefined;
  if (!oneByOne) {
    users = yield* sortedByListingOrder(given);
    byKey = yield* keysClaimedAtOnce(users);
  }
  if (byKey === undefined) {
    users = yield* sortedByListingOrder(yield* lastVersions(given));
    byKey = yield* keysClaimedOneByOne(users);
  }
  return yield* indexSteps(users!, byKey);
}

/** The last version of each user (by SuperTokens id), in the order first seen. */
function* lastVersions(given: readonly User[]): Steps<User[]> {
  const latest = new Map<string, User>();
  for (let i = 0; i < given.length; i++) {
    latest.set(given[i]!.supertokensUserId, given[i]!);
    if (i % STEP === STEP - 1) yield;
  }
  return [...latest.values()];
}

/**
 * In listing order (compareNewestFirst): newest first, id descending on ties. Times joined are
 * whole milliseconds: sorted by a stable radix sort on them (a few passes over flat arrays,
 * where a comparison sort makes twenty comparisons a user), then each run of users who joined
 * in the same millisecond by id. A time that is not a whole, non-negative number of
 * milliseconds (never from the database) falls back on a comparison sort.
 * test/unit/base-index.test.ts compares the two.
 */
function* sortedByListingOrder(given: readonly User[]): Steps<User[]> {
  const count = given.length;
  const ids = new Array<string>(count);
  // The key: how much older than the newest a user is (ascending: newest first).
  const keys = new Float64Array(count);
  let newest = 0;
  let oldest = Number.MAX_SAFE_INTEGER;
  let wholeMs = true;
  for (let i = 0; i < count; i++) {
    const user = given[i]!;
    ids[i] = user.id;
    keys[i] = user.timeJoined;
    if (!Number.isSafeInteger(user.timeJoined) || user.timeJoined < 0) wholeMs = false;
    else {
      if (user.timeJoined > newest) newest = user.timeJoined;
      if (user.timeJoined < oldest) oldest = user.timeJoined;
    }
  }
  yield;
  const byId = (p: number, q: number) => {
    const x = ids[p]!;
    const y = ids[q]!;
    return x === y ? 0 : x < y ? 1 : -1;
  };
  let positions: ArrayLike<number>;
  if (wholeMs) {
    for (let i = 0; i < count; i++) keys[i] = newest - keys[i]!;
    const sorted = yield* radixSorted(keys, newest - oldest);
    yield* sortTiesInPlace(sorted, (p) => keys[p]!, byId);
    positions = sorted;
  } else {
    positions = yield* sortedInSteps(
      Array.from({ length: count }, (_, i) => i),
      (p, q) => {
        const a = keys[p]!;
        const b = keys[q]!;
        return a !== b ? b - a : byId(p, q);
      },
    );
  }
  const users = new Array<User>(count);
  for (let i = 0; i < count; i++) users[i] = given[positions[i]!]!;
  return users;
}

const RADIX_BITS = 11;
const RADIX = 2 ** RADIX_BITS;

/** The positions of `keys` (whole numbers from 0 to `largest`) by key ascending, equal keys in position order. */
function* radixSorted(keys: Float64Array, largest: number): Steps<Int32Array> {
  const count = keys.length;
  let positions = new Int32Array(count);
  for (let i = 0; i < count; i++) positions[i] = i;
  let sortedKeys = Float64Array.from(keys);
  let nextPositions = new Int32Array(count);
  let nextKeys = new Float64Array(count);
  const starts = new Int32Array(RADIX);
  // Least significant digit first: each pass is stable, so equal keys stay in position order.
  for (let scale = 1; scale <= largest; scale *= RADIX) {
    starts.fill(0);
    for (let i = 0; i < count; i++) {
      starts[Math.floor(sortedKeys[i]! / scale) % RADIX]! += 1;
      if (i % (STEP * 8) === STEP * 8 - 1) yield;
    }
    for (let digit = 0, start = 0; digit < RADIX; digit++) {
      const size = starts[digit]!;
      starts[digit] = start;
      start += size;
    }
    yield;
    for (let i = 0; i < count; i++) {
      const key = sortedKeys[i]!;
      const at = starts[Math.floor(key / scale) % RADIX]!++;
      nextPositions[at] = positions[i]!;
      nextKeys[at] = key;
      if (i % (STEP * 8) === STEP * 8 - 1) yield;
    }
    [positions, nextPositions] = [nextPositions, positions];
    [sortedKeys, nextKeys] = [nextKeys, sortedKeys];
  }
  return positions;
}

/** Each run of positions with equal keys sorted by `compare` (stably), in place. */
function* sortTiesInPlace(positions: Int32Array, keyOf: (position: number) => number, compare: (p: number, q: number) => number): Steps<void> {
  let start = 0;
  for (let i = 1; i <= positions.length; i++) {
    if (i < positions.length && keyOf(positions[i]!) === keyOf(positions[start]!)) continue;
    if (i - start > 1) positions.set(yield* sortedInSteps(Array.from(positions.subarray(start, i)), compare), start);
    start = i;
    if (i % (STEP * 8) === 0) yield;
  }
}

/**
 * Every id that names a user, each to its user (see `userKeys`): a user's own id and SuperTokens
 * id are its own, whoever else names them; an id that only login methods name goes to the oldest
 * user naming it. Claimed one user at a time, each id looked up before it is written.
 */
function* keysClaimedOneByOne(users: readonly User[]): Steps<StringTable<User>> {
  const byKey = new StringTable<User>(users.length);
  for (let position = 0; position < users.length; position++) {
    const user = users[position]!;
    for (const key of userKeys(user)) {
      const holder = byKey.get(key);
      if (holder === undefined || !(holder.id === key || holder.supertokensUserId === key)) byKey.set(key, user);
    }
    if (position % STEP === STEP - 1) yield;
  }
  return byKey;
}

/**
 * The same Map as `keysClaimedOneByOne`, with one write per id and no lookup: first the ids only
 * login methods name (newest user first, so that the oldest is written last), then every user's
 * own ids. Undefined when an own id was already there: who holds it is then decided one by one.
 */
function* keysClaimedAtOnce(users: readonly User[]): Steps<StringTable<User> | undefined> {
  const byKey = new StringTable<User>(expectedKeys(users));
  for (let position = 0; position < users.length; position++) {
    const user = users[position]!;
    if (!hasOwnKeysOnly(user)) {
      for (const key of userKeys(user)) if (key !== user.id && key !== user.supertokensUserId) byKey.set(key, user);
    }
    if (position % STEP === STEP - 1) yield;
  }
  const methodKeys = byKey.size;
  let ownKeys = 0;
  for (let position = 0; position < users.length; position++) {
    const user = users[position]!;
    byKey.set(user.id, user);
    ownKeys += 1;
    if (user.supertokensUserId !== user.id) {
      byKey.set(user.supertokensUserId, user);
      ownKeys += 1;
    }
    if (position % STEP === STEP - 1) yield;
  }
  // Fewer entries than writes: an own id was written over a login method's claim or another
  // user's own id. Telling those apart would cost the lookups this pass saves, and neither
  // happens in a consistent database.
  return byKey.size === methodKeys + ownKeys ? byKey : undefined;
}

/**
 * Users share their list of groups (groupsOf makes one per combination of roles, tenants and
 * recipes): each distinct list is a number, and each position its list's number. Filling the
 * pools then costs one lookup a user, not one per group, and no array grows a member at a time.
 */
interface GroupLists {
  readonly lists: ReadonlyArray<readonly string[]>;
  /** Per position: its list's index in `lists`. */
  readonly listAt: Int32Array;
}

/**
 * About how many ids name these users: sized for them, the table never grows (a million users'
 * ids are more than a table sized for a million holds, and growing places every entry again).
 * Users with several login methods are counted with two more each (most have two).
 */
function expectedKeys(users: readonly User[]): number {
  let keys = users.length;
  for (let i = 0; i < users.length; i++) {
    const user = users[i]!;
    if (user.id !== user.supertokensUserId) keys += 1;
    if (!hasOwnKeysOnly(user)) keys += 2;
  }
  return keys;
}

/** Emails, groups and pools, over users in listing order and their ids. */
function* indexSteps(users: readonly User[], byKey: StringTable<User>): Steps<{ index: BaseIndex; orderSteps: Steps<void> }> {
  const byEmail = new StringTable<User | readonly User[]>(users.length);
  const numberOf = new Map<readonly string[], number>();
  const lists: Array<readonly string[]> = [];
  const listSizes: number[] = [];
  const listAt = new Int32Array(users.length);
  for (let position = 0; position < users.length; position++) {
    const user = users[position]!;
    if (hasOwnKeysOnly(user)) {
      // One login method, its own: its only email is the user's (no array to make).
      if (user.email !== null) byEmail.update(normalizeEmail(user.email), withHolder, user);
    } else {
      const emails = user.emails;
      if (emails.length === 1) byEmail.update(normalizeEmail(emails[0]!), withHolder, user);
      else for (const email of new Set(emails.map(normalizeEmail))) byEmail.update(email, withHolder, user);
    }
    const groups = groupsOf(user);
    let list = numberOf.get(groups);
    if (list === undefined) {
      numberOf.set(groups, (list = lists.length));
      lists.push(groups);
      listSizes.push(0);
    }
    listAt[position] = list;
    listSizes[list]! += 1;
    if (position % STEP === STEP - 1) yield;
  }
  for (const held of byEmail.values()) if (Array.isArray(held)) Object.freeze(held);

  const sizes = new Map<string, number>();
  for (let list = 0; list < lists.length; list++) for (const group of lists[list]!) sizes.set(group, (sizes.get(group) ?? 0) + listSizes[list]!);
  const everyone: PoolInBuild = { size: users.length, joined: undefined, orders: undefined };
  const groups = new Map<string, PoolInBuild>();
  /** Per group holding fewer than everyone: its members, filled in position order. */
  const filling = new Map<string, { readonly positions: Int32Array; next: number }>();
  for (const [group, size] of sizes) {
    if (size === users.length) groups.set(group, everyone);
    else {
      const positions = new Int32Array(size);
      filling.set(group, { positions, next: 0 });
      groups.set(group, { size, joined: positions, orders: undefined });
    }
  }
  const fillsOf = lists.map((names) => names.flatMap((group) => filling.get(group) ?? []));
  for (let position = 0; position < users.length; position++) {
    const fills = fillsOf[listAt[position]!]!;
    for (let i = 0; i < fills.length; i++) {
      const fill = fills[i]!;
      fill.positions[fill.next++] = position;
    }
    if (position % (STEP * 8) === STEP * 8 - 1) yield;
  }
  const index = BaseIndex.fromParts(Object.freeze(users), byKey, byEmail, everyone, groups);
  return { index, orderSteps: orderSteps(users, { lists, listAt }, everyone, groups) };
}

/** An email's holders once `user` holds it too. Users come newest first: each older holder goes in front. */
function withHolder(held: User | readonly User[] | undefined, user: User): User | readonly User[] {
  if (held === undefined) return user;
  if (!isUserList(held)) return [user, held];
  (held as User[]).unshift(user);
  return held;
}

/** The activity and email orders of every pool, set on the pools when sorted. */
function* orderSteps(users: readonly User[], groupLists: GroupLists, everyone: PoolInBuild, groups: ReadonlyMap<string, PoolInBuild>): Steps<void> {
  // The other orders' segments, each sorted on its own from keys read once into flat arrays:
  // comparing them costs far less than comparing users scattered over the heap. These steps run
  // while requests are served (see `ordersLater`): none may pass over every user at once.
  const ids = new Array<string>(users.length);
  const lastActive = new Float64Array(users.length);
  const active: number[] = [];
  const inactive: number[] = [];
  const emails = new Array<string>(users.length);
  const withEmail: number[] = [];
  const noEmail: number[] = [];
  for (let position = 0; position < users.length; position++) {
    const user = users[position]!;
    ids[position] = user.id;
    emails[position] = user.email ?? '';
    if (user.lastActive === null) inactive.push(position);
    else {
      lastActive[position] = user.lastActive;
      active.push(position);
    }
    (user.email === null ? noEmail : withEmail).push(position);
    if (position % STEP === STEP - 1) yield;
  }
  // Ids are distinct: two positions' ids are equal only when the positions are.
  const idAscending = (p: number, q: number) => (p === q ? 0 : ids[p]! < ids[q]! ? -1 : 1);
  const idDescending = (p: number, q: number) => idAscending(q, p);
  const byActivity = yield* joined(
    yield* sortedInSteps(active, (p, q) => lastActive[q]! - lastActive[p]! || idDescending(p, q)),
    yield* sortedInSteps(inactive, idDescending),
  );
  const byEmailPositions = yield* joined(
    yield* sortedInSteps(withEmail, (p, q) => {
      const a = emails[p]!;
      const b = emails[q]!;
      return a === b ? idAscending(p, q) : a < b ? -1 : 1;
    }),
    yield* sortedInSteps(noEmail, idAscending),
  );
  const everyoneOrders: PoolOrders = { byActivity, active: active.length, byEmail: byEmailPositions, withEmail: withEmail.length };

  // Each group's members in the other orders: the order's positions, walked once, dealt out to the groups.
  const dealt = (order: Int32Array, present: number) => {
    const lists = new Map<string, { positions: number[]; present: number }>();
    return (function* () {
      for (let i = 0; i < order.length; i++) {
        const position = order[i]!;
        for (const group of groupLists.lists[groupLists.listAt[position]!]!) {
          let list = lists.get(group);
          if (!list) lists.set(group, (list = { positions: [], present: 0 }));
          list.positions.push(position);
          if (i < present) list.present++;
        }
        if (i % STEP === STEP - 1) yield;
      }
      return lists;
    })();
  };
  const activityOf = yield* dealt(byActivity, everyoneOrders.active);
  const emailOf = yield* dealt(byEmailPositions, everyoneOrders.withEmail);
  everyone.orders = everyoneOrders;
  for (const [group, pool] of groups) {
    if (pool === everyone) continue;
    const activity = activityOf.get(group)!;
    const email = emailOf.get(group)!;
    pool.orders = {
      byActivity: yield* joined(activity.positions),
      active: activity.present,
      byEmail: yield* joined(email.positions),
      withEmail: email.present,
    };
  }
}

/** The positions of each list one after the other, copied a slice at a time. */
function* joined(...lists: ReadonlyArray<readonly number[]>): Steps<Int32Array> {
  const out = new Int32Array(lists.reduce((sum, list) => sum + list.length, 0));
  let at = 0;
  for (const list of lists) {
    for (let start = 0; start < list.length; start += STEP * 64) {
      const end = Math.min(list.length, start + STEP * 64);
      for (let i = start; i < end; i++) out[at++] = list[i]!;
      yield;
    }
  }
  return out;
}

/** Sorted in runs of SORT_RUN, then merged, yielding between steps. */
function* sortedInSteps<T>(items: T[], compare: (a: T, b: T) => number): Generator<void, T[]> {
  let runs: T[][] = [];
  for (let start = 0; start < items.length; start += SORT_RUN) {
    runs.push(items.slice(start, start + SORT_RUN).sort(compare));
    yield;
  }
  while (runs.length > 1) {
    const merged: T[][] = [];
    for (let i = 0; i < runs.length; i += 2) {
      const left = runs[i]!;
      const right = runs[i + 1];
      if (!right) {
        merged.push(left);
        continue;
      }
      const out = new Array<T>(left.length + right.length);
      let l = 0;
      let r = 0;
      for (let o = 0; o < out.length; o++) {
        out[o] = r >= right.length || (l < left.length && compare(left[l]!, right[r]!) <= 0) ? left[l++]! : right[r++]!;
        if (o % (STEP * 4) === STEP * 4 - 1) yield;
      }
      merged.push(out);
    }
    runs = merged;
  }
  return runs[0] ?? [];
}
