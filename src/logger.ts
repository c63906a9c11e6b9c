/**
 * Structured logs (pino): one JSON object per line, or a readable rendering for a person at a
 * terminal. Emails and other PII only at debug level; tokens and keys never. A line written while
 * a request is being served carries that request's id (see `withRequestId`).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { Config, LogFormat, LogLevel } from './config/config.ts';

export type { Logger };

interface RequestScope {
  readonly requestId: string;
  /** What `firstTimeInRequest` has seen. */
  seen: Set<string> | undefined;
}

const requestScope = new AsyncLocalStorage<RequestScope>();

/** Runs `work` (and everything it starts) as part of the request with this id: its log lines say so. */
export function withRequestId<T>(requestId: string, work: () => T): T {
  return requestScope.run({ requestId, seen: undefined }, work);
}

/**
 * `fn`, run as part of the current request when called later from a callback that loses it (an
 * event listener runs in its emitter's context). Cheaper than AsyncResource.bind, which costs a
 * resource and its garbage per call (measured: a third more CPU per fast-lane request).
 */
export function bindToRequest<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
  const scope = requestScope.getStore();
  return scope === undefined ? fn : (...args: A) => requestScope.run(scope, fn, ...args);
}

/**
 * True the first time `key` is asked about within the current request (always outside one): for
 * what should be logged once per request however often it happens (the fast lane's attempt and
 * yoga's run of one failing request both meet the same error).
 */
export function firstTimeInRequest(key: string): boolean {
  const scope = requestScope.getStore();
  if (scope === undefined) return true;
  scope.seen ??= new Set();
  if (scope.seen.has(key)) return false;
  scope.seen.add(key);
  return true;
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
      const scope = requestScope.getStore();
      return scope === undefined ? {} : { requestId: scope.requestId };
    },
    // Nothing should ever log a header; should something try, the credential is not written. Fixed
    // paths, no wildcards: a wildcard makes every line walk every key (a few µs per request).
    redact: { paths: ['authorization', 'headers.authorization', 'req.headers.authorization', 'request.headers.authorization'], censor: '[redacted]' },
  };
  if (format === 'pretty') {
    const colorize = destination === undefined && process.stdout.isTTY === true;
    // Loaded only for this format: a production start (JSON) never compiles it.
    const { PinoPretty } = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
    return pino(options, PinoPretty({ destination: destination ?? 1, colorize, sync: true, ignore: 'pid,hostname,name', translateTime: 'SYS:HH:MM:ss.l' }));
  }
  return pino(options, destination ?? bufferedStdout());
}

/** How long a log line may wait in the buffer before it is written. */
const LOG_FLUSH_MS = 100;

/**
 * stdout, buffered: lines are written 4 KiB at a time, and at least every LOG_FLUSH_MS. One
 * blocking write per line was a fifth of a request's CPU on the fast lane (measured); this is a
 * write per dozen requests under load. pino flushes it on exit; a SIGKILL can lose the last 100 ms.
 */
function bufferedStdout(): DestinationStream {
  const stream = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  let waiting = false;
  setInterval(() => {
    if (!waiting) return; // an idle service writes nothing
    waiting = false;
    stream.flush();
  }, LOG_FLUSH_MS).unref();
  return {
    write(line: string) {
      waiting = true;
      stream.write(line);
    },
    // Synchronous when it can be: `logger.flush()` then means the lines are out (the ready line
    // and the demo key are read by a person, or a script, the moment the port answers).
    flush(done?: (error?: Error) => void) {
      waiting = false;
      try {
        stream.flushSync();
      } catch {
        stream.flush(done); // a write is under way: flushed once it ends
        return;
      }
      done?.();
    },
  } as DestinationStream;
}

/** LOG_FORMAT, or when unset: readable for a person at a terminal in development, JSON for everything else. */
export function logFormatFor(config: Pick<Config, 'logFormat' | 'env'>, stdoutIsTerminal = process.stdout.isTTY === true): LogFormat {
  return config.logFormat ?? (config.env === 'development' && stdoutIsTerminal ? 'pretty' : 'json');
}
