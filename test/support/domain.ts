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
