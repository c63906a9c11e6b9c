/**
 * The directory's own User: compact, because a million of them are held at once. What most users
 * share is shared, not copied: the grants of the same roles in the same tenants (one RoleGrants
 * object for every user holding them), the same tenant lists, recipe, tenant, role and provider
 * names. A user with one login method (most users) keeps that method's few own fields on itself;
 * `loginMethods`, `emails`, `phoneNumbers` and `thirdParty` are derived when read. The version is
 * computed when asked for (change events and drift checks), never stored.
 */
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { LoginMethod, TenantPermissions, TenantRoles, ThirdPartyIdentity, User } from './user.ts';
import { compareStrings, distinctSorted, OWN_KEYS_ONLY, RECIPE_IDS } from './user.ts';

/** What a user's roles grant; one object for every user with the same roles in the same tenants. */
export interface RoleGrants {
  readonly roles: readonly string[];
  readonly rolesByTenant: readonly TenantRoles[];
  readonly permissions: readonly string[];
  readonly permissionsByTenant: readonly TenantPermissions[];
}

export const NO_GRANTS: RoleGrants = Object.freeze({
  roles: Object.freeze([]),
  rolesByTenant: Object.freeze([]),
  permissions: Object.freeze([]),
  permissionsByTenant: Object.freeze([]),
});

const NO_STRINGS: readonly string[] = Object.freeze([]);
const NO_IDENTITIES: readonly ThirdPartyIdentity[] = Object.freeze([]);
const NO_METADATA: Readonly<Record<string, unknown>> = Object.freeze({});

/** Recipes a single-method user names by number (in its flag bits); any other keeps its method whole. */
const RECIPES = ['emailpassword', 'thirdparty', 'passwordless', 'webauthn'] as const;
const ONLY_RECIPE = RECIPES.map((recipe) => Object.freeze([recipe]));
const PRIMARY = 1;
const VERIFIED = 2;
/** The single method's recipe, as 1 + its index in RECIPES, in the bits from here on. */
const RECIPE_SHIFT = 2;

export interface DirectoryUserFields {
  readonly id: string;
  readonly supertokensUserId: string;
  readonly isPrimaryUser: boolean;
  readonly email: string | null;
  readonly timeJoined: number;
  readonly lastActive: number | null;
  readonly tenantIds: readonly string[];
  readonly grants: RoleGrants;
  /** Or its JSON text, already checked to be an object (see json-object-text.ts): parsed when first read. */
  readonly metadata: Readonly<Record<string, unknown>> | string;
}

/** The one login method of a user that has one: only what it does not share with its user. */
export interface SingleMethod {
  readonly recipeId: string;
  readonly phoneNumber: string | null;
  readonly thirdParty: ThirdPartyIdentity | null;
  readonly verified: boolean;
}

/**
 * A time (epoch milliseconds) kept as two small integers, its count of TIME_UNIT and the rest.
 * V8 keeps a number field that is not a small integer in an object of its own: as plain fields,
 * a user's time joined and last activity were two more objects (16 bytes each) for the collector
 * to copy while a load runs. A time that is not a whole, non-negative number (none from the
 * database) is kept as it is in the high field, with RAW_TIME in the low one.
 */
const TIME_UNIT = 2 ** 30;
const RAW_TIME = -1;

function timeHigh(ms: number | null): number | null {
  return ms !== null && Number.isSafeInteger(ms) && ms >= 0 ? Math.floor(ms / TIME_UNIT) : ms;
}

function timeLow(ms: number | null): number {
  return ms !== null && Number.isSafeInteger(ms) && ms >= 0 ? ms % TIME_UNIT : RAW_TIME;
}

function timeOf(high: number | null, low: number): number | null {
  return low === RAW_TIME ? high : high! * TIME_UNIT + low;
}

export class DirectoryUser implements User {
  readonly id: string;
  readonly supertokensUserId: string;
  readonly email: string | null;
  readonly tenantIds: readonly string[];
  /**
   * As the database keeps it (JSON text) until first read, then parsed, once: a load parsing
   * every user's made two or three objects a user for the collector to copy, most never read.
   */
  #metadata: Readonly<Record<string, unknown>> | string;
  readonly #grants: RoleGrants;
  /** PRIMARY, and for a single-method user VERIFIED and its recipe (see RECIPE_SHIFT); 0 recipe: `#extra` holds every method. */
  readonly #bits: number;
  /** A single method's phone number or third-party identity (or null); every login method of anyone else. */
  readonly #extra: string | ThirdPartyIdentity | readonly LoginMethod[] | null;
  readonly #joinedHigh: number;
  readonly #joinedLow: number;
  readonly #activeHigh: number | null;
  readonly #activeLow: number;

