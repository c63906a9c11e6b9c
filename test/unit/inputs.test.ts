/**
 * The input rules (src/schema/inputs.ts) as properties, checked on generated input: each rule
 * accepts exactly what its description says, gives back the value normalised as it says, never
 * throws, and lets nothing through that PostgreSQL could not take as text unchanged.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { encodeCursor } from '../../src/schema/cursor.ts';
import {
  cursor,
  dateTime,
  email,
  isPlainId,
  MAX_METADATA_CONDITIONS,
  MAX_METADATA_PATH,
  MAX_METADATA_VALUE_DEPTH,
  MAX_PAGE_SIZE,
  metadataConditions,
  name,
  pageSize,
  search,
  tenantId,
  userId,
  usersArguments,
} from '../../src/schema/inputs.ts';
import { USER_ORDERS } from '../../src/directory/user-order.ts';
import { hasControlCharacter, hostileString, isPostgresText } from '../support/hostile-strings.ts';

const RUNS = { numRuns: 2_000 };
/** Lengths count characters (code points), as PostgreSQL's varchar(n) does: an emoji is one. */
const characters = (value: string) => [...value].length;

/** The rule's answer: the value it gives, or undefined when it refuses. It must never throw. */
function outcome<T>(rule: z.ZodType<T>, input: unknown): T | undefined {
  const parsed = rule.safeParse(input);
  return parsed.success ? parsed.data : undefined;
}

const STRING_RULES = { userId, email, tenantId, role: name('role'), search } as const;

describe('every string rule', () => {
  it.each(Object.entries(STRING_RULES))('%s never throws, refuses what is not a string, and accepts only PostgreSQL text', (_name, rule) => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const value = outcome(rule as z.ZodType<unknown>, input);
        if (typeof input !== 'string') expect(value).toBeUndefined();
      }),
      RUNS,
    );
    fc.assert(
      fc.property(hostileString(300), (input) => {
        const value = outcome(rule as z.ZodType<string>, input);
        if (value !== undefined) expect(isPostgresText(value), JSON.stringify(value)).toBe(true);
      }),
      RUNS,
    );
  });

  it.each(Object.entries(STRING_RULES))('%s is idempotent: what it gives, it accepts as it is', (_name, rule) => {
    fc.assert(
      fc.property(hostileString(), (input) => {
        const value = outcome(rule as z.ZodType<string>, input);
        if (value !== undefined) expect(outcome(rule as z.ZodType<string>, value)).toBe(value);
      }),
      RUNS,
    );
  });
});

describe('userId', () => {
  const accepts = (trimmed: string) =>
    characters(trimmed) >= 1 && characters(trimmed) <= 128 && !hasControlCharacter(trimmed) && isPostgresText(trimmed);

  it('accepts a trimmed id of 1 to 128 characters without control characters or lone surrogates, and only that', () => {
    fc.assert(
      fc.property(hostileString(140), (input) => {
        expect(outcome(userId, input)).toBe(accepts(input.trim()) ? input.trim() : undefined);
      }),
      RUNS,
    );
  });

  it('counts characters, not UTF-16 units', () => {
    expect(outcome(userId, '😀'.repeat(128))).toBe('😀'.repeat(128));
    expect(outcome(userId, '😀'.repeat(129))).toBeUndefined();
    expect(outcome(tenantId, '😀'.repeat(64))).toBe('😀'.repeat(64));
    expect(outcome(tenantId, '😀'.repeat(65))).toBeUndefined();
  });

  it('accepts every SuperTokens id and external id', () => {
    fc.assert(fc.property(fc.uuid(), (id) => {
      expect(outcome(userId, id)).toBe(id);
    }));
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }).filter((id) => id.trim() === id && id !== ''), (id) => {
        expect(outcome(userId, id)).toBe(id);
      }),
    );
  });
});

