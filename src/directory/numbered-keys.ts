/**
 * Strings numbered 0, 1, 2… in the order first seen, for the parts of a load (a million users'
 * keys, held until the load ends). The keys are kept as bytes in typed arrays, outside the JS
 * heap: as strings, 1.4 million of them (and an object of parts each) were copied twice by the
 * collector while a million-user load ran, only to be dropped at its end. What a key holds is
 * then kept by its number, in arrays its holder sizes (see UserAssembly).
 *
 * A key with a character past U+00FF (possible in an external id, never in a SuperTokens one)
 * is kept as its string instead.
 */
import { doubled, hashOf } from './string-table.ts';

/** Slots stay at most this full: probes stay short. */
const MAX_LOAD = 0.6;
const FIRST_CAPACITY = 16;
/** Bytes of a UUID, the most common key. */
const BYTES_PER_KEY = 36;

export class NumberedKeys {
  /** Per slot: 1 + the number of its key, 0 for an empty slot. */
  private slots: Int32Array;
  /** Per slot: the hash of its key. */
  private hashes: Int32Array;
  private mask: number;
  /** Per number: where its key's bytes end in `bytes` (they start where the number before's end). */
  private ends: Int32Array;
  private bytes: Uint8Array;
  private count = 0;
  /** The keys not kept as bytes (a character past U+00FF), by number. */
  private readonly wide = new Map<number, string>();

  /** `expected`: how many keys it will hold, so that it never has to grow. */
  constructor(expected = 0) {
    let capacity = FIRST_CAPACITY;
    while (capacity * MAX_LOAD < expected) capacity *= 2;
    this.slots = new Int32Array(capacity);
    this.hashes = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.ends = new Int32Array(Math.max(FIRST_CAPACITY, expected));
    this.bytes = new Uint8Array(Math.max(FIRST_CAPACITY, expected) * BYTES_PER_KEY);
  }

  get size(): number {
    return this.count;
  }

  /** The key's number, or -1 when it has none. */
  find(key: string): number {
    return this.slots[this.slotOf(key, hashOf(key))]! - 1;
  }

  /** The key's number, given the next one when it has none yet. */
  numberOf(key: string): number {
    const hash = hashOf(key);
    const slot = this.slotOf(key, hash);
    const held = this.slots[slot]!;
    if (held !== 0) return held - 1;
    const number = this.count++;
    this.keep(number, key);
    this.slots[slot] = number + 1;
    this.hashes[slot] = hash;
    if (this.count > this.slots.length * MAX_LOAD) this.grow();
    return number;
  }

  /** The key's slot, or the empty slot where it would go. */
  private slotOf(key: string, hash: number): number {
    const { slots, hashes, mask } = this;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const held = slots[slot]!;
      if (held === 0 || (hashes[slot] === hash && this.holds(held - 1, key))) return slot;
    }
  }

  private holds(number: number, key: string): boolean {
    if (this.wide.size > 0 && this.wide.has(number)) return this.wide.get(number) === key;
    const start = number === 0 ? 0 : this.ends[number - 1]!;
    if (this.ends[number]! - start !== key.length) return false;
    const bytes = this.bytes;
    for (let i = 0; i < key.length; i++) if (bytes[start + i] !== key.charCodeAt(i)) return false;
    return true;
  }

  private keep(number: number, key: string): void {
    if (number === this.ends.length) this.ends = grown(this.ends, this.ends.length * 2);
    const start = number === 0 ? 0 : this.ends[number - 1]!;
    if (start + key.length > this.bytes.length) this.bytes = grown(this.bytes, Math.max(this.bytes.length * 2, start + key.length));
    const bytes = this.bytes;
    for (let i = 0; i < key.length; i++) {
      const code = key.charCodeAt(i);
      if (code > 0xff) {
        this.wide.set(number, key);
        this.ends[number] = start;
        return;
      }
      bytes[start + i] = code;
    }
    this.ends[number] = start + key.length;
  }

  private grow(): void {
    ({ slots: this.slots, hashes: this.hashes } = doubled(this.slots, this.hashes));
    this.mask = this.slots.length - 1;
  }
}

function grown<T extends Int32Array | Uint8Array>(array: T, length: number): T {
  const larger = new (array.constructor as new (length: number) => T)(length);
  larger.set(array);
  return larger;
}
