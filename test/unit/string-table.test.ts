/**
 * StringTable, the base index's Map from ids and emails, against a Map given the same writes:
 * the same answers to every read, the same entries in the same order, through its growth.
 */
import { describe, expect, it } from 'vitest';
import { hashOf, StringTable } from '../../src/directory/string-table.ts';
import { seededRandom } from '../../supertokens-standin/random.ts';

/** Keys a directory holds, and keys built to share prefixes, lengths and characters. */
function keyMaker(random: () => number): () => string {
  const kinds = [
    () => Array.from({ length: 36 }, (_, i) => ([8, 13, 18, 23].includes(i) ? '-' : '0123456789abcdef'[Math.floor(random() * 16)])).join(''),
    () => `user${Math.floor(random() * 5_000)}@example.com`,
    () => `ext-${Math.floor(random() * 3_000)}`,
    () => String.fromCharCode(...Array.from({ length: Math.floor(random() * 4) }, () => 0x61 + Math.floor(random() * 3))), // short, "" included
    () => `ünï-${Math.floor(random() * 500)}-😀`, // beyond one byte a character
  ];
  return () => kinds[Math.floor(random() * kinds.length)]!();
}

describe('StringTable', () => {
  it('answers as a Map given the same writes, through its growth', () => {
    for (const [seed, expected] of [
      [1, 0],
      [2, 50_000],
    ] as const) {
      const random = seededRandom(seed);
      const nextKey = keyMaker(random);
      const table = new StringTable<number>(expected);
      const map = new Map<string, number>();
      const written: string[] = [];
      for (let n = 0; n < 40_000; n++) {
        const key = written.length > 0 && random() < 0.3 ? written[Math.floor(random() * written.length)]! : nextKey();
        written.push(key);
        if (random() < 0.5) {
          table.set(key, n);
          map.set(key, n);
        } else {
          table.update(key, (held, added) => (held ?? 0) * 2 + added, n);
          map.set(key, (map.get(key) ?? 0) * 2 + n);
        }
        if (n % 1_000 === 0) expect(table.size).toBe(map.size);
      }
      for (let n = 0; n < 20_000; n++) {
        const key = random() < 0.5 ? written[Math.floor(random() * written.length)]! : nextKey();
        expect(table.get(key)).toBe(map.get(key));
      }
      expect(table.size).toBe(map.size);
      expect([...table]).toEqual([...map]);
      expect([...table.values()]).toEqual([...map.values()]);
    }
  });

  it('tells apart two keys of the same hash', () => {
    // Found by the birthday bound: some of a few hundred thousand keys share a 32-bit hash.
    const byHash = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let n = 0; !pair; n++) {
      const key = `user${n}@example.com`;
      const other = byHash.get(hashOf(key));
      if (other !== undefined) pair = [other, key];
      else byHash.set(hashOf(key), key);
    }
    const [first, second] = pair;
    const table = new StringTable<string>();
    table.set(first, 'first');
    expect(table.get(second)).toBeUndefined();
    table.set(second, 'second');
    expect([table.get(first), table.get(second), table.size]).toEqual(['first', 'second', 2]);
  });

  it('tells a key from an absent one when both hash alike into a full neighbourhood', () => {
    // A small table that grew from its first capacity: every probe crosses occupied slots.
    const table = new StringTable<string>();
    const keys = Array.from({ length: 200 }, (_, n) => `k${n}`);
    for (const key of keys) table.set(key, key.toUpperCase());
    for (const key of keys) expect(table.get(key)).toBe(key.toUpperCase());
    for (let n = 200; n < 400; n++) expect(table.get(`k${n}`)).toBeUndefined();
    expect(table.get('')).toBeUndefined();
  });
});