  private constructor(fields: DirectoryUserFields, bits: number, extra: string | ThirdPartyIdentity | readonly LoginMethod[] | null) {
    this.id = fields.id;
    this.supertokensUserId = fields.supertokensUserId;
    this.email = fields.email;
    this.#joinedHigh = timeHigh(fields.timeJoined)!;
    this.#joinedLow = timeLow(fields.timeJoined);
    this.#activeHigh = timeHigh(fields.lastActive);
    this.#activeLow = timeLow(fields.lastActive);
    this.tenantIds = fields.tenantIds;
    this.#metadata = typeof fields.metadata === 'string' || !isEmpty(fields.metadata) ? fields.metadata : NO_METADATA;
    this.#grants = fields.grants;
    this.#bits = bits | (fields.isPrimaryUser ? PRIMARY : 0);
    this.#extra = extra;
    Object.freeze(this);
  }

  /**
   * A user with one login method, its own: that method is its SuperTokens id, its id as the SDK
   * shows it, its email, its tenants and its time.
   */
  static single(fields: DirectoryUserFields, method: SingleMethod): DirectoryUser {
    const recipe = RECIPES.indexOf(method.recipeId as (typeof RECIPES)[number]);
    if (recipe < 0 || (method.phoneNumber !== null && method.thirdParty !== null)) {
      return DirectoryUser.linked(fields, [
        {
          recipeId: method.recipeId,
          recipeUserId: fields.id,
          supertokensUserId: fields.supertokensUserId,
          email: fields.email,
          phoneNumber: method.phoneNumber,
          thirdParty: method.thirdParty,
          tenantIds: fields.tenantIds,
          timeJoined: fields.timeJoined,
          verified: method.verified,
        },
      ]);
    }
    return new DirectoryUser(fields, ((recipe + 1) << RECIPE_SHIFT) | (method.verified ? VERIFIED : 0), method.thirdParty ?? method.phoneNumber);
  }

  /** A user with several login methods (earliest first), or one that is not its own. */
  static linked(fields: DirectoryUserFields, loginMethods: readonly LoginMethod[]): DirectoryUser {
    return new DirectoryUser(fields, 0, Object.freeze([...loginMethods]));
  }

  /** A single-method user's only keys are its id and SuperTokens id (see userKeys). */
  get [OWN_KEYS_ONLY](): boolean {
    return this.#bits >>> RECIPE_SHIFT !== 0;
  }

  /** A single-method user's recipe, without building its login method (see recipeIdsOf). */
  get [RECIPE_IDS](): readonly string[] | undefined {
    const recipe = this.#bits >>> RECIPE_SHIFT;
    return recipe === 0 ? undefined : ONLY_RECIPE[recipe - 1];
  }

