/** Counters of the change feed, and the lag from a change's commit to its arrival in the directory. */

const LAG_SAMPLES = 1024;

export class SyncStats {
  noticesReceived = 0;
  /** Notices whose changes reached the directory. */
  noticesApplied = 0;
  /** Notices that shared a batch with an earlier one (one query served them all). */
  noticesCoalesced = 0;
  /** The same notice seen again (it travels on PostgreSQL and Redis). */
  duplicatesDropped = 0;
  reloads = 0;
  /** Drift checks (the counters). */
  driftChecks = 0;
  /** Full verifications (the view's fingerprint) among them. */
  fullChecks = 0;
  /** Verifications that found drift and repaired it. */
  driftRepairs = 0;
  listenerReconnects = 0;
  private readonly lags: number[] = [];
  private next = 0;

  /** `onLag`: told of each lag recorded (the metrics' histogram). */
  constructor(private readonly onLag: (ms: number) => void = () => {}) {}

  recordLag(ms: number): void {
    this.onLag(ms);
    if (this.lags.length < LAG_SAMPLES) this.lags.push(ms);
    else this.lags[this.next] = ms;
    this.next = (this.next + 1) % LAG_SAMPLES;
  }

  /** Over the last 1024 applied notices. */
  lagPercentiles(): { p50: number | null; p99: number | null } {
    if (this.lags.length === 0) return { p50: null, p99: null };
    const sorted = [...this.lags].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    return { p50: at(0.5), p99: at(0.99) };
  }

  toJSON() {
    const { lags: _lags, next: _next, onLag: _onLag, ...counters } = this;
    return { ...counters, lagMs: this.lagPercentiles() };
  }
}
