/** A logger whose JSON lines are kept for assertions. */
import { Writable } from 'node:stream';
import type { LogLevel } from '../../src/config/config.ts';
import { createLogger, type Logger } from '../../src/logger.ts';

export function captureLogs(level: LogLevel = 'debug'): { logger: Logger; logs: Array<Record<string, any>> } {
  const logs: Array<Record<string, any>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) logs.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger(level, sink), logs };
}
