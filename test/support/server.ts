/**
 * The real service on a free port, over a test database: the same service as main.ts builds,
 * with every SQL statement counted and every log line kept for assertions.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { parseConfig } from '../../src/config/config.ts';
import { connectDatabase } from '../../src/db/connect.ts';
import type { UserDirectory } from '../../src/directory/user-directory.ts';
import { connectSyncDatabase } from '../../src/directory-service.ts';
import { createService, type Service } from '../../src/service.ts';
import { answerOf, expectSameAnswerFromYoga, isReplayable } from './differential.ts';
import { captureLogs } from './logs.ts';

export const ADMIN_KEY = 'test-admin-key-0123456789';
/** The harness's default caller: a service key with users:read and users:pii, not admin. */
export const READER_KEY = 'test-reader-key-0123456789';
export const asReader = { authorization: `Bearer ${READER_KEY}` };
export const TEST_API_KEYS = [{ name: 'test-reader', scopes: ['users:read', 'users:pii'], key: READER_KEY }];

/** For tests that write behind the directory's back on purpose: no listener, no drift check. */
export const WITHOUT_CHANGE_FEED = { CHANGE_LISTENER: 'false', DRIFT_CHECK_INTERVAL_MS: '0' } as const;

export interface GraphQLResponse<TData = any> {
  data?: TData | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }>;
  extensions?: Record<string, any>;
}

export interface TestServer {
  readonly url: string;
  readonly directory: UserDirectory;
  readonly service: Service;
  /** Every SQL statement sent so far. */
  readonly statements: string[];
  /** Every log line written so far, parsed. */
  readonly logs: Array<Record<string, any>>;
  /** How many statements read user_full_view since `since` (an index into `statements`). */
  userReads(since?: number): number;
  /** POSTs a query; as the reader key unless `headers` are given (`{}`: anonymous). */
  execute<TData = any>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<TData>>;
  /** A raw request to a path of the server, for status codes and headers. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** Serve as the embedded demo does, with this admin key (give `ADMIN_API_KEY: ''` too, or that key wins). */
  readonly demoAdminKey?: string;
}

export async function startTestServer(databaseUrl: string, env: Record<string, string> = {}, options: TestServerOptions = {}): Promise<TestServer> {
  const config = parseConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    ADMIN_API_KEY: ADMIN_KEY,
    API_KEYS: JSON.stringify(TEST_API_KEYS),
    LOG_LEVEL: 'debug',
    ...env,
  });
  const statements: string[] = [];
  let recording = true;
  const { logger, logs, muted } = captureLogs(config.logLevel);
  const onQuery = (sql: string) => recording && statements.push(sql);
  const { database } = config;
  const db = connectDatabase({
    url: databaseUrl,
    // Small unless a test asks for a size: every test file runs services at once.
    poolSize: env.DATABASE_POOL_SIZE ? database.poolSize : 4,
    statementTimeoutMs: database.statementTimeoutMs,
    lockTimeoutMs: database.lockTimeoutMs,
    acquireTimeoutMs: database.acquireTimeoutMs,
    onQuery,
  });
  const syncDb = connectSyncDatabase(config, databaseUrl, onQuery);
  const service = createService({ config, db, syncDb, databaseUrl, logger, demoAdminKey: options.demoAdminKey });
  const { app, directory } = service;
  await service.start();

  const server: Server = createServer(app.handleRequest);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  /**
   * Sends the request to the server; a GraphQL query is then replayed through yoga alone and must
   * be answered alike. When a change reached the directory between the two answers, both may be
   * right: the pair is asked again. A change that landed before the first answer proves nothing
   * and excuses nothing (a stale kept text is still caught).
   */
  const send = async (path: string, init?: RequestInit): Promise<Response> => {
    for (let attempt = 1; ; attempt++) {
      const before = directory.snapshot;
      const response = await fetch(`${url}${path}`, init);
      if (path !== '/graphql' || !isReplayable(init)) return response;
      const first = await answerOf(response);
      recording = false;
      try {
        await muted(() => expectSameAnswerFromYoga(app.yoga, `${url}${path}`, init!, first));
      } catch (error) {
        if (directory.snapshot !== before && attempt < 5) continue;
        throw error;
      } finally {
        recording = true;
      }
      return new Response(first.body, { status: first.status, statusText: response.statusText, headers: first.headers });
    }
  };

  return {
    url,
    directory,
    service,
    statements,
    logs,
    userReads: (since = 0) => statements.slice(since).filter((sql) => sql.includes('usergraph_login_methods')).length,
    fetch: send,
    async execute(query, variables, headers = asReader) {
      const response = await send('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLResponse;
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await service.stop();
      await syncDb.destroy();
      await db.destroy();
    },
  };
}

/** Fails with the whole response when it carries errors; returns its data. */
export function expectData<TData>(response: GraphQLResponse<TData>): TData {
  expect(response.errors, JSON.stringify(response.errors, null, 2)).toBeUndefined();
  return response.data as TData;
}

/** The codes of a response's errors, in order. */
export function errorCodes(response: GraphQLResponse): string[] {
  return (response.errors ?? []).map((error) => String(error.extensions?.code));
}
