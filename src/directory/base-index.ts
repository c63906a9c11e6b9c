/**
 * The users of one full load (or of one compaction), indexed once and never changed after: a
 * plain array in listing order, Maps from every id and every email to users, and each role's and
 * tenant's members as an Int32Array of positions in that array. Arrays and Maps cost a few words
 * an entry where a tree costs nodes and key objects: with a million users this is most of the
 * directory's memory. Changes after the build live beside it (change-overlay.ts).
 *
 * Built in steps, so that a load can yield to requests between them (`buildBaseIndex`); tests and
 * small sets build it at once (`BaseIndex.of`).
 */
import { compareNewestFirst, normalizeEmail, userKeys, type User, type UserOrderKey } from './user.ts';

/** How many users a build step handles before it lets the event loop run. */
const STEP = 4_096;

/** A role's or a tenant's members: the group's name as `role:<name>` or `tenant:<id>`. */
export const roleGroup = (role: string) => `role:${role}`;
export const tenantGroup = (tenantId: string) => `tenant:${tenantId}`;

/** Group names per role list and per tenant list: users share those lists, so most users cost one lookup each. */
const roleGroupsOf = new WeakMap<readonly string[], readonly string[]>();
const tenantGroupsOf = new WeakMap<readonly string[], readonly string[]>();

function namesOf(list: readonly string[], cache: WeakMap<readonly string[], readonly string[]>, name: (value: string) => string): readonly string[] {
  let names = cache.get(list);
  if (!names) cache.set(list, (names = list.map(name)));
  return names;
}

export function groupsOf(user: User): readonly string[] {
  const roles = namesOf(user.roles, roleGroupsOf, roleGroup);
  const tenants = namesOf(user.tenantIds, tenantGroupsOf, tenantGroup);
  return roles.length === 0 ? tenants : tenants.length === 0 ? roles : [...roles, ...tenants];
}

export class BaseIndex {
  private constructor(
    /** Listing order: newest first, id descending on ties. */
    readonly users: readonly User[],
    /** Every id that names a user (see `userKeys`); a user's own id and SuperTokens id are always its own. */
    readonly byKey: ReadonlyMap<string, User>,
    /** Normalised email → its holder, or its holders oldest first. */
    readonly byEmail: ReadonlyMap<string, User | readonly User[]>,
    /** Group → positions of its members in `users`, ascending. */
    readonly groups: ReadonlyMap<string, Int32Array>,
  ) {}

  static readonly EMPTY = new BaseIndex([], new Map(), new Map(), new Map());

  /** Built at once (for small sets and tests). */
  static of(users: Iterable<User>): BaseIndex {
    const steps = buildSteps(users);
    for (;;) {
      const next = steps.next();
      if (next.done) return next.value;
    }
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

  /** The position of the first user that comes strictly after `after` in listing order. */
  positionAfter(after: UserOrderKey): number {
    let low = 0;
    let high = this.users.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compareNewestFirst(this.users[mid]!, after) <= 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Within a group: the index (into its positions) of the first member strictly after `after`. */
  memberIndexAfter(positions: Int32Array, after: UserOrderKey): number {
    let low = 0;
    let high = positions.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compareNewestFirst(this.users[positions[mid]!]!, after) <= 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Builds it from `BaseIndex.of`'s steps; only the builders below construct one. */
  static fromParts(users: readonly User[], byKey: Map<string, User>, byEmail: Map<string, User | User[]>, groups: Map<string, Int32Array>): BaseIndex {
    return new BaseIndex(users, byKey, byEmail, groups);
  }
}

/** Built in steps of a few thousand users, yielding to the event loop between them. */
export async function buildBaseIndex(users: Iterable<User>): Promise<BaseIndex> {
  const steps = buildSteps(users);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function isUserList(held: User | readonly User[]): held is readonly User[] {
  return Array.isArray(held);
}

/**
 * The build, as a generator that yields after each step. The last version of a user (by its
 * SuperTokens id) wins; the order is sorted in runs that are then merged, so that no step sorts
 * more than STEP users at once.
 */
function* buildSteps(input: Iterable<User>): Generator<void, BaseIndex> {
  const latest = new Map<string, User>();
  let counted = 0;
  for (const user of input) {
    latest.set(user.supertokensUserId, user);
    if (++counted % STEP === 0) yield;
  }
  const users = yield* sortedInSteps([...latest.values()]);

  const byKey = new Map<string, User>();
  const byEmail = new Map<string, User | User[]>();
  const members = new Map<string, number[]>();
  for (let position = 0; position < users.length; position++) {
    const user = users[position]!;
    // A user's own id and SuperTokens id are its own, whoever else names them (see change-overlay.ts).
    for (const key of userKeys(user)) {
      const holder = byKey.get(key);
      if (holder === undefined || !(holder.id === key || holder.supertokensUserId === key)) byKey.set(key, user);
    }
    const emails = user.emails;
    for (const email of emails.length === 1 ? [normalizeEmail(emails[0]!)] : new Set(emails.map(normalizeEmail))) {
      const held = byEmail.get(email);
      // Users come newest first: each older holder goes in front.
      if (held === undefined) byEmail.set(email, user);
      else if (Array.isArray(held)) held.unshift(user);
      else byEmail.set(email, [user, held]);
    }
    for (const group of groupsOf(user)) {
      const list = members.get(group);
      if (list) list.push(position);
      else members.set(group, [position]);
    }
    if (position % STEP === STEP - 1) yield;
  }
  for (const [email, held] of byEmail) if (Array.isArray(held)) Object.freeze(held);
  const groups = new Map<string, Int32Array>();
  for (const [group, positions] of members) groups.set(group, Int32Array.from(positions));
  return BaseIndex.fromParts(Object.freeze(users), byKey, byEmail, groups);
}

/** Listing order, sorted run by run and merged, yielding between steps. */
function* sortedInSteps(users: User[]): Generator<void, User[]> {
  let runs: User[][] = [];
  for (let start = 0; start < users.length; start += STEP) {
    runs.push(users.slice(start, start + STEP).sort(compareNewestFirst));
    yield;
  }
  while (runs.length > 1) {
    const merged: User[][] = [];
    for (let i = 0; i < runs.length; i += 2) {
      const left = runs[i]!;
      const right = runs[i + 1];
      if (!right) {
        merged.push(left);
        continue;
      }
      const out = new Array<User>(left.length + right.length);
      let l = 0;
      let r = 0;
      for (let o = 0; o < out.length; o++) {
        out[o] = r >= right.length || (l < left.length && compareNewestFirst(left[l]!, right[r]!) <= 0) ? left[l++]! : right[r++]!;
        if (o % (STEP * 4) === STEP * 4 - 1) yield;
      }
      merged.push(out);
    }
    runs = merged;
  }
  return runs[0] ?? [];
}
