/**
 * NumberedKeys, the load's numbering of its parts' keys (kept as bytes), against a Map numbering
 * the same keys: the same number for every key, -1 for every other, through its growth, whatever
 * the key holds (one-byte characters, wider ones, none).
 */
import { describe, expect, it } from 'vitest';
import { NumberedKeys } from '../../src/directory/numbered-keys.ts';
import { hashOf } from '../../src/directory/string-table.ts';
import { seededRandom } from '../../supertokens-standin/random.ts';

/** Keys a load names, and keys built to share prefixes, lengths and characters. */
function keyMaker(random: () => number): () => string {
  const kinds = [
    () => Array.from({ length: 36 }, (_, i) => ([8, 13, 18, 23].includes(i) ? '-' : '0123456789abcdef'[Math.floor(random() * 16)])).join(''),
    () => `ext-${Math.floor(random() * 3_000)}`,
    () => String.fromCharCode(...Array.from({ length: Math.floor(random() * 4) }, () => 0x61 + Math.floor(random() * 3))), // short, "" included
    () => `ünï-${Math.floor(random() * 500)}`, // one byte a character, past ASCII
    () => `wide-${Math.floor(random() * 500)}-${String.fromCharCode(0x100 + Math.floor(random() * 3))}`, // past U+00FF: kept as a string
    () => `emoji-${Math.floor(random() * 200)}-😀`,
  ];
  return () => kinds[Math.floor(random() * kinds.length)]!();
}

describe('NumberedKeys', () => {
  it('numbers keys as a Map counting first sightings does, through its growth', () => {
    for (const [seed, expected] of [
      [1, 0],
      [2, 30_000],
    ] as const) {
      const random = seededRandom(seed);
      const nextKey = keyMaker(random);
      const keys = new NumberedKeys(expected);
      const numbers = new Map<string, number>();
      const written: string[] = [];
      for (let n = 0; n < 40_000; n++) {
        const key = written.length > 0 && random() < 0.3 ? written[Math.floor(random() * written.length)]! : nextKey();
        written.push(key);
        if (!numbers.has(key)) numbers.set(key, numbers.size);
        expect(keys.numberOf(key)).toBe(numbers.get(key));
        if (n % 1_000 === 0) expect(keys.size).toBe(numbers.size);
      }
      for (let n = 0; n < 20_000; n++) {
        const key = random() < 0.5 ? written[Math.floor(random() * written.length)]! : nextKey();
        expect(keys.find(key)).toBe(numbers.get(key) ?? -1);
      }
      for (const [key, number] of numbers) expect(keys.find(key)).toBe(number);
      expect(keys.size).toBe(numbers.size);
    }
  });

  it('tells apart keys whose bytes could be confused: a wide character is not its low byte, a prefix is not the key', () => {
    const keys = new NumberedKeys();
    const a = keys.numberOf('ab\u0161'); // š: U+0161, low byte 0x61 ('a')
    expect(keys.find('aba')).toBe(-1);
    const b = keys.numberOf('aba');
    expect(keys.find('ab\u0161')).toBe(a);
    expect(keys.find('ab')).toBe(-1);
    const c = keys.numberOf('ab');
    const d = keys.numberOf('');
    expect([a, b, c, d, keys.numberOf('ab\u0161'), keys.find('aba'), keys.find('')]).toEqual([0, 1, 2, 3, 0, 1, 3]);
  });

  it('tells apart two keys of the same hash and length', () => {
    // Found by the birthday bound: some of a few hundred thousand keys share a 32-bit hash.
    const byHash = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let n = 1_000_000; !pair; n++) {
      const key = `user-${n}`;
      const other = byHash.get(hashOf(key));
      if (other !== undefined) pair = [other, key];
      else byHash.set(hashOf(key), key);
    }
    const [first, second] = pair;
    const keys = new NumberedKeys();
    expect(keys.numberOf(first)).toBe(0);
    expect(keys.find(second)).toBe(-1);
    expect(keys.numberOf(second)).toBe(1);
    expect([keys.find(first), keys.find(second), keys.size]).toEqual([0, 1, 2]);
  });
});
