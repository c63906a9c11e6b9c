/** A logger whose JSON lines are kept for assertions. */
import { Writable } from 'node:stream';
import type { LogLevel } from '../../src/config/config.ts';
import { createLogger, type Logger } from '../../src/logger.ts';

export interface CapturedLogs {
  readonly logger: Logger;
  readonly logs: Array<Record<string, any>>;
  /** While `work` runs, lines are dropped (the harness's own replays must not add to them). */
  muted<T>(work: () => Promise<T>): Promise<T>;
}

export function captureLogs(level: LogLevel = 'debug'): CapturedLogs {
  const logs: Array<Record<string, any>> = [];
  let mutes = 0;
  const sink = new Writable({
    write(chunk, _encoding, done) {
      if (mutes === 0) for (const line of String(chunk).split('\n')) if (line) logs.push(JSON.parse(line));
      done();
    },
  });
  return {
    logger: createLogger(level, { destination: sink }),
    logs,
    async muted(work) {
      mutes += 1;
      try {
        return await work();
      } finally {
        // pino writes asynchronously: let the lines of `work` reach the sink before unmuting.
        await new Promise((resolve) => setImmediate(resolve));
        mutes -= 1;
      }
    },
  };
}
