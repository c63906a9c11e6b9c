/** Structured logs (pino). Emails and other PII only at debug level; tokens never. */
import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.ts';

export type { Logger };

export function createLogger(level: LogLevel): Logger {
  return pino({ name: 'usergraph', level });
}
