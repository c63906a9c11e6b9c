/**
 * Retrying something that waits on the outside world (PostgreSQL coming up, a first load) with
 * exponential backoff and jitter, and saying so in few words: one line when it starts failing, one
 * per REPORT_EVERY_MS while it goes on (or when the reason changes), one when it succeeds.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from './logger.ts';

export interface RetryOptions {
  /** What is waited for, for the log: "PostgreSQL at db:5432". */
  readonly waitingFor: string;
  /** What for: "to apply migrations". */
  readonly to: string;
  readonly logger: Logger;
  /** False: give up at once and throw (a failure no retry can mend). Default: retry everything. */
  readonly isRetryable?: (error: unknown) => boolean;
  /** Ends the waiting: the pending attempt finishes, no other starts, and the call rejects. */
  readonly signal?: AbortSignal;
  readonly initialMs?: number;
  readonly maxMs?: number;
  /** Called before each wait between attempts. */
  readonly onWait?: () => void;
}

const REPORT_EVERY_MS = 30_000;

export async function retryWithBackoff<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
  const { waitingFor, to, logger, isRetryable = () => true, signal, initialMs = 250, maxMs = 10_000, onWait } = options;
  const started = Date.now();
  let attempts = 0;
  let reported: { at: number; reason: string } | undefined;
  for (;;) {
    signal?.throwIfAborted();
    attempts++;
    try {
      const result = await attempt();
      if (reported) logger.info({ attempts, waitedMs: Date.now() - started }, `${waitingFor} answered; went on ${to}`);
      return result;
    } catch (error) {
      if (!isRetryable(error)) throw error;
      const reason = error instanceof Error ? error.message || error.name : String(error);
      const now = Date.now();
      if (!reported || reported.reason !== reason || now - reported.at >= REPORT_EVERY_MS) {
        logger.warn(
          { attempts, waitingMs: now - started, reason },
          `waiting for ${waitingFor} ${to}: ${reason} (retrying with backoff, at most every ${Math.round(maxMs / 1000)} s)`,
        );
        reported = { at: now, reason };
      }
      onWait?.();
      const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempts - 1, 30));
      // Jitter: instances that lost the database together do not come back in step.
      await sleep(Math.round(ceiling / 2 + Math.random() * (ceiling / 2)), undefined, { signal });
    }
  }
}
