/**
 * The fast lane: the common request (POST /graphql, JSON, a query that yoga would accept and that
 * runs without an error) answered straight on node:http, with the document prepared once
 * (parsed and validated by yoga's own envelop, see prepared-operations.ts), the caller's
 * credentials checked once (see auth/caller.ts) and one write of the serialised answer. yoga's
 * per-request machinery (a fetch Request and Response per call, the body pipeline, the plugin
 * hooks) is what costs: the lane skips it where the answer cannot differ.
 *
 * Everything else goes to yoga, untouched: other paths and methods, browsers (an Origin header:
 * CORS), other content types and accept headers, bodies without a length or over the limit, and,
 * after the body was read, whatever is not a plain query yoga would accept, a request over the
 * cost limit with its variables (yoga refuses it), refused credentials, and any result carrying
 * an error (yoga runs it again and answers it, masking included). The lane reads the body only
 * when it may answer; when it then declines, yoga gets the bytes it read.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExecutionArgs, ExecutionResult } from 'graphql';
import type { Caller } from '../auth/caller.ts';
import type { LookupStats } from '../directory/loaders.ts';
import { bindToRequest } from '../logger.ts';
import { withLookupStats } from '../plugins/use-lookup-stats.ts';
import type { RequestContext } from '../schema/context.ts';
import { DECLINED } from './compiled-query.ts';
import type { MaybePromise } from '../maybe-promise.ts';
import type { PreparedOperation, PreparedOperations } from './prepared-operations.ts';
import { recordOf } from './request-record.ts';

/** A node request listener: answers, or passes the request to `next` when it is not for this lane. */
export interface FastLane {
  (request: IncomingMessage, response: ServerResponse, next: NodeListener): void;
  readonly stats: Readonly<FastLaneStats>;
}

/** What the lane hands over to: yoga, as a node listener. A body already read is on `request.body`. */
export type NodeListener = (request: IncomingMessage & { body?: Buffer }, response: ServerResponse) => unknown;

export interface FastLaneOptions {
  readonly endpoint: string;
  readonly operations: PreparedOperations;
  /** yoga's envelop execute (its plugins' execution hooks apply, as on yoga's own path). */
  readonly execute: (args: ExecutionArgs) => ExecutionResult | Promise<ExecutionResult>;
  readonly schema: ExecutionArgs['schema'];
  readonly identifyCaller: (authorization: string | null) => Caller | Promise<Caller>;
  readonly contextFor: (caller: Caller) => RequestContext;
  readonly maxBodyBytes: number;
  /** Operations in one batched request; 0: batching is off. */
  readonly maxBatch: number;
  /** What one request (a batch as a whole) may cost: yoga refuses more (plugins/use-cost-limit.ts). */
  readonly maxCost: number;
  /** Told of a failure of the lane itself (the request then goes to yoga). */
  readonly onFault: (error: unknown) => void;
}

/** How requests went: a lane that answers nothing would be a silent waste. */
export interface FastLaneStats {
  /** Answered by the lane. */
  answered: number;
  /** Operations the lane answered with a compiled query (the rest it executed). */
  compiled: number;
  /** Read by the lane, then answered by yoga (an error, a mutation, refused credentials, …). */
  handedOver: number;
  /** Never the lane's: another path, method, content type, accept, or body size. */
  passedBy: number;
}

interface GraphQLParams {
  readonly query: string;
  readonly variables: Record<string, unknown> | undefined;
  readonly operationName: string | undefined;
}

/** The lane's answer, and what it tells the request's record. */
interface Answered {
  readonly text: string;
  readonly operations: readonly PreparedOperation[];
  readonly caller: Caller;
  readonly lookups: readonly LookupStats[];
}

const PARAM_NAMES = new Set(['query', 'variables', 'operationName', 'extensions']);

