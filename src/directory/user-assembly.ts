/**
 * What a user IS, decided once: a user is assembled here from the parts the database keeps apart
 * (the data layer reads them, see sql/<layout>/usergraph_user_parts.sql), for the full load and
 * for lookups alike. user_full_view says the same in SQL for people;
 * test/integration/user-assembly.test.ts checks that the two agree.
 *
 * The rules, as SuperTokens' getUser applies them:
 * - a user is a primary user (or an unlinked recipe user) with every recipe user linked to it
 *   that still has its recipe row; none left: no user;
 * - its id is its external id when it has an id mapping; its roles are filed under that id (and
 *   so is its metadata, activity under its SuperTokens id: the login-method part brings those);
 * - a login method's tenants are core 12's recipe_user_tenants rows when it has any, else
 *   all_auth_recipe_users'; it is verified when it has no email (a phone number) or when its email
 *   is verified under its recipe user's external id (or SuperTokens id);
 * - login methods are listed earliest first (then by SuperTokens id, bytewise); the user's email
 *   is the first of theirs that has one; it joined when the earliest did.
 *
 * Rows that cannot be part of a user (no id, a time that is not a time, metadata that is not a
 * JSON object, or nested too deep to serve) are logged with the user id, never the email, and
 * skipped or repaired.
 */
import type { Logger } from '../logger.ts';
import { DirectoryUser, NO_GRANTS, type RoleGrants } from './directory-user.ts';
import { InternedLists } from './interned-lists.ts';
import { isJsonObjectText } from './json-object-text.ts';
import { NumberedKeys } from './numbered-keys.ts';
import { compareStrings, type LoginMethod, type ThirdPartyIdentity, type User } from './user.ts';

/** One recipe user as usergraph_login_methods gives it; the recipe's fields are null when its recipe row is gone. */
export interface LoginMethodPart {
  readonly userKey: string;
  readonly recipeUserKey: string;
  readonly recipeId: string;
  readonly isLinked: boolean;
  readonly externalUserId: string | null;
  readonly email: string | null;
  readonly phoneNumber: string | null;
  readonly thirdPartyId: string | null;
  readonly thirdPartyUserId: string | null;
  /** Epoch milliseconds as the database gives BIGINT (text), or null when the recipe row is gone. */
  readonly timeJoined: string | null;
  /** Of the user this recipe user belongs to (the same on each of its rows): its last activity (BIGINT text). */
  readonly userLastActive: string | null;
  /** Of the user: its metadata as stored (JSON text). */
  readonly userMetadata: string | null;
}

/**
 * A user whose rows are still coming (a linked user's, in the full load, come in any order): what
 * it keeps of those in so far. Its rows are not held: each is made its login method as it comes
 * (held whole until the last, the 200,000 linked rows of a million users were about 45 MB that
 * the collector copied twice and promoted, only to drop).
 */
export interface PendingUser {
  /** Its key, trimmed ('' when the rows had none). */
  readonly supertokensUserId: string;
  readonly methods: LoginMethod[];
  /** Its own row's external id ('' when it has none), or undefined until its own row comes. */
  ownExternalId: string | undefined;
  isPrimaryUser: boolean;
  /** A row with its recipe row came (made a login method or not). */
  hasRecipeRow: boolean;
  /** Of the user as a whole (the same on each of its rows): as its first row gave them. */
  readonly lastActive: string | null;
  readonly metadata: string | null;
}

/** Metadata of none. */
const NO_METADATA: Readonly<Record<string, unknown>> = Object.freeze({});

/** A key the parts do not name (see NumberedKeys.find). */
const NO_KEY = -1;

/**
 * What the parts say of each key, by its number (see NumberedKeys): of a user's id (its roles),
 * of a recipe user's id (its verified emails), of a recipe user's SuperTokens id (its tenants).
 * For most users the three are one id: one lookup finds them all (a million-entry table costs a
 * cache miss or more per lookup). The arrays hold shared lists, or the verified emails: no object
 * per key for the collector to copy while the load runs.
 */
