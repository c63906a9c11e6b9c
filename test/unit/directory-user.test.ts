/**
 * The directory user keeps its times as two small integers each (directory-user.ts): what it
 * serves must be the time it was given, whatever the time.
 */
import { describe, expect, it } from 'vitest';
import { DirectoryUser, NO_GRANTS, type DirectoryUserFields } from '../../src/directory/directory-user.ts';

const UNIT = 2 ** 30;
/** Whole times around the split, and times kept as they are (not whole, or negative). */
const TIMES = [0, 1, UNIT - 1, UNIT, UNIT + 1, 3 * UNIT, 1_600_000_000_123, 8.64e15, Number.MAX_SAFE_INTEGER, 1.5, 1_600_000_000_000.25, -1, -1e12];

function userAt(timeJoined: number, lastActive: number | null): DirectoryUser {
  const fields: DirectoryUserFields = {
    id: 'u1',
    supertokensUserId: 'u1',
    isPrimaryUser: false,
    email: 'u1@example.com',
    timeJoined,
    lastActive,
    tenantIds: ['public'],
    grants: NO_GRANTS,
    metadata: {},
  };
  return DirectoryUser.single(fields, { recipeId: 'emailpassword', phoneNumber: null, thirdParty: null, verified: true });
}

describe('a directory user’s times', () => {
  it('are served as given', () => {
    for (const time of TIMES) {
      for (const lastActive of [null, time, 0]) {
        const user = userAt(time, lastActive);
        expect(user.timeJoined).toBe(time);
        expect(user.lastActive).toBe(lastActive);
        expect(user.loginMethods[0]!.timeJoined).toBe(time);
      }
    }
  });

  it('make two users the same only when they are equal', () => {
    for (const time of TIMES) {
      expect(userAt(time, time).sameAs(userAt(time, time))).toBe(true);
      expect(userAt(time, null).sameAs(userAt(time, null))).toBe(true);
      for (const other of [time + 1, time + UNIT, time - UNIT]) {
        if (other === time) continue; // beyond 2^53, + 1 is no change
        expect(userAt(time, null).sameAs(userAt(other, null))).toBe(false);
        expect(userAt(0, time).sameAs(userAt(0, other))).toBe(false);
      }
      expect(userAt(time, null).sameAs(userAt(time, 0))).toBe(false);
    }
  });
});
