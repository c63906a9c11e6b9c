/** What the directory's own record of a user grants: roles and permissions, over all tenants or in one. */
import type { User } from '../directory/user.ts';

/** Roles in any tenant. */
export function directoryRoles(user: User): readonly string[] {
  return user.roles;
}

/** Permissions through any of the user's roles, in any tenant. */
export function directoryPermissions(user: User): readonly string[] {
  return user.permissions;
}

/** Roles in one tenant. */
export function directoryRolesInTenant(user: User, tenantId: string): readonly string[] {
  return user.rolesByTenant.find((entry) => entry.tenantId === tenantId)?.roles ?? [];
}

/**
 * Whether the user holds a permission in one tenant: through a role held there. The record keeps
 * permissions over all tenants only, so the answer is certain when the permission is held nowhere,
 * when no role is held in that tenant, or when every role is; otherwise undefined (unknown).
 */
export function directoryHoldsInTenant(user: User, permission: string, tenantId: string): boolean | undefined {
  const inTenant = directoryRolesInTenant(user, tenantId);
  if (!directoryPermissions(user).includes(permission) || inTenant.length === 0) return false;
  if (directoryRoles(user).every((role) => inTenant.includes(role))) return true;
  return undefined;
}
