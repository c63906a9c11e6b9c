/**
 * What one request may ask, and what the API gives away: each limit refused just past it (with its
 * code) and accepted at it; batching, body size, CSRF, CORS, introspection, GraphiQL, masking.
 */
import { sql } from 'kysely';
import { describe, expect } from 'vitest';
import { signUpEmailPassword } from '../../supertokens-standin/writes.ts';
import { test } from '../support/fixtures.ts';
import { asReader, errorCodes, expectData, READER_KEY, type GraphQLResponse, type TestServer } from '../support/server.ts';

const it = test
  .extend('seed', { scope: 'file' }, async ({ database }) => {
    for (let i = 0; i < 3; i++) await signUpEmailPassword(database.db, { email: `h${i}@example.com` });
  })
  // Small limits, so that each can be crossed with a query this schema allows.
  .extend('serverEnv', { scope: 'file' }, {
    MAX_DEPTH: '3',
    MAX_ALIASES: '3',
    MAX_TOKENS: '60',
    MAX_DIRECTIVES: '2',
    MAX_ALIAS_LENGTH: '8',
    MAX_COST: '100',
    MAX_BATCH: '2',
    MAX_BODY_BYTES: '2048',
  });

const repeat = (count: number, text: string) => Array.from({ length: count }, () => text).join(' ');

describe('operation limits, each with its code', () => {
  it.for([
    ['depth', '{ users(first: 1) { nodes { id } } }', '{ users(first: 1) { edges { node { id } } } }', 'QUERY_TOO_DEEP', /depth limit of 3/],
    ['aliases', `{ ${['a', 'b', 'c'].map((a) => `${a}: viewer { kind }`).join(' ')} }`, `{ ${['a', 'b', 'c', 'd'].map((a) => `${a}: viewer { kind }`).join(' ')} }`, 'TOO_MANY_ALIASES', /Aliases limit of 3/],
    // `{ viewer { kind × n } }` is n + 5 tokens.
    ['tokens', `{ viewer { ${repeat(55, 'kind')} } }`, `{ viewer { ${repeat(56, 'kind')} } }`, 'TOO_MANY_TOKENS', /Token limit of 60/],
    ['directives', '{ viewer { kind @skip(if: false) roles @skip(if: false) } }', '{ viewer { kind @skip(if: false) roles @skip(if: false) isAdmin @skip(if: false) } }', 'TOO_MANY_DIRECTIVES', /Directives limit of 2/],
    ['alias length', '{ abcdefgh: viewer { kind } }', '{ abcdefghi: viewer { kind } }', 'ALIAS_TOO_LONG', /Alias length limit of 8/],
    // The values the answer may hold: users, nodes, then first × the fields of each node.
    ['cost', '{ users(first: 49) { nodes { id roles } } }', '{ users(first: 50) { nodes { id roles } } }', 'QUERY_TOO_COMPLEX', /Cost limit of 100 exceeded: it may answer 102 values/],
  ] as const)('%s: accepted at the limit, refused past it', async ([_limit, atLimit, pastLimit, code, message], { server: strict }) => {
    expectData(await strict.execute(atLimit));
    const refused = await strict.execute(pastLimit);
    expect(errorCodes(refused)).toEqual([code]);
    expect(refused.errors?.[0]?.message).toMatch(message);
    expect(refused.data ?? null).toBeNull();
  });

  it('does not run an operation it refuses', async ({ server: strict }) => {
    const before = strict.statements.length;
    await strict.execute(`{ a: user(id: "x1") { id } b: user(id: "x2") { id } c: user(id: "x3") { id } d: user(id: "x4") { id } }`);
    expect(strict.userReads(before)).toBe(0);
  });
});

