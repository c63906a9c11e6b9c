/**
 * What `users(...)` must answer, written plainly: filter every user, sort, slice. The directory's
 * indexes, scans and memos are checked against this (unit tests on random users, integration
 * tests on the scenario's users over HTTP). Independent of src/directory on purpose: it restates
 * the README's rules rather than reusing the code under test.
 */

/** The parts of a user the listing reads (a domain User is one). */
export interface ListedUser {
  readonly id: string;
  readonly supertokensUserId: string;
  readonly isPrimaryUser: boolean;
  readonly email: string | null;
  readonly emails: readonly string[];
  readonly phoneNumbers: readonly string[];
  readonly thirdParty: ReadonlyArray<{ readonly id: string; readonly userId: string }>;
  readonly loginMethods: ReadonlyArray<{ readonly recipeId: string; readonly recipeUserId: string; readonly supertokensUserId: string; readonly verified: boolean }>;
  readonly tenantIds: readonly string[];
  readonly timeJoined: number;
  readonly lastActive: number | null;
  readonly roles: readonly string[];
  readonly rolesByTenant: ReadonlyArray<{ readonly tenantId: string; readonly roles: readonly string[] }>;
  readonly permissions: readonly string[];
  readonly permissionsByTenant: ReadonlyArray<{ readonly tenantId: string; readonly permissions: readonly string[] }>;
  readonly metadata: Readonly<Record<string, unknown>>;
}

export type ReferenceCondition = { path: string[]; equals: unknown } | { path: string[]; exists: boolean };

export interface ReferenceFilter {
  search?: string;
  role?: string;
  permission?: string;
  tenantId?: string;
  recipeId?: string;
  verified?: boolean;
  isPrimaryUser?: boolean;
  joinedAfter?: number;
  joinedBefore?: number;
  activeAfter?: number;
  activeBefore?: number;
  neverActive?: boolean;
  metadata?: ReferenceCondition[];
}

export const ORDERS = ['JOINED_DESC', 'JOINED_ASC', 'LAST_ACTIVE_DESC', 'LAST_ACTIVE_ASC', 'EMAIL_ASC', 'EMAIL_DESC'] as const;
export type Order = (typeof ORDERS)[number];

/** A place in an order: a user's values as they were (a user is one). */
export type Place = Pick<ListedUser, 'id'> & Partial<Pick<ListedUser, 'timeJoined' | 'lastActive' | 'email'>>;

function deepEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && deepEqual((a as any)[key], (b as any)[key]));
  }
  return a === b;
}

function lookUp(metadata: unknown, path: string[]): { found: boolean; value?: unknown } {
  let here: unknown = metadata;
  for (const key of path) {
    const isObject = typeof here === 'object' && here !== null && !Array.isArray(here);
    if (!isObject || !Object.prototype.hasOwnProperty.call(here, key)) return { found: false };
    here = (here as Record<string, unknown>)[key];
  }
  return { found: true, value: here };
}

