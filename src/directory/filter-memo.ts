/**
 * What a snapshot remembers of the filters it was asked for that no group of the indexes decides
 * alone: for each, how many users match and, when they are few, which (a scan), and, in each
 * order asked for, which match comes first and last (its ends). A pass over a million users
 * costs a good part of a second: a snapshot made by a change does not pass again, it inherits
 * its parent's memo with the change applied (the users it removed and added tested against each
 * filter). A compaction or a reload starts afresh. Bounded: the most recently used entries.
 */
import { comparatorOf, type UserOrder } from './user-order.ts';
import type { User } from './user.ts';

/** How many filters (and filters in an order) are remembered. */
const MEMO_SIZE = 64;

export interface Scan {
  readonly count: number;
  /** Every match, in no order, when they are few; undefined: too many to keep. */
  readonly few: readonly User[] | undefined;
  /** The whole filter (every condition): what decides whether a changed user matches. */
  readonly test: (user: User) => boolean;
}

/** The first and last match in an order: undefined when none matches, null when not known. */
export interface Ends {
  readonly order: UserOrder;
  readonly filter: string;
  readonly first: User | undefined | null;
  readonly last: User | undefined | null;
}

export class FilterMemo {
  /** Filter → its scan. */
  private readonly scans: Map<string, Scan>;
  /** Order and filter → its ends. */
  private readonly ends: Map<string, Ends>;
  /** Order and filter → its few matches, sorted (made again from the scan after a change). */
  private readonly sorted = new Map<string, readonly User[]>();
  /** Order and filter → a pass in steps under way (see UserSnapshot.prepare). */
  readonly pending = new Map<string, Promise<void>>();

  constructor(scans: Map<string, Scan> = new Map(), ends: Map<string, Ends> = new Map()) {
    this.scans = scans;
    this.ends = ends;
  }

  scan(filter: string): Scan | undefined {
    return recall(this.scans, filter);
  }

  rememberScan(filter: string, scan: Scan): void {
    remember(this.scans, filter, scan);
  }

  endsOf(order: UserOrder, filter: string): Ends {
    return recall(this.ends, `${order} ${filter}`) ?? { order, filter, first: null, last: null };
  }

  rememberEnds(ends: Ends): void {
    remember(this.ends, `${ends.order} ${ends.filter}`, ends);
  }

  /** The few matches of a scan, in the order. */
  sortedFew(order: UserOrder, filter: string, few: readonly User[]): readonly User[] {
    const key = `${order} ${filter}`;
    let list = recall(this.sorted, key);
    if (!list) remember(this.sorted, key, (list = [...few].sort(comparatorOf(order))));
    return list;
  }

  /** The memo of a snapshot made from this one's by removing `removed` (as they were) and adding `added`. */
  carried(removed: readonly User[], added: readonly User[], fewest: number): FilterMemo {
    const scans = new Map<string, Scan>();
    for (const [filter, scan] of this.scans) {
      const gone = removed.filter(scan.test);
      const come = added.filter(scan.test);
      if (gone.length === 0 && come.length === 0) {
        scans.set(filter, scan);
        continue;
      }
      const count = scan.count - gone.length + come.length;
      let few: User[] | undefined;
      if (scan.few) {
        const leaving = new Set(gone);
        few = [...scan.few.filter((user) => !leaving.has(user)), ...come];
        if (few.length > fewest) few = undefined;
      }
      scans.set(filter, { count, few, test: scan.test });
    }
    const ends = new Map<string, Ends>();
    const leaving = new Set(removed);
    for (const [key, each] of this.ends) {
      const scan = scans.get(each.filter);
      if (!scan) continue;
      const compare = comparatorOf(each.order);
      const come = added.filter(scan.test);
      // An end stays known while it stays: only a match added can come before it (after it).
      const end = (known: User | undefined | null, better: (candidate: User, than: User) => boolean): User | undefined | null => {
        if (known === null || (known !== undefined && leaving.has(known))) return null;
        let best = known;
        for (const user of come) if (best === undefined || better(user, best)) best = user;
        return best;
      };
      ends.set(key, {
        ...each,
        first: end(each.first, (user, than) => compare(user, than) < 0),
        last: end(each.last, (user, than) => compare(user, than) > 0),
      });
    }
    return new FilterMemo(scans, ends);
  }
}

/** A remembered value, now the most recently used. */
function recall<V>(memo: Map<string, V>, key: string): V | undefined {
  const value = memo.get(key);
  if (value !== undefined) {
    memo.delete(key);
    memo.set(key, value);
  }
  return value;
}

function remember<V>(memo: Map<string, V>, key: string, value: V): void {
  memo.delete(key);
  if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value!);
  memo.set(key, value);
}
