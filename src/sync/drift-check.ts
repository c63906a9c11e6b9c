/**
 * The safety net under change capture. The database pays for it in proportion to what changed:
 *
 * 1. Every DRIFT_CHECK_INTERVAL_MS, two counters (db/drift-probe.ts): the rows PostgreSQL's
 *    statistics saw change in the tables that feed the view, and the rows usergraph's triggers
 *    counted. At rest neither moves, and that one query is the whole cost. When both moved alike,
 *    every change passed the triggers and was announced. When the statistics moved further, rows
 *    changed behind the triggers' back (a trigger disabled, session_replication_role = replica, a
 *    table without triggers, a statement that failed after writing): a full verification is due.
 * 2. A full verification compares the database's users' fingerprint with the directory's, in
 *    4096 buckets (the database's side is the load's own set-wise read, fingerprinted here).
 *    It runs when changes went unannounced, and otherwise at most every
 *    DRIFT_FULL_CHECK_INTERVAL_MS and only if something changed (a notice lost on the way: the
 *    insurance). The database reads every user for it, so one instance at a time computes
 *    it (an advisory lock), and verifications prompted by unannounced changes take at most 1% of
 *    the time.
 *
 * Drift, not changes in flight: a verification watches every change the directory applies from
 * just before the database's fingerprint is taken until the directory's is, and leaves out the
 * buckets those changes (and the notices still queued) touched: there the two sides may rightly
 * differ. A bucket that differs anyway has drifted; its users are re-read through the change feed
 * (a few hundred at most), not the whole directory reloaded. Only when very many buckets differ
 * does it reload in full.
 *
 * PostgreSQL publishes a backend's statistics up to 10 s late, the triggers' count at once. So the
 * reference a comparison starts from is read twice: the triggers' count when the directory was
 * known equal, the statistics 11 s later. Late statistics can then only hide unannounced rows,
 * never invent them. The price: the counters see unannounced rows only beyond the rows announced
 * in those 11 s (at rest: every one); fewer are left to the insurance comparison.
 */
import { bucketOf, differingBuckets, fingerprintOf, idsInBuckets } from '../directory/fingerprint.ts';
import type { UserChangeEvent, UserDirectory } from '../directory/user-directory.ts';
import type { ChangeCounters, DriftProbe } from '../db/drift-probe.ts';
import type { Logger } from '../logger.ts';
import type { ChangeFeed } from './change-feed.ts';
import type { SyncStats } from './sync-stats.ts';

export interface DriftCheckOptions {
  readonly directory: UserDirectory;
  readonly feed: ChangeFeed;
  readonly probe: DriftProbe;
  /** Calls the listener with every change the directory applies, until the returned function is called. */
  readonly watchChanges: (listener: (events: readonly UserChangeEvent[]) => void) => () => void;
  readonly stats: SyncStats;
  readonly logger: Logger;
  /** At most this often a full verification when rows changed, announced or not (0: only when unannounced). */
  readonly fullIntervalMs: number;
  /** After the database's fingerprint, how long notices of the changes it saw may take to be applied. */
  readonly settleMs?: number;
  /** More differing buckets than this: reload in full rather than re-read them. */
  readonly maxRepairBuckets?: number;
}

/** What one check found. */
export type DriftOutcome =
  /** No row changed since the last verification: nothing was compared. */
  | 'unchanged'
  /** Rows changed, all through the triggers; no verification was due. */
  | 'announced'
  /** Verified: the directory equals the view (changes in flight aside). */
  | 'verified'
  /** Buckets had drifted: their users were re-read (or the directory reloaded). */
  | 'repaired'
  /** Another instance was computing the fingerprint: try again later. */
  | 'busy'
  /** A full reload happened meanwhile: it verified the directory anyway. */
  | 'inconclusive';

/** Where comparisons start: the counters when the directory was last known equal to the view. */
interface Reference {
  readonly counters: ChangeCounters;
  /**
   * rowChanges - announced at that point, read once the statistics had time to show (so that it
   * can only be too high, see the header); unknown until then, and unannounced rows with it.
   */
  unannouncedUpperBound: bigint | undefined;
}