export function referenceMatches(user: ListedUser, filter: ReferenceFilter): boolean {
  if (filter.search !== undefined) {
    const term = filter.search.trim().toLowerCase();
    const bareTerm = term.replace(/^@/, '');
    const byEmail = user.emails.some((email) => {
      const lower = email.toLowerCase();
      return lower.startsWith(term) || lower.split('@').at(-1)!.startsWith(bareTerm);
    });
    const byPhone = user.phoneNumbers.some((phone) => phone.startsWith(term) || phone.replace(/^\+/, '').startsWith(term));
    const byProvider = user.thirdParty.some((identity) => identity.id.toLowerCase().startsWith(term) || identity.userId.toLowerCase().startsWith(term));
    const ids = [user.id, user.supertokensUserId, ...user.loginMethods.flatMap((method) => [method.recipeUserId, method.supertokensUserId])];
    const byId = ids.some((id) => id.toLowerCase() === term);
    if (!byEmail && !byPhone && !byProvider && !byId) return false;
  }
  if (filter.tenantId !== undefined && !user.tenantIds.includes(filter.tenantId)) return false;
  if (filter.role !== undefined) {
    const holds =
      filter.tenantId === undefined
        ? user.roles.includes(filter.role)
        : user.rolesByTenant.some((entry) => entry.tenantId === filter.tenantId && entry.roles.includes(filter.role!));
    if (!holds) return false;
  }
  if (filter.permission !== undefined) {
    const holds =
      filter.tenantId === undefined
        ? user.permissions.includes(filter.permission)
        : user.permissionsByTenant.some((entry) => entry.tenantId === filter.tenantId && entry.permissions.includes(filter.permission!));
    if (!holds) return false;
  }
  if (filter.recipeId !== undefined && !user.loginMethods.some((method) => method.recipeId === filter.recipeId)) return false;
  if (filter.verified !== undefined && user.loginMethods.every((method) => method.verified) !== filter.verified) return false;
  if (filter.isPrimaryUser !== undefined && user.isPrimaryUser !== filter.isPrimaryUser) return false;
  if (filter.joinedAfter !== undefined && !(user.timeJoined > filter.joinedAfter)) return false;
  if (filter.joinedBefore !== undefined && !(user.timeJoined < filter.joinedBefore)) return false;
  if (filter.activeAfter !== undefined && !(user.lastActive !== null && user.lastActive > filter.activeAfter)) return false;
  if (filter.activeBefore !== undefined && !(user.lastActive !== null && user.lastActive < filter.activeBefore)) return false;
  if (filter.neverActive !== undefined && (user.lastActive === null) !== filter.neverActive) return false;
  for (const condition of filter.metadata ?? []) {
    const at = lookUp(user.metadata, condition.path);
    if ('exists' in condition ? at.found !== condition.exists : !at.found || !deepEqual(at.value, condition.equals)) return false;
  }
  return true;
}

/** Negative when `a` comes first: the key (present before absent, both ways), then the id, both in the order's direction. */
export function referenceCompare(order: Order, a: Place, b: Place): number {
  const value = (place: Place) =>
    order.startsWith('JOINED') ? place.timeJoined! : order.startsWith('LAST_ACTIVE') ? place.lastActive! : place.email!;
  const [x, y] = [value(a), value(b)];
  if ((x === null) !== (y === null)) return x === null ? 1 : -1;
  let result = x === y || x === null ? 0 : x < y! ? -1 : 1;
  if (result === 0) result = a.id === b.id ? 0 : a.id < b.id ? -1 : 1;
  return order.endsWith('_ASC') ? result : -result;
}

export function referenceList<U extends ListedUser>(users: readonly U[], filter: ReferenceFilter, order: Order): U[] {
  return users.filter((user) => referenceMatches(user, filter)).sort((a, b) => referenceCompare(order, a, b));
}

export interface ReferencePage<U> {
  users: U[];
  totalCount: number;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

/**
 * The page: forward (`first`, default 50, after `after`, before `before`) or backward (`last`
 * before `before`, after `after`). hasNextPage: a match comes after the page (after its cursor
 * when empty, anywhere when it has neither); hasPreviousPage: a match comes before it.
 */
export function referencePage<U extends ListedUser>(
  listed: readonly U[],
  order: Order,
  { first, after, last, before }: { first?: number; after?: Place; last?: number; before?: Place },
): ReferencePage<U> {
  const compare = (a: Place, b: Place) => referenceCompare(order, a, b);
  const inside = listed.filter((user) => (after === undefined || compare(user, after) > 0) && (before === undefined || compare(user, before) < 0));
  const backwards = last !== undefined && first === undefined;
  if (backwards) {
    const users = last === 0 ? [] : inside.slice(-last);
    const start = users[0] ?? before;
    return {
      users,
      totalCount: listed.length,
      hasPreviousPage: listed.some((user) => start === undefined || compare(user, start) < 0),
      hasNextPage: before !== undefined && listed.some((user) => compare(user, before) >= 0),
    };
  }
  const users = inside.slice(0, first ?? 50);
  const end = users.at(-1) ?? after;
  return {
    users,
    totalCount: listed.length,
    hasNextPage: listed.some((user) => end === undefined || compare(user, end) > 0),
    hasPreviousPage: after !== undefined && listed.some((user) => compare(user, after) <= 0),
  };
}