export class UserAssembly {
  private readonly permissionsOf = new Map<string, string[]>();
  private readonly keys: NumberedKeys;
  /** {tenant, role} pairs, each as `tenant\u0000role` (an interned list: see rolePairs). */
  private readonly roles: Array<readonly string[] | undefined>;
  private readonly verified: Array<string | string[] | undefined>;
  /** Tenants from all_auth_recipe_users (an interned list: see tenantLists). */
  private readonly tenants: Array<readonly string[] | undefined>;
  /** Tenants from core 12's recipe_user_tenants: when a key has any there, only those count. */
  private readonly preferredTenants: Array<readonly string[] | undefined>;
  /** Interned: every user holding the same roles in the same tenants shares one RoleGrants (by its interned list of pairs). */
  private readonly grants = new Map<readonly string[], RoleGrants>();
  private readonly rolePairs = new InternedLists();
  private readonly tenantLists = new InternedLists();
  /** Interned: every name that recurs outside those lists (recipes, providers, permissions). */
  private readonly names = new Map<string, string>();

  /** `expectedKeys`: how many keys the parts will name (a reload knows it from the load before), so that their table never grows. */
  constructor(
    private readonly logger: Logger,
    expectedKeys = 0,
  ) {
    this.keys = new NumberedKeys(expectedKeys);
    // Sized at once: grown a key at a time, each array was copied a few dozen times.
    this.roles = new Array(expectedKeys).fill(undefined);
    this.verified = new Array(expectedKeys).fill(undefined);
    this.tenants = new Array(expectedKeys).fill(undefined);
    this.preferredTenants = new Array(expectedKeys).fill(undefined);
  }

  /** How many keys the parts named. */
  get keyCount(): number {
    return this.keys.size;
  }

  addRolePermission(role: string, permission: string): void {
    const permissions = this.permissionsOf.get(role);
    if (permissions) permissions.push(this.name(permission));
    else this.permissionsOf.set(role, [this.name(permission)]);
  }

  addRole(userKey: string, tenantId: string, role: string): void {
    const key = this.numberOf(userKey);
    // The interned lists keep one string per pair: a row's own is garbage at once.
    this.roles[key] = this.rolePairs.with(this.roles[key], `${tenantId}\u0000${role}`);
  }

  addVerifiedEmail(userKey: string, email: string): void {
    const key = this.numberOf(userKey);
    this.verified[key] = withAdded(this.verified[key], email);
  }

  addTenant(recipeUserKey: string, tenantId: string, preferred: boolean): void {
    const key = this.numberOf(trimKey(recipeUserKey));
    if (preferred) this.preferredTenants[key] = this.tenantLists.with(this.preferredTenants[key], tenantId);
    else this.tenants[key] = this.tenantLists.with(this.tenants[key], tenantId);
  }

  /** The key's number; a new key past the arrays' size gets its place, empty, in each. */
  private numberOf(userKey: string): number {
    const key = this.keys.numberOf(userKey);
    if (key === this.roles.length) {
      this.roles.push(undefined);
      this.verified.push(undefined);
      this.tenants.push(undefined);
      this.preferredTenants.push(undefined);
    }
    return key;
  }

  /**
   * A recipe user's tenants: distinct, sorted, and one array for every equal list. Those of
   * recipe_user_tenants when it has any there (preferred), else those of all_auth_recipe_users.
   */
  private tenantsOf(key: number): readonly string[] {
    if (key === NO_KEY) return this.tenantLists.of([]);
    return this.preferredTenants[key] ?? this.tenants[key] ?? this.tenantLists.of([]);
  }

  /** The user these recipe users (every row of one user key) make, or null when they make none. */
  assemble(parts: readonly LoginMethodPart[]): User | null {
    const first = parts[0];
    if (!first) return null;
    // Most users: one recipe user, its own, with its recipe row. Nothing to sort or merge.
    if (parts.length === 1) {
      const supertokensUserId = trimKey(first.userKey);
      if (supertokensUserId !== '' && trimKey(first.recipeUserKey) === supertokensUserId) {
        const timeJoined = parseEpochMs(first.timeJoined);
        if (timeJoined !== null && typeof first.recipeId === 'string') return this.singleMethodUser(first, supertokensUserId, timeJoined);
      }
    }
    const pending = this.pendingUser(first);
    for (let i = 1; i < parts.length; i++) this.addRow(pending, parts[i]!);
    return this.assemblePending(pending);
  }