describe('the cost limit, with the variables and the batch', () => {
  const PAGE = 'query ($n: Int) { users(first: $n) { nodes { id } } }';

  it('counts a page size passed as a variable as one written in the query', async ({ server: strict }) => {
    expectData(await strict.execute(PAGE, { n: 98 }));
    const refused = await strict.execute(PAGE, { n: 99 });
    expect(errorCodes(refused)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(refused.errors?.[0]?.message).toMatch(/Cost limit of 100 exceeded: it may answer 101 values/);
    expect(refused.data ?? null).toBeNull();
  });

  it('refuses alike over GET, and with 400 to application/graphql-response+json', async ({ server: strict }) => {
    const get = await strict.fetch(`/graphql?query=${encodeURIComponent(PAGE)}&variables=${encodeURIComponent('{"n":99}')}`, {
      headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1', ...asReader },
    });
    expect(get.status).toBe(200);
    expect((await get.json()).errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    const strictAccept = await postJson(strict, { query: PAGE, variables: { n: 99 } }, { accept: 'application/graphql-response+json' });
    expect(strictAccept.status).toBe(400);
    expect((await strictAccept.json()).errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('counts a batch as a whole: each operation is refused when together they cost too much, and none runs', async ({ server: strict }) => {
    const within = await postJson(strict, [{ query: PAGE, variables: { n: 48 } }, { query: PAGE, variables: { n: 48 } }]);
    expect((await within.json()).map((result: GraphQLResponse) => errorCodes(result))).toEqual([[], []]);

    const before = strict.statements.length;
    const over = await postJson(strict, [{ query: '{ user(id: "not-loaded") { id } }' }, { query: PAGE, variables: { n: 97 } }]);
    expect(over.status).toBe(200);
    const results = (await over.json()) as GraphQLResponse[];
    expect(results.map(errorCodes)).toEqual([['QUERY_TOO_COMPLEX'], ['QUERY_TOO_COMPLEX']]);
    expect(results[0]!.errors![0]!.message).toMatch(/its 2 operations together may answer 101 values/);
    expect(strict.userReads(before)).toBe(0);
  });
});

describe('page size', () => {
  it('caps first at 500', async ({ server: strict }) => {
    expect(errorCodes(await strict.execute('query ($n: Int) { users(first: $n) { totalCount } }', { n: 501 }))).toEqual(['BAD_USER_INPUT']);
  });
});

/** A raw POST of `body` as JSON. */
function postJson(server: TestServer, body: unknown, headers: Record<string, string> = {}) {
  return server.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...asReader, ...headers },
    body: JSON.stringify(body),
  });
}

describe('batched requests', () => {
  it('runs up to MAX_BATCH operations in one request', async ({ server: strict }) => {
    const response = await postJson(strict, [{ query: '{ viewer { kind } }' }, { query: '{ users(first: 0) { totalCount } }' }]);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([
      { data: { viewer: { kind: 'SERVICE' } }, extensions: expect.anything() },
      { data: { users: { totalCount: 3 } }, extensions: expect.anything() },
    ]);
  });

  it('refuses more with 413', async ({ server: strict }) => {
    const response = await postJson(strict, Array.from({ length: 3 }, () => ({ query: '{ viewer { kind } }' })));
    expect(response.status).toBe(413);
    const body = await response.json();
    expect(body.errors[0].message).toBe('Batching is limited to 2 operations per request.');
    expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('refuses any batch when MAX_BATCH=0', async ({ database, startServer }) => {
    const unbatched = await startServer(database.url, { MAX_BATCH: '0' });
    const response = await postJson(unbatched, [{ query: '{ viewer { kind } }' }]);
    expect(response.status).toBe(400);
    expect((await response.json()).errors[0].message).toBe('Batching is not supported.');
  });
});

describe('request body size', () => {
  const padded = (bytes: number) => ({ query: `{ viewer { kind } } # ${'x'.repeat(bytes)}` });

  it('refuses a body over MAX_BODY_BYTES with 413 REQUEST_ENTITY_TOO_LARGE', async ({ server: strict }) => {
    const response = await postJson(strict, padded(2_100));
    expect(response.status).toBe(413);
    expect((await response.json()).errors[0].extensions.code).toBe('REQUEST_ENTITY_TOO_LARGE');
  });

  it('refuses it too when it comes chunked, without a Content-Length', async ({ server: strict }) => {
    const chunks = [JSON.stringify(padded(2_100))];
    const body = new ReadableStream({
      pull(controller) {
        const chunk = chunks.shift();
        if (chunk === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(chunk));
      },
    });
    const response = await strict.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...asReader },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect((await response.json()).errors[0].extensions.code).toBe('REQUEST_ENTITY_TOO_LARGE');
  });

  it('accepts a body under the limit', async ({ server: strict }) => {
    const response = await postJson(strict, padded(1_800));
    expect(response.status).toBe(200);
  });
});

describe('CSRF prevention', () => {
  const GET = `/graphql?query=${encodeURIComponent('{ viewer { kind } }')}`;

  it('serves a GET as standard clients send it: no CSRF header, credentials in Authorization', async ({ server: strict }) => {
    const response = await strict.fetch(GET, { headers: { accept: 'application/json', ...asReader } });
    expect(response.status).toBe(200);
    expect((await response.json()).data).toEqual({ viewer: { kind: 'SERVICE' } });
    const anonymous = await strict.fetch(GET, { headers: { accept: 'application/json' } });
    expect((await anonymous.json()).data).toEqual({ viewer: { kind: 'ANONYMOUS' } });
  });

  it('refuses a GET or text/plain POST that carries cookies and no Authorization (what a cross-site page could send)', async ({ server: strict }) => {
    const response = await strict.fetch(GET, { headers: { accept: 'application/json', cookie: 'sAccessToken=abc' } });
    expect(response.status).toBe(403);
    expect((await response.json()).errors[0].extensions.code).toBe('CSRF_HEADER_REQUIRED');
    const form = await strict.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', accept: 'application/json', cookie: 'sAccessToken=abc' },
      body: JSON.stringify({ query: '{ viewer { kind } }' }),
    });
    expect(form.status).toBe(403);
  });

  it('serves a cookie-carrying GET with the CSRF header, and never reads a cookie as credentials', async ({ server: strict }) => {
    const response = await strict.fetch(GET, { headers: { accept: 'application/json', cookie: `sAccessToken=${READER_KEY}`, 'x-graphql-yoga-csrf': '1' } });
    expect(response.status).toBe(200);
    expect((await response.json()).data).toEqual({ viewer: { kind: 'ANONYMOUS' } });
    expect((await postJson(strict, { query: '{ viewer { kind } }' }, { cookie: 'sAccessToken=abc' })).status).toBe(200);
  });
});

describe('CORS', () => {
  const preflight = (server: TestServer, origin: string) =>
    server.fetch('/graphql', {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });

  it('answers the configured origins only', async ({ database, startServer }) => {
    const server = await startServer(database.url, { CORS_ORIGINS: 'https://app.example.com,https://admin.example.com' });
    const allowed = await preflight(server, 'https://admin.example.com');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://admin.example.com');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');

    const refused = await preflight(server, 'https://evil.example.com');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const post = await postJson(server, { query: '{ viewer { kind } }' }, { origin: 'https://evil.example.com' });
    expect(post.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows no cross-origin browser call when CORS_ORIGINS is unset', async ({ server: strict }) => {
    const response = await preflight(strict, 'https://app.example.com');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('introspection and GraphiQL', () => {
  const INTROSPECT = '{ __schema { queryType { name } } }';

  it('are on in development, with field suggestions', async ({ database, startServer }) => {
    const server = await startServer(database.url, { NODE_ENV: 'development' });
    expect(expectData(await server.execute(INTROSPECT)).__schema.queryType.name).toBe('Query');
    expect((await server.execute('{ viewr { kind } }')).errors?.[0]?.message).toMatch(/Did you mean "viewer"/);
    const page = await server.fetch('/graphql', { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('are off in production: introspection refused with a code, suggestions hidden, no GraphiQL', async ({ database, startServer }) => {
    const server = await startServer(database.url, { NODE_ENV: 'production' });
    for (const query of [INTROSPECT, '{ __type(name: "User") { name } }']) {
      expect(errorCodes(await server.execute(query))).toEqual(['INTROSPECTION_DISABLED']);
    }
    expect(expectData(await server.execute('{ __typename }')).__typename).toBe('Query');
    const typo = await server.execute('{ viewr { kind } }');
    expect(typo.errors?.[0]?.message).toMatch(/Cannot query field "viewr"/);
    expect(typo.errors?.[0]?.message).not.toMatch(/viewer/);
    const page = await server.fetch('/graphql', { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
  });

  it('turn on in production when configured', async ({ database, startServer }) => {
    const server = await startServer(database.url, { NODE_ENV: 'production', INTROSPECTION: 'true', GRAPHIQL: 'true' });
    expect(expectData(await server.execute(INTROSPECT)).__schema.queryType.name).toBe('Query');
    const page = await server.fetch('/graphql', { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
  });
});

describe('unexpected errors', () => {
  it('are masked, without SQL or stack, even when the process runs in development mode', async ({ server: strict, database }) => {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'development'; // what yoga itself would read to turn on its dev mode
    await sql`ALTER VIEW usergraph_login_methods RENAME TO usergraph_login_methods_hidden`.execute(database.db);
    try {
      const response = await strict.execute('{ user(id: "not-in-the-directory") { id } }');
      expect(response.errors).toHaveLength(1);
      expect(response.errors?.[0]).toMatchObject({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      expect(JSON.stringify(response)).not.toMatch(/usergraph_login_methods|relation|select|stack|\.ts:\d/i);
      expect(strict.logs.some((line) => line.msg === 'unexpected error (masked in the response)')).toBe(true);
    } finally {
      await sql`ALTER VIEW usergraph_login_methods_hidden RENAME TO usergraph_login_methods`.execute(database.db);
      process.env.NODE_ENV = previous;
    }
  });
});
