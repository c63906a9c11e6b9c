/**
 * What a failed statement says about the database, for the errors clients see: it did not answer
 * in time, or it could not be reached. Anything else (a bug, a missing view) stays unexpected.
 */

export type DatabaseFault = 'timeout' | 'unavailable';

/** SQLSTATEs: query_canceled (statement_timeout), lock_not_available (lock_timeout). */
const TIMEOUT_CODES = new Set(['57014', '55P03']);
/** admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections; class 08 is connection exceptions. */
const UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '53300']);
const UNAVAILABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

export function databaseFault(error: unknown): DatabaseFault | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (TIMEOUT_CODES.has(code)) return 'timeout';
    if (UNAVAILABLE_CODES.has(code) || code.startsWith('08') || UNAVAILABLE_ERRNOS.has(code)) return 'unavailable';
  }
  // pg and pg-pool speak in messages here, without a code.
  if (/timeout exceeded when trying to connect/i.test(error.message)) return 'timeout';
  if (/^Connection terminated|Client has encountered a connection error|Connection ended|not queryable/i.test(error.message)) return 'unavailable';
  if (error instanceof AggregateError) {
    const faults = error.errors.map(databaseFault);
    return faults.includes('timeout') ? 'timeout' : faults.find((fault) => fault !== undefined);
  }
  return error.cause === undefined ? undefined : databaseFault(error.cause);
}
