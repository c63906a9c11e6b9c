/**
 * The rules every argument is validated by (zod, through Pothos' validation plugin): one rule per
 * kind of input, whichever field takes it. A refusal is BAD_USER_INPUT with the rule's message.
 * What a rule lets through may reach PostgreSQL (ids and emails a directory miss looks up): no
 * rule lets through what PostgreSQL cannot take as text (NUL) or what UTF-8 cannot carry (a lone
 * UTF-16 surrogate, which JSON's \uD800 can spell and which would reach PostgreSQL as U+FFFD).
 * test/unit/inputs.test.ts states each rule as a property and checks it on generated strings.
 */
import { z } from 'zod';
import { decodeCursor } from './cursor.ts';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

const CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f]*$/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const isWellFormed = (value: string) => !LONE_SURROGATE.test(value);

/** Any id that names a user: SuperTokens ids are UUIDs, external ids at most 128 characters. */
export const userId = z
  .string()
  .trim()
  .min(1, 'id must not be empty')
  .max(128, 'id must be at most 128 characters')
  .regex(CONTROL_CHARACTERS, 'id must not contain control characters')
  .refine(isWellFormed, 'id must be well-formed Unicode (no lone surrogates)');

export const MAX_USERS_BY_IDS = 500;

/** usersByIds: each an id as above, at most MAX_USERS_BY_IDS of them. */
export const userIds = z.array(userId).max(MAX_USERS_BY_IDS, `ids: at most ${MAX_USERS_BY_IDS} ids at once`);

/** Trimmed and lower-cased, as SuperTokens stores emails. */
export const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(256, 'email must be at most 256 characters')
  .regex(/^[^\s@]+@[^\s@]+$/, 'email is malformed')
  .regex(CONTROL_CHARACTERS, 'email must not contain control characters')
  .refine(isWellFormed, 'email must be well-formed Unicode (no lone surrogates)');

/** SuperTokens tenant ids: at most 64 characters, no spaces or control characters. */
export const tenantId = z
  .string()
  .trim()
  .min(1, 'tenantId must not be empty')
  .max(64, 'tenantId must be at most 64 characters')
  .regex(/^[^\s\u0000-\u001f\u007f]*$/, 'tenantId must not contain spaces or control characters')
  .refine(isWellFormed, 'tenantId must be well-formed Unicode (no lone surrogates)');

/** A role or permission name, as SuperTokens stores them (at most 255 characters; PostgreSQL text, so no NUL). */
export const name = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} must not be empty`)
    .max(255, `${what} must be at most 255 characters`)
    .regex(/^[^\u0000]*$/, `${what} must not contain NUL`)
    .refine(isWellFormed, `${what} must be well-formed Unicode (no lone surrogates)`);

export const pageSize = z
  .number()
  .int()
  .min(0, 'first must be at least 0')
  .max(MAX_PAGE_SIZE, `first must be at most ${MAX_PAGE_SIZE}`);

export const cursor = z
  .string()
  .refine((value) => decodeCursor(value) !== null, 'after is not a cursor issued by this service')
  .transform((value) => decodeCursor(value)!);

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const DATE_TIME_MESSAGE = 'DateTime must be an ISO-8601 UTC string, e.g. "2024-01-15T09:30:00.000Z"';

/** An instant as ISO-8601 UTC; a date that does not exist (February 30th, hour 24) is refused, not rolled over. */
export const dateTime = z
  .string()
  .regex(ISO_UTC, DATE_TIME_MESSAGE)
  .transform((value, context) => {
    const date = new Date(value);
    if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 19) !== value.slice(0, 19)) {
      context.addIssue({ code: 'custom', message: DATE_TIME_MESSAGE });
      return z.NEVER;
    }
    return date;
  });
