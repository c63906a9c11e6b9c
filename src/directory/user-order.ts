/**
 * The orders a listing can take, each a total order (the id breaks ties), and how the indexes
 * hold them. Every order reads one key of a user: when it joined, when it was last active, or its
 * email. The users lacking the key (never active, no email) come last in both directions.
 *
 * The indexes keep each key in segments, each sorted one way (its canonical order, below): the
 * users having the key, then those lacking it (by id alone). An order walks the segments in turn,
 * each upwards or downwards: LAST_ACTIVE_DESC walks `active` up then `inactive` up,
 * LAST_ACTIVE_ASC walks `active` down then `inactive` down. So one sorted array (or tree) per
 * segment serves both directions of its key.
 */
import { compareNewestFirst, compareStrings, type User } from './user.ts';

export const USER_ORDERS = ['JOINED_DESC', 'JOINED_ASC', 'LAST_ACTIVE_DESC', 'LAST_ACTIVE_ASC', 'EMAIL_ASC', 'EMAIL_DESC'] as const;
export type UserOrder = (typeof USER_ORDERS)[number];
export const DEFAULT_ORDER: UserOrder = 'JOINED_DESC';

/**
 * A place in an order: the values of a user the order reads, and its id. A user is one; a cursor
 * makes one from the values it recorded (for the order it was made for, the key that order reads
 * is always present, null when the user lacked it).
 */
export interface UserPosition {
  readonly id: string;
  readonly timeJoined?: number;
  readonly lastActive?: number | null;
  readonly email?: string | null;
}

export type OrderKey = 'joined' | 'lastActive' | 'email';
export type SegmentName = 'joined' | 'active' | 'inactive' | 'email' | 'noEmail';
export const SEGMENTS: readonly SegmentName[] = ['joined', 'active', 'inactive', 'email', 'noEmail'];

type Compare = (a: UserPosition, b: UserPosition) => number;

const idAscending: Compare = (a, b) => compareStrings(a.id, b.id);
const idDescending: Compare = (a, b) => compareStrings(b.id, a.id);

/** Each segment's canonical order: what its sorted array and tree hold. */
export const SEGMENT_ORDER: Readonly<Record<SegmentName, Compare>> = {
  // Newest first, id descending: the listing order of the base's array.
  joined: compareNewestFirst as Compare,
  active: (a, b) => b.lastActive! - a.lastActive! || idDescending(a, b),
  inactive: idDescending,
  email: (a, b) => compareStrings(a.email!, b.email!) || idAscending(a, b),
  noEmail: idAscending,
};

interface KeySpec {
  /** The segment of the users having the key, then of those lacking it (when any may). */
  readonly segments: readonly [SegmentName] | readonly [SegmentName, SegmentName];
  /** 0: has the key; 1: lacks it. */
  readonly segmentOf: (position: UserPosition) => 0 | 1;
}

export const KEYS: Readonly<Record<OrderKey, KeySpec>> = {
  joined: { segments: ['joined'], segmentOf: () => 0 },
  lastActive: { segments: ['active', 'inactive'], segmentOf: (position) => (position.lastActive == null ? 1 : 0) },
  email: { segments: ['email', 'noEmail'], segmentOf: (position) => (position.email == null ? 1 : 0) },
};

export interface OrderSpec {
  readonly key: OrderKey;
  /** True: each segment is walked in its canonical order; false: backwards. */
  readonly canonical: boolean;
}

export const ORDERS: Readonly<Record<UserOrder, OrderSpec>> = {
  JOINED_DESC: { key: 'joined', canonical: true },
  JOINED_ASC: { key: 'joined', canonical: false },
  LAST_ACTIVE_DESC: { key: 'lastActive', canonical: true },
  LAST_ACTIVE_ASC: { key: 'lastActive', canonical: false },
  EMAIL_ASC: { key: 'email', canonical: true },
  EMAIL_DESC: { key: 'email', canonical: false },
};

/** The segments a user belongs to, one per key. */
export function segmentsOf(user: User): readonly [SegmentName, SegmentName, SegmentName] {
  return ['joined', user.lastActive === null ? 'inactive' : 'active', user.email === null ? 'noEmail' : 'email'];
}

/** Negative when `a` comes before `b` in this order. */
export function comparatorOf(order: UserOrder): Compare {
  return COMPARATORS[order];
}

const COMPARATORS = Object.fromEntries(
  Object.entries(ORDERS).map(([order, { key, canonical }]) => {
    const { segments, segmentOf } = KEYS[key];
    const compare: Compare = (a, b) => {
      const segment = segmentOf(a);
      if (segment !== segmentOf(b)) return segment - segmentOf(b);
      const within = SEGMENT_ORDER[segments[segment]!](a, b);
      return canonical ? within : -within;
    };
    return [order, compare];
  }),
) as Record<UserOrder, Compare>;

/** The values of `user` this order reads: what a cursor records. */
export function positionIn(order: UserOrder, user: UserPosition): UserPosition {
  switch (ORDERS[order].key) {
    case 'joined':
      return { timeJoined: user.timeJoined!, id: user.id };
    case 'lastActive':
      return { lastActive: user.lastActive ?? null, id: user.id };
    case 'email':
      return { email: user.email ?? null, id: user.id };
  }
}
