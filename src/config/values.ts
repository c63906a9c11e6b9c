/** How an environment string becomes a value: the parsers the concerns share. */
import { z } from 'zod';

export const postgresUrl = z.url({
  protocol: /^postgres(ql)?$/,
  error: 'must be a postgres:// or postgresql:// URL',
});

export const flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

/** Plain decimal digits only: no '0x1F', '1e3' or blanks sneaking through as numbers. */
export const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

export const port = integer(0, 65_535);

/** A comma-separated list; blanks around items are dropped. */
export const list = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== ''),
);

/** What leaving an optional variable unset means, in words (README's Default column says the same). */
export const whenUnset = z.registry<{ meaning: string }>();

/** A variable that may stay unset, and what that means. */
export function optional<T extends z.ZodType>(schema: T, meaning: string): z.ZodOptional<T> {
  const unsettable = schema.optional();
  whenUnset.add(unsettable, { meaning });
  return unsettable;
}

/**
 * For a concern's cross-field rules: they compare parsed values, so they run only once every
 * variable of the concern parsed.
 */
export const onceParsed = { when: (payload: { issues: readonly unknown[] }) => payload.issues.length === 0 };