export function createFastLane(options: FastLaneOptions): FastLane {
  const { endpoint, operations, maxBodyBytes, maxBatch, maxCost } = options;
  const stats: FastLaneStats = { answered: 0, compiled: 0, handedOver: 0, passedBy: 0 };

  /**
   * The answers, or undefined when yoga must answer (nothing has been written). Synchronous when
   * everything is in memory (the caller known, every user held): no promise, no microtask hop.
   */
  function answer(body: Buffer, authorization: string | null): MaybePromise<Answered | undefined> {
    const params = paramsOf(body, maxBatch);
    if (!params) return undefined;
    const batch = Array.isArray(params) ? params : [params];
    const prepared: PreparedOperation[] = [];
    let cost = 0;
    for (const one of batch) {
      const operation = operations.prepare(one.query, one.operationName);
      if (!operation) return undefined;
      prepared.push(operation);
      cost += operation.cost(one.variables);
    }
    if (cost > maxCost) return undefined; // over the cost limit: yoga refuses it
    let identified: MaybePromise<Caller>;
    try {
      identified = options.identifyCaller(authorization);
    } catch {
      return undefined; // refused credentials: yoga answers 401 (and logs it once)
    }
    if (identified instanceof Promise) {
      return identified.then(
        (caller) => runAll(caller, prepared, batch, Array.isArray(params)),
        () => undefined,
      );
    }
    return runAll(identified, prepared, batch, Array.isArray(params));
  }

  function runAll(caller: Caller, prepared: readonly PreparedOperation[], batch: readonly GraphQLParams[], isBatch: boolean): MaybePromise<Answered | undefined> {
    const lookups: LookupStats[] = [];
    const results: Array<MaybePromise<ExecutionResult | string>> = [];
    let pending = false;
    for (let i = 0; i < prepared.length; i++) {
      const result = run(caller, prepared[i]!, batch[i]!, lookups);
      pending ||= result instanceof Promise;
      results.push(result);
    }
    const done = (settled: ReadonlyArray<ExecutionResult | string>): Answered | undefined => {
      if (settled.some((result) => typeof result !== 'string' && result.errors)) return undefined;
      const texts = settled.map((result) => (typeof result === 'string' ? result : JSON.stringify(result)));
      return { text: isBatch ? `[${texts.join(',')}]` : texts[0]!, operations: prepared, caller, lookups };
    };
    return pending ? Promise.all(results).then(done) : done(results as Array<ExecutionResult | string>);
  }

  /** One operation's result: as JSON text when its compiled query answered, else as yoga's execution gives it. */
  function run(caller: Caller, operation: PreparedOperation, { variables }: GraphQLParams, lookups: LookupStats[]): MaybePromise<ExecutionResult | string> {
    const context = options.contextFor(caller);
    lookups.push(context.loaders.stats);
    const data = operation.compiled?.text(context, variables) ?? DECLINED;
    if (data !== DECLINED) {
      stats.compiled += 1;
      // JSON.stringify(withLookupStats({ data }, …)), with the data already written.
      return `{"data":${data},"extensions":${JSON.stringify(withLookupStats({} as ExecutionResult, context.loaders.stats).extensions)}}`;
    }
    // The same context: what the compiled query looked up (or started fetching) is not looked up again.
    return options.execute({
      schema: options.schema,
      document: operation.document,
      operationName: operation.operationName,
      variableValues: variables,
      contextValue: context,
    });
  }

  const handOver = (request: IncomingMessage, response: ServerResponse, body: Buffer, next: NodeListener) => {
    stats.handedOver += 1;
    (request as IncomingMessage & { body?: Buffer }).body = body;
    next(request, response);
  };

  const send = (request: IncomingMessage, response: ServerResponse, answered: Answered, contentType: string) => {
    stats.answered += 1;
    const record = recordOf(request);
    if (record) {
      record.lane = 'fast';
      record.caller = answered.caller.kind;
      for (const operation of answered.operations) record.operations.push({ name: operation.name, type: 'query' });
      record.lookups.push(...answered.lookups);
    }
    const { text } = answered;
    response.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
    response.end(text);
  };

  const lane = (request: IncomingMessage, response: ServerResponse, next: NodeListener) => {
    const contentType = takesRequest(request, endpoint, maxBodyBytes);
    if (!contentType) {
      stats.passedBy += 1;
      next(request, response);
      return;
    }
    readBody(request, Number(request.headers['content-length']), (body) => {
      let answered: MaybePromise<Answered | undefined>;
      try {
        answered = answer(body, request.headers.authorization ?? null);
      } catch (error) {
        options.onFault(error);
        answered = undefined;
      }
      if (answered instanceof Promise) {
        answered.then(
          (settled) => (settled === undefined ? handOver(request, response, body, next) : send(request, response, settled, contentType)),
          (error: unknown) => {
            options.onFault(error);
            handOver(request, response, body, next);
          },
        );
      } else if (answered === undefined) {
        handOver(request, response, body, next);
      } else {
        send(request, response, answered, contentType);
      }
    });
  };
  return Object.assign(lane, { stats });
}

