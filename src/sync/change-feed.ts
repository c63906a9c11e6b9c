/**
 * Turns change notices into directory updates: notices arriving within a few milliseconds are
 * coalesced, their ids re-read with one batched query, and the result applied: users found are
 * upserted, users those ids named that are gone (deleted, or linked into another primary) are
 * removed. A reload notice, or a failed re-read, becomes one full reload.
 */
import type { UserDirectory } from '../directory/user-directory.ts';
import type { User } from '../directory/user.ts';
import type { Logger } from '../logger.ts';
import type { ChangeNotice } from './notice.ts';
import type { SyncStats } from './sync-stats.ts';

export interface ChangeFeedOptions {
  readonly appId: string;
  readonly directory: UserDirectory;
  /** One query for the users any of these ids name (the repository's findUsersByIds). */
  readonly fetchUsers: (ids: readonly string[]) => Promise<readonly User[]>;
  readonly coalesceMs: number;
  readonly stats: SyncStats;
  readonly logger: Logger;
}

/** Re-reads after a failure wait this long at first, doubling up to the cap. */
const RETRY_MS = 250;
const RETRY_CAP_MS = 5_000;
/** How many notice keys are remembered to drop duplicates (NOTIFY and Redis carry the same). */
const SEEN_KEYS = 10_000;

export class ChangeFeed {
  private ids = new Set<string>();
  private reloadWanted = false;
  /** Commit times of the notices in the pending batch, for the lag. */
  private commits: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** What the running batch re-reads (or that it reloads): still pending until it is applied. */
  private inFlight: { ids: readonly string[]; reload: boolean } = { ids: [], reload: false };
  private failures = 0;
  /** When the first of the current run of failed batches failed; null while batches succeed. */
  private failingSince: number | null = null;
  private readonly seen = new Set<string>();
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly options: ChangeFeedOptions) {}

  /** Queues a notice; false when it was not for this app or was seen already. */
  receive(notice: ChangeNotice): boolean {
    const { appId, stats } = this.options;
    if (notice.appId !== appId) return false;
    if (this.seen.has(notice.key)) {
      stats.duplicatesDropped++;
      return false;
    }
    this.remember(notice.key);
    stats.noticesReceived++;
    if (this.commits.length > 0) stats.noticesCoalesced++;
    this.commits.push(notice.committedAt);
    if (notice.kind === 'reload') this.reloadWanted = true;
    else for (const id of notice.ids) this.ids.add(id);
    this.schedule(this.options.coalesceMs);
    return true;
  }

  /** Queues a full reload (after a reconnect, or when drift was found). */
  requestReload(): void {
    this.reloadWanted = true;
    this.schedule(0);
  }

  /** Queues a re-read of the users these ids name, as a notice would (the drift check's repair). */
  requestIds(ids: Iterable<string>): void {
    for (const id of ids) this.ids.add(id);
    this.schedule(0);
  }

  /** Ids queued or being re-read: changes that may not be in the directory yet. */
  pendingIds(): string[] {
    return [...this.ids, ...this.inFlight.ids];
  }

  /** A full reload is queued or running. */
  get reloadPending(): boolean {
    return this.reloadWanted || this.inFlight.reload;
  }

  /** How long changes have failed to apply (0 while they apply). */
  failingForMs(now = Date.now()): number {
    return this.failingSince === null ? 0 : now - this.failingSince;
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private get busy(): boolean {
    return this.running !== undefined || this.timer !== undefined || this.reloadWanted || this.ids.size > 0;
  }

  private schedule(delayMs: number): void {
    if (this.timer || this.running) return; // the running batch reschedules when it ends
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.flush().finally(() => {
        this.running = undefined;
        if (this.reloadWanted || this.ids.size > 0) this.schedule(this.retryDelay());
        else this.idleWaiters.splice(0).forEach((resolve) => resolve());
      });
    }, delayMs);
  }

  private retryDelay(): number {
    return this.failures === 0 ? this.options.coalesceMs : Math.min(RETRY_CAP_MS, RETRY_MS * 2 ** (this.failures - 1));
  }

  private async flush(): Promise<void> {
    const { directory, fetchUsers, stats, logger } = this.options;
    const ids = [...this.ids];
    const commits = this.commits;
    const reload = this.reloadWanted;
    this.ids = new Set();
    this.commits = [];
    this.reloadWanted = false;
    this.inFlight = { ids, reload };
    try {
      if (reload) {
        // A load already in flight began before what this reload must see (a reconnect, drift): wait for it, then load again.
        if (directory.isReloading) await directory.reload().catch(() => undefined);
        await directory.reload();
        stats.reloads++;
      } else {
        const found = await fetchUsers(ids);
        const foundIds = new Set(found.map((user) => user.supertokensUserId));
        const gone = directory.snapshot
          .usersNamedBy(ids)
          .map((user) => user.supertokensUserId)
          .filter((id) => !foundIds.has(id));
        directory.apply({ upserts: found, deletedIds: gone });
      }
      this.failures = 0;
      this.failingSince = null;
      const now = Date.now();
      stats.noticesApplied += commits.length;
      for (const committedAt of commits) stats.recordLag(Math.max(0, now - committedAt));
    } catch (error) {
      // A failed re-read loses nothing: a full reload, retried with backoff, covers it.
      this.failures++;
      this.failingSince ??= Date.now();
      this.reloadWanted = true;
      this.commits.unshift(...commits);
      logger.warn({ err: error, failures: this.failures }, 'applying changes failed; a full reload will follow');
    } finally {
      this.inFlight = { ids: [], reload: false };
    }
  }

  private remember(key: string): void {
    this.seen.add(key);
    if (this.seen.size > SEEN_KEYS) {
      const oldest = this.seen.values().next();
      if (!oldest.done) this.seen.delete(oldest.value);
    }
  }
}
