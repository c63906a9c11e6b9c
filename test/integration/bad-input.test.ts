/**
 * Bad input, as a catalogue: malformed requests of every kind (bodies, content types, sizes, ids,
 * emails, cursors, first, headers, limits, batches, GETs, odd encodings) sent to the real server
 * with its default limits. Each must get its status and its codes (never a 500, never
 * INTERNAL_SERVER_ERROR, never an error without a code), and after each the process must still
 * answer, its memory bounded. POST requests with a text body are replayed through yoga alone by
 * the harness, so the fast lane must refuse them alike.
 */
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { describe, expect } from 'vitest';
import { ERRORS } from '../../src/errors.ts';
import { seedSyntheticUsers } from '../../supertokens-standin/synthetic-users.ts';
import { test } from '../support/fixtures.ts';
import { asReader, TEST_API_KEYS, type TestServer } from '../support/server.ts';

/** Enough users that a page of 500 is full: what an amplification would multiply. */
const USERS = 600;

/** users:read without users:pii: every personal field it asks for is refused, field by field. */
const NO_PII_KEY = 'bad-input-no-pii-key-0123456789';
const asNoPii = { authorization: `Bearer ${NO_PII_KEY}` };

const it = test
  .extend('seed', { scope: 'file' }, async ({ database }) => {
    await seedSyntheticUsers(database.db, { count: USERS });
  })
  .extend('serverEnv', { scope: 'file' }, {
    API_KEYS: JSON.stringify([...TEST_API_KEYS, { name: 'no-pii', scopes: ['users:read'], key: NO_PII_KEY }]),
  });

interface Request {
  readonly method?: string;
  /** Path and query string. */
  readonly path?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Uint8Array;
}

interface Case {
  readonly name: string;
  readonly request: Request;
  readonly status: number;
  /**
   * The codes of the answer's errors, in order; for a batch, one list per operation. Undefined: an
   * answer without a body (404, 406, 431, a HEAD).
   */
  readonly codes?: readonly string[] | ReadonlyArray<readonly string[]>;
  /** The answer must be smaller than this. */
  readonly maxBytes?: number;
}

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json', ...asReader };
const CSRF = { 'x-graphql-yoga-csrf': '1' };

/** A POST of this text, as JSON (whether or not it is). */
const post = (body: string | Uint8Array, headers: Record<string, string> = {}): Request => ({
  method: 'POST',
  body,
  headers: { ...JSON_HEADERS, ...headers },
});
/** A POST of one GraphQL operation. */
const query = (text: string, variables?: unknown, headers: Record<string, string> = {}): Request =>
  post(JSON.stringify({ query: text, variables }), headers);
/** A GET with these query-string parameters (raw, already encoded where they need to be). */
const get = (parameters: string, headers: Record<string, string> = { ...CSRF }): Request => ({
  method: 'GET',
  path: `/graphql?${parameters}`,
  headers: { accept: 'application/json', ...asReader, ...headers },
});
/** As a browser page would send it cross-site: its cookies, no Authorization header. */
const cookieOnly = ({ headers = {}, ...request }: Request): Request => {
  const { authorization: _credentials, ...rest } = headers;
  return { ...request, headers: { ...rest, cookie: 'session=from-the-browser' } };
};
const enc = encodeURIComponent;
const utf8 = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part))));
const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const repeat = (count: number, text: string, separator = ' ') => Array.from({ length: count }, () => text).join(separator);

const USER = 'query ($id: ID!) { user(id: $id) { id } }';
const BY_EMAIL = 'query ($e: String!) { usersByEmail(email: $e) { id } }';
const ONE_BY_EMAIL = 'query ($e: String!, $t: String!) { userByEmail(email: $e, tenantId: $t) { id } }';
const AFTER = 'query ($a: String) { users(first: 1, after: $a) { totalCount } }';
const FIRST = 'query ($f: Int) { users(first: $f) { totalCount } }';
const VIEWER = '{ viewer { kind } }';
const FULL_USER = `id supertokensUserId isPrimaryUser email emails phoneNumbers thirdParty { id userId }
  loginMethods { recipeId recipeUserId supertokensUserId email phoneNumber thirdParty { id userId } tenantIds timeJoined verified }
  tenantIds timeJoined lastActive roles rolesByTenant { tenantId roles } permissions metadata`;
/** Issue 10's amplification: 20 aliases of a page whose size is a variable, through a fragment. */
const TWENTY_PAGES = `query ($f: Int) { ${Array.from({ length: 20 }, (_, i) => `p${i}: users(first: $f) { nodes { ...U } }`).join(' ')} } fragment U on User { ${FULL_USER} }`;
const nul = '\u0000';
const loneSurrogate = '\ud800';

