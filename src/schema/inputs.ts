/**
 * The rules every argument is validated by (zod, through Pothos' validation plugin): one rule per
 * kind of input, whichever field takes it. A refusal is BAD_USER_INPUT with the rule's message.
 */
import { z } from 'zod';
import { decodeCursor } from './cursor.ts';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** Any id that names a user: SuperTokens ids are UUIDs, external ids at most 128 characters. */
export const userId = z
  .string()
  .trim()
  .min(1, 'id must not be empty')
  .max(128, 'id must be at most 128 characters')
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'id must not contain control characters');

export const MAX_USERS_BY_IDS = 500;

/** usersByIds: each an id as above, at most MAX_USERS_BY_IDS of them. */
export const userIds = z.array(userId).max(MAX_USERS_BY_IDS, `ids: at most ${MAX_USERS_BY_IDS} ids at once`);

/** Trimmed and lower-cased, as SuperTokens stores emails. */
export const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(256, 'email must be at most 256 characters')
  .regex(/^[^\s@]+@[^\s@]+$/, 'email is malformed');

/** SuperTokens tenant ids: at most 64 characters, no spaces or control characters. */
export const tenantId = z
  .string()
  .trim()
  .min(1, 'tenantId must not be empty')
  .max(64, 'tenantId must be at most 64 characters')
  .regex(/^[^\s\u0000-\u001f\u007f]*$/, 'tenantId must not contain spaces or control characters');

/** A role or permission name, as SuperTokens stores them (at most 255 characters). */
export const name = (what: string) =>
  z.string().trim().min(1, `${what} must not be empty`).max(255, `${what} must be at most 255 characters`);

export const pageSize = z
  .number()
  .int()
  .min(0, 'first must be at least 0')
  .max(MAX_PAGE_SIZE, `first must be at most ${MAX_PAGE_SIZE}`);

export const cursor = z
  .string()
  .refine((value) => decodeCursor(value) !== null, 'after is not a cursor issued by this service')
  .transform((value) => decodeCursor(value)!);
