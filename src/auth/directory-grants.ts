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

/** Whether the user's roles in one tenant grant this permission there. */
export function directoryHoldsInTenant(user: User, permission: string, tenantId: string): boolean {
  return user.permissionsByTenant.find((entry) => entry.tenantId === tenantId)?.permissions.includes(permission) ?? false;
}
