/**
 * The assembly's shared lists (tenants, role pairs): grown a name at a time in any order, or made
 * at once, equal lists are one array, sorted and distinct, and never changed once handed out.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InternedLists } from '../../src/directory/interned-lists.ts';
import { compareStrings } from '../../src/directory/user.ts';

const sortedDistinct = (names: readonly string[]) => [...new Set(names)].sort(compareStrings);

describe('interned lists', () => {
  it('grown a name at a time, in any order and with repeats, give the one sorted, distinct list', () => {
    const name = fc.constantFrom('public', 't1', 't2', 'admin', 'a', 'B', 'é', '');
    fc.assert(
      fc.property(fc.array(fc.array(name, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 20 }), (groups) => {
        const lists = new InternedLists();
        const grown = groups.map((names) => names.reduce<readonly string[] | undefined>((held, next) => lists.with(held, next), undefined)!);
        for (const [i, names] of groups.entries()) {
          expect(grown[i]).toEqual(sortedDistinct(names));
          expect(Object.isFrozen(grown[i])).toBe(true);
          // The same array as the list made at once, and as every other equal list.
          expect(lists.of(names)).toBe(grown[i]);
          for (const [j, other] of groups.entries()) if (sortedDistinct(other).join('\n') === sortedDistinct(names).join('\n')) expect(grown[j]).toBe(grown[i]);
        }
      }),
    );
  });

  it('leaves a list it handed out as it was when it grows from it', () => {
    const lists = new InternedLists();
    const one = lists.with(undefined, 't1');
    const two = lists.with(one, 'public');
    expect(one).toEqual(['t1']);
    expect(two).toEqual(['public', 't1']);
    expect(lists.with(two, 't1')).toBe(two);
    expect(lists.of([])).toEqual([]);
  });
});
