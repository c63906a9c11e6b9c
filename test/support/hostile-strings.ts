/**
 * Strings as a hostile client can send them through JSON: any code point, lone UTF-16 surrogates
 * (JSON's "\uD800"), control characters, NUL, blanks of every kind, and the characters the rules
 * care about (@, :), mixed with plain ASCII so that well-formed values come up too.
 */
import fc from 'fast-check';

const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));
const interesting = fc.constantFrom('\u0000', '\t', '\n', '\r', ' ', '\u007f', '\u0085', '\u00a0', '\u2028', '\ufeff', '@', ':', '.', 'İ', 'ß', '\ud800', '\udfff');

const hostileUnit = fc.oneof(
  { arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }), weight: 4 },
  { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), weight: 2 },
  { arbitrary: codeUnit, weight: 1 },
  { arbitrary: interesting, weight: 2 },
);

export function hostileString(maxLength = 40): fc.Arbitrary<string> {
  return fc.string({ unit: hostileUnit, maxLength });
}

/** What PostgreSQL can take as text, unchanged: no NUL, and the same string after a UTF-8 round trip. */
export function isPostgresText(value: string): boolean {
  return !value.includes('\u0000') && Buffer.from(value, 'utf8').toString('utf8') === value;
}

/** True when the string holds a C0 control character or DEL. */
export function hasControlCharacter(value: string): boolean {
  return [...value].some((character) => {
    const code = character.codePointAt(0)!;
    return code < 0x20 || code === 0x7f;
  });
}
