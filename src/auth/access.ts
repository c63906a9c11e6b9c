/**
 * What the caller may do, for one request: the answers the schema's rules ask (admin? holds a
 * permission? is this user?). A user's roles and permissions are those of the access token
 * together with those of the directory's own record of them, read through the request's loaders
 * (never the cache or the database directly), once per request and only when a rule needs it.
 */
import type { User } from '../directory/user.ts';
import { normalizeEmail } from '../directory/user.ts';
import { isAdminKey, type Caller } from './caller.ts';
import { directoryPermissions, directoryRoles } from './directory-grants.ts';
import { KEY_SCOPES } from './permissions.ts';

export interface ViewerInfo {
  readonly caller: Caller;
  /** The directory's record of a signed-in user; null for others, or when the directory has none. */
  readonly user: User | null;
  readonly roles: readonly string[];
  readonly permissions: readonly string[];
  readonly isAdmin: boolean;
}

export interface Access {
  readonly caller: Caller;
  isAdmin(): Promise<boolean>;
  /** Admins hold every permission; keys hold their scopes; users their roles' permissions. */
  holds(permission: string): Promise<boolean>;
  /** The caller is the signed-in user with this id. */
  isUser(userId: string): boolean;
  /** The caller is the signed-in user whom the directory records with this email. */
  isUserWithEmail(email: string): Promise<boolean>;
  viewer(): Promise<ViewerInfo>;
}

export interface AccessOptions {
  readonly adminRole: string;
  /** This request's loader: the directory's record of a user, or null. */
  readonly userById: (id: string) => Promise<User | null>;
}

export function createAccess(caller: Caller, { adminRole, userById }: AccessOptions): Access {
  let ownRecord: Promise<User | null> | undefined;
  const own = (): Promise<User | null> =>
    caller.kind === 'user' ? (ownRecord ??= userById(caller.userId)) : Promise.resolve(null);

  const roles = async (): Promise<readonly string[]> => {
    if (caller.kind !== 'user') return [];
    const record = await own();
    return union(caller.tokenRoles, record ? directoryRoles(record) : []);
  };

  const permissions = async (): Promise<readonly string[]> => {
    switch (caller.kind) {
      case 'anonymous':
        return [];
      case 'admin':
        return [...KEY_SCOPES];
      case 'service':
        return caller.scopes;
      case 'user': {
        const record = await own();
        return union(caller.tokenPermissions, record ? directoryPermissions(record) : []);
      }
    }
  };

  const isAdmin = async (): Promise<boolean> => {
    if (isAdminKey(caller)) return true;
    if (caller.kind !== 'user') return false;
    // The token alone may settle it, sparing the directory lookup.
    return caller.tokenRoles.includes(adminRole) || (await roles()).includes(adminRole);
  };

  return {
    caller,
    isAdmin,
    async holds(permission) {
      if (caller.kind === 'anonymous') return false;
      if (caller.kind === 'user' && caller.tokenPermissions.includes(permission)) return true;
      return (await permissions()).includes(permission) || (await isAdmin());
    },
    isUser: (userId) => caller.kind === 'user' && caller.userId === userId,
    async isUserWithEmail(email) {
      const record = await own();
      return record !== null && normalizeEmail(record.email) === normalizeEmail(email);
    },
    async viewer() {
      const [user, viewerRoles, viewerPermissions, admin] = await Promise.all([own(), roles(), permissions(), isAdmin()]);
      return { caller, user, roles: viewerRoles, permissions: viewerPermissions, isAdmin: admin };
    },
  };
}

function union(a: readonly string[], b: readonly string[]): readonly string[] {
  return [...new Set([...a, ...b])].sort();
}