  /**
   * A user whose rows come one at a time, in any order, from its first (see PendingUser): each
   * row is made its login method as it comes (`addRow`), and the user once the last is in
   * (`assemblePending`).
   */
  pendingUser(first: LoginMethodPart): PendingUser {
    const pending: PendingUser = {
      supertokensUserId: trimKey(first.userKey),
      methods: [],
      ownExternalId: undefined,
      isPrimaryUser: false,
      hasRecipeRow: false,
      lastActive: first.userLastActive,
      metadata: first.userMetadata,
    };
    this.addRow(pending, first);
    return pending;
  }

  /** One more row of a pending user's (the same user key). */
  addRow(pending: PendingUser, part: LoginMethodPart): void {
    const supertokensUserId = pending.supertokensUserId;
    if (supertokensUserId === '') return; // no user: assemblePending says so
    const recipeUserKey = trimKey(part.recipeUserKey);
    if (recipeUserKey === supertokensUserId) pending.ownExternalId = part.externalUserId ?? '';
    if (part.timeJoined === null) return; // its recipe row is gone: not a login method
    pending.hasRecipeRow = true;
    const method = this.loginMethod(part, recipeUserKey);
    if (!method) {
      this.logger.warn({ userId: supertokensUserId }, 'skipped a login method the database did not shape as expected');
      return;
    }
    pending.methods.push(method);
    if (part.isLinked) pending.isPrimaryUser = true;
  }

  /** The user a pending user's rows make, once every row is in; null when they make none. */
  assemblePending(pending: PendingUser): User | null {
    const { supertokensUserId, methods } = pending;
    if (supertokensUserId === '') {
      this.logger.warn('skipped a user row without a user id');
      return null;
    }
    // The user's own row anchors it (core keeps it while anything is linked to it, and marks it
    // primary: the startup load gathers a user's rows by that mark).
    if (pending.ownExternalId === undefined) {
      this.logger.warn({ userId: supertokensUserId }, 'skipped login methods linked to a user whose own row is not among them');
      return null;
    }
    if (methods.length === 0) {
      if (pending.hasRecipeRow) this.logger.warn({ userId: supertokensUserId }, 'skipped a user row without login methods');
      return null;
    }
    methods.sort((a, b) => a.timeJoined - b.timeJoined || compareStrings(a.supertokensUserId, b.supertokensUserId));

    const id = nonEmpty(pending.ownExternalId) ?? supertokensUserId;
    return DirectoryUser.linked(
      {
        id,
        supertokensUserId,
        isPrimaryUser: pending.isPrimaryUser,
        email: methods.find((method) => method.email !== null)?.email ?? null,
        timeJoined: methods[0]!.timeJoined,
        lastActive: parseEpochMs(pending.lastActive),
        tenantIds: methods.length === 1 ? methods[0]!.tenantIds : this.tenantLists.of(methods.flatMap((method) => method.tenantIds)),
        grants: this.grantsOf(this.keys.find(id)),
        metadata: this.metadataOf(pending.metadata, supertokensUserId),
      },
      methods,
    );
  }

  /** The common case, without the intermediate LoginMethod: a user whose only login method is its own. */
  private singleMethodUser(part: LoginMethodPart, supertokensUserId: string, timeJoined: number): User {
    const id = nonEmpty(part.externalUserId) ?? supertokensUserId;
    const own = this.keys.find(id);
    return DirectoryUser.single(
      {
        id,
        supertokensUserId,
        isPrimaryUser: part.isLinked,
        email: part.email,
        timeJoined,
        lastActive: parseEpochMs(part.userLastActive),
        tenantIds: this.tenantsOf(id === supertokensUserId ? own : this.keys.find(supertokensUserId)),
        grants: this.grantsOf(own),
        metadata: this.metadataOf(part.userMetadata, supertokensUserId),
      },
      {
        recipeId: this.name(part.recipeId),
        phoneNumber: part.phoneNumber,
        thirdParty: this.thirdPartyOf(part),
        verified: this.isVerified(own, part.email),
      },
    );
  }

  private thirdPartyOf(part: LoginMethodPart): ThirdPartyIdentity | null {
    return part.thirdPartyId !== null && part.thirdPartyUserId !== null
      ? Object.freeze({ id: this.name(part.thirdPartyId), userId: part.thirdPartyUserId })
      : null;
  }