describe('isPlainId', () => {
  it('holds only for ids userId gives back as they are', () => {
    const check = (input: unknown) => {
      if (isPlainId(input)) expect(outcome(userId, input)).toBe(input);
    };
    fc.assert(fc.property(hostileString(140), check), RUNS);
    fc.assert(fc.property(fc.string({ unit: 'binary-ascii', maxLength: 140 }), check), RUNS);
    fc.assert(fc.property(fc.anything(), check), RUNS);
    for (const edge of ['', ' ', 'a ', ' a', 'a\u007f', 'a\u001f', 'a\u00a0', 'x'.repeat(128), 'x'.repeat(129), '\ud800']) check(edge);
  });

  it('holds for SuperTokens ids and plain external ids, not for what needs trimming or checking', () => {
    fc.assert(
      fc.property(fc.uuid(), (id) => {
        expect(isPlainId(id)).toBe(true);
      }),
    );
    expect(['ext-1', 'a b', '~', 'x'.repeat(128)].map(isPlainId)).toEqual([true, true, true, true]);
    expect(['', ' a', 'a ', 'a\tb', 'é', 'x'.repeat(129), 7, null].map(isPlainId)).toEqual([false, false, false, false, false, false, false, false]);
  });
});

describe('email', () => {
  const accepts = (normalised: string) =>
    characters(normalised) <= 256 && /^[^\s@]+@[^\s@]+$/.test(normalised) && !hasControlCharacter(normalised) && isPostgresText(normalised);

  it('accepts a trimmed, lower-cased local@domain without blanks, control characters or lone surrogates, and only that', () => {
    fc.assert(
      fc.property(hostileString(), hostileString(), (local, domain) => {
        for (const input of [`${local}@${domain}`, local]) {
          const normalised = input.trim().toLowerCase();
          expect(outcome(email, input)).toBe(accepts(normalised) ? normalised : undefined);
        }
      }),
      RUNS,
    );
  });

  it('accepts every address, lower-cased, with or without blanks around it', () => {
    fc.assert(
      fc.property(fc.emailAddress(), fc.constantFrom('', ' ', '\t'), (address, blank) => {
        expect(outcome(email, `${blank}${address.toUpperCase()}${blank}`)).toBe(address.toUpperCase().toLowerCase());
      }),
    );
  });

  it('refuses NUL anywhere (PostgreSQL cannot take it)', () => {
    fc.assert(
      fc.property(fc.emailAddress(), fc.nat(), (address, at) => {
        const position = at % (address.length + 1);
        expect(outcome(email, `${address.slice(0, position)}\u0000${address.slice(position)}`)).toBeUndefined();
      }),
    );
  });
});

describe('tenantId', () => {
  const accepts = (trimmed: string) =>
    characters(trimmed) >= 1 && characters(trimmed) <= 64 && !/\s/.test(trimmed) && !hasControlCharacter(trimmed) && isPostgresText(trimmed);

  it('accepts a trimmed id of 1 to 64 characters without blanks, control characters or lone surrogates, and only that', () => {
    fc.assert(
      fc.property(hostileString(70), (input) => {
        expect(outcome(tenantId, input)).toBe(accepts(input.trim()) ? input.trim() : undefined);
      }),
      RUNS,
    );
  });
});

describe('role and permission names', () => {
  const accepts = (trimmed: string) => characters(trimmed) >= 1 && characters(trimmed) <= 255 && isPostgresText(trimmed);

  it('accept a trimmed name of 1 to 255 characters without NUL or lone surrogates, and only that', () => {
    fc.assert(
      fc.property(hostileString(260), (input) => {
        expect(outcome(name('role'), input)).toBe(accepts(input.trim()) ? input.trim() : undefined);
      }),
      RUNS,
    );
  });

  it('name the argument in their messages', () => {
    expect(name('permission').safeParse('').error?.issues[0]?.message).toBe('permission must not be empty');
  });
});