const BAD = ERRORS.BAD_USER_INPUT.code;
const BAD_REQUEST = ERRORS.BAD_REQUEST.code;
const PARSE = ERRORS.GRAPHQL_PARSE_FAILED.code;
const INVALID = ERRORS.GRAPHQL_VALIDATION_FAILED.code;
const COST = ERRORS.QUERY_TOO_COMPLEX.code;
const UNAUTHENTICATED = ERRORS.UNAUTHENTICATED.code;
const CSRF_REQUIRED = ERRORS.CSRF_HEADER_REQUIRED.code;
const MEDIA = ERRORS.UNSUPPORTED_MEDIA_TYPE.code;

const CATALOGUE: readonly Case[] = [
  // Bodies
  { name: 'body: not JSON', request: post('{'), status: 400, codes: [BAD_REQUEST] },
  { name: 'body: JSON cut short', request: post('{"query":"{ viewer { kind } }"'), status: 400, codes: [BAD_REQUEST] },
  { name: 'body: empty', request: post(''), status: 400, codes: [BAD_REQUEST] },
  { name: 'body: null', request: post('null'), status: 400, codes: [BAD_REQUEST] },
  { name: 'body: a string', request: post('"{ viewer { kind } }"'), status: 400, codes: [BAD_REQUEST] },
  { name: 'body: a number', request: post('1'), status: 400, codes: [BAD_REQUEST] },
  { name: 'body: true', request: post('true'), status: 400, codes: [BAD_REQUEST] },
  { name: 'body: an empty object (no query)', request: post('{}'), status: 200, codes: [BAD_REQUEST] },
  { name: 'body: query null', request: post('{"query":null}'), status: 200, codes: [BAD_REQUEST] },
  { name: 'body: query a number', request: post('{"query":1}'), status: 400, codes: [BAD_REQUEST] },
  { name: 'body: query a list', request: post('{"query":["{ viewer { kind } }"]}'), status: 400, codes: [BAD_REQUEST] },
  { name: 'body: query an object', request: post('{"query":{}}'), status: 400, codes: [BAD_REQUEST] },
  { name: 'body: query empty', request: post('{"query":""}'), status: 200, codes: [PARSE] },
  { name: 'body: query only a comment', request: post('{"query":"# nothing"}'), status: 200, codes: [PARSE] },
  { name: 'body: variables a string of JSON', request: post('{"query":"{ viewer { kind } }","variables":"{}"}'), status: 400, codes: [BAD_REQUEST] },
  { name: 'body: variables a list', request: post('{"query":"{ viewer { kind } }","variables":[1]}'), status: 400, codes: [BAD_REQUEST] },
  { name: 'body: variables a number', request: post('{"query":"{ viewer { kind } }","variables":1}'), status: 400, codes: [BAD_REQUEST] },
  { name: 'body: extensions a string', request: post('{"query":"{ viewer { kind } }","extensions":"{"}'), status: 400, codes: [BAD_REQUEST] },
  { name: 'body: extensions a list', request: post('{"query":"{ viewer { kind } }","extensions":[]}'), status: 400, codes: [BAD_REQUEST] },
  { name: 'body: a persisted query we do not keep', request: post('{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"00"}}}'), status: 200, codes: [BAD_REQUEST] },
  { name: 'body: operationName a number', request: post('{"query":"{ viewer { kind } }","operationName":1}'), status: 400, codes: [ERRORS.OPERATION_RESOLUTION_FAILURE.code] },
  { name: 'body: operationName naming no operation', request: post('{"query":"query A { viewer { kind } }","operationName":"B"}'), status: 400, codes: [ERRORS.OPERATION_RESOLUTION_FAILURE.code] },
  { name: 'body: two operations, no operationName', request: query('query A { viewer { kind } } query B { viewer { kind } }'), status: 400, codes: [ERRORS.OPERATION_RESOLUTION_FAILURE.code] },
  { name: 'body: an unknown parameter', request: post('{"query":"{ viewer { kind } }","queryId":"x"}'), status: 400, codes: [BAD_REQUEST] },
  { name: 'body: a byte-order mark before the JSON', request: post(utf8([0xef, 0xbb, 0xbf], JSON.stringify({ query: VIEWER }))), status: 400, codes: [BAD_REQUEST] },
  { name: 'body: a raw NUL inside a JSON string', request: post(`{"query":"{ viewer { kind } }${nul}"}`), status: 400, codes: [BAD_REQUEST] },
  { name: 'body: a syntax error', request: query('{ viewer { kind }'), status: 200, codes: [PARSE] },
  { name: 'body: an unknown field', request: query('{ nothing }'), status: 200, codes: [INVALID] },
  { name: 'body: a field without its selection', request: query('{ viewer }'), status: 200, codes: [INVALID] },
  { name: 'body: an argument the field lacks', request: query('{ viewer(id: 1) { kind } }'), status: 200, codes: [INVALID] },
  { name: 'body: a variable never used', request: query('query ($x: Int) { viewer { kind } }', { x: 1 }), status: 200, codes: [INVALID] },
  { name: 'body: a variable of an unknown type', request: query('query ($x: Nothing) { viewer { kind } }'), status: 200, codes: [INVALID, INVALID] },
  { name: 'body: a fragment spread in itself', request: query('{ viewer { ...V } } fragment V on Viewer { kind ...V }'), status: 200, codes: [INVALID] },
  { name: 'body: a variable nested 20,000 lists deep', request: post(`{"query":"query ($v: [String]) { users(role: $v) { totalCount } }","variables":{"v":${'['.repeat(20_000)}${']'.repeat(20_000)}}}`), status: 200, codes: [INVALID] },
  { name: 'body: a list nested 40,000 deep as a batch', request: post(`${'['.repeat(40_000)}${']'.repeat(40_000)}`), status: 200, codes: [[BAD_REQUEST]] },
  { name: 'body: 5,000 variables nobody declared', request: query(VIEWER, Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`v${i}`, i]))), status: 200, codes: [] },
  { name: 'body: a variable of 90 KB for an id', request: query(USER, { id: 'x'.repeat(90_000) }), status: 200, codes: [BAD] },
  { name: 'body: one byte over MAX_BODY_BYTES', request: post(JSON.stringify({ query: `${VIEWER} # ${'x'.repeat(100_000)}` }).slice(0, 100_001)), status: 413, codes: [ERRORS.REQUEST_ENTITY_TOO_LARGE.code] },

  // Content types
  { name: 'content type: text/plain with cookies, without the CSRF header', request: cookieOnly(post(JSON.stringify({ query: VIEWER }), { 'content-type': 'text/plain' })), status: 403, codes: [CSRF_REQUIRED] },
  { name: 'content type: text/plain with a bearer key, without the CSRF header', request: post(JSON.stringify({ query: VIEWER }), { 'content-type': 'text/plain' }), status: 415, codes: [MEDIA] },
  { name: 'content type: text/plain with it', request: post(JSON.stringify({ query: VIEWER }), { 'content-type': 'text/plain', ...CSRF }), status: 415, codes: [MEDIA] },
  { name: 'content type: multipart with cookies, without the CSRF header', request: cookieOnly(post('--x\r\n', { 'content-type': 'multipart/form-data; boundary=x' })), status: 403, codes: [CSRF_REQUIRED] },
  { name: 'content type: multipart with it (no uploads)', request: post('--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{bad\r\n--x--\r\n', { 'content-type': 'multipart/form-data; boundary=x', ...CSRF }), status: 415, codes: [MEDIA] },
  { name: 'content type: application/xml', request: post('<query/>', { 'content-type': 'application/xml', ...CSRF }), status: 415, codes: [MEDIA] },
  { name: 'content type: none', request: post(JSON.stringify({ query: VIEWER }), { 'content-type': '', ...CSRF }), status: 415, codes: [MEDIA] },
  { name: 'content type: garbage', request: post(JSON.stringify({ query: VIEWER }), { 'content-type': ';;;', ...CSRF }), status: 415, codes: [MEDIA] },
  { name: 'content type: JSON in UTF-16', request: post(Buffer.from(JSON.stringify({ query: VIEWER }), 'utf16le'), { 'content-type': 'application/json; charset=utf-16' }), status: 400, codes: [BAD_REQUEST] },
  { name: 'content type: application/graphql with a syntax error', request: post('{ viewer {', { 'content-type': 'application/graphql' }), status: 200, codes: [PARSE] },
  { name: 'content type: a form with cookies, without the CSRF header', request: cookieOnly(post(`query=${enc(VIEWER)}`, { 'content-type': 'application/x-www-form-urlencoded' })), status: 403, codes: [CSRF_REQUIRED] },
  { name: 'content type: a form with a bearer key, without the CSRF header', request: post(`query=${enc(VIEWER)}`, { 'content-type': 'application/x-www-form-urlencoded' }), status: 200, codes: [] },
  { name: 'content type: a form whose variables are not JSON', request: post(`query=${enc(VIEWER)}&variables=%7Bbad`, { 'content-type': 'application/x-www-form-urlencoded', ...CSRF }), status: 400, codes: [BAD_REQUEST] },
  { name: 'content type: a form whose extensions are not JSON', request: post(`query=${enc(VIEWER)}&extensions=nope`, { 'content-type': 'application/x-www-form-urlencoded', ...CSRF }), status: 400, codes: [BAD_REQUEST] },
  { name: 'content type: a form without a query', request: post('variables=%7B%7D', { 'content-type': 'application/x-www-form-urlencoded', ...CSRF }), status: 200, codes: [BAD_REQUEST] },

  // Sizes and per-operation limits (at their defaults)
  { name: 'limit: 1,001 tokens', request: query(`{ viewer { ${repeat(996, 'kind')} } }`), status: 200, codes: [ERRORS.TOO_MANY_TOKENS.code] },
  { name: 'limit: 21 aliases', request: query(`{ ${Array.from({ length: 21 }, (_, i) => `a${i}: viewer { kind }`).join(' ')} }`), status: 200, codes: [ERRORS.TOO_MANY_ALIASES.code] },
  { name: 'limit: 21 directives', request: query(`{ viewer { ${repeat(21, 'kind @include(if: true)')} } }`), status: 200, codes: [ERRORS.TOO_MANY_DIRECTIVES.code] },
  { name: 'limit: an alias of 65 characters', request: query(`{ ${'a'.repeat(65)}: viewer { kind } }`), status: 200, codes: [ERRORS.ALIAS_TOO_LONG.code] },
  { name: 'limit: an alias of 4,000 characters inside a page of 500', request: query(`{ users(first: 500) { nodes { ${'a'.repeat(4_000)}: id } } }`), status: 200, codes: [ERRORS.ALIAS_TOO_LONG.code], maxBytes: 10_000 },
  { name: 'limit: 11 operations in a batch', request: post(JSON.stringify(Array.from({ length: 11 }, () => ({ query: VIEWER })))), status: 413, codes: [BAD_REQUEST] },

  // Ids
  { name: 'id: empty', request: query(USER, { id: '' }), status: 200, codes: [BAD] },
  { name: 'id: blanks only', request: query(USER, { id: '  \t ' }), status: 200, codes: [BAD] },
  { name: 'id: 129 characters', request: query(USER, { id: 'x'.repeat(129) }), status: 200, codes: [BAD] },
  { name: 'id: 129 emoji (129 characters, 258 UTF-16 units)', request: query(USER, { id: '😀'.repeat(129) }), status: 200, codes: [BAD] },
  { name: 'id: NUL', request: query(USER, { id: `a${nul}b` }), status: 200, codes: [BAD] },
  { name: 'id: a newline', request: query(USER, { id: 'a\nb' }), status: 200, codes: [BAD] },
  { name: 'id: DEL', request: query(USER, { id: 'a\u007fb' }), status: 200, codes: [BAD] },
  { name: 'id: a lone surrogate', request: query(USER, { id: `a${loneSurrogate}` }), status: 200, codes: [BAD] },
  { name: 'id: a lone surrogate spelled in JSON', request: post('{"query":"query ($id: ID!) { user(id: $id) { id } }","variables":{"id":"\\udc00x"}}'), status: 200, codes: [BAD] },
  { name: 'id: NUL in a GraphQL string literal', request: query('{ user(id: "a\\u0000b") { id } }'), status: 200, codes: [BAD] },
  { name: 'id: an object', request: query(USER, { id: { $ne: 1 } }), status: 400, codes: [BAD] },
  { name: 'id: null for ID!', request: query(USER, { id: null }), status: 400, codes: [BAD] },
  { name: 'id: missing for ID!', request: query(USER, {}), status: 400, codes: [BAD] },
  { name: 'id: a list', request: query(USER, { id: ['a', 'b'] }), status: 400, codes: [BAD] },
  { name: 'id: SQL in it, answered as an id like any other', request: query(USER, { id: "x' OR '1'='1" }), status: 200, codes: [] },
  { name: 'id: bytes that are not UTF-8, answered as U+FFFD', request: post(utf8('{"query":"{ user(id: \\"', [0xff, 0xfe], '\\") { id } }"}')), status: 200, codes: [] },
  { name: 'id: hasRole with NUL', request: query('query ($u: ID!) { hasRole(userId: $u, role: "admin") }', { u: nul }), status: 200, codes: [BAD] },
  { name: 'id: hasPermission with a lone surrogate', request: query('query ($u: ID!) { hasPermission(userId: $u, permission: "p") }', { u: loneSurrogate }), status: 200, codes: [BAD] },

  // Emails and tenants
  { name: 'email: NUL (PostgreSQL would refuse it)', request: query(BY_EMAIL, { e: `a${nul}@example.com` }), status: 200, codes: [BAD] },
  { name: 'email: NUL, in a tenant', request: query(ONE_BY_EMAIL, { e: `a@example.com${nul}`, t: 'public' }), status: 200, codes: [BAD] },
  { name: 'email: a control character', request: query(BY_EMAIL, { e: 'a\u0001@example.com' }), status: 200, codes: [BAD] },
  { name: 'email: a tab inside', request: query(BY_EMAIL, { e: 'a\tb@example.com' }), status: 200, codes: [BAD] },
  { name: 'email: no @', request: query(BY_EMAIL, { e: 'example.com' }), status: 200, codes: [BAD] },
  { name: 'email: two @', request: query(BY_EMAIL, { e: 'a@b@example.com' }), status: 200, codes: [BAD] },
  { name: 'email: empty', request: query(BY_EMAIL, { e: '' }), status: 200, codes: [BAD] },
  { name: 'email: 257 characters', request: query(BY_EMAIL, { e: `${'a'.repeat(245)}@example.com` }), status: 200, codes: [BAD] },
  { name: 'email: 10 KB', request: query(BY_EMAIL, { e: `${'a'.repeat(10_000)}@example.com` }), status: 200, codes: [BAD] },
  { name: 'email: a lone surrogate', request: query(BY_EMAIL, { e: `a${loneSurrogate}@example.com` }), status: 200, codes: [BAD] },
  { name: 'email: a number', request: query(BY_EMAIL, { e: 5 }), status: 400, codes: [BAD] },
  { name: 'tenant: NUL', request: query(ONE_BY_EMAIL, { e: 'a@example.com', t: `t${nul}` }), status: 200, codes: [BAD] },
  { name: 'tenant: a space', request: query(ONE_BY_EMAIL, { e: 'a@example.com', t: 'a b' }), status: 200, codes: [BAD] },
  { name: 'tenant: 65 characters', request: query(ONE_BY_EMAIL, { e: 'a@example.com', t: 't'.repeat(65) }), status: 200, codes: [BAD] },
  { name: 'tenant: empty', request: query(ONE_BY_EMAIL, { e: 'a@example.com', t: '' }), status: 200, codes: [BAD] },
  { name: 'tenant: a lone surrogate, listing users', request: query('query ($t: String) { users(tenantId: $t) { totalCount } }', { t: loneSurrogate }), status: 200, codes: [BAD] },
  { name: 'role: empty', request: query('{ users(role: "") { totalCount } }'), status: 200, codes: [BAD] },
  { name: 'role: NUL', request: query('query ($r: String) { users(role: $r) { totalCount } }', { r: `admin${nul}` }), status: 200, codes: [BAD] },
  { name: 'role: 256 characters', request: query('query ($r: String!) { hasRole(userId: "x", role: $r) }', { r: 'r'.repeat(256) }), status: 200, codes: [BAD] },

  // Cursors
  { name: 'cursor: not base64url', request: query(AFTER, { a: '!!!' }), status: 200, codes: [BAD] },
  { name: 'cursor: empty', request: query(AFTER, { a: '' }), status: 200, codes: [BAD] },
  { name: 'cursor: base64 with padding', request: query(AFTER, { a: `${base64url('1:x')}==` }), status: 200, codes: [BAD] },
  { name: 'cursor: 1,025 characters', request: query(AFTER, { a: 'A'.repeat(1_025) }), status: 200, codes: [BAD] },
  { name: 'cursor: random bytes', request: query(AFTER, { a: Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x01]).toString('base64url') }), status: 200, codes: [BAD] },
  { name: 'cursor: no separator', request: query(AFTER, { a: base64url('12345') }), status: 200, codes: [BAD] },
  { name: 'cursor: a leading zero', request: query(AFTER, { a: base64url('01:x') }), status: 200, codes: [BAD] },
  { name: 'cursor: a negative time', request: query(AFTER, { a: base64url('-1:x') }), status: 200, codes: [BAD] },
  { name: 'cursor: a time past 2^53', request: query(AFTER, { a: base64url('9007199254740993:x') }), status: 200, codes: [BAD] },
  { name: 'cursor: a time in hexadecimal', request: query(AFTER, { a: base64url('0x10:x') }), status: 200, codes: [BAD] },
  { name: 'cursor: bytes that are not UTF-8', request: query(AFTER, { a: Buffer.from([0x31, 0x3a, 0xc0, 0x80]).toString('base64url') }), status: 200, codes: [BAD] },
  { name: 'cursor: another spelling of a real one', request: query(AFTER, { a: `${base64url('1:xy').slice(0, -1)}R` }), status: 200, codes: [BAD] },
  { name: 'cursor: an Int', request: query('{ users(after: 5) { totalCount } }'), status: 200, codes: [INVALID] },

  // first
  { name: 'first: -1', request: query(FIRST, { f: -1 }), status: 200, codes: [BAD] },
  { name: 'first: 501', request: query(FIRST, { f: 501 }), status: 200, codes: [BAD] },
  { name: 'first: 2^31 written in the query', request: query('{ users(first: 2147483648) { totalCount } }'), status: 200, codes: [INVALID] },
  { name: 'first: 1.5 written in the query', request: query('{ users(first: 1.5) { totalCount } }'), status: 200, codes: [INVALID] },
  { name: 'first: a string written in the query', request: query('{ users(first: "10") { totalCount } }'), status: 200, codes: [INVALID] },
  { name: 'first: 1e20 as a variable', request: query(FIRST, { f: 1e20 }), status: 400, codes: [BAD] },
  { name: 'first: 1.5 as a variable', request: query(FIRST, { f: 1.5 }), status: 400, codes: [BAD] },
  { name: 'first: a string as a variable', request: query(FIRST, { f: '10' }), status: 400, codes: [BAD] },
  { name: 'first: true as a variable', request: query(FIRST, { f: true }), status: 400, codes: [BAD] },
  { name: 'first: 100,000 with nodes, in the query', request: query('{ users(first: 100000) { nodes { id } } }'), status: 200, codes: [COST] },
  { name: 'first: 2^31 - 1 with nodes, as a variable', request: query('query ($f: Int) { users(first: $f) { nodes { id } } }', { f: 2_147_483_647 }), status: 200, codes: [COST] },

  // Headers
  { name: 'header: Authorization Basic', request: query(VIEWER, undefined, { authorization: 'Basic dXNlcjpwYXNz' }), status: 401, codes: [UNAUTHENTICATED] },
  { name: 'header: Authorization Bearer and nothing', request: query(VIEWER, undefined, { authorization: 'Bearer ' }), status: 401, codes: [UNAUTHENTICATED] },
  { name: 'header: Authorization without a scheme', request: query(VIEWER, undefined, { authorization: 'test-reader-key-0123456789' }), status: 401, codes: [UNAUTHENTICATED] },
  { name: 'header: an unknown key', request: query(VIEWER, undefined, { authorization: 'Bearer not-a-key-of-this-service' }), status: 401, codes: [UNAUTHENTICATED] },
  { name: 'header: a token of three garbage parts', request: query(VIEWER, undefined, { authorization: 'Bearer a.b.c' }), status: 401, codes: [UNAUTHENTICATED] },
  { name: 'header: a token with a forged header', request: query(VIEWER, undefined, { authorization: `Bearer ${base64url('{"alg":"none"}')}.${base64url('{"sub":"x"}')}.` }), status: 401, codes: [UNAUTHENTICATED] },
  { name: 'header: a key of 8 KB', request: query(VIEWER, undefined, { authorization: `Bearer ${'k'.repeat(8_000)}` }), status: 401, codes: [UNAUTHENTICATED] },
  { name: 'header: Accept nothing we answer in', request: query(VIEWER, undefined, { accept: 'application/xml' }), status: 406 },
  { name: 'header: Accept JSON in Latin-1 only', request: query(VIEWER, undefined, { accept: 'application/json; charset=iso-8859-1' }), status: 406 },
  { name: 'header: Accept garbage', request: query(VIEWER, undefined, { accept: ';;;/;;' }), status: 406 },

  // Amplification: what the limits let a request make the process serialise
  { name: 'cost: issue 10, twenty pages of 500 sized by a variable', request: query(TWENTY_PAGES, { f: 500 }), status: 200, codes: [COST], maxBytes: 2_000 },
  { name: 'cost: issue 10, batched ten times', request: post(JSON.stringify(Array.from({ length: 10 }, () => ({ query: TWENTY_PAGES, variables: { f: 500 } })))), status: 200, codes: Array.from({ length: 10 }, () => [COST]), maxBytes: 20_000 },
  { name: 'cost: ten pages of 250 full users, each within the limit, batched', request: post(JSON.stringify(Array.from({ length: 10 }, () => ({ query: `query ($f: Int) { users(first: $f) { nodes { ${FULL_USER} } } }`, variables: { f: 250 } })))), status: 200, codes: Array.from({ length: 10 }, () => [COST]), maxBytes: 20_000 },
  { name: 'cost: a page size in the variable default', request: query(`query ($f: Int = 500) { a: users(first: $f) { nodes { ${FULL_USER} } } b: users(first: $f) { nodes { ${FULL_USER} } } }`), status: 200, codes: [COST] },
  { name: 'cost: over GET', request: get(`query=${enc(TWENTY_PAGES)}&variables=${enc('{"f":500}')}`), status: 200, codes: [COST], maxBytes: 2_000 },
  { name: 'refusals: 1,000 personal fields a key may not read', request: query('{ users(first: 500) { nodes { id email metadata } } }', undefined, asNoPii), status: 200, codes: Array.from({ length: 1_000 }, () => ERRORS.FORBIDDEN.code), maxBytes: 300_000 },
  { name: 'refusals: as many as the cost limit allows, under long aliases', request: query(`query ($f: Int) { ${Array.from({ length: 12 }, (_, i) => `${'p'.repeat(62)}${String(i).padStart(2, '0')}: users(first: $f) { nodes { email metadata } }`).join(' ')} }`, { f: 500 }, asNoPii), status: 200, codes: Array.from({ length: 12_000 }, () => ERRORS.FORBIDDEN.code), maxBytes: 4_000_000 },
  { name: 'cost: a server-sent event stream', request: query(TWENTY_PAGES, { f: 500 }, { accept: 'text/event-stream' }), status: 200, codes: [COST], maxBytes: 2_000 },

  // Batches
  { name: 'batch: empty', request: post('[]'), status: 400, codes: [BAD_REQUEST] },
  { name: 'batch: an operation that is null', request: post(`[${JSON.stringify({ query: VIEWER })},null]`), status: 200, codes: [[], [BAD_REQUEST]] },
  { name: 'batch: an operation that is a string', request: post('["{ viewer { kind } }"]'), status: 200, codes: [[BAD_REQUEST]] },
  { name: 'batch: an operation that is a batch', request: post(`[[${JSON.stringify({ query: VIEWER })}]]`), status: 200, codes: [[BAD_REQUEST]] },
  { name: 'batch: a good operation and a bad one', request: post(JSON.stringify([{ query: VIEWER }, { query: BY_EMAIL, variables: { e: nul } }])), status: 200, codes: [[], [BAD]] },
  { name: 'batch: a syntax error among them', request: post(JSON.stringify([{ query: '{' }, { query: VIEWER }])), status: 200, codes: [[PARSE], []] },
  { name: 'batch: a mutation the key may not run', request: post(JSON.stringify([{ query: 'mutation { reloadUsers { count } }' }])), status: 200, codes: [[ERRORS.FORBIDDEN.code]] },

  // GETs
  { name: 'GET: variables that are not JSON', request: get(`query=${enc(VIEWER)}&variables=%7Bbad`), status: 400, codes: [BAD_REQUEST] },
  { name: 'GET: extensions that are not JSON', request: get(`query=${enc(VIEWER)}&extensions=%7Bbad`), status: 400, codes: [BAD_REQUEST] },
  { name: 'GET: variables a list', request: get(`query=${enc(VIEWER)}&variables=${enc('[1]')}`), status: 400, codes: [BAD_REQUEST] },
  { name: 'GET: variables a number', request: get(`query=${enc(VIEWER)}&variables=1`), status: 400, codes: [BAD_REQUEST] },
  { name: 'GET: variables a JSON string', request: get(`query=${enc(VIEWER)}&variables=${enc('"x"')}`), status: 400, codes: [BAD_REQUEST] },
  { name: 'GET: extensions a number', request: get(`query=${enc(VIEWER)}&extensions=1`), status: 400, codes: [BAD_REQUEST] },
  { name: 'GET: no query', request: get('variables=%7B%7D'), status: 200, codes: [BAD_REQUEST] },
  { name: 'GET: a mutation', request: get(`query=${enc('mutation { reloadUsers { count } }')}`), status: 405, codes: [BAD_REQUEST] },
  { name: 'GET: with cookies, without the CSRF header', request: cookieOnly(get(`query=${enc(VIEWER)}`, {})), status: 403, codes: [CSRF_REQUIRED] },
  { name: 'GET: with a bearer key, without the CSRF header', request: get(`query=${enc(VIEWER)}`, {}), status: 200, codes: [] },
  { name: 'GET: broken percent-encoding', request: get('query=%E0%A4%A'), status: 200, codes: [PARSE] },
  { name: 'GET: an email with NUL', request: get(`query=${enc(BY_EMAIL)}&variables=${enc(JSON.stringify({ e: `a${nul}@example.com` }))}`), status: 200, codes: [BAD] },
  { name: 'GET: first over 32 bits', request: get(`query=${enc(FIRST)}&variables=${enc('{"f":4294967296}')}`), status: 400, codes: [BAD] },
  { name: 'GET: an operationName naming nothing', request: get(`query=${enc(VIEWER)}&operationName=Other`), status: 400, codes: [ERRORS.OPERATION_RESOLUTION_FAILURE.code] },

  // Methods and paths
  { name: 'method: PUT', request: { ...post(JSON.stringify({ query: VIEWER })), method: 'PUT' }, status: 405, codes: [BAD_REQUEST] },
  { name: 'method: PATCH', request: { ...post(JSON.stringify({ query: VIEWER })), method: 'PATCH' }, status: 405, codes: [BAD_REQUEST] },
  { name: 'method: DELETE with the CSRF header', request: { method: 'DELETE', headers: { ...asReader, ...CSRF } }, status: 405, codes: [BAD_REQUEST] },
  { name: 'path: another path', request: { ...query(VIEWER), path: '/graphql/x' }, status: 404 },

  // Odd encodings
  { name: 'encoding: NUL in the query text', request: query(`{ viewer { kind } }${nul}`), status: 200, codes: [PARSE] },
  { name: 'encoding: bytes that are not UTF-8 in the query text', request: post(utf8('{"query":"{ viewer { kind } ', [0xc0, 0x80], '}"}')), status: 200, codes: [PARSE] },
  { name: 'encoding: a lone surrogate escaped in a string literal', request: query(`{ usersByEmail(email: "a\\ud800@example.com") { id } }`), status: 200, codes: [PARSE] },
  { name: 'encoding: NUL in a block string', request: query(`{ usersByEmail(email: """a${nul}@example.com""") { id } }`), status: 200, codes: [BAD] },
  { name: 'encoding: an email percent-encoded with NUL over GET', request: get(`query=${enc('{ usersByEmail(email: "a\\u0000@example.com") { id } }')}`), status: 200, codes: [BAD] },
  { name: 'encoding: an alias __proto__', request: query('{ __proto__: viewer { kind } }'), status: 200, codes: [] },
];

