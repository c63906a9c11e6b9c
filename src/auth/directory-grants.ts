/**
 * What the directory's own record of a user grants: roles and permissions, over all tenants or in
 * one. Issue 3 adds `permissions` (the union over tenants, from role_permissions) and
 * `rolesByTenant` to the domain User; until it lands they are read defensively, here and only
 * here: a record without them grants no permission and says nothing per tenant.
 */
import type { User } from '../directory/user.ts';

/** The fields issue 3 provides, as optional: present or not, this module reads them safely. */
interface PerTenantFields {
  readonly permissions?: readonly string[];
  readonly rolesByTenant?: ReadonlyArray<{ readonly tenantId: string; readonly roles: readonly string[] }>;
}

/** Roles in any tenant. */
export function directoryRoles(user: User): readonly string[] {
  return user.roles;
}

/** Permissions through any of the user's roles; none while the record does not carry them. */
export function directoryPermissions(user: User): readonly string[] {
  const { permissions } = user as User & PerTenantFields;
  return Array.isArray(permissions) ? permissions : [];
}

/** Roles in one tenant; undefined when the record does not tell roles per tenant. */
export function directoryRolesInTenant(user: User, tenantId: string): readonly string[] | undefined {
  const { rolesByTenant } = user as User & PerTenantFields;
  if (!Array.isArray(rolesByTenant)) return undefined;
  return rolesByTenant.find((entry) => entry.tenantId === tenantId)?.roles ?? [];
}

/**
 * Whether the user holds a permission in one tenant: through a role held there. The record keeps
 * permissions over all tenants only, so the answer is certain when the permission is held nowhere,
 * when no role is held in that tenant, or when every role is; otherwise undefined (unknown).
 */
export function directoryHoldsInTenant(user: User, permission: string, tenantId: string): boolean | undefined {
  const inTenant = directoryRolesInTenant(user, tenantId);
  if (inTenant === undefined) return undefined;
  if (!directoryPermissions(user).includes(permission) || inTenant.length === 0) return false;
  if (directoryRoles(user).every((role) => inTenant.includes(role))) return true;
  return undefined;
}
