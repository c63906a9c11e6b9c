/**
 * A Map from strings, for a million ids or emails (the base index's): open
 * addressing over typed arrays. A V8 Map keeps its entries in chains that a probe walks entry by
 * entry (a cache miss or more each, at a million entries), and moves every entry each time it
 * doubles; here a probe reads stored hashes side by side and compares a key only when its hash
 * matches, and growing moves no key. In a CPU profile of a million-user start, filling the ids
 * and the emails took 2.1 s against 4.4 s with Maps (docs/performance.md).
 *
 * Only what its users need: set, update, get, size, and iteration in the order keys were
 * first set (as a Map iterates). No deletion: the tables are built once and then only read.
 */

/** Slots stay at most this full: probes stay short. */
const MAX_LOAD = 0.6;
const FIRST_CAPACITY = 16;

export class StringTable<V> {
  /** Per slot: 1 + the entry's index, 0 for an empty slot. */
  private slots: Int32Array;
  /** Per slot: the hash of its entry's key. */
  private hashes: Int32Array;
  private mask: number;
  private readonly keyAt: string[] = [];
  private readonly valueAt: V[] = [];

  /** `expected`: how many keys it will hold, so that it never has to grow. */
  constructor(expected = 0) {
    let capacity = FIRST_CAPACITY;
    while (capacity * MAX_LOAD < expected) capacity *= 2;
    this.slots = new Int32Array(capacity);
    this.hashes = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.keyAt.length;
  }

  get(key: string): V | undefined {
    const entry = this.slots[this.slotOf(key, hashOf(key))]!;
    return entry === 0 ? undefined : this.valueAt[entry - 1];
  }

  /** Inserts the key, or replaces its value. */
  set(key: string, value: V): this {
    const hash = hashOf(key);
    const slot = this.slotOf(key, hash);
    const entry = this.slots[slot]!;
    if (entry !== 0) this.valueAt[entry - 1] = value;
    else this.insert(slot, hash, key, value);
    return this;
  }

  /**
   * Sets the key's value to what `update` makes of its value so far (undefined: none yet) and
   * `argument`, and returns it: one probe where a get and a set would take two. The argument
   * spares a caller a closure per call (a million, in a load).
   */
  update<A>(key: string, update: (held: V | undefined, argument: A) => V, argument: A): V {
    const hash = hashOf(key);
    const slot = this.slotOf(key, hash);
    const entry = this.slots[slot]!;
    const value = update(entry === 0 ? undefined : this.valueAt[entry - 1], argument);
    if (entry !== 0) this.valueAt[entry - 1] = value;
    else this.insert(slot, hash, key, value);
    return value;
  }

  /** Every entry, in the order its key was first set (as a Map iterates). */
  *[Symbol.iterator](): Generator<[string, V]> {
    for (let i = 0; i < this.keyAt.length; i++) yield [this.keyAt[i]!, this.valueAt[i]!];
  }

  values(): Iterable<V> {
    return this.valueAt;
  }

  private insert(slot: number, hash: number, key: string, value: V): void {
    this.slots[slot] = this.keyAt.push(key);
    this.valueAt.push(value);
    this.hashes[slot] = hash;
    if (this.keyAt.length > this.slots.length * MAX_LOAD) this.grow();
  }

  /** The key's slot, or the empty slot where it would go. */
  private slotOf(key: string, hash: number): number {
    const { slots, hashes, mask } = this;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[slot]!;
      if (entry === 0 || (hashes[slot] === hash && this.keyAt[entry - 1] === key)) return slot;
    }
  }

  private grow(): void {
    ({ slots: this.slots, hashes: this.hashes } = doubled(this.slots, this.hashes));
    this.mask = this.slots.length - 1;
  }
}

/**
 * An open-addressing table's slots (1 + an entry's index, 0 for empty) and their hashes, twice as
 * many, each entry placed again by its stored hash: no key is read. StringTable's and
 * NumberedKeys' growth.
 */
export function doubled(slots: Int32Array, hashes: Int32Array): { slots: Int32Array; hashes: Int32Array } {
  const capacity = slots.length * 2;
  const newSlots = new Int32Array(capacity);
  const newHashes = new Int32Array(capacity);
  const mask = capacity - 1;
  for (let old = 0; old < slots.length; old++) {
    const entry = slots[old]!;
    if (entry === 0) continue;
    const hash = hashes[old]!;
    let slot = hash & mask;
    while (newSlots[slot] !== 0) slot = (slot + 1) & mask;
    newSlots[slot] = entry;
    newHashes[slot] = hash;
  }
  return { slots: newSlots, hashes: newHashes };
}

/** Per process, as V8 seeds its own string hashes: which keys collide cannot be known in advance. */
const SEED = (Math.random() * 0x100000000) | 0;

/** FNV-1a over the UTF-16 code units, from the seed, then mixed so that the low bits (the slot) depend on every unit. */
export function hashOf(key: string): number {
  let hash = (0x811c9dc5 ^ SEED) | 0;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  return hash ^ (hash >>> 13);
}