/** What came back: the status, the codes of the errors (per operation for a batch) and the size. */
interface Answer {
  readonly status: number;
  readonly codes: readonly string[] | ReadonlyArray<readonly string[]> | undefined;
  readonly bytes: number;
  readonly text: string;
}

const codesOf = (result: { errors?: Array<{ extensions?: { code?: unknown } }> }) =>
  (result?.errors ?? []).map((error) => String(error.extensions?.code));

async function answerOf(response: Response): Promise<Answer> {
  const text = await response.text();
  const bytes = Buffer.byteLength(text);
  if (text === '') return { status: response.status, codes: undefined, bytes, text };
  if ((response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    const results = text.split('\n').filter((line) => line.startsWith('data: {')).map((line) => JSON.parse(line.slice(6)));
    return { status: response.status, codes: results.flatMap(codesOf), bytes, text };
  }
  const body = JSON.parse(text);
  return { status: response.status, codes: Array.isArray(body) ? body.map(codesOf) : codesOf(body), bytes, text };
}

function send(server: TestServer, { method = 'GET', path = '/graphql', headers = {}, body }: Request): Promise<Response> {
  return server.fetch(path, { method, headers, ...(body === undefined ? {} : { body: body as BodyInit }) });
}

const MiB = 1024 * 1024;
/** Growth of the process (the test runner and the server together) the whole catalogue may cause. */
const MAX_GROWTH = 256 * MiB;

describe('a catalogue of malformed requests', () => {
  it('holds at least a hundred, each named once', () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(100);
    expect(new Set(CATALOGUE.map((each) => each.name)).size).toBe(CATALOGUE.length);
  });

  it.for(CATALOGUE.map((each) => [each.name, each] as const))('%s', async ([, expected], { server }) => {
    const rssBefore = process.memoryUsage.rss();
    const answer = await answerOf(await send(server, expected.request));
    expect({ status: answer.status, codes: answer.codes }, answer.text.slice(0, 500)).toEqual({ status: expected.status, codes: expected.codes });
    expect(answer.text).not.toMatch(/INTERNAL_SERVER_ERROR|Unexpected error/);
    if (expected.maxBytes !== undefined) expect(answer.bytes).toBeLessThan(expected.maxBytes);
    // Still up, and still right.
    const health = await server.fetch('/health');
    expect(health.status).toBe(200);
    expect(process.memoryUsage.rss() - rssBefore).toBeLessThan(MAX_GROWTH);
  });
});

