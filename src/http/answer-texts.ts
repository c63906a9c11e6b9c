/**
 * The answer texts of whole objects, kept for the fast lane's compiled queries: a hot user's JSON
 * is written once, then reused by every request that asks the same fields of the same object.
 * Keyed by the object itself (the directory's users are immutable: a changed user is a new object,
 * and its old text is never found again) and by the compiled selection that wrote it.
 *
 * Bounded: two generations of at most `perGeneration` objects each. A text found in the old
 * generation moves to the young one; when the young one is full, the old one is dropped. So the
 * texts in use stay, and what nobody asks again (or a replaced user) goes within two generations.
 */
import type { TextCache } from './compiled-query.ts';

/** The texts of one object: most objects are asked for with one selection. */
interface Kept {
  readonly owner: object;
  readonly text: string;
  readonly next: Kept | undefined;
}

/** Selections kept per object: a client asking for many shapes of the same user does not grow it without end. */
const MAX_SELECTIONS_PER_OBJECT = 4;

export class AnswerTexts implements TextCache {
  #young = new Map<object, Kept>();
  #old = new Map<object, Kept>();

  constructor(readonly perGeneration: number) {}

  get(owner: object, value: object): string | undefined {
    let kept = this.#young.get(value);
    if (kept === undefined) {
      kept = this.#old.get(value);
      if (kept === undefined) return undefined;
      this.#old.delete(value);
      this.#keep(value, kept);
    }
    for (let each: Kept | undefined = kept; each !== undefined; each = each.next) if (each.owner === owner) return each.text;
    return undefined;
  }

  set(owner: object, value: object, text: string): void {
    text = flattened(text);
    let rest = this.#young.get(value) ?? this.#old.get(value);
    this.#old.delete(value);
    // The newest first; the oldest selection beyond the bound goes.
    const others: Kept[] = [];
    for (; rest !== undefined && others.length < MAX_SELECTIONS_PER_OBJECT - 1; rest = rest.next) if (rest.owner !== owner) others.push(rest);
    let chain: Kept | undefined;
    for (let i = others.length - 1; i >= 0; i--) chain = { owner: others[i]!.owner, text: others[i]!.text, next: chain };
    this.#keep(value, { owner, text, next: chain });
  }

  /** Objects kept now (for tests and metrics). */
  get size(): number {
    return this.#young.size + this.#old.size;
  }

  #keep(value: object, kept: Kept): void {
    if (this.perGeneration <= 0) return;
    if (!this.#young.has(value) && this.#young.size >= this.perGeneration) {
      this.#old = this.#young;
      this.#young = new Map();
    }
    this.#young.set(value, kept);
  }
}

/** Where flattened's conversion goes: a store nobody reads, which the compiler cannot drop. */
let converted = 0;

/**
 * The same string, flat. V8 keeps a string built by `+` as a tree of its pieces (a rope) until
 * something needs it whole, and then flattens a copy for that use only when the rope is inside a
 * larger one: a kept text written into a hundred answers would be walked a hundred times.
 * Converting it to a number needs it flat, and V8 flattens it in place, once.
 */
export function flattened(text: string): string {
  converted = Number(text);
  return text;
}
