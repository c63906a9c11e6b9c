/**
 * The safety net under change capture: every so often compare the database's fingerprint of the
 * view with the directory's own, and reload when they differ for longer than changes take to
 * arrive (a trigger disabled, a notice lost, a write through a path we do not watch).
 */
import { fingerprintOf, sameFingerprint, type Fingerprint } from '../directory/fingerprint.ts';
import type { UserDirectory } from '../directory/user-directory.ts';
import type { Logger } from '../logger.ts';
import type { ChangeFeed } from './change-feed.ts';
import type { SyncStats } from './sync-stats.ts';

export interface DriftCheckOptions {
  readonly directory: UserDirectory;
  readonly feed: ChangeFeed;
  readonly fingerprint: () => Promise<Fingerprint>;
  readonly stats: SyncStats;
  readonly logger: Logger;
  /** Second look after a mismatch, so that changes still in flight do not count as drift. */
  readonly settleMs?: number;
}

export class DriftCheck {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: DriftCheckOptions) {}

  /** Checks every `intervalMs` (0: never, but `check()` still works). */
  start(intervalMs: number): void {
    if (intervalMs <= 0) return;
    this.timer = setInterval(() => {
      this.check().catch((error: unknown) => this.options.logger.warn({ err: error }, 'drift check failed'));
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** True when the directory matched the database; false when it had drifted and was reloaded. */
  async check(): Promise<boolean> {
    const { directory, feed, stats, logger, settleMs = 250 } = this.options;
    stats.driftChecks++;
    if (await this.matches()) return true;
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    if (await this.matches()) return true;
    stats.driftRepairs++;
    logger.warn({ users: directory.snapshot.size }, 'directory drifted from the database; reloading');
    feed.requestReload();
    await feed.idle();
    return false;
  }

  private async matches(): Promise<boolean> {
    await this.options.feed.idle();
    const database = await this.options.fingerprint();
    return sameFingerprint(database, fingerprintOf(this.options.directory.snapshot.all()));
  }
}
