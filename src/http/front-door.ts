/**
 * The front door: what holds for every request, whichever path answers it (the fast lane or
 * yoga behind it). Each request gets an id (the client's `x-request-id` when it is a sane one,
 * else a new one), echoed in the response and carried by every log line written while serving
 * it; when its response is done, one log line and its metrics. GET /metrics is answered here.
 * Once shutdown begins (`drain`), every response closes its connection after it is sent.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { withRequestId, type Logger } from '../logger.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { startRecord, type RequestRecord } from './request-record.ts';

export type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

export interface FrontDoor extends RequestListener {
  /** Shutdown has begun: responses from now on (and those not yet started) close their connection. */
  drain(): void;
  isDraining(): boolean;
}

export interface FrontDoorOptions {
  /** What answers the request: the fast lane, and yoga behind it. */
  readonly next: RequestListener;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly metricsPath: string;
}

export const REQUEST_ID_HEADER = 'x-request-id';
/** What a client's id may look like (UUIDs, trace ids, …); anything else is replaced, never logged. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** Probes and scrapes: logged at debug, or they would drown the requests that matter. */
const QUIET_PATHS = new Set(['/health', '/ready', '/metrics']);

export function createFrontDoor({ next, logger, metrics, metricsPath }: FrontDoorOptions): FrontDoor {
  const log = logger.child({ component: 'http' });
  const unfinished = new Set<ServerResponse>();
  let draining = false;

  const door = (request: IncomingMessage, response: ServerResponse) => {
    const started = performance.now();
    const asked = request.headers[REQUEST_ID_HEADER];
    const id = typeof asked === 'string' && SANE_REQUEST_ID.test(asked) ? asked : randomUUID();
    const record = startRecord(request, id);
    const path = pathOf(request.url);
    response.setHeader(REQUEST_ID_HEADER, id);
    if (draining) response.setHeader('connection', 'close');
    unfinished.add(response);
    response.once('close', () => {
      unfinished.delete(response);
      done(request, response, path, record, (performance.now() - started) / 1000);
    });
    if (path === metricsPath && request.method === 'GET') {
      serveMetrics(response);
      return;
    }
    withRequestId(id, () => next(request, response));
  };

  const serveMetrics = (response: ServerResponse) => {
    metrics.text().then(
      (text) => response.writeHead(200, { 'content-type': metrics.contentType }).end(text),
      (error: unknown) => {
        log.error({ err: error }, 'could not collect the metrics');
        response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('metrics unavailable\n');
      },
    );
  };

  const done = (request: IncomingMessage, response: ServerResponse, path: string, record: RequestRecord, seconds: number) => {
    const method = request.method ?? 'GET';
    const status = response.statusCode;
    const finished = response.writableFinished;
    const lane = path === metricsPath ? undefined : (record.lane ?? 'yoga');
    if (finished) metrics.observeRequest(method, path, status, seconds, record);
    const operation = record.operations.length > 0 ? record.operations.map((op) => op.name ?? '(anonymous)').join(',') : record.requestedOperation;
    const line = {
      requestId: record.id,
      method,
      path,
      status,
      durationMs: Math.round(seconds * 100_000) / 100,
      lane,
      operation,
      caller: record.caller,
      errors: record.errorCodes.length > 0 ? [...new Set(record.errorCodes)] : undefined,
      // The client went away before the whole response was sent.
      aborted: finished ? undefined : true,
    };
    if (QUIET_PATHS.has(path)) log.debug(line, 'request');
    else log.info(line, 'request');
  };

  return Object.assign(door, {
    drain() {
      draining = true;
      for (const response of unfinished) if (!response.headersSent) response.setHeader('connection', 'close');
    },
    isDraining: () => draining,
  });
}

/** The path alone: a GET query's string may hold variables (emails), and is never logged. */
function pathOf(url: string | undefined): string {
  if (url === undefined) return '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