describe('pageSize (first, last)', () => {
  it.each(['first', 'last'] as const)(`%s: accepts the integers 0 to ${MAX_PAGE_SIZE}, and nothing else`, (what) => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double(), fc.anything()), (input) => {
        const accepted = typeof input === 'number' && Number.isInteger(input) && input >= 0 && input <= MAX_PAGE_SIZE;
        expect(outcome(pageSize(what), input)).toBe(accepted ? input : undefined);
      }),
      RUNS,
    );
    expect(pageSize(what).safeParse(-1).error?.issues[0]?.message).toBe(`${what} must be at least 0`);
  });
});

describe('cursor (after, before)', () => {
  it('accepts every cursor the service issues, as the order and place it names', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...USER_ORDERS),
        fc.nat({ max: Number.MAX_SAFE_INTEGER }),
        fc.option(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 256 })),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 128 }),
        (order, time, text, id) => {
          const made = encodeCursor(order, { timeJoined: time, lastActive: time, email: text, id });
          expect(outcome(cursor('after'), made)).toEqual(outcome(cursor('before'), made));
          expect(outcome(cursor('after'), made)?.order).toBe(order);
        },
      ),
      RUNS,
    );
  });

  it('refuses anything else, without throwing, naming the argument', () => {
    fc.assert(
      fc.property(hostileString(60), (input) => {
        const decoded = outcome(cursor('before'), input);
        if (decoded !== undefined) expect(encodeCursor(decoded.order, decoded.position)).toBe(input);
      }),
      RUNS,
    );
    expect(cursor('before').safeParse('nope!').error?.issues[0]?.message).toBe('before is not a cursor issued by this service');
  });
});

describe('search', () => {
  const accepts = (trimmed: string) => characters(trimmed) >= 1 && characters(trimmed) <= 256 && !hasControlCharacter(trimmed) && isPostgresText(trimmed);

  it('accepts a trimmed text of 1 to 256 characters without control characters or lone surrogates, as typed (case kept), and only that', () => {
    fc.assert(
      fc.property(hostileString(270), (input) => {
        expect(outcome(search, input)).toBe(accepts(input.trim()) ? input.trim() : undefined);
      }),
      RUNS,
    );
    expect(outcome(search, '  Ada@Example ')).toBe('Ada@Example');
  });
});

describe('metadataConditions', () => {
  const json = fc.jsonValue({ maxDepth: 4 });
  const path = fc.array(fc.string({ maxLength: 20 }), { minLength: 1, maxLength: 4 });

  it('accepts { path, equals } and { path, exists }, keeping which was given (an equals of null included)', () => {
    fc.assert(
      fc.property(path, json, fc.boolean(), (keys, value, exists) => {
        expect(outcome(metadataConditions, [{ path: keys, equals: value }])).toEqual([{ path: keys, equals: value }]);
        expect(outcome(metadataConditions, [{ path: keys, exists }])).toEqual([{ path: keys, exists }]);
        expect(outcome(metadataConditions, [{ path: keys, exists: null, equals: value }])).toEqual([{ path: keys, equals: value }]);
      }),
      RUNS,
    );
    const [nullValue] = outcome(metadataConditions, [{ path: ['plan'], equals: null }])!;
    expect(nullValue).toHaveProperty('equals', null);
  });

  it('refuses a condition with neither or both, an empty or too long path, too many conditions, too deep a value', () => {
    fc.assert(
      fc.property(path, json, fc.boolean(), (keys, value, exists) => {
        expect(outcome(metadataConditions, [{ path: keys }])).toBeUndefined();
        expect(outcome(metadataConditions, [{ path: keys, exists, equals: value }])).toBeUndefined();
      }),
      RUNS,
    );
    expect(outcome(metadataConditions, [{ path: [], exists: true }])).toBeUndefined();
    expect(outcome(metadataConditions, [{ path: Array.from({ length: MAX_METADATA_PATH + 1 }, () => 'k'), exists: true }])).toBeUndefined();
    expect(outcome(metadataConditions, [{ path: ['\ud800'], exists: true }])).toBeUndefined();
    const many = Array.from({ length: MAX_METADATA_CONDITIONS + 1 }, () => ({ path: ['plan'], exists: true }));
    expect(outcome(metadataConditions, many)).toBeUndefined();
    expect(outcome(metadataConditions, many.slice(1))).toHaveLength(MAX_METADATA_CONDITIONS);
    const nested = (depth: number): unknown => {
      let value: unknown = 1;
      for (let i = 0; i < depth; i++) value = [value];
      return value;
    };
    expect(outcome(metadataConditions, [{ path: ['x'], equals: nested(MAX_METADATA_VALUE_DEPTH) }])).toHaveLength(1);
    expect(outcome(metadataConditions, [{ path: ['x'], equals: nested(MAX_METADATA_VALUE_DEPTH + 1) }])).toBeUndefined();
    expect(outcome(metadataConditions, [{ path: ['x'], equals: nested(100_000) }])).toBeUndefined(); // refused without recursing that deep
  });
});

