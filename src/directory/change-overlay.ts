/**
 * The changes applied since the base index was built, kept beside it: the users added or replaced
 * (and a tombstone for each one removed), and, for every id, email and group they touched, what
 * that now names. Copy-on-write B+ trees (sorted-btree): a new overlay shares every node a change
 * does not touch, so applying k changes to an overlay of d costs O(k log d), and every snapshot
 * keeps its own overlay. Reads look here first, then at the base; the directory folds the overlay
 * into a new base when it grows (compaction), so it stays small.
 */
import { BaseIndex, groupsOf } from './base-index.ts';
import { BTree } from './btree.ts';
import { SEGMENT_ORDER, SEGMENTS, segmentsOf, type SegmentName, type UserPosition } from './user-order.ts';
import { compareNewestFirst, compareStrings, normalizeEmail, userKeys, type User } from './user.ts';

/** Users sorted in one segment's order (user-order.ts), each its own key. */
export type SegmentTree = BTree<UserPosition, User>;

/** Some of the overlay's users (all of them, or a group's members), in each segment's order. */
export type OverlayPool = Readonly<Record<SegmentName, SegmentTree>>;

export interface OverlayParts {
  /** SuperTokens id → the user now, or null: removed. Every base user listed here is shadowed. */
  readonly users: BTree<string, User | null>;
  /** Id → the user it names now, or null: nobody. */
  readonly byKey: BTree<string, User | null>;
  /** Normalised email → its holders now, oldest first (possibly none). */
  readonly byEmail: BTree<string, readonly User[]>;
  /** The overlay's users. */
  readonly everyone: OverlayPool;
  /** Group → the overlay's members. */
  readonly groups: ReadonlyMap<string, OverlayPool>;
  /** Group → how many of the base's members are shadowed (changed or removed). */
  readonly shadowedInGroup: ReadonlyMap<string, number>;
  /** How many base users are shadowed. */
  readonly shadowed: number;
}

function emptyPool(): OverlayPool {
  return Object.fromEntries(SEGMENTS.map((segment) => [segment, new BTree<UserPosition, User>(undefined, SEGMENT_ORDER[segment])])) as Record<
    SegmentName,
    SegmentTree
  >;
}

function clonePool(pool: OverlayPool): OverlayPool {
  return Object.fromEntries(SEGMENTS.map((segment) => [segment, pool[segment].clone()])) as Record<SegmentName, SegmentTree>;
}

export class ChangeOverlay {
  private constructor(readonly parts: OverlayParts) {
    const { users, byKey, byEmail, everyone, groups } = parts;
    for (const tree of [users, byKey, byEmail]) tree.freeze();
    for (const pool of [everyone, ...groups.values()]) for (const segment of SEGMENTS) pool[segment].freeze();
  }

  static readonly EMPTY = new ChangeOverlay({
    users: new BTree<string, User | null>(undefined, compareStrings),
    byKey: new BTree<string, User | null>(undefined, compareStrings),
    byEmail: new BTree<string, readonly User[]>(undefined, compareStrings),
    everyone: emptyPool(),
    groups: new Map(),
    shadowedInGroup: new Map(),
    shadowed: 0,
  });

  /** How many users were changed, added or removed since the base (what compaction folds). */
  get size(): number {
    return this.parts.users.size;
  }

  /**
   * A new overlay with these users replaced or added and the users of `removed` (SuperTokens ids)
   * removed; this one is untouched. `current` reads the directory as it is before the change.
   */
  with(base: BaseIndex, removed: Iterable<string>, added: readonly User[], current: Reader): ChangeOverlay {
    const next = new MutableOverlay(this.parts, base, current);
    for (const id of removed) next.remove(id);
    for (const user of added) next.add(user);
    return new ChangeOverlay(next.parts());
  }
}

/** How the directory reads before a change (base and overlay together). */
export interface Reader {
  ownUser(supertokensUserId: string): User | undefined;
  userNamedBy(key: string): User | undefined;
  holdersOf(email: string): readonly User[];
}

/** One change set being applied: trees cloned on first write, reads through what is written so far. */
class MutableOverlay {
  private readonly users: BTree<string, User | null>;
  private readonly byKey: BTree<string, User | null>;
  private readonly byEmail: BTree<string, readonly User[]>;
  private readonly everyone: OverlayPool;
  private readonly groups: Map<string, OverlayPool>;
  /** The groups whose pools this change set has cloned (written freely from then on). */
  private readonly cloned = new Set<string>();
  private readonly shadowedInGroup: Map<string, number>;
  private shadowed: number;

