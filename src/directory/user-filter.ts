/**
 * Which users a listing asks for: every condition of a filter must hold (they compose by AND).
 * Each condition says how to test one user and, where the snapshot keeps one, which group of its
 * indexes holds every user that can pass it; the snapshot walks the smallest such group and tests
 * the rest (user-snapshot.ts).
 */
import { recipeGroup, roleGroup, tenantGroup } from './base-index.ts';
import { OWN_KEYS_ONLY, recipeIdsOf, userKeys, type User } from './user.ts';

/** A condition on the user's metadata object, at `path` (keys of nested objects). */
export type MetadataCondition =
  /** The value there equals this JSON value (objects whatever the order of their keys). */
  | { readonly path: readonly string[]; readonly equals: unknown }
  /** Something is there (null included), or nothing is. */
  | { readonly path: readonly string[]; readonly exists: boolean };

export interface UserFilter {
  /**
   * Any of the user's emails starts with it, or the domain of one does; a phone number starts with
   * it (with or without its "+"); a third-party provider or a user id at one starts with it; or it
   * is one of the user's ids. Case-insensitive.
   */
  readonly search?: string | undefined;
  /** Holders of this role: in `tenantId` when one is given, else in any tenant. */
  readonly role?: string | undefined;
  /** Holders of this permission through their roles: in `tenantId` when one is given, else in any tenant. */
  readonly permission?: string | undefined;
  /** Users with a login method in this tenant. */
  readonly tenantId?: string | undefined;
  /** Users with a login method of this recipe. */
  readonly recipeId?: string | undefined;
  /** True: every login method of the user is verified; false: some is not. */
  readonly verified?: boolean | undefined;
  readonly isPrimaryUser?: boolean | undefined;
  /** Joined strictly after / before this time (epoch milliseconds). */
  readonly joinedAfter?: number | undefined;
  readonly joinedBefore?: number | undefined;
  /** Last active strictly after / before this time; users never active match neither. */
  readonly activeAfter?: number | undefined;
  readonly activeBefore?: number | undefined;
  /** True: never active; false: active at least once. */
  readonly neverActive?: boolean | undefined;
  /** Every condition holds. */
  readonly metadata?: readonly MetadataCondition[] | undefined;
}

export interface Condition {
  /** The users passing this condition are all members of this group (see base-index.ts). */
  readonly group: string | undefined;
  /** False when the group alone decides (every member passes): no test is needed then. */
  readonly needsTest: boolean;
  readonly test: (user: User) => boolean;
}

export function conditionsOf(filter: UserFilter): Condition[] {
  const { search, role, permission, tenantId, recipeId, verified, isPrimaryUser, joinedAfter, joinedBefore, activeAfter, activeBefore, neverActive, metadata } =
    filter;
  const conditions: Condition[] = [];
  const tested = (test: (user: User) => boolean): Condition => ({ group: undefined, needsTest: true, test });
  if (tenantId !== undefined) {
    conditions.push({ group: tenantGroup(tenantId), needsTest: false, test: (user) => user.tenantIds.includes(tenantId) });
  }
  if (recipeId !== undefined) {
    conditions.push({ group: recipeGroup(recipeId), needsTest: false, test: (user) => recipeIdsOf(user).includes(recipeId) });
  }
  if (role !== undefined) {
    conditions.push(
      tenantId === undefined
        ? { group: roleGroup(role), needsTest: false, test: (user) => user.roles.includes(role) }
        : {
            // Holding the role in some tenant is necessary, not sufficient: the group narrows, the test decides.
            group: roleGroup(role),
            needsTest: true,
            test: (user) => user.rolesByTenant.some((entry) => entry.tenantId === tenantId && entry.roles.includes(role)),
          },
    );
  }
  if (permission !== undefined) {
    conditions.push(
      tested(
        tenantId === undefined
          ? (user) => user.permissions.includes(permission)
          : (user) => user.permissionsByTenant.some((entry) => entry.tenantId === tenantId && entry.permissions.includes(permission)),
      ),
    );
  }
  if (search !== undefined) conditions.push(tested(searchTest(search)));
  if (verified !== undefined) conditions.push(tested((user) => user.loginMethods.every((method) => method.verified) === verified));
  if (isPrimaryUser !== undefined) conditions.push(tested((user) => user.isPrimaryUser === isPrimaryUser));
  if (joinedAfter !== undefined) conditions.push(tested((user) => user.timeJoined > joinedAfter));
  if (joinedBefore !== undefined) conditions.push(tested((user) => user.timeJoined < joinedBefore));
  if (activeAfter !== undefined) conditions.push(tested((user) => user.lastActive !== null && user.lastActive > activeAfter));
  if (activeBefore !== undefined) conditions.push(tested((user) => user.lastActive !== null && user.lastActive < activeBefore));
  if (neverActive !== undefined) conditions.push(tested((user) => (user.lastActive === null) === neverActive));
  for (const condition of metadata ?? []) conditions.push(tested(metadataTest(condition)));
  return conditions;
}

