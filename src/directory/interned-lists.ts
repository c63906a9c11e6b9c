/**
 * Lists of names (a recipe user's tenants, a user's role pairs), sorted, distinct, frozen, and one
 * array for every equal list: a million users share a handful. A list grows a name at a time as
 * a load's rows come (`with`): list and name lead to the longer list through a table kept per
 * list, so that a row costs two lookups and no array, and no per-user list is sorted and joined
 * into a key at the end.
 */
import { compareStrings } from './user.ts';

const NO_NAMES: readonly string[] = Object.freeze([]);

export class InternedLists {
  /** By the list's names joined with NUL (a name never holds NUL: PostgreSQL text cannot). */
  private readonly byKey = new Map<string, readonly string[]>();
  private readonly longer = new Map<readonly string[], Map<string, readonly string[]>>();

  /** The list of these names, sorted and distinct. */
  of(names: readonly string[]): readonly string[] {
    if (names.length === 0) return NO_NAMES;
    if (names.length === 1) return this.single(names[0]!);
    const sorted = [...new Set(names)].sort(compareStrings);
    const key = sorted.join('\u0000');
    let interned = this.byKey.get(key);
    if (!interned) this.byKey.set(key, (interned = Object.freeze(sorted)));
    return interned;
  }

  /** The list of `held`'s names and `name` (held: a list this made, or none yet). */
  with(held: readonly string[] | undefined, name: string): readonly string[] {
    if (held === undefined) return this.single(name);
    let next = this.longer.get(held);
    if (!next) this.longer.set(held, (next = new Map()));
    let list = next.get(name);
    if (!list) next.set(name, (list = held.includes(name) ? held : this.of([...held, name])));
    return list;
  }

  private single(name: string): readonly string[] {
    let interned = this.byKey.get(name);
    if (!interned) this.byKey.set(name, (interned = Object.freeze([name])));
    return interned;
  }
}
