/**
 * What one HTTP request turned out to be, filled in by whoever learns it (the front door, the fast
 * lane, yoga's plugins) and read once when the response is done: the request log line and the
 * metrics come from it, whichever path answered.
 */
import type { IncomingMessage } from 'node:http';
import type { Caller } from '../auth/caller.ts';
import type { LookupStats } from '../directory/loaders.ts';

export type Lane = 'fast' | 'yoga';

export interface Operation {
  /** The operation's name, or `null` for an anonymous one. */
  readonly name: string | null;
  readonly type: 'query' | 'mutation' | 'subscription';
}

export interface RequestRecord {
  readonly id: string;
  /** Who answered: the fast lane, or yoga (for GraphQL and everything else). */
  lane: Lane | undefined;
  /** The operations that ran (several for a batch). */
  readonly operations: Operation[];
  /** The operation name the request asked for, when nothing ran (a refused document, say). */
  requestedOperation: string | undefined;
  caller: Caller['kind'] | 'refused' | undefined;
  /** The `extensions.code` of each error in the answer. */
  readonly errorCodes: string[];
  /** The lookups of each operation's loaders (hits, database lookups and queries). */
  readonly lookups: LookupStats[];
}

/**
 * On the request itself, not in a WeakMap: V8's scavenges keep a WeakMap's values alive, so each
 * request's record (about 360 bytes) was promoted to the old generation and left for a full
 * collection, making every scavenge under load slower (docs/performance.md).
 */
const RECORD = Symbol('usergraph.requestRecord');
type Recorded = IncomingMessage & { [RECORD]?: RequestRecord };

export function startRecord(request: IncomingMessage, id: string): RequestRecord {
  const record: RequestRecord = {
    id,
    lane: undefined,
    operations: [],
    requestedOperation: undefined,
    caller: undefined,
    errorCodes: [],
    lookups: [],
  };
  (request as Recorded)[RECORD] = record;
  return record;
}

/** The record of a request that came through the front door; undefined otherwise (`yoga.fetch` in tests). */
export function recordOf(request: IncomingMessage | undefined): RequestRecord | undefined {
  return request === undefined ? undefined : (request as Recorded)[RECORD];
}

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,127}$/;

/** A client-sent operation name worth logging: a GraphQL name, nothing else. */
export function operationNameOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && GRAPHQL_NAME.test(value) ? value : undefined;
}
