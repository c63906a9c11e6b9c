/**
 * A pool of a snapshot (every user, or a group's members): the base's members not shadowed by a
 * change, merged with the overlay's, walked in any order from any position. Each order is a
 * sequence of segments (user-order.ts); each segment is a run of a sorted array of base positions
 * and a tree of overlay users, merged as they are walked, upwards or downwards. Finding where to
 * start costs a binary search and a tree descent: a page costs O(log n + page + shadowed users
 * skipped).
 */
import { segmentRun, type BasePool } from './base-index.ts';
import type { BTree } from './btree.ts';
import type { OverlayPool } from './change-overlay.ts';
import { KEYS, ORDERS, SEGMENT_ORDER, type SegmentName, type UserOrder, type UserPosition } from './user-order.ts';
import type { Steps } from './steps.ts';
import type { User } from './user.ts';

export interface Pool {
  /** The base's members; undefined: none. */
  readonly base: BasePool | undefined;
  /** The overlay's members; undefined: none. */
  readonly overlay: OverlayPool | undefined;
  /** Members in all, shadowed base members left out. */
  readonly size: number;
}

/** What a pool is read against: the base's users, and the SuperTokens ids the overlay shadows. */
export interface PoolContext {
  readonly users: readonly User[];
  readonly shadowed: BTree<string, User | null>;
}

/**
 * The pool's users in `order` strictly after `from` (from the start without one); `backwards`:
 * strictly before it, walking towards the start.
 */
export function* walkPool(context: PoolContext, pool: Pool, order: UserOrder, from: UserPosition | undefined, backwards = false): Generator<User> {
  const { key, canonical } = ORDERS[order];
  const { segments, segmentOf } = KEYS[key];
  const steps = segments.map((segment) => ({ segment, upwards: canonical }));
  if (backwards) {
    steps.reverse();
    for (const step of steps) step.upwards = !step.upwards;
  }
  let k = from === undefined ? 0 : steps.findIndex((step) => step.segment === segments[segmentOf(from)]);
  for (const start = k; k < steps.length; k++) yield* walkSegment(context, pool, steps[k]!.segment, steps[k]!.upwards, k === start ? from : undefined);
}

function* walkSegment(context: PoolContext, pool: Pool, segment: SegmentName, upwards: boolean, from: UserPosition | undefined): Generator<User> {
  const compare = SEGMENT_ORDER[segment];
  const { users, shadowed } = context;
  const checkShadow = shadowed.size > 0;
  const { positions, start, end } = pool.base ? segmentRun(pool.base, segment) : { positions: undefined, start: 0, end: 0 };
  const userAt = (i: number) => users[positions ? positions[i]! : i]!;

  // The base entry to yield first: the first strictly past `from` in the walk's direction.
  let low = start;
  let high = end;
  if (from !== undefined) {
    while (low < high) {
      const mid = (low + high) >>> 1;
      const side = compare(userAt(mid), from);
      if (side < 0 || (upwards && side === 0)) low = mid + 1;
      else high = mid;
    }
  }
  let i = from === undefined ? (upwards ? start : end - 1) : upwards ? low : low - 1;
  const step = upwards ? 1 : -1;

  const tree = pool.overlay?.[segment];
  const overlay = tree && tree.size > 0 ? (upwards ? tree.entries(from) : tree.entriesReversed(from, undefined, true)) : undefined;
  let next = overlay?.next();
  if (upwards && from !== undefined && next && !next.done && compare(next.value[0], from) === 0) next = overlay!.next(); // strictly after

  for (;;) {
    let fromBase: User | undefined;
    while (upwards ? i < end : i >= start) {
      const candidate = userAt(i);
      if (!checkShadow || !shadowed.has(candidate.supertokensUserId)) {
        fromBase = candidate;
        break;
      }
      i += step;
    }
    const fromOverlay = next && !next.done ? next.value[1] : undefined;
    if (fromBase === undefined && fromOverlay === undefined) return;
    if (fromOverlay === undefined || (fromBase !== undefined && (upwards ? compare(fromBase, fromOverlay) < 0 : compare(fromBase, fromOverlay) > 0))) {
      i += step;
      yield fromBase!;
    } else {
      next = overlay!.next();
      yield fromOverlay;
    }
  }
}

/** How many users a long pass tests before it yields (see steps.ts). */
const STEP = 1_024;

/**
 * The first user of the pool in `order` (the last, `backwards`) that passes `test`: what a walk
 * would yield first, found by plain loops, for searches that may pass over many users.
 */
export function* findInPool(context: PoolContext, pool: Pool, order: UserOrder, backwards: boolean, test: (user: User) => boolean): Steps<User | undefined> {
  const { key, canonical } = ORDERS[order];
  const segments = backwards ? [...KEYS[key].segments].reverse() : KEYS[key].segments;
  const upwards = canonical !== backwards;
  const { users, shadowed } = context;
  const checkShadow = shadowed.size > 0;
  let tested = 0;
  for (const segment of segments) {
    let fromBase: User | undefined;
    if (pool.base) {
      const { positions, start, end } = segmentRun(pool.base, segment);
      for (let i = upwards ? start : end - 1; upwards ? i < end : i >= start; i += upwards ? 1 : -1) {
        const user = users[positions ? positions[i]! : i]!;
        if ((!checkShadow || !shadowed.has(user.supertokensUserId)) && test(user)) {
          fromBase = user;
          break;
        }
        if (++tested % STEP === 0) yield;
      }
    }
    let fromOverlay: User | undefined;
    const tree = pool.overlay?.[segment];
    if (tree && tree.size > 0) {
      for (const [, user] of upwards ? tree.entries() : tree.entriesReversed()) {
        if (test(user)) {
          fromOverlay = user;
          break;
        }
      }
    }
    if (fromBase === undefined) {
      if (fromOverlay !== undefined) return fromOverlay;
      continue;
    }
    if (fromOverlay === undefined) return fromBase;
    const side = SEGMENT_ORDER[segment](fromBase, fromOverlay);
    return (upwards ? side < 0 : side > 0) ? fromBase : fromOverlay;
  }
  return undefined;
}

/** How many users of the pool pass `test`, and which, while they are at most `fewest`. */
export function* scanPool(context: PoolContext, pool: Pool, test: (user: User) => boolean, fewest: number): Steps<{ count: number; few: User[] | undefined }> {
  const { users, shadowed } = context;
  const checkShadow = shadowed.size > 0;
  let count = 0;
  let few: User[] | undefined = [];
  const visit = (user: User) => {
    if (!test(user)) return;
    count++;
    if (few && few.push(user) > fewest) few = undefined;
  };
  if (pool.base) {
    const { positions, start, end } = segmentRun(pool.base, 'joined');
    for (let i = start; i < end; i++) {
      const user = users[positions ? positions[i]! : i]!;
      if (!checkShadow || !shadowed.has(user.supertokensUserId)) visit(user);
      if (i % STEP === STEP - 1) yield;
    }
  }
  pool.overlay?.joined.forEachPair((_key, user) => {
    visit(user);
  });
  return { count, few };
}
