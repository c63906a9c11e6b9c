/** The page cursor codec (src/schema/cursor.ts) as properties: a round trip, one spelling, no throw. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { positionIn, USER_ORDERS, type UserOrder } from '../../src/directory/user-order.ts';
import { decodeCursor, encodeCursor, MAX_CURSOR_LENGTH } from '../../src/schema/cursor.ts';
import { hostileString, isPostgresText } from '../support/hostile-strings.ts';

const RUNS = { numRuns: 5_000 };
/** Text as PostgreSQL holds it: well-formed, no NUL. */
const text = (maxLength: number) =>
  fc.string({ unit: 'binary', minLength: 1, maxLength }).filter(isPostgresText);
const time = fc.oneof(fc.nat({ max: Number.MAX_SAFE_INTEGER }), fc.constantFrom(0, 1_700_000_000_000));
/** A user's values as an order reads them: ids of up to 128 characters, emails of up to 256, either missing or not. */
const user = fc.record({
  timeJoined: time,
  lastActive: fc.option(time),
  email: fc.option(fc.oneof(fc.emailAddress(), text(256))),
  id: fc.oneof(fc.uuid(), text(128)),
});
const order = fc.constantFrom(...USER_ORDERS);
const place = fc.tuple(order, user).map(([each, values]) => ({ order: each as UserOrder, position: positionIn(each, values) }));

describe('cursors', () => {
  it('decode to the order and the place they were made from', () => {
    fc.assert(fc.property(place, ({ order: each, position }) => {
      expect(decodeCursor(encodeCursor(each, position))).toEqual({ order: each, position });
    }), RUNS);
  });

  it('are URL-safe and fit the length decodeCursor takes, at the longest ids and emails', () => {
    fc.assert(fc.property(place, ({ order: each, position }) => {
      expect(encodeCursor(each, position)).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(encodeCursor(each, position).length).toBeLessThanOrEqual(MAX_CURSOR_LENGTH);
    }), RUNS);
    const widest = { timeJoined: Number.MAX_SAFE_INTEGER, lastActive: null, email: '😀'.repeat(256), id: '😀'.repeat(128) };
    for (const each of USER_ORDERS) expect(decodeCursor(encodeCursor(each, widest))?.position).toEqual(positionIn(each, widest));
  });

  it('tell distinct places, and the same place in distinct orders, apart', () => {
    fc.assert(
      fc.property(place, place, (a, b) => {
        if (JSON.stringify(a) !== JSON.stringify(b)) expect(encodeCursor(a.order, a.position)).not.toBe(encodeCursor(b.order, b.position));
      }),
      RUNS,
    );
  });

  it('keep the spelling JOINED_DESC cursors had before orders existed', () => {
    const before = Buffer.from('1705311000000:a0000000-0000-4000-8000-000000000001', 'utf8').toString('base64url');
    expect(decodeCursor(before)).toEqual({ order: 'JOINED_DESC', position: { timeJoined: 1705311000000, id: 'a0000000-0000-4000-8000-000000000001' } });
    expect(encodeCursor('JOINED_DESC', { timeJoined: 1705311000000, id: 'a0000000-0000-4000-8000-000000000001' })).toBe(before);
  });

  it('are taken only in the spelling the service issues, and anything else is null, never a throw', () => {
    const base64url = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), maxLength: 80 });
    const reencoded = fc.uint8Array({ maxLength: 60 }).map((bytes) => Buffer.from(bytes).toString('base64url'));
    const spell = (value: string) => Buffer.from(value).toString('base64url');
    const tampered = fc.tuple(user, order).chain(([key, each]) =>
      fc.constantFrom(
        Buffer.from(`0${key.timeJoined}:${key.id}`).toString('base64'), // padding and '+' '/' spellings
        spell(`+${key.timeJoined}:${key.id}`),
        spell(`${key.timeJoined}.0:${key.id}`),
        spell(` ${key.timeJoined}:${key.id}`),
        spell(`0x${key.timeJoined.toString(16)}:${key.id}`),
        `${encodeCursor(each, key)}=`,
        // JSON spelled otherwise: spaces, escapes, another number spelling, a string for a number, the default order.
        spell(JSON.stringify([each, key.timeJoined, key.id], null, 1)),
        spell(`["${each}",${key.timeJoined}.0,${JSON.stringify(key.id)}]`),
        spell(`["${each}","${key.timeJoined}",${JSON.stringify(key.id)}]`),
        spell(`["\\u004a${each.slice(1)}",null,${JSON.stringify(key.id)}]`),
        spell(JSON.stringify(['JOINED_DESC', key.timeJoined, key.id])),
        spell(JSON.stringify([each, key.timeJoined, key.id, 1])),
        spell(JSON.stringify([each, key.lastActive, ''])),
      ),
    );
    // Another last character: the same bytes when only its unused low bits differ.
    const lastSwapped = fc
      .tuple(place, fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'))
      .map(([key, last]) => encodeCursor(key.order, key.position).slice(0, -1) + last);
    fc.assert(
      fc.property(fc.oneof(hostileString(80), base64url, reencoded, tampered, lastSwapped), (cursor) => {
        const key = decodeCursor(cursor);
        if (key !== null) expect(encodeCursor(key.order, key.position)).toBe(cursor);
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
    expect(decodeCursor('A'.repeat(MAX_CURSOR_LENGTH + 4))).toBeNull();
    expect(decodeCursor(spell('0:x'))).toEqual({ order: 'JOINED_DESC', position: { timeJoined: 0, id: 'x' } });
    expect(decodeCursor(spell('1:a:b'))).toEqual({ order: 'JOINED_DESC', position: { timeJoined: 1, id: 'a:b' } });
    expect(decodeCursor(spell('["EMAIL_ASC",null,"x"]'))).toEqual({ order: 'EMAIL_ASC', position: { email: null, id: 'x' } });
    expect(decodeCursor(spell('["LAST_ACTIVE_ASC",5,"x"]'))).toEqual({ order: 'LAST_ACTIVE_ASC', position: { lastActive: 5, id: 'x' } });
    for (const refused of ['["JOINED_ASC",null,"x"]', '["EMAIL_ASC",5,"x"]', '["LAST_ACTIVE_DESC","5","x"]', '["NEWEST",5,"x"]', '["EMAIL_ASC","a",""]', '["EMAIL_ASC","a",5]', '{}', '[']) {
      expect(decodeCursor(spell(refused)), refused).toBeNull();
    }
  });
});
