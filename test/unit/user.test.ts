/** chooseUserByEmail: which of the users holding an email userByEmail answers with, in a tenant. */
import { describe, expect, it } from 'vitest';
import { chooseUserByEmail } from '../../src/directory/user.ts';
import { domainUser as user } from '../support/domain.ts';

describe('chooseUserByEmail', () => {
  const holder = (id: string, timeJoined: number, { primary = false, tenantIds = ['public'] } = {}) => {
    const u = user(id, timeJoined, { email: 'x@example.com', isPrimaryUser: primary });
    return { ...u, loginMethods: [{ ...u.loginMethods[0]!, tenantIds }], tenantIds };
  };

  it('prefers the primary user, then the oldest, among holders in the tenant', () => {
    const older = holder('older', 10);
    const primary = holder('primary', 20, { primary: true });
    const elsewhere = holder('elsewhere', 5, { tenantIds: ['t1'] });

    expect(chooseUserByEmail([primary, older, elsewhere], 'X@example.com', 'public')).toBe(primary);
    expect(chooseUserByEmail([primary, older, elsewhere], 'x@example.com', 't1')).toBe(elsewhere);
    expect(chooseUserByEmail([holder('b', 10), holder('a', 10)], 'x@example.com', 'public')?.id).toBe('a');
    expect(chooseUserByEmail([older], 'x@example.com', 't9')).toBeNull();
  });

  it('counts only login methods that hold the email in the tenant', () => {
    const u = user('u', 10, { email: 'x@example.com' });
    const twoMethods = {
      ...u,
      loginMethods: [
        { ...u.loginMethods[0]!, tenantIds: ['public'] },
        { ...u.loginMethods[0]!, supertokensUserId: 'u2', recipeUserId: 'u2', email: 'y@example.com', tenantIds: ['t1'] },
      ],
    };

    expect(chooseUserByEmail([twoMethods], 'x@example.com', 't1')).toBeNull();
    expect(chooseUserByEmail([twoMethods], 'y@example.com', 't1')).toBe(twoMethods);
  });
});