describe('usersArguments (the users field\'s arguments together)', () => {
  const decoded = (order: (typeof USER_ORDERS)[number]) => outcome(cursor('after'), encodeCursor(order, { timeJoined: 1, lastActive: 1, email: 'a@b', id: 'x' }))!;

  it('takes cursors made for the order asked for, and refuses others', () => {
    for (const made of USER_ORDERS) {
      for (const asked of USER_ORDERS) {
        for (const where of ['after', 'before'] as const) {
          const parsed = usersArguments.safeParse({ orderBy: asked, [where]: decoded(made), role: 'admin' });
          expect(parsed.success, `${where} made for ${made}, asked ${asked}`).toBe(made === asked);
          if (parsed.success) expect(parsed.data).toMatchObject({ role: 'admin', [where]: decoded(made) }); // every other argument passes through
          else expect(parsed.error.issues[0]?.message).toBe(`${where} is a cursor for orderBy: ${made}, not ${asked}: a cursor marks a place in the order it came from`);
        }
      }
    }
  });

  it('refuses first with last, and takes either alone', () => {
    expect(usersArguments.safeParse({ orderBy: 'JOINED_DESC', first: 1, last: 1 }).success).toBe(false);
    expect(usersArguments.safeParse({ orderBy: 'JOINED_DESC', first: 1, last: null }).success).toBe(true);
    expect(usersArguments.safeParse({ orderBy: 'JOINED_DESC', last: 0 }).success).toBe(true);
  });
});

describe('dateTime', () => {
  it('accepts every instant written as ISO-8601 UTC, with or without milliseconds', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('0000-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }), (date) => {
        const iso = date.toISOString();
        expect(outcome(dateTime, iso)?.getTime()).toBe(date.getTime());
        expect(outcome(dateTime, iso.replace(/\.\d{3}Z$/, 'Z'))?.getTime()).toBe(Math.floor(date.getTime() / 1000) * 1000);
      }),
      RUNS,
    );
  });

  it('refuses dates that do not exist, rather than rolling them over', () => {
    for (const input of ['2023-02-29T00:00:00Z', '2024-02-30T00:00:00Z', '2024-04-31T00:00:00Z', '2024-01-01T24:00:00Z', '2024-01-01T23:60:00Z', '2024-01-01T23:59:60Z', '2024-13-01T00:00:00Z']) {
      expect(outcome(dateTime, input), input).toBeUndefined();
    }
    expect(outcome(dateTime, '2024-02-29T00:00:00Z')?.toISOString()).toBe('2024-02-29T00:00:00.000Z');
  });

  it('accepts only what it reads back to the same calendar time', () => {
    fc.assert(
      fc.property(fc.oneof(hostileString(30), fc.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/)), (input) => {
        const date = outcome(dateTime, input);
        if (date !== undefined) expect(date.toISOString().slice(0, 19)).toBe(input.slice(0, 19));
      }),
      RUNS,
    );
  });
});
