/**
 * The directory user keeps its times as two small integers each, and its metadata as JSON text
 * until first read (directory-user.ts): what it serves must be what it was given.
 */
import { describe, expect, it } from 'vitest';
import { DirectoryUser, NO_GRANTS, type DirectoryUserFields } from '../../src/directory/directory-user.ts';

const UNIT = 2 ** 30;
/** Whole times around the split, and times kept as they are (not whole, or negative). */
const TIMES = [0, 1, UNIT - 1, UNIT, UNIT + 1, 3 * UNIT, 1_600_000_000_123, 8.64e15, Number.MAX_SAFE_INTEGER, 1.5, 1_600_000_000_000.25, -1, -1e12];

function userAt(timeJoined: number, lastActive: number | null, metadata: DirectoryUserFields['metadata'] = {}): DirectoryUser {
  const fields: DirectoryUserFields = {
    id: 'u1',
    supertokensUserId: 'u1',
    isPrimaryUser: false,
    email: 'u1@example.com',
    timeJoined,
    lastActive,
    tenantIds: ['public'],
    grants: NO_GRANTS,
    metadata,
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

describe('a directory user’s metadata kept as text', () => {
  const TEXT = ' {"plan" : "pro", "n": 1, "nested": {"a": [1, "\\u00e9"]}, "plan": "team"} ';

  it('is served as JSON.parse makes it, frozen, the same object every time', () => {
    const user = userAt(0, null, TEXT);
    const metadata = user.metadata;
    expect(metadata).toEqual(JSON.parse(TEXT));
    expect(Object.keys(metadata)).toEqual(['plan', 'n', 'nested']);
    expect(Object.isFrozen(metadata)).toBe(true);
    expect(user.metadata).toBe(metadata);
    expect(userAt(0, null, '{ }').metadata).toEqual({});
  });

  it('makes the same user as its parsed object, and the same version, read or not', () => {
    const parsed = userAt(0, null, JSON.parse(TEXT) as Record<string, unknown>);
    expect(userAt(0, null, TEXT).sameAs(parsed)).toBe(true);
    expect(parsed.sameAs(userAt(0, null, TEXT))).toBe(true);
    expect(userAt(0, null, TEXT).sameAs(userAt(0, null, JSON.stringify(JSON.parse(TEXT))))).toBe(true);
    expect(userAt(0, null, TEXT).version).toBe(parsed.version);
    expect(userAt(0, null, TEXT).sameAs(userAt(0, null, '{"plan": "pro"}'))).toBe(false);
    expect(userAt(0, null, '{"a": 1, "b": 2}').sameAs(userAt(0, null, '{"b": 2, "a": 1}'))).toBe(false); // key order is served
  });
});