/**
 * The content type of the answer when the lane may take this request, before reading a byte of
 * it; undefined when it goes to yoga as it came.
 */
function takesRequest(request: IncomingMessage, endpoint: string, maxBodyBytes: number): string | undefined {
  const { headers } = request;
  if (request.method !== 'POST' || request.url !== endpoint || headers.origin !== undefined) return undefined;
  if (!isJson(headers['content-type'])) return undefined;
  const length = headers['content-length'];
  if (length === undefined || !/^\d+$/.test(length) || Number(length) === 0 || Number(length) > maxBodyBytes) return undefined;
  return negotiated(headers.accept);
}

/** Clients send the same few accept headers over and over: each is negotiated once. */
const negotiations = new Map<string | undefined, string | undefined>();
const MAX_NEGOTIATIONS = 64;

function negotiated(accept: string | undefined): string | undefined {
  const known = negotiations.get(accept);
  if (known !== undefined || negotiations.has(accept)) return known;
  const chosen = answerContentType(accept);
  if (negotiations.size < MAX_NEGOTIATIONS) negotiations.set(accept, chosen);
  return chosen;
}

function isJson(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const value = contentType.toLowerCase().replace(/\s/g, '');
  return value === 'application/json' || value === 'application/json;charset=utf-8';
}

/** The media types yoga answers a query with, in the order its negotiation prefers the later one. */
const REGULAR_MEDIA_TYPES = ['application/graphql-response+json', 'application/json'] as const;

/**
 * yoga's negotiation for a result that is not a stream (its result processors, in their order):
 * of the accepted types (utf-8 only), the first listed that a JSON answer matches decides; with a
 * wildcard, application/json. Undefined when no JSON answer is acceptable (yoga then decides).
 */
export function answerContentType(accept: string | undefined): string | undefined {
  const requested = (accept || '*/*')
    .replace(/\s/g, '')
    .toLowerCase()
    .split(',')
    .flatMap((part) => {
      const [mediaType, ...params] = part.split(';');
      const charset = params.find((param) => param.includes('charset=')) ?? 'charset=utf-8';
      return mediaType !== undefined && charset === 'charset=utf-8' ? [mediaType] : [];
    })
    .reverse();
  let chosen: string | undefined;
  for (const asked of requested) {
    const [askedType, askedSubtype] = asked.split('/');
    for (const offered of REGULAR_MEDIA_TYPES) {
      const [type, subtype] = offered.split('/');
      if ((askedType === '*' || askedType === type) && (askedSubtype === '*' || askedSubtype === subtype)) chosen = offered;
    }
  }
  return chosen === undefined ? undefined : `${chosen}; charset=utf-8`;
}

/**
 * Calls `then` with the whole body (its length is known and within the limit), once; never when
 * the client went away or the stream failed (the response is then closed with the connection).
 */
function readBody(request: IncomingMessage, length: number, then: (body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  let received = 0;
  // Run in the request's async context (its id on every log line), not the socket's.
  const whenRead = bindToRequest(then);
  request.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    received += chunk.length;
  });
  request.once('end', () => {
    if (received === length) whenRead(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received));
  });
  // A body cut short (the client went away): nothing to answer, and nobody to answer it to.
  request.once('error', () => request.destroy());
}

/** The request's GraphQL parameters (one, or a batch), when they are plainly what yoga accepts. */
function paramsOf(body: Buffer, maxBatch: number): GraphQLParams | GraphQLParams[] | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(json)) return plainParams(json);
  if (maxBatch === 0 || json.length === 0 || json.length > maxBatch) return undefined;
  const batch: GraphQLParams[] = [];
  for (const item of json) {
    const params = plainParams(item);
    if (!params) return undefined;
    batch.push(params);
  }
  return batch;
}

function plainParams(value: unknown): GraphQLParams | undefined {
  if (!isPlainObject(value)) return undefined;
  for (const key in value) if (!PARAM_NAMES.has(key)) return undefined;
  const { query, variables, operationName, extensions } = value;
  if (typeof query !== 'string') return undefined;
  if (variables != null && !isPlainObject(variables)) return undefined;
  if (operationName != null && typeof operationName !== 'string') return undefined;
  // Extensions (persisted queries and the like) are yoga's business.
  if (extensions != null && (!isPlainObject(extensions) || Object.keys(extensions).length > 0)) return undefined;
  return { query, variables: variables ?? undefined, operationName: operationName ?? undefined };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