/** Whether a user passes every condition of the filter (what the indexes answer faster). */
export function matchesFilter(filter: UserFilter): (user: User) => boolean {
  const tests = conditionsOf(filter).map((condition) => condition.test);
  return (user) => tests.every((test) => test(user));
}

/** A stable text naming the filter, for memoising its matches: equal filters, equal keys. */
export function filterKey(filter: UserFilter): string {
  return JSON.stringify([
    filter.search?.trim().toLowerCase() ?? null,
    filter.role ?? null,
    filter.permission ?? null,
    filter.tenantId ?? null,
    filter.recipeId ?? null,
    filter.verified ?? null,
    filter.isPrimaryUser ?? null,
    filter.joinedAfter ?? null,
    filter.joinedBefore ?? null,
    filter.activeAfter ?? null,
    filter.activeBefore ?? null,
    filter.neverActive ?? null,
    (filter.metadata ?? []).map((condition) =>
      'exists' in condition ? [condition.path, condition.exists] : [condition.path, 'equals', canonicalJson(condition.equals)],
    ),
  ]);
}

function searchTest(raw: string): (user: User) => boolean {
  const term = raw.trim().toLowerCase();
  // "@example" asks for a domain as much as "example" does.
  const domainTerm = term.startsWith('@') ? term.slice(1) : term;
  // Phone numbers are "+" and digits: other terms cannot start one.
  const phoneLike = /^\+?\d/.test(term);
  const emailMatches = (email: string) => {
    const lower = email.toLowerCase();
    if (lower.startsWith(term)) return true;
    const at = lower.lastIndexOf('@');
    return at >= 0 && lower.startsWith(domainTerm, at + 1);
  };
  const idMatches = (id: string) => id.length === term.length && id.toLowerCase() === term;
  // A scan tests every user: most have one login method of their own, whose email and ids are
  // read without building lists (see userKeys).
  return (user) => {
    const single = (user as { [OWN_KEYS_ONLY]?: boolean })[OWN_KEYS_ONLY] === true;
    if (single) {
      if (user.email !== null && emailMatches(user.email)) return true;
    } else if (user.emails.some(emailMatches)) return true;
    if (phoneLike && user.phoneNumbers.some((phone) => phone.startsWith(term) || (phone.startsWith('+') && phone.startsWith(term, 1)))) return true;
    for (const identity of user.thirdParty) {
      if (identity.id.toLowerCase().startsWith(term) || identity.userId.toLowerCase().startsWith(term)) return true;
    }
    return single ? idMatches(user.id) || idMatches(user.supertokensUserId) : userKeys(user).some(idMatches);
  };
}

function metadataTest(condition: MetadataCondition): (user: User) => boolean {
  const { path } = condition;
  if ('exists' in condition) {
    const { exists } = condition;
    return (user) => (valueAt(user.metadata, path) !== ABSENT) === exists;
  }
  const { equals } = condition;
  return (user) => {
    const value = valueAt(user.metadata, path);
    return value !== ABSENT && jsonEquals(value, equals);
  };
}

const ABSENT = Symbol('absent');

/** The value at `path` in nested objects (own keys only), or ABSENT. */
function valueAt(metadata: unknown, path: readonly string[]): unknown {
  let value = metadata;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, key)) return ABSENT;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** JSON equality: the same value whatever the order of an object's keys. */
export function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => jsonEquals(item, other[i]));
  }
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && jsonEquals((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

/** JSON with object keys sorted: one spelling per value. */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.keys(value)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}