describe('malformed HTTP', () => {
  /** Raw bytes on a socket: what fetch will not send. Resolves with what came back before the server closed. */
  function rawExchange(server: TestServer, bytes: string): Promise<string> {
    const { hostname, port } = new URL(server.url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => socket.end(bytes));
      const chunks: Buffer[] = [];
      socket.on('data', (chunk) => chunks.push(chunk));
      socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
      socket.on('error', reject);
      socket.setTimeout(5_000, () => socket.destroy());
    });
  }

  it.for([
    ['a Content-Length that is not a number', 'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n{}', /^HTTP\/1\.1 400 /],
    ['two different Content-Lengths', 'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}', /^HTTP\/1\.1 400 /],
    ['a body shorter than its Content-Length, then the client leaves', 'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query":', /^HTTP\/1\.1 400 /],
    ['a header line without a colon', 'GET /health HTTP/1.1\r\nHost: x\r\nnonsense\r\n\r\n', /^HTTP\/1\.1 400 /],
    ['a request line of garbage', 'HELLO\r\n\r\n', /^HTTP\/1\.1 400 /],
    ['a URL of 20 KB', `GET /graphql?query=${'x'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, /^HTTP\/1\.1 431 /],
  ] as const)('%s: refused by node, and the server stays up', async ([, bytes, expected], { server }) => {
    expect(await rawExchange(server, bytes)).toMatch(expected);
    expect((await server.fetch('/health')).status).toBe(200);
  });

  it('answers a request whose body came in one-byte chunks', async ({ server }) => {
    const body = JSON.stringify({ query: '{ users(first: 1) { totalCount } }' });
    const { hostname, port } = new URL(server.url);
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = httpRequest({ host: hostname, port, method: 'POST', path: '/graphql', headers: { ...JSON_HEADERS, 'content-length': Buffer.byteLength(body) } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode!, text: Buffer.concat(chunks).toString('utf8') }));
      });
      request.on('error', reject);
      const bytes = Buffer.from(body);
      let at = 0;
      const next = () => {
        if (at === bytes.length) request.end();
        else request.write(bytes.subarray(at, ++at), next);
      };
      next();
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text).data).toEqual({ users: { totalCount: USERS } });
  });
});
