/**
 * The domain user, as the directory holds it: plain, immutable data, shaped like the user
 * SuperTokens' SDK returns from getUser (a primary user with every login method linked to it).
 */
export interface ThirdPartyIdentity {
  /** The provider, e.g. "google". */
  readonly id: string;
  /** The user's id at that provider. */
  readonly userId: string;
}

/** One way of signing in: a SuperTokens recipe user. */
export interface LoginMethod {
  /** "emailpassword", "thirdparty" or "passwordless", as SuperTokens names recipes. */
  readonly recipeId: string;
  /** As the SDK shows it: the external id when this recipe user has an id mapping. */
  readonly recipeUserId: string;
  /** The recipe user's SuperTokens id. */
  readonly supertokensUserId: string;
  readonly email: string | null;
  readonly phoneNumber: string | null;
  readonly thirdParty: ThirdPartyIdentity | null;
  /** Sorted. */
  readonly tenantIds: readonly string[];
  /** Epoch milliseconds. */
  readonly timeJoined: number;
  /** Its email is verified; a login method without an email (a phone number) counts as verified, as in core. */
  readonly verified: boolean;
}

/** What a user's roles in one tenant grant there. */
export interface TenantPermissions {
  readonly tenantId: string;
  /** Distinct, sorted. */
  readonly permissions: readonly string[];
}

export interface TenantRoles {
  readonly tenantId: string;
  /** Distinct and sorted. */
  readonly roles: readonly string[];
}

export interface User {
  /** As the SDK shows it: the external id when the user has an id mapping, else supertokensUserId. */
  readonly id: string;
  /** The primary (or only) recipe user's SuperTokens id: what the directory keys the user by. */
  readonly supertokensUserId: string;
  readonly isPrimaryUser: boolean;
  /** The email of the earliest login method that has one (see `loginMethods`); null when none has. */
  readonly email: string | null;
  /** Every login method's email, distinct and sorted. */
  readonly emails: readonly string[];
  /** Distinct and sorted. */
  readonly phoneNumbers: readonly string[];
  /** Sorted by provider, then user id. */
  readonly thirdParty: readonly ThirdPartyIdentity[];
  /** Earliest first (timeJoined, then SuperTokens recipe user id). Never empty. */
  readonly loginMethods: readonly LoginMethod[];
  /** The union of the login methods' tenants, sorted. */
  readonly tenantIds: readonly string[];
  /** Epoch milliseconds: the earliest of the login methods'. */
  readonly timeJoined: number;
  /** Epoch milliseconds; null when SuperTokens never recorded activity. */
  readonly lastActive: number | null;
  /** Distinct and sorted: the union over tenants. */
  readonly roles: readonly string[];
  /** The tenants in which the user holds roles, sorted by tenant. */
  readonly rolesByTenant: readonly TenantRoles[];
  /** The tenants in which the user's roles grant permissions, sorted by tenant. */
  readonly permissionsByTenant: readonly TenantPermissions[];
  /** What the user's roles grant, distinct and sorted. */
  readonly permissions: readonly string[];
  readonly metadata: Readonly<Record<string, unknown>>;
  /** A hash of the database row this user was built from: the drift check compares these. */
  readonly version: string;
}

/** Implemented by users that know their keys without building their login methods (directory-user.ts). */
export const OWN_KEYS_ONLY = Symbol('own keys only');

/**
 * Known, without building its login methods, to answer to its id and SuperTokens id only: a user
 * with one login method, its own (a directory user says so; anyone else is asked by `userKeys`).
 */
export function hasOwnKeysOnly(user: User): boolean {
  return (user as { [OWN_KEYS_ONLY]?: boolean })[OWN_KEYS_ONLY] === true;
}

/**
 * Every id that names this user: its id, its SuperTokens id, and the SuperTokens and external ids
 * of each login method. What `user(id)` and change notices may refer to it by. `id` and
 * `supertokensUserId` come first: they are the user's own.
 */
export function userKeys(user: User): readonly string[] {
  if (hasOwnKeysOnly(user)) {
    return user.id === user.supertokensUserId ? [user.id] : [user.id, user.supertokensUserId];
  }
  const methods = user.loginMethods;
  if (methods.length === 1 && methods[0]!.supertokensUserId === user.supertokensUserId && methods[0]!.recipeUserId === user.id) {
    return user.id === user.supertokensUserId ? [user.id] : [user.id, user.supertokensUserId];
  }
  const keys = new Set([user.id, user.supertokensUserId]);
  for (const method of methods) {
    keys.add(method.supertokensUserId);
    keys.add(method.recipeUserId);
  }
  return [...keys];
}

/** Implemented by users that know their recipes without building their login methods (directory-user.ts). */
export const RECIPE_IDS = Symbol('recipe ids');

/** The recipes of the user's login methods, distinct and sorted. */
export function recipeIdsOf(user: User): readonly string[] {
  const known = (user as { [RECIPE_IDS]?: readonly string[] | undefined })[RECIPE_IDS];
  if (known !== undefined) return known;
  const methods = user.loginMethods;
  return methods.length === 1 ? [methods[0]!.recipeId] : distinctSorted(methods.map((method) => method.recipeId));
}

/** The position of a user in the directory's order: newest first, id (descending) breaks ties. */
export interface UserOrderKey {
  readonly timeJoined: number;
  readonly id: string;
}

/** Negative when `a` comes before `b` in the listing order. */
export function compareNewestFirst(a: UserOrderKey, b: UserOrderKey): number {
  if (a.timeJoined !== b.timeJoined) return b.timeJoined - a.timeJoined;
  if (a.id === b.id) return 0;
  return a.id < b.id ? 1 : -1;
}

/** Oldest first: the reverse of the listing order. */
export function compareOldestFirst(a: UserOrderKey, b: UserOrderKey): number {
  return compareNewestFirst(b, a);
}

/** SuperTokens stores emails trimmed and lower-cased; lookups normalise the same way. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Holds this email through a login method that is in this tenant. */
export function holdsEmailInTenant(user: User, email: string, tenantId: string): boolean {
  const wanted = normalizeEmail(email);
  return user.loginMethods.some(
    (method) => method.email !== null && normalizeEmail(method.email) === wanted && method.tenantIds.includes(tenantId),
  );
}

/**
 * Which of the users holding an email `userByEmail` answers with: among those holding it in the
 * tenant (through a login method in that tenant), the primary user; when none is primary (several
 * unlinked accounts), the oldest. Null when nobody holds it there.
 */
export function chooseUserByEmail(holders: readonly User[], email: string, tenantId: string): User | null {
  const candidates = holders.filter((user) => holdsEmailInTenant(user, email, tenantId)).sort(compareOldestFirst);
  return candidates.find((user) => user.isPrimaryUser) ?? candidates[0] ?? null;
}

/** Distinct, in code-unit order: the bytewise order of the view's COLLATE "C" for every character outside the astral planes. */
export function distinctSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareStrings);
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
