/**
 * Pages over the users a filter matches, in one order, forwards (`first` after a cursor) or
 * backwards (`last` before one), with Relay's page info. A page is computed from four questions
 * put to the matches (`Matches`): how many there are, which come after (or before) a position,
 * and which comes first and last. The snapshot answers them from a pool, a remembered list or a
 * scan (user-snapshot.ts); the page is the same whichever answers.
 */
import { comparatorOf, type UserOrder, type UserPosition } from './user-order.ts';
import type { User } from './user.ts';

export interface Matches {
  readonly count: number;
  /** The matches strictly after `from` (from the start without one), or, `backwards`, strictly before it towards the start. */
  walk(from: UserPosition | undefined, backwards: boolean): Iterable<User>;
  first(): User | undefined;
  last(): User | undefined;
}

export interface PageRequest {
  readonly order: UserOrder;
  /** The first `first` matches after `after` (and before `before`): a forward page. */
  readonly first?: number | undefined;
  readonly after?: UserPosition | undefined;
  /** The last `last` matches before `before` (and after `after`): a backward page. */
  readonly last?: number | undefined;
  readonly before?: UserPosition | undefined;
}

export interface UserPage {
  /** In the order asked for, whichever way the page was taken. */
  readonly users: readonly User[];
  readonly totalCount: number;
  /** A match comes after the page (after its cursor, when it is empty). */
  readonly hasNextPage: boolean;
  /** A match comes before the page (before its cursor, when it is empty). */
  readonly hasPreviousPage: boolean;
}

export const DEFAULT_PAGE_SIZE = 50;

export function pageOf(matches: Matches, { order, first, after, last, before }: PageRequest): UserPage {
  const compare = comparatorOf(order);
  const backwards = last !== undefined && first === undefined;
  const size = backwards ? last : (first ?? DEFAULT_PAGE_SIZE);
  const users: User[] = [];
  const [from, bound] = backwards ? [before, after] : [after, before];
  if (size > 0) {
    for (const user of matches.walk(from, backwards)) {
      if (bound !== undefined && (backwards ? compare(user, bound) <= 0 : compare(user, bound) >= 0)) break;
      users.push(user);
      if (users.length === size) break;
    }
  }
  if (backwards) users.reverse();
  const firstMatch = matches.first();
  const lastMatch = matches.last();
  let hasNextPage: boolean;
  let hasPreviousPage: boolean;
  if (backwards) {
    // Before the page's first user (before the cursor, for an empty page; anywhere, without one).
    const start = users[0] ?? before;
    hasPreviousPage = firstMatch !== undefined && (start === undefined || compare(firstMatch, start) < 0);
    hasNextPage = before !== undefined && lastMatch !== undefined && compare(lastMatch, before) >= 0;
  } else {
    const end = users.at(-1) ?? after;
    hasNextPage = lastMatch !== undefined && (end === undefined || compare(lastMatch, end) > 0);
    // The page begins right after the cursor: a match before it is one at or before the cursor.
    hasPreviousPage = after !== undefined && firstMatch !== undefined && compare(firstMatch, after) <= 0;
  }
  return { users, totalCount: matches.count, hasNextPage, hasPreviousPage };
}
