/** The page cursor codec (src/schema/cursor.ts) as properties: a round trip, one spelling, no throw. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../src/schema/cursor.ts';
import { hostileString } from '../support/hostile-strings.ts';

const RUNS = { numRuns: 5_000 };
/** A user's position: what the directory orders by. Ids come from PostgreSQL text: well-formed, no NUL. */
const position = fc.record({
  timeJoined: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
  id: fc.oneof(fc.uuid(), fc.string({ unit: 'binary', minLength: 1, maxLength: 128 }).filter((id) => !id.includes('\u0000'))),
});

describe('cursors', () => {
  it('decode to the position they were made from', () => {
    fc.assert(fc.property(position, (key) => {
      expect(decodeCursor(encodeCursor(key))).toEqual(key);
    }), RUNS);
  });

  it('are URL-safe and fit the length decodeCursor takes', () => {
    fc.assert(fc.property(position, (key) => {
      expect(encodeCursor(key)).toMatch(/^[A-Za-z0-9_-]{1,1024}$/);
    }), RUNS);
  });

  it('tell distinct positions apart', () => {
    fc.assert(
      fc.property(position, position, (a, b) => {
        if (a.timeJoined !== b.timeJoined || a.id !== b.id) expect(encodeCursor(a)).not.toBe(encodeCursor(b));
      }),
      RUNS,
    );
  });

  it('are taken only in the spelling the service issues, and anything else is null, never a throw', () => {
    const base64url = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), maxLength: 80 });
    const reencoded = fc.uint8Array({ maxLength: 60 }).map((bytes) => Buffer.from(bytes).toString('base64url'));
    const tampered = position.chain((key) =>
      fc.constantFrom(
        Buffer.from(`0${key.timeJoined}:${key.id}`).toString('base64'), // padding and '+' '/' spellings
        Buffer.from(`+${key.timeJoined}:${key.id}`).toString('base64url'),
        Buffer.from(`${key.timeJoined}.0:${key.id}`).toString('base64url'),
        Buffer.from(` ${key.timeJoined}:${key.id}`).toString('base64url'),
        Buffer.from(`0x${key.timeJoined.toString(16)}:${key.id}`).toString('base64url'),
        `${encodeCursor(key)}=`,
      ),
    );
    // Another last character: the same bytes when only its unused low bits differ.
    const lastSwapped = fc
      .tuple(position, fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'))
      .map(([key, last]) => encodeCursor(key).slice(0, -1) + last);
    fc.assert(
      fc.property(fc.oneof(hostileString(80), base64url, reencoded, tampered, lastSwapped), (text) => {
        const key = decodeCursor(text);
        if (key !== null) expect(encodeCursor(key)).toBe(text);
      }),
      RUNS,
    );
  });

  it('refuse the cases the properties above make rare', () => {
    const spell = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
    for (const text of ['', ':x', '1:', '01:x', '-1:x', '1e3:x', '9007199254740992:x', '99999999999999999:x', 'x:y']) {
      expect(decodeCursor(spell(text)), text).toBeNull();
    }
    expect(decodeCursor(Buffer.from([0x31, 0x3a, 0xff]).toString('base64url'))).toBeNull(); // not UTF-8
    expect(decodeCursor('A'.repeat(1025))).toBeNull();
    expect(decodeCursor(spell('0:x'))).toEqual({ timeJoined: 0, id: 'x' });
    expect(decodeCursor(spell('1:a:b'))).toEqual({ timeJoined: 1, id: 'a:b' });
  });
});
