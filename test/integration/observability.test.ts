/**
 * What an operator sees, on both paths (the fast lane and yoga): request ids, one log line per
 * request (never a credential; emails only at debug), yoga's own lines, an unexpected error
 * logged once with its request id, and the Prometheus metrics scraped after traffic.
 */
import { sql } from 'kysely';
import { describe, expect } from 'vitest';
import { setUserMetadata, signUpEmailPassword } from '../../supertokens-standin/writes.ts';
import { test } from '../support/fixtures.ts';
import { ADMIN_KEY, asReader, READER_KEY, type TestServer } from '../support/server.ts';
import { sleepUntil } from '../support/wait.ts';

const it = test.extend('seed', { scope: 'file' }, async ({ database }) => ({
  loadedId: await signUpEmailPassword(database.db, { email: 'loaded.person@example.com' }),
}));

function post(server: TestServer, body: unknown, headers: Record<string, string> = asReader) {
  return server.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

const get = (server: TestServer, query: string, headers: Record<string, string> = asReader) =>
  server.fetch(`/graphql?query=${encodeURIComponent(query)}`, { headers: { accept: 'application/json', ...headers } });

/** The request log lines of one request id (lines are written when the response is done: wait for it). */
async function requestLines(server: TestServer, requestId: string) {
  await sleepUntil(() => server.logs.some((line) => line.msg === 'request' && line.requestId === requestId));
  return server.logs.filter((line) => line.msg === 'request' && line.requestId === requestId);
}

describe('request ids', () => {
  it("echoes the client's id, on the fast lane and on yoga's path alike", async ({ server }) => {
    const lane = await post(server, { query: '{ viewer { kind } }' }, { ...asReader, 'x-request-id': 'trace-lane-1' });
    expect(lane.headers.get('x-request-id')).toBe('trace-lane-1');
    const yoga = await get(server, '{ viewer { kind } }', { ...asReader, 'x-request-id': 'trace-yoga-1' });
    expect(yoga.headers.get('x-request-id')).toBe('trace-yoga-1');
    expect((await requestLines(server, 'trace-lane-1'))[0]).toMatchObject({ lane: 'fast' });
    expect((await requestLines(server, 'trace-yoga-1'))[0]).toMatchObject({ lane: 'yoga' });
  });

  it('makes one when none is given, or when the given one is not a sane id', async ({ server }) => {
    const generated = (await post(server, { query: '{ viewer { kind } }' })).headers.get('x-request-id');
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    const replaced = (await post(server, { query: '{ viewer { kind } }' }, { ...asReader, 'x-request-id': 'no spaces <script>' })).headers.get('x-request-id');
    expect(replaced).toMatch(/^[0-9a-f-]{36}$/);
    expect((await server.fetch('/health')).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('the request log', () => {
  it('writes one line per request with what happened, whichever path answered', async ({ server }) => {
    await post(server, { query: 'query Me { viewer { kind } }' }, { ...asReader, 'x-request-id': 'log-lane' });
    await get(server, '{ users(first: 1) { totalCount } }', { 'x-request-id': 'log-anonymous' });
    await post(server, { query: '{ nope }' }, { ...asReader, 'x-request-id': 'log-invalid' });

    const [lane, ...others] = await requestLines(server, 'log-lane');
    expect(others).toEqual([]);
    expect(lane).toMatchObject({ level: 30, method: 'POST', path: '/graphql', status: 200, lane: 'fast', operation: 'Me', caller: 'service' });
    expect(lane!.durationMs).toBeGreaterThan(0);

    const [anonymous] = await requestLines(server, 'log-anonymous');
    expect(anonymous).toMatchObject({ method: 'GET', path: '/graphql', status: 200, lane: 'yoga', caller: 'anonymous', errors: ['UNAUTHENTICATED'] });

    const [invalid] = await requestLines(server, 'log-invalid');
    expect(invalid).toMatchObject({ lane: 'yoga', errors: ['GRAPHQL_VALIDATION_FAILED'] });
  });

  it('says a refused credential was refused, and never writes a token, a key or a query string', async ({ server }) => {
    await post(server, { query: '{ viewer { kind } }' }, { authorization: 'Bearer not-a-key-at-all-0123456789', 'x-request-id': 'log-refused' });
    await get(server, '{ userByEmail(email: "loaded.person@example.com") { id } }', { authorization: `Bearer ${ADMIN_KEY}`, 'x-request-id': 'log-get' });
    expect((await requestLines(server, 'log-refused'))[0]).toMatchObject({ status: 401, caller: 'refused' });
    expect((await requestLines(server, 'log-get'))[0]).toMatchObject({ path: '/graphql', caller: 'admin' });
    const everything = JSON.stringify(server.logs);
    for (const secret of [ADMIN_KEY, READER_KEY, 'not-a-key-at-all-0123456789']) expect(everything).not.toContain(secret);
  });

  it('keeps emails out of every line above debug', async ({ server, seeded }) => {
    const { loadedId } = seeded as { loadedId: string };
    await post(server, { query: 'query ($e: String!) { userByEmail(email: $e) { id email } }', variables: { e: 'LOADED.person@example.com' } });
    await post(server, { query: `{ user(id: "${loadedId}") { email } }` });
    const aboveDebug = server.logs.filter((line) => line.level > 20);
    expect(aboveDebug.length).toBeGreaterThan(0);
    expect(JSON.stringify(aboveDebug)).not.toMatch(/loaded\.person/i);
  });

  it("carries yoga's own lines with their message and the request's id", async ({ server }) => {
    await get(server, '{ viewer { kind } }', { ...asReader, 'x-request-id': 'log-yoga-lines' });
    await requestLines(server, 'log-yoga-lines');
    const yogaLines = server.logs.filter((line) => line.component === 'yoga' && line.requestId === 'log-yoga-lines');
    expect(yogaLines.length).toBeGreaterThan(0);
    for (const line of yogaLines) expect(line.msg).not.toBe('yoga');
    expect(yogaLines.map((line) => line.msg)).toContain('Processing GraphQL Parameters');
  });

  it('logs an unexpected error once, with its request id', async ({ server, database }) => {
    await sql`ALTER VIEW usergraph_login_methods RENAME TO usergraph_login_methods_hidden`.execute(database.db);
    try {
      const response = await post(server, { query: '{ user(id: "not-in-the-directory-either") { id } }' }, { ...asReader, 'x-request-id': 'log-unexpected' });
      expect((await response.json()).errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      await sql`ALTER VIEW usergraph_login_methods_hidden RENAME TO usergraph_login_methods`.execute(database.db);
    }
    const [line] = await requestLines(server, 'log-unexpected');
    expect(line).toMatchObject({ errors: ['INTERNAL_SERVER_ERROR'] });
    const logged = server.logs.filter((entry) => entry.msg === 'unexpected error (masked in the response)');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 50, requestId: 'log-unexpected', err: { message: expect.stringMatching(/usergraph_login_methods/) } });
  });
});

/** One sample's value in Prometheus' text format, or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return undefined;
}

describe('/metrics', () => {
  it('tells requests, operations, errors, lookups, the directory and the change feed after traffic', async ({ server, database }) => {
    // Traffic: the fast lane, yoga, an error, a miss the database answers, a change, a subscriber.
    await post(server, { query: 'query Scraped { users(first: 2) { totalCount } }' });
    await post(server, { query: 'query KeptText { users(first: 2) { nodes { id email } } }' });
    await get(server, 'query ScrapedGet { viewer { kind } }');
    await post(server, { query: '{ users(first: 1) { totalCount } }' }, {});
    const late = await signUpEmailPassword(database.db, { email: 'late@example.com' });
    await server.service.app.metrics.text(); // nothing of the following is cached by a scrape
    await setUserMetadata(database.db, late, { plan: 'pro' });
    await sleepUntil(() => server.directory.snapshot.userNamedBy(late)?.metadata.plan === 'pro');
    await post(server, { query: '{ user(id: "missing-everywhere-1") { id } }' });
    await server.service.freshness!.driftCheck.check();
    const stream = new AbortController();
    const subscription = await fetch(`${server.url}/graphql?query=${encodeURIComponent('subscription { userChanged { kind } }')}`, {
      headers: { accept: 'text/event-stream', ...asReader },
      signal: stream.signal,
    });
    expect(subscription.status).toBe(200);

    const scrape = await server.fetch('/metrics');
    stream.abort();
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await scrape.text();

    expect(sample(text, 'usergraph_graphql_operations_total', { operation: 'Scraped', type: 'query', lane: 'fast' })).toBe(1);
    expect(sample(text, 'usergraph_graphql_operations_total', { operation: 'ScrapedGet', type: 'query', lane: 'yoga' })).toBe(1);
    expect(sample(text, 'usergraph_graphql_request_duration_seconds_count', { operation: 'Scraped', type: 'query' })).toBe(1);
    expect(sample(text, 'usergraph_graphql_errors_total', { code: 'UNAUTHENTICATED' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'usergraph_http_requests_total', { method: 'POST', route: '/graphql', status: '200' })).toBeGreaterThanOrEqual(3);
    expect(sample(text, 'usergraph_directory_cache_hits_total')).toBeGreaterThan(0);
    expect(sample(text, 'usergraph_directory_cache_misses_total')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'usergraph_directory_database_queries_total')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'usergraph_directory_users')).toBe(server.directory.snapshot.size);
    expect(sample(text, 'usergraph_directory_load_duration_seconds_count', { kind: 'initial' })).toBe(1);
    expect(sample(text, 'usergraph_change_lag_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'usergraph_notices_received_total')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'usergraph_notices_applied_total')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'usergraph_notices_coalesced_total')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'usergraph_drift_checks_total')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'usergraph_drift_repairs_total')).toBe(0);
    expect(sample(text, 'usergraph_listener_up')).toBe(1);
    expect(sample(text, 'usergraph_listener_down_seconds')).toBe(0);
    expect(sample(text, 'usergraph_subscribers')).toBe(1);
    expect(sample(text, 'usergraph_fast_lane_requests_total', { outcome: 'answered' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'usergraph_answer_texts')).toBeGreaterThanOrEqual(1);
  });
});