/**
 * How long PostgreSQL may hold back a backend's statistics: PostgreSQL 15 and later flush them
 * at most once a second, and a backend that went idle right after a flush waits 10 s.
 */
const STATISTICS_LAG_MS = 11_000;
/** After the database's fingerprint, how long notices of the changes it saw may take to be applied. */
const SETTLE_MS = 1_000;
/** Verifications prompted by unannounced rows take at most this share of the time (they also wait for the next check). */
const MAX_SHARE = 0.01;
/** How long a verification waits for the change feed to empty before it leaves out what is queued. */
const FEED_IDLE_WAIT_MS = 2_000;

export class DriftCheck {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private running: Promise<DriftOutcome> | undefined;
  private reference: Reference | undefined;
  /** The snapshot load the reference belongs to; another load brings its own. */
  private referenceLoad: Date | undefined;
  /** The reference of the load in progress (or last started), taken as it started. */
  private loadReference: Promise<Reference | undefined> | undefined;
  private readonly finalising = new Set<NodeJS.Timeout>();
  private lastVerifiedAt = performance.now();
  private lastVerificationMs = 0;
  private unannouncedLogged = false;

  constructor(private readonly options: DriftCheckOptions) {}

  /** Checks every `intervalMs` (0: never, but `check()` and `verify()` still work). */
  start(intervalMs: number): void {
    if (intervalMs <= 0) return;
    this.timer = setInterval(() => {
      if (this.running) return; // a verification of a large view may outlast the interval
      this.check().catch((error: unknown) => this.options.logger.warn({ err: error }, 'drift check failed'));
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    for (const timer of this.finalising) clearTimeout(timer);
  }

  /**
   * To be called as a full load starts: a load makes the directory equal to the view as of its
   * start, so the counters read then are the next reference.
   */
  beforeLoad(): void {
    this.loadReference = this.options.probe.changeCounters().then(
      (counters) => this.referenceFrom(counters),
      () => undefined,
    );
  }

  /** The counters, and a verification when one is due. */
  check(): Promise<DriftOutcome> {
    this.running ??= this.checkCounters().finally(() => (this.running = undefined));
    return this.running;
  }

  /** A full verification now, whatever the counters say (tests; an operator's doubt), after any check running. */
  async verify(): Promise<DriftOutcome> {
    while (this.running) await this.running.catch(() => {});
    this.running = this.verifyNow('asked').finally(() => (this.running = undefined));
    return this.running;
  }

  private async checkCounters(): Promise<DriftOutcome> {
    const { probe, stats, directory, fullIntervalMs, logger } = this.options;
    stats.driftChecks++;
    await this.adoptLoadReference();
    const now = await probe.changeCounters();
    const reference = this.reference;
    if (reference === undefined || now.rowChanges < reference.counters.rowChanges || now.announced < reference.counters.announced) {
      // No reference yet (its load could not read the counters), or the counters were reset.
      return this.verifyNow('no reference');
    }
    if (sameCounters(now, reference.counters)) return 'unchanged';
    const sinceVerified = performance.now() - this.lastVerifiedAt;
    const bound = reference.unannouncedUpperBound;
    const unannounced = bound === undefined ? 0n : now.rowChanges - now.announced - bound;
    if (unannounced > 0n) {
      if (!this.unannouncedLogged) {
        this.unannouncedLogged = true;
        logger.warn(
          { rows: Number(unannounced), users: directory.snapshot.size },
          "rows changed without passing usergraph's triggers (a trigger disabled, replication role, a table without triggers, or a failed statement); verifying the directory",
        );
      }
      // At most MAX_SHARE of the time goes to verifications the counters prompt.
      if (sinceVerified >= this.lastVerificationMs / MAX_SHARE) return this.verifyNow('unannounced changes');
      return 'announced';
    }
    if (fullIntervalMs > 0 && sinceVerified >= fullIntervalMs) return this.verifyNow('interval');
    return 'announced';
  }

  private async adoptLoadReference(): Promise<void> {
    const loadedAt = this.options.directory.isLoaded ? this.options.directory.snapshot.loadedAt : undefined;
    if (loadedAt === undefined || loadedAt === this.referenceLoad || this.loadReference === undefined) return;
    const reference = await this.loadReference;
    // A load verifies the directory as well as any comparison would.
    this.referenceLoad = loadedAt;
    this.reference = reference;
    this.lastVerifiedAt = performance.now();
    this.unannouncedLogged = false;
  }

  /** A reference from counters read now; its bound is read once the statistics had time to show. */
  private referenceFrom(counters: ChangeCounters): Reference {
    const reference: Reference = { counters, unannouncedUpperBound: undefined };
    const timer = setTimeout(() => {
      this.finalising.delete(timer);
      this.options.probe.changeCounters().then(
        (later) => (reference.unannouncedUpperBound = later.rowChanges - counters.announced),
        (error: unknown) => this.options.logger.warn({ err: error }, 'drift check could not read the change counters'),
      );
    }, STATISTICS_LAG_MS);
    timer.unref();
    this.finalising.add(timer);
    return reference;
  }

  private async verifyNow(reason: string): Promise<DriftOutcome> {
    const { directory, feed, probe, stats, logger, watchChanges, settleMs = SETTLE_MS, maxRepairBuckets = 64 } = this.options;
    const before = await probe.changeCounters().catch(() => undefined);
    const load = directory.snapshot.loadedAt;
    const touched = new Set<string>();
    const unwatch = watchChanges((events) => {
      for (const event of events) touched.add(event.user.supertokensUserId);
    });
    let database;
    let snapshot;
    let pending: string[];
    const started = performance.now();
    try {
      database = await probe.fingerprintAlone();
      if (database === null) return 'busy';
      this.lastVerificationMs = performance.now() - started;
      // Notices of changes the database's fingerprint saw arrive within milliseconds; let them land.
      await sleep(settleMs);
      await Promise.race([feed.idle(), sleep(FEED_IDLE_WAIT_MS)]);
      snapshot = directory.snapshot;
      pending = feed.pendingIds();
      if (snapshot.loadedAt !== load || feed.reloadPending) return 'inconclusive';
    } finally {
      unwatch();
    }
    stats.fullChecks++;
    if (before) {
      this.reference = this.referenceFrom(before);
      this.referenceLoad = load;
    }
    this.lastVerifiedAt = performance.now();
    this.unannouncedLogged = false;

    // Buckets a change in flight touched may rightly differ: the two fingerprints were taken apart.
    const inFlight = new Set<number>();
    for (const id of touched) inFlight.add(bucketOf(id));
    for (const id of pending) inFlight.add(bucketOf(id));
    for (const user of snapshot.usersNamedBy(pending)) inFlight.add(bucketOf(user.supertokensUserId));
    const differing = differingBuckets(database, await fingerprintOf(snapshot.all())).filter((bucket) => !inFlight.has(bucket));
    if (differing.length === 0) return 'verified';
    if (this.stopped) return 'repaired';

    stats.driftRepairs++;
    if (differing.length > maxRepairBuckets) {
      logger.warn({ reason, buckets: differing.length, users: snapshot.size }, 'directory drifted from the database; reloading');
      feed.requestReload();
    } else {
      const held = await idsInBuckets(snapshot.all(), new Set(differing));
      const ids = new Set([...held, ...(await probe.userIdsInBuckets(differing))]);
      logger.warn({ reason, buckets: differing.length, users: ids.size }, 'directory drifted from the database; re-reading those users');
      feed.requestIds(ids);
    }
    await feed.idle();
    return 'repaired';
  }
}

function sameCounters(a: ChangeCounters, b: ChangeCounters): boolean {
  return a.rowChanges === b.rowChanges && a.announced === b.announced;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
