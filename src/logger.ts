/** Structured logs (pino). Emails and other PII only at debug level; tokens never. */
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config/config.ts';

export type { Logger };

/** `destination` defaults to stdout; tests pass their own to read what was logged. */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return destination ? pino({ name: 'usergraph', level }, destination) : pino({ name: 'usergraph', level });
}