  private loginMethod(part: LoginMethodPart, supertokensUserId: string): LoginMethod | null {
    const timeJoined = parseEpochMs(part.timeJoined);
    if (supertokensUserId === '' || timeJoined === null || typeof part.recipeId !== 'string') return null;
    const recipeUserId = nonEmpty(part.externalUserId) ?? supertokensUserId;
    const recipe = this.keys.find(supertokensUserId);
    return Object.freeze({
      recipeId: this.name(part.recipeId),
      recipeUserId,
      supertokensUserId,
      email: part.email,
      phoneNumber: part.phoneNumber,
      thirdParty: this.thirdPartyOf(part),
      tenantIds: this.tenantsOf(recipe),
      timeJoined,
      verified: this.isVerified(recipeUserId === supertokensUserId ? recipe : this.keys.find(recipeUserId), part.email),
    });
  }

  private grantsOf(key: number): RoleGrants {
    const pairs = key === NO_KEY ? undefined : this.roles[key];
    if (pairs === undefined) return NO_GRANTS;
    let grants = this.grants.get(pairs);
    if (!grants) this.grants.set(pairs, (grants = this.grantsFor(pairs.map((pair) => pair.split('\u0000') as [string, string]))));
    return grants;
  }

  private grantsFor(pairs: ReadonlyArray<readonly [string, string]>): RoleGrants {
    const rolesByTenant = new Map<string, Set<string>>();
    const permissionsByTenant = new Map<string, Set<string>>();
    for (const [tenant, role] of pairs) {
      let roles = rolesByTenant.get(tenant);
      if (!roles) rolesByTenant.set(tenant, (roles = new Set()));
      roles.add(role);
      for (const permission of this.permissionsOf.get(role) ?? []) {
        let permissions = permissionsByTenant.get(tenant);
        if (!permissions) permissionsByTenant.set(tenant, (permissions = new Set()));
        permissions.add(permission);
      }
    }
    const sortedValues = (set: Set<string>) => Object.freeze([...set].sort(compareStrings));
    const tenantsIn = (groups: Map<string, Set<string>>) => [...groups.keys()].sort(compareStrings);
    return Object.freeze({
      roles: sortedValues(new Set(pairs.map(([, role]) => role))),
      rolesByTenant: Object.freeze(tenantsIn(rolesByTenant).map((tenantId) => Object.freeze({ tenantId, roles: sortedValues(rolesByTenant.get(tenantId)!) }))),
      permissions: sortedValues(new Set([...permissionsByTenant.values()].flatMap((set) => [...set]))),
      permissionsByTenant: Object.freeze(
        tenantsIn(permissionsByTenant).map((tenantId) => Object.freeze({ tenantId, permissions: sortedValues(permissionsByTenant.get(tenantId)!) })),
      ),
    });
  }

  /** The metadata as its text, checked to be a JSON object; parsed when first read (see DirectoryUser). */
  private metadataOf(text: string | null, supertokensUserId: string): Readonly<Record<string, unknown>> | string {
    if (text === null || text === '{}') return NO_METADATA;
    if (isJsonObjectText(text)) return text;
    this.logger.warn({ userId: supertokensUserId }, 'user metadata is not a valid JSON object; serving {}');
    return NO_METADATA;
  }

  /** A login method is verified when it has no email (a phone number) or its email is verified under its recipe user's id (`key`). */
  private isVerified(key: number, email: string | null): boolean {
    if (email === null) return true;
    const verified = key === NO_KEY ? undefined : this.verified[key];
    return verified === email || (verified !== undefined && typeof verified !== 'string' && verified.includes(email));
  }

  private name(value: string): string {
    let interned = this.names.get(value);
    if (interned === undefined) this.names.set(value, (interned = value));
    return interned;
  }
}

/** One string alone (most keys have one), or a list once there are more. */
function withAdded(held: string | string[] | undefined, value: string): string | string[] {
  if (held === undefined) return value;
  if (typeof held === 'string') return [held, value];
  held.push(value);
  return held;
}

/** CHAR(36) columns come padded when an id is shorter. */
function trimKey(value: string): string {
  return value.length > 0 && value.charCodeAt(value.length - 1) === 0x20 ? value.trimEnd() : value;
}

function nonEmpty(value: string | null): string | null {
  return value === null || value === '' ? null : value;
}

/** BIGINT epoch milliseconds (text from `pg`), within the range a Date and a double hold exactly. */
function parseEpochMs(value: string | null): number | null {
  if (value === null) return null;
  const ms = Number(value);
  return Number.isSafeInteger(ms) && ms >= 0 && ms <= 8.64e15 ? ms : null;
}
