/** Domain users for tests that need no database: an email-password user of tenant public. */
import type { User } from '../../src/directory/user.ts';

/**
 * A user with one email-password login method. `email` and `roles` in `overrides` shape the
 * login method and `rolesByTenant` too; any other field is taken as given.
 */
export function domainUser(id: string, timeJoined: number, overrides: Partial<User> = {}): User {
  const email = overrides.email === undefined ? `${id}@example.com` : overrides.email;
  const roles = overrides.roles ?? [];
  return {
    id,
    supertokensUserId: id,
    isPrimaryUser: false,
    email,
    emails: email === null ? [] : [email],
    phoneNumbers: [],
    thirdParty: [],
    loginMethods: [
      {
        recipeId: 'emailpassword',
        recipeUserId: id,
        supertokensUserId: id,
        email,
        phoneNumber: null,
        thirdParty: null,
        tenantIds: ['public'],
        timeJoined,
        verified: false,
      },
    ],
    tenantIds: ['public'],
    timeJoined,
    lastActive: null,
    roles,
    rolesByTenant: roles.length > 0 ? [{ tenantId: 'public', roles }] : [],
    permissions: [],
    permissionsByTenant: [],
    metadata: {},
    version: id,
    ...overrides,
  };
}

/** Every field a User serves, as a plain object: what toEqual can compare, whatever class holds the user. */
export function plainUser(user: User): User {
  return {
    id: user.id,
    supertokensUserId: user.supertokensUserId,
    isPrimaryUser: user.isPrimaryUser,
    email: user.email,
    emails: [...user.emails],
    phoneNumbers: [...user.phoneNumbers],
    thirdParty: user.thirdParty.map((identity) => ({ ...identity })),
    loginMethods: user.loginMethods.map((method) => ({ ...method, thirdParty: method.thirdParty && { ...method.thirdParty }, tenantIds: [...method.tenantIds] })),
    tenantIds: [...user.tenantIds],
    timeJoined: user.timeJoined,
    lastActive: user.lastActive,
    roles: [...user.roles],
    rolesByTenant: user.rolesByTenant.map((entry) => ({ tenantId: entry.tenantId, roles: [...entry.roles] })),
    permissions: [...user.permissions],
    permissionsByTenant: user.permissionsByTenant.map((entry) => ({ tenantId: entry.tenantId, permissions: [...entry.permissions] })),
    metadata: user.metadata,
    version: user.version,
  };
}
