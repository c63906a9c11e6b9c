/**
 * The rules every argument is validated by (zod, through Pothos' validation plugin): one rule per
 * kind of input, whichever field takes it. A refusal is BAD_USER_INPUT with the rule's message.
 * What a rule lets through may reach PostgreSQL (ids and emails a directory miss looks up): no
 * rule lets through what PostgreSQL cannot take as text (NUL) or what UTF-8 cannot carry (a lone
 * UTF-16 surrogate, which JSON's \uD800 can spell and which would reach PostgreSQL as U+FFFD).
 * test/unit/inputs.test.ts states each rule as a property and checks it on generated strings.
 */
import { z } from 'zod';
import { decodeCursor, type Cursor } from './cursor.ts';

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

/**
 * Whether userId gives `value` back as it is, decided without zod: printable ASCII (no control
 * character, nothing ill-formed), 1 to 128 characters, no blank at either end (nothing to trim).
 * Such ids skip validation in compiled queries (ARGS_AS_GIVEN); test/unit/inputs.test.ts checks
 * the claim against the rule.
 */
export function isPlainId(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 128) return false;
  if (value.charCodeAt(0) === 0x20 || value.charCodeAt(value.length - 1) === 0x20) return false;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) return false;
  }
  return true;
}

/**
 * A field extension: per argument, a test that its validation would give the argument back
 * unchanged when the test holds. A compiled query then skips the validation's mapper (18 % of
 * the CPU of a request asking 100 users by id; docs/performance.md). Only for a field whose only
 * argument mapper is the validation plugin's (test/unit/compiled-arguments.test.ts).
 */
export const ARGS_AS_GIVEN = 'usergraphArgsAsGiven';
export type ArgsAsGiven = Readonly<Record<string, (value: unknown) => boolean>>;

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

/** A page size: `first` or `last`. */
export const pageSize = (what: 'first' | 'last') =>
  z
    .number()
    .int()
    .min(0, `${what} must be at least 0`)
    .max(MAX_PAGE_SIZE, `${what} must be at most ${MAX_PAGE_SIZE}`);

/** A cursor this service issued (`after` or `before`), as the order and place it names. */
export const cursor = (what: 'after' | 'before') =>
  z
    .string()
    .refine((value) => decodeCursor(value) !== null, `${what} is not a cursor issued by this service`)
    .transform((value) => decodeCursor(value)!);

/** users(search:): what a person types into a search box, trimmed; matched case-insensitively. */
export const search = z
  .string()
  .trim()
  .min(1, 'search must not be empty')
  .max(256, 'search must be at most 256 characters')
  .regex(CONTROL_CHARACTERS, 'search must not contain control characters')
  .refine(isWellFormed, 'search must be well-formed Unicode (no lone surrogates)');

export const MAX_METADATA_CONDITIONS = 20;
export const MAX_METADATA_PATH = 32;
/** How deeply an `equals` value may nest: comparing it recurses once a level. */
export const MAX_METADATA_VALUE_DEPTH = 32;

const metadataKey = z
  .string()
  .max(255, 'a metadata path key must be at most 255 characters')
  .refine(isWellFormed, 'a metadata path key must be well-formed Unicode (no lone surrogates)');

/** JSON no deeper than `limit` (a scalar is 0 deep); stops looking past the limit. */
function depthAtMost(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (limit === 0) return false;
  return Object.values(value).every((inner) => depthAtMost(inner, limit - 1));
}

/** users(metadata:): each `{ path, equals }` or `{ path, exists }`, exactly one of the two. */
export const metadataConditions = z
  .array(
    z
      .object({
        path: z
          .array(metadataKey)
          .min(1, 'a metadata path names at least one key')
          .max(MAX_METADATA_PATH, `a metadata path has at most ${MAX_METADATA_PATH} keys`),
        equals: z.unknown().optional(),
        exists: z.boolean().nullish(),
      })
      .superRefine((condition, context) => {
        const given = ('equals' in condition ? 1 : 0) + (condition.exists != null ? 1 : 0);
        if (given !== 1) context.addIssue({ code: 'custom', message: 'a metadata condition takes exactly one of equals and exists' });
        if (!depthAtMost(condition.equals, MAX_METADATA_VALUE_DEPTH)) {
          context.addIssue({ code: 'custom', message: `metadata equals may nest at most ${MAX_METADATA_VALUE_DEPTH} levels` });
        }
      })
      .transform((condition) =>
        condition.exists != null ? { path: condition.path, exists: condition.exists } : { path: condition.path, equals: condition.equals },
      ),
  )
  .max(MAX_METADATA_CONDITIONS, `metadata: at most ${MAX_METADATA_CONDITIONS} conditions`);

/**
 * The users field's arguments together, after each has passed its own rule: one direction of
 * paging at a time, and cursors made for the order asked for (a cursor marks a place in one order).
 */
export const usersArguments = z
  .looseObject({
    first: z.number().nullish(),
    last: z.number().nullish(),
    orderBy: z.string().nullish(),
    after: z.custom<Cursor>().nullish(),
    before: z.custom<Cursor>().nullish(),
  })
  .superRefine((args, context) => {
    if (args.first != null && args.last != null) {
      context.addIssue({ code: 'custom', path: ['last'], message: 'first and last cannot be given together: first pages forwards, last backwards' });
    }
    for (const what of ['after', 'before'] as const) {
      const given = args[what];
      if (given != null && given.order !== (args.orderBy ?? 'JOINED_DESC')) {
        context.addIssue({
          code: 'custom',
          path: [what],
          message: `${what} is a cursor for orderBy: ${given.order}, not ${args.orderBy ?? 'JOINED_DESC'}: a cursor marks a place in the order it came from`,
        });
      }
    }
  });

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
