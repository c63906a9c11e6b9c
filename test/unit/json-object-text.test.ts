/**
 * The load's check of metadata text against JSON.parse itself: whatever the text, the check says
 * "an object" exactly when JSON.parse makes an object of it (not nested beyond MAX_JSON_DEPTH).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isJsonObjectText, MAX_JSON_DEPTH } from '../../src/directory/json-object-text.ts';

function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  let deepest = 0;
  for (const inner of Object.values(value)) deepest = Math.max(deepest, depthOf(inner));
  return deepest + 1;
}

/** What JSON.parse says: an object, nested no deeper than the limit. */
function parsesToObject(text: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return false;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) && depthOf(value) <= MAX_JSON_DEPTH;
}

const whitespace = fc.constantFrom('', ' ', '\t', '\n', '\r', ' \n ', '\u00a0', '\u2028', '\ufeff');
/** Pieces JSON is made of, and near misses of them. */
const piece = fc.constantFrom(
  '{', '}', '[', ']', ',', ':', '"', '\\', '\\"', '\\u00e9', '\\u12', '\\x', '\\/', '\\b', '\\\n', '\t', '\u0001', '\ud800',
  'true', 'tru', 'false', 'null', 'nul', 'NaN', 'Infinity', '0', '-0', '01', '1.', '.5', '1.5', '1e5', '1E+5', '1e', '-', '+1', 'é', 'a', ' ',
);

/** A text, its characters changed at random places (inserted, deleted, replaced). */
const mutated = (text: fc.Arbitrary<string>) =>
  fc.tuple(text, fc.array(fc.tuple(fc.nat(), fc.constantFrom('insert', 'delete', 'replace'), piece), { maxLength: 4 })).map(([base, edits]) => {
    let out = base;
    for (const [at, kind, inserted] of edits) {
      const i = out.length === 0 ? 0 : at % out.length;
      out = kind === 'insert' ? out.slice(0, i) + inserted + out.slice(i) : kind === 'delete' ? out.slice(0, i) + out.slice(i + 1) : out.slice(0, i) + inserted + out.slice(i + 1);
    }
    return out;
  });

/** A JSON text cut short anywhere (a load may meet metadata truncated by hand). */
const cutShort = fc.tuple(fc.json(), fc.nat()).map(([text, at]) => text.slice(0, at % (text.length + 1)));

const spaced = fc.tuple(whitespace, fc.jsonValue(), whitespace, fc.boolean()).map(([before, value, after, pretty]) => before + JSON.stringify(value, null, pretty ? 2 : undefined) + after);

describe('isJsonObjectText', () => {
  it('agrees with JSON.parse on JSON texts, texts cut short, and texts made of JSON pieces', () => {
    fc.assert(
      fc.property(fc.oneof(spaced, fc.json(), cutShort, fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join('')), fc.string({ unit: 'binary' })), (text) => {
        expect(isJsonObjectText(text)).toBe(parsesToObject(text));
      }),
      { numRuns: 5_000 },
    );
  });

  it('agrees with JSON.parse on objects changed in a few places', () => {
    const object = fc.dictionary(fc.string(), fc.jsonValue()).map((value) => JSON.stringify(value));
    fc.assert(
      fc.property(mutated(fc.oneof(object, spaced)), (text) => {
        expect(isJsonObjectText(text)).toBe(parsesToObject(text));
      }),
      { numRuns: 5_000 },
    );
  });

  it('takes an object nested to the limit and refuses one a level deeper, or any value that is not an object', () => {
    const nested = (depth: number) => '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);
    expect(isJsonObjectText(nested(MAX_JSON_DEPTH))).toBe(true);
    expect(isJsonObjectText(nested(MAX_JSON_DEPTH + 1))).toBe(false);
    expect(isJsonObjectText(`{"a":${'['.repeat(MAX_JSON_DEPTH - 1)}${']'.repeat(MAX_JSON_DEPTH - 1)}}`)).toBe(true);
    expect(isJsonObjectText(`{"a":${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}}`)).toBe(false);
    expect(isJsonObjectText('{"a":' + '['.repeat(100_000))).toBe(false); // refused without recursing that deep
    for (const text of ['[]', '"{}"', '1', 'null', 'true', '', ' ', '{}{}', '{} x']) expect(isJsonObjectText(text)).toBe(false);
    // Every raw control character in a string, key or value: JSON.parse refuses each.
    for (let code = 0; code < 0x20; code++) {
      const c = String.fromCharCode(code);
      for (const text of [`{"a":"x${c}y"}`, `{"${c}":1}`]) {
        expect(parsesToObject(text)).toBe(false);
        expect(isJsonObjectText(text)).toBe(false);
      }
    }
    expect(isJsonObjectText('{"a":"\\u001f \\u007f \\u0020"}')).toBe(true);
    // A text cut short anywhere, a number at its very end included, is refused (and in bounded time).
    const whole = '{"a": [1, -2.5e+3, 0, "x\\u00e9"], "b": {"c": 10}, "d": 123}';
    for (let end = 0; end < whole.length; end++) expect(isJsonObjectText(whole.slice(0, end))).toBe(false);
    expect(isJsonObjectText(whole)).toBe(true);
    for (const text of ['{}', ' {"a" : [1, -2.5e-3, "\\u00e9\\n", {"b": null}]} ', '{"":{}}', '{"a":1,"a":2}']) expect(isJsonObjectText(text)).toBe(true);
  });
});