  get metadata(): Readonly<Record<string, unknown>> {
    const held = this.#metadata;
    if (typeof held !== 'string') return held;
    const parsed = JSON.parse(held) as Record<string, unknown>;
    return (this.#metadata = isEmpty(parsed) ? NO_METADATA : Object.freeze(parsed));
  }

  get timeJoined(): number {
    return timeOf(this.#joinedHigh, this.#joinedLow)!;
  }

  get lastActive(): number | null {
    return timeOf(this.#activeHigh, this.#activeLow);
  }

  get isPrimaryUser(): boolean {
    return (this.#bits & PRIMARY) !== 0;
  }

  get loginMethods(): readonly LoginMethod[] {
    const recipe = this.#bits >>> RECIPE_SHIFT;
    if (recipe === 0) return this.#extra as readonly LoginMethod[];
    return [
      {
        recipeId: RECIPES[recipe - 1]!,
        recipeUserId: this.id,
        supertokensUserId: this.supertokensUserId,
        email: this.email,
        phoneNumber: this.#phoneNumber(),
        thirdParty: this.#thirdParty(),
        tenantIds: this.tenantIds,
        timeJoined: this.timeJoined,
        verified: (this.#bits & VERIFIED) !== 0,
      },
    ];
  }

  get emails(): readonly string[] {
    if (this.#bits >>> RECIPE_SHIFT !== 0) return this.email === null ? NO_STRINGS : [this.email];
    return distinctSorted((this.#extra as readonly LoginMethod[]).flatMap((method) => (method.email === null ? [] : [method.email])));
  }

  get phoneNumbers(): readonly string[] {
    if (this.#bits >>> RECIPE_SHIFT !== 0) {
      const phone = this.#phoneNumber();
      return phone === null ? NO_STRINGS : [phone];
    }
    return distinctSorted((this.#extra as readonly LoginMethod[]).flatMap((method) => (method.phoneNumber === null ? [] : [method.phoneNumber])));
  }

  get thirdParty(): readonly ThirdPartyIdentity[] {
    if (this.#bits >>> RECIPE_SHIFT !== 0) {
      const identity = this.#thirdParty();
      return identity === null ? NO_IDENTITIES : [identity];
    }
    return distinctThirdParty(this.#extra as readonly LoginMethod[]);
  }

  get roles(): readonly string[] {
    return this.#grants.roles;
  }

  get rolesByTenant(): readonly TenantRoles[] {
    return this.#grants.rolesByTenant;
  }

  get permissions(): readonly string[] {
    return this.#grants.permissions;
  }

  get permissionsByTenant(): readonly TenantPermissions[] {
    return this.#grants.permissionsByTenant;
  }

  /** A hash of everything the directory serves of this user: equal users, equal versions. */
  get version(): string {
    return userVersion(this);
  }

  /**
   * Serves exactly what `other` serves (a reload keeps the user it holds rather than an equal new
   * one). Metadata is compared as JSON text: the order of its keys is part of what is served.
   * `shared` remembers the shared parts (tenant lists, grants) already found equal.
   */
  sameAs(other: DirectoryUser, shared: SharedParts = new SharedParts()): boolean {
    return (
      this === other ||
      (this.id === other.id &&
        this.supertokensUserId === other.supertokensUserId &&
        this.email === other.email &&
        this.#joinedHigh === other.#joinedHigh &&
        this.#joinedLow === other.#joinedLow &&
        this.#activeHigh === other.#activeHigh &&
        this.#activeLow === other.#activeLow &&
        this.#bits === other.#bits &&
        shared.same(this.tenantIds, other.tenantIds) &&
        shared.same(this.#grants, other.#grants) &&
        sameExtra(this.#extra, other.#extra) &&
        (this.#metadata === other.#metadata || JSON.stringify(this.metadata) === JSON.stringify(other.metadata)))
    );
  }

  #phoneNumber(): string | null {
    return typeof this.#extra === 'string' ? this.#extra : null;
  }

  #thirdParty(): ThirdPartyIdentity | null {
    const extra = this.#extra;
    return extra !== null && typeof extra === 'object' && !Array.isArray(extra) ? (extra as ThirdPartyIdentity) : null;
  }
}

function isEmpty(object: object): boolean {
  for (const _key in object) return false;
  return true;
}

/**
 * Compares the parts users share (one tenant list or RoleGrants object for many users, in each
 * load): each pair is compared once by value, then known. One per comparison of two loads.
 */
export class SharedParts {
  readonly #equalTo = new Map<object, object>();

  same<T extends object>(held: T, loaded: T): boolean {
    if (held === loaded || this.#equalTo.get(loaded) === held) return true;
    if (!isDeepStrictEqual(held, loaded)) return false;
    this.#equalTo.set(loaded, held);
    return true;
  }
}

/** Known to serve the same: the same object, or two directory users that serve the same (see DirectoryUser.sameAs). */
export function sameUser(a: User, b: User, shared?: SharedParts): boolean {
  return a === b || (a instanceof DirectoryUser && b instanceof DirectoryUser && a.sameAs(b, shared));
}

/** A single method's phone number or identity, or every login method of a linked user. */
function sameExtra(a: string | ThirdPartyIdentity | readonly LoginMethod[] | null, b: string | ThirdPartyIdentity | readonly LoginMethod[] | null): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a === 'string' || typeof b === 'string') return false;
  if (!Array.isArray(a) && !Array.isArray(b)) {
    const [x, y] = [a as ThirdPartyIdentity, b as ThirdPartyIdentity];
    return x.id === y.id && x.userId === y.userId;
  }
  return isDeepStrictEqual(a, b);
}

/** md5 of the user as served, in a fixed field order: the same for a directory user and a plain one. */
export function userVersion(user: Omit<User, 'version'>): string {
  const served = [
    user.id,
    user.supertokensUserId,
    user.isPrimaryUser,
    user.email,
    user.emails,
    user.phoneNumbers,
    user.thirdParty.map(({ id, userId }) => [id, userId]),
    user.loginMethods.map((method) => [
      method.recipeId,
      method.recipeUserId,
      method.supertokensUserId,
      method.email,
      method.phoneNumber,
      method.thirdParty && [method.thirdParty.id, method.thirdParty.userId],
      method.tenantIds,
      method.timeJoined,
      method.verified,
    ]),
    user.tenantIds,
    user.timeJoined,
    user.lastActive,
    user.rolesByTenant.map(({ tenantId, roles }) => [tenantId, roles]),
    user.permissionsByTenant.map(({ tenantId, permissions }) => [tenantId, permissions]),
    user.metadata,
  ];
  return createHash('md5').update(JSON.stringify(served)).digest('hex');
}

function distinctThirdParty(methods: readonly LoginMethod[]): ThirdPartyIdentity[] {
  const byKey = new Map<string, ThirdPartyIdentity>();
  for (const { thirdParty } of methods) if (thirdParty) byKey.set(`${thirdParty.id}\u0000${thirdParty.userId}`, thirdParty);
  return [...byKey.values()].sort((a, b) => compareStrings(a.id, b.id) || compareStrings(a.userId, b.userId));
}
