/**
 * Keys the database has confirmed absent, remembered for a short time so that a flood of lookups
 * for a missing user does not reach the database. Bounded: the oldest entries go first.
 */
export class AbsentKeys {
  private readonly expiries = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  has(key: string): boolean {
    const expiresAt = this.expiries.get(key);
    if (expiresAt === undefined) return false;
    if (expiresAt > this.now()) return true;
    this.expiries.delete(key);
    return false;
  }

  add(key: string): void {
    if (this.ttlMs === 0) return;
    this.expiries.delete(key); // re-insert so Map order stays oldest-first
    this.expiries.set(key, this.now() + this.ttlMs);
    if (this.expiries.size > this.maxEntries) {
      const oldest = this.expiries.keys().next();
      if (!oldest.done) this.expiries.delete(oldest.value);
    }
  }

  delete(key: string): void {
    this.expiries.delete(key);
  }

  clear(): void {
    this.expiries.clear();
  }
}
