/**
 * Structured logs (pino): one JSON object per line, or a readable rendering for a person at a
 * terminal. Emails and other PII only at debug level; tokens and keys never. A line written while
 * a request is being served carries that request's id (see `withRequestId`).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { PinoPretty } from 'pino-pretty';
import type { Config, LogFormat, LogLevel } from './config/config.ts';

export type { Logger };

const requestScope = new AsyncLocalStorage<string>();

/** Runs `work` (and everything it starts) as part of the request with this id: its log lines say so. */
export function withRequestId<T>(requestId: string, work: () => T): T {
  return requestScope.run(requestId, work);
}

export interface LoggerSettings {
  /** Defaults to stdout; tests pass their own to read what was logged. */
  readonly destination?: DestinationStream;
  readonly format?: LogFormat;
}

export function createLogger(level: LogLevel, { destination, format = 'json' }: LoggerSettings = {}): Logger {
  const options: LoggerOptions = {
    name: 'usergraph',
    level,
    mixin: () => {
      const requestId = requestScope.getStore();
      return requestId === undefined ? {} : { requestId };
    },
    // Nothing should ever log a header; should something try, the credential is not written.
    redact: { paths: ['authorization', '*.authorization', 'headers.authorization', '*.headers.authorization'], censor: '[redacted]' },
  };
  if (format === 'pretty') {
    const colorize = destination === undefined && process.stdout.isTTY === true;
    return pino(options, PinoPretty({ destination: destination ?? 1, colorize, sync: true, ignore: 'pid,hostname,name', translateTime: 'SYS:HH:MM:ss.l' }));
  }
  return destination ? pino(options, destination) : pino(options);
}

/** LOG_FORMAT, or when unset: readable for a person at a terminal in development, JSON for everything else. */
export function logFormatFor(config: Pick<Config, 'logFormat' | 'env'>, stdoutIsTerminal = process.stdout.isTTY === true): LogFormat {
  return config.logFormat ?? (config.env === 'development' && stdoutIsTerminal ? 'pretty' : 'json');
}