  constructor(
    from: OverlayParts,
    private readonly base: BaseIndex,
    private readonly before: Reader,
  ) {
    this.users = from.users.clone();
    this.byKey = from.byKey.clone();
    this.byEmail = from.byEmail.clone();
    this.everyone = clonePool(from.everyone);
    this.groups = new Map(from.groups);
    this.shadowedInGroup = new Map(from.shadowedInGroup);
    this.shadowed = from.shadowed;
  }

  parts(): OverlayParts {
    const { users, byKey, byEmail, everyone, groups, shadowedInGroup, shadowed } = this;
    return { users, byKey, byEmail, everyone, groups, shadowedInGroup, shadowed };
  }

  private ownUser(id: string): User | undefined {
    const changed = this.users.get(id);
    return changed === undefined ? this.before.ownUser(id) : (changed ?? undefined);
  }

  private userNamedBy(key: string): User | undefined {
    const changed = this.byKey.get(key);
    return changed === undefined ? this.before.userNamedBy(key) : (changed ?? undefined);
  }

  private holdersOf(email: string): readonly User[] {
    return this.byEmail.get(email) ?? this.before.holdersOf(email);
  }

  remove(supertokensUserId: string): void {
    const old = this.ownUser(supertokensUserId);
    if (!old) return;
    const baseUser = this.base.ownUser(supertokensUserId);
    // Where `old` is held: the overlay (which may hold the very object the base holds: a reload
    // keeps unchanged users, and a replayed change may upsert one) or the base.
    const inOverlay = this.users.get(supertokensUserId);
    const wasShadowed = inOverlay !== undefined;
    this.users.set(supertokensUserId, null);
    if (baseUser && !wasShadowed) {
      // The base's user is hidden from now on: its groups count one member less.
      this.shadowed += 1;
      for (const group of groupsOf(baseUser)) this.shadowedInGroup.set(group, (this.shadowedInGroup.get(group) ?? 0) + 1);
    }
    if (inOverlay) {
      // The user came from this overlay: take it out of the overlay's pools.
      const segments = segmentsOf(old);
      for (const segment of segments) this.everyone[segment].delete(old);
      for (const group of groupsOf(old)) {
        const pool = this.writableGroup(group);
        for (const segment of segments) pool[segment].delete(old);
      }
    }
    for (const key of userKeys(old)) if (this.userNamedBy(key) === old) this.byKey.set(key, null);
    for (const email of emailsOf(old)) {
      this.byEmail.set(email, this.holdersOf(email).filter((holder) => holder.supertokensUserId !== supertokensUserId));
    }
  }

  add(user: User): void {
    this.remove(user.supertokensUserId);
    this.users.set(user.supertokensUserId, user);
    for (const key of userKeys(user)) {
      // A key that is another user's own id or SuperTokens id stays theirs: after an unlink the
      // change set may hold the unlinked user while the user it left still lists it, until that
      // one is refreshed too.
      const holder = this.userNamedBy(key);
      const ownedByOther =
        holder !== undefined && holder.supertokensUserId !== user.supertokensUserId && (holder.id === key || holder.supertokensUserId === key);
      if (!ownedByOther) this.byKey.set(key, user);
    }
    for (const email of emailsOf(user)) this.byEmail.set(email, insertOldestFirst(this.holdersOf(email), user));
    const segments = segmentsOf(user);
    for (const segment of segments) this.everyone[segment].set(user, user);
    for (const group of groupsOf(user)) {
      const pool = this.writableGroup(group);
      for (const segment of segments) pool[segment].set(user, user);
    }
  }

  /** The group's pool, writable in this change set (a frozen overlay's is cloned once). */
  private writableGroup(group: string): OverlayPool {
    let pool = this.groups.get(group);
    if (this.cloned.has(group)) return pool!;
    pool = pool ? clonePool(pool) : emptyPool();
    this.cloned.add(group);
    this.groups.set(group, pool);
    return pool;
  }
}

const emailsOf = (user: User) => new Set(user.emails.map(normalizeEmail));

function insertOldestFirst(holders: readonly User[], user: User): User[] {
  const next = holders.filter((holder) => holder.supertokensUserId !== user.supertokensUserId);
  let at = next.length;
  while (at > 0 && compareNewestFirst(next[at - 1]!, user) < 0) at--; // the one before is newer
  next.splice(at, 0, user);
  return next;
}
