/**
 * What the caller may do, for one request: the answers the schema's rules ask (admin? holds a
 * permission? is this user?). A user's roles and permissions are those of the access token
 * together with those of the directory's own record of them, read through the request's loaders
 * (never the cache or the database directly), once per request and only when a rule or `viewer`
 * asks. Once resolved, the answers are synchronous: scope-auth then checks a page of 500 users
 * without a promise per field. Resolving is itself synchronous when nothing has to be fetched
 * (a key, or a user the directory holds), so a request answered from memory makes no promise.
 */
import { KEY_SCOPES } from '../config/auth.ts';
import type { User } from '../directory/user.ts';
import { normalizeEmail } from '../directory/user.ts';
import { isAdminKey, type Caller } from './caller.ts';
import { directoryPermissions, directoryRoles } from './directory-grants.ts';
import { whenReady, type MaybePromise } from '../maybe-promise.ts';

/** The caller's standing, resolved: every question answered without I/O. */
export interface Grants {
  readonly caller: Caller;
  /** The directory's record of a signed-in user; null for others, or when the directory has none. */
  readonly user: User | null;
  readonly roles: readonly string[];
  readonly permissions: readonly string[];
  readonly isAdmin: boolean;
  /** Admins hold every permission; keys hold their scopes; users their roles' permissions. */
  holds(permission: string): boolean;
  /** The caller is the signed-in user with this id. */
  isUser(userId: string): boolean;
  /** The caller is the signed-in user whom the directory records with this email. */
  isUserWithEmail(email: string): boolean;
}

export interface Access {
  readonly caller: Caller;
  /** Resolved on first use, then the same for the rest of the request. */
  grants(): MaybePromise<Grants>;
}

export interface AccessOptions {
  readonly adminRole: string;
  /** This request's loader: the directory's record of a user, or null. */
  readonly userById: (id: string) => MaybePromise<User | null>;
}

export function createAccess(caller: Caller, options: AccessOptions): Access {
  let grants: MaybePromise<Grants> | undefined;
  return {
    caller,
    grants: () => {
      if (grants === undefined) {
        grants = resolveGrants(caller, options);
        // Settled, it is kept as the plain value: later asks stay synchronous.
        if (grants instanceof Promise) grants.then((resolved) => (grants = resolved), () => {});
      }
      return grants;
    },
  };
}

/** A key's grants never change: computed once per key, not once per request. */
const keyGrants = new WeakMap<Caller, Grants>();

function resolveGrants(caller: Caller, options: AccessOptions): MaybePromise<Grants> {
  if (caller.kind !== 'user') {
    let grants = keyGrants.get(caller);
    if (!grants) keyGrants.set(caller, (grants = grantsOf(caller, null, options.adminRole)));
    return grants;
  }
  return whenReady(options.userById(caller.userId), (record) => grantsOf(caller, record, options.adminRole));
}

function grantsOf(caller: Caller, user: User | null, adminRole: string): Grants {
  const roles = caller.kind === 'user' ? union(caller.tokenRoles, user ? directoryRoles(user) : []) : [];
  const permissions = permissionsOf(caller, user);
  const isAdmin = isAdminKey(caller) || roles.includes(adminRole);
  const held = new Set(permissions);
  const emails = new Set(user ? user.emails.map(normalizeEmail) : []);
  return {
    caller,
    user,
    roles,
    permissions,
    isAdmin,
    holds: (permission) => isAdmin || held.has(permission),
    isUser: (userId) => caller.kind === 'user' && caller.userId === userId,
    isUserWithEmail: (candidate) => emails.has(normalizeEmail(candidate)),
  };
}

function permissionsOf(caller: Caller, user: User | null): readonly string[] {
  switch (caller.kind) {
    case 'anonymous':
      return [];
    case 'admin':
      return [...KEY_SCOPES];
    case 'service':
      return caller.scopes;
    case 'user':
      return union(caller.tokenPermissions, user ? directoryPermissions(user) : []);
  }
}

function union(a: readonly string[], b: readonly string[]): readonly string[] {
  return [...new Set([...a, ...b])].sort();
}
