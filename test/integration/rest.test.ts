/**
 * The REST surface over HTTP: the same users, rules and codes as GraphQL. GET /users with the
 * users field's arguments as query parameters, GET /users/{id}, POST /users/reload, the export's
 * small cases (its volume and its readers: export.test.ts), and an OpenAPI 3 document that says
 * what the schema says.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect } from 'vitest';
import { schema } from '../../src/schema/index.ts';
import { test } from '../support/fixtures.ts';
import { EXPECTED, ID, LISTED, USER_FIELDS, writeScenario } from '../support/scenario.ts';
import { ADMIN_KEY, READER_KEY, TEST_API_KEYS, asReader, type TestServer } from '../support/server.ts';

const NO_PII_KEY = 'test-no-pii-key-0123456789';
const NOTHING_KEY = 'test-nothing-key-0123456789';

const it = test
  .extend('seed', { scope: 'file' }, ({ database }) => writeScenario(database.db))
  .extend('serverEnv', { scope: 'file' }, {
    API_KEYS: JSON.stringify([
      ...TEST_API_KEYS,
      { name: 'no-pii', scopes: ['users:read'], key: NO_PII_KEY },
      { name: 'pii-only', scopes: ['users:pii'], key: NOTHING_KEY },
    ]),
  });

const as = (key: string) => ({ authorization: `Bearer ${key}` });
const PERSONAL = ['email', 'emails', 'phoneNumbers', 'thirdParty', 'loginMethods', 'metadata'];
const withoutPersonal = (user: Record<string, unknown>) => Object.fromEntries(Object.entries(user).filter(([key]) => !PERSONAL.includes(key)));
const codesOf = (body: { errors?: Array<{ extensions?: { code?: string } }> }) => body.errors?.map((error) => error.extensions?.code);

describe('GET /users', () => {
  it('answers a page: every field of each user, the count and the page info', async ({ server }) => {
    const response = await server.fetch('/users?first=500', { headers: asReader });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const body = await response.json();
    expect(body).toEqual({
      totalCount: LISTED.length,
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: expect.any(String), endCursor: expect.any(String) },
      nodes: LISTED,
    });
  });

  it('takes the arguments of the users field as query parameters, and pages with after', async ({ server }) => {
    const first = await (await server.fetch('/users?first=2&tenantId=t1', { headers: asReader })).json();
    expect(first.nodes).toEqual([EXPECTED.passkey, EXPECTED.tenantOnly]);
    expect(first).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });

    const next = await (await server.fetch(`/users?first=2&tenantId=t1&after=${first.pageInfo.endCursor}`, { headers: asReader })).json();
    expect(next.nodes).toEqual([EXPECTED.ada]);
    expect(next.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

    const editors = await (await server.fetch('/users?role=editor&tenantId=t1', { headers: asReader })).json();
    expect(editors.nodes.map((user: { id: string }) => user.id)).toEqual([EXPECTED.ada.id]);
  });

  it('answers the GraphQL users field exactly', async ({ server }) => {
    const graphql = await server.execute(`{ users(first: 3, role: "editor") { totalCount nodes { id email loginMethods { recipeId } } } }`);
    const rest = await (await server.fetch('/users?first=3&role=editor', { headers: asReader })).json();
    expect(rest.totalCount).toBe(graphql.data.users.totalCount);
    expect(rest.nodes.map((user: any) => ({ id: user.id, email: user.email, loginMethods: user.loginMethods.map((m: any) => ({ recipeId: m.recipeId })) }))).toEqual(
      graphql.data.users.nodes,
    );
  });

  it.for([
    ['first over 500', 'first=501'],
    ['first not a number', 'first=many'],
    ['a cursor it did not issue', 'after=nope!'],
    ['an empty tenant id', 'tenantId='],
    ['a parameter the users field does not take', 'sort=email'],
    ['a parameter given twice', 'first=1&first=2'],
  ] as const)('refuses %s with 400 BAD_USER_INPUT', async ([_case, query], { server }) => {
    const response = await server.fetch(`/users?${query}`, { headers: asReader });
    expect(response.status).toBe(400);
    expect(codesOf(await response.json())).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses no credentials with 401, credentials that do not verify with 401, too few with 403', async ({ server }) => {
    const anonymous = await server.fetch('/users');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    expect(codesOf(await anonymous.json())).toEqual(['UNAUTHENTICATED']);

    const forged = await server.fetch('/users', { headers: as('not-a-key') });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(codesOf(await forged.json())).toEqual(['UNAUTHENTICATED']);

    const nothing = await server.fetch('/users', { headers: as(NOTHING_KEY) });
    expect(nothing.status).toBe(403);
    expect(codesOf(await nothing.json())).toEqual(['FORBIDDEN']);
  });

  it('leaves out the personal fields for a caller without users:pii, as GraphQL nulls them', async ({ server }) => {
    const body = await (await server.fetch('/users?first=500', { headers: as(NO_PII_KEY) })).json();
    expect(body.nodes).toEqual(LISTED.map(withoutPersonal));
  });
});

describe('GET /users/{id}', () => {
  it('answers the user any of its ids names', async ({ server }) => {
    const response = await server.fetch(`/users/${ID.gracePasskey}`, { headers: asReader });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(EXPECTED.grace);
    expect(await (await server.fetch('/users/ext-ada', { headers: asReader })).json()).toEqual(EXPECTED.ada);
  });

  it('answers 404 USER_NOT_FOUND for an id that names nobody', async ({ server }) => {
    const response = await server.fetch('/users/nobody%20here', { headers: asReader });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ errors: [{ message: 'No user is named "nobody here".', extensions: { code: 'USER_NOT_FOUND' } }] });
  });

  it('refuses a malformed id with 400, and applies the same rules', async ({ server }) => {
    const tooLong = await server.fetch(`/users/${'x'.repeat(129)}`, { headers: asReader });
    expect(tooLong.status).toBe(400);
    expect(codesOf(await tooLong.json())).toEqual(['BAD_USER_INPUT']);
    expect((await server.fetch('/users/%E0%A4%A', { headers: asReader })).status).toBe(400);
    expect((await server.fetch(`/users/${ID.passkey}`)).status).toBe(401);
    expect((await server.fetch(`/users/${ID.passkey}`, { headers: as(NOTHING_KEY) })).status).toBe(403);
    expect(await (await server.fetch(`/users/${ID.passkey}`, { headers: as(NO_PII_KEY) })).json()).toEqual(withoutPersonal(EXPECTED.passkey));
  });
});

describe('POST /users/reload', () => {
  it('reloads for an admin, and refuses others with 401 or 403', async ({ server }) => {
    const response = await server.fetch('/users/reload', { method: 'POST', headers: as(ADMIN_KEY) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ count: LISTED.length, durationMs: expect.any(Number), loadedAt: expect.stringMatching(/Z$/) });

    const reader = await server.fetch('/users/reload', { method: 'POST', headers: as(READER_KEY) });
    expect(reader.status).toBe(403);
    expect(codesOf(await reader.json())).toEqual(['FORBIDDEN']);
    expect((await server.fetch('/users/reload', { method: 'POST' })).status).toBe(401);
  });
});

describe('GET /users.ndjson (small)', () => {
  const lines = async (response: Response) => (await response.text()).split('\n');

  it('streams every matching user, one JSON object a line, in listing order', async ({ server }) => {
    const response = await server.fetch('/users.ndjson', { headers: asReader });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(response.headers.get('x-total-count')).toBe(String(LISTED.length));
    const text = await lines(response);
    expect(text.at(-1)).toBe(''); // every line ends with a newline
    expect(text.slice(0, -1).map((line) => JSON.parse(line))).toEqual(LISTED);
  });

  it('takes the filters as query parameters, not the paging ones', async ({ server }) => {
    const inT1 = await lines(await server.fetch('/users.ndjson?tenantId=t1', { headers: asReader }));
    expect(inT1.slice(0, -1).map((line) => JSON.parse(line))).toEqual([EXPECTED.passkey, EXPECTED.tenantOnly, EXPECTED.ada]);
    const paged = await server.fetch('/users.ndjson?first=2', { headers: asReader });
    expect(paged.status).toBe(400);
    expect(codesOf(await paged.json())).toEqual(['BAD_USER_INPUT']);
    expect(await lines(await server.fetch('/users.ndjson?role=nobody', { headers: asReader }))).toEqual(['']);
  });

  it('needs users:read, and gives personal fields only with users:pii', async ({ server }) => {
    expect((await server.fetch('/users.ndjson')).status).toBe(401);
    expect((await server.fetch('/users.ndjson', { headers: as(NOTHING_KEY) })).status).toBe(403);
    const text = await lines(await server.fetch('/users.ndjson', { headers: as(NO_PII_KEY) }));
    expect(text.slice(0, -1).map((line) => JSON.parse(line))).toEqual(LISTED.map(withoutPersonal));
  });
});

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3 document, open to everyone', async ({ server }) => {
    const response = await server.fetch('/openapi.json');
    expect(response.status).toBe(200);
    const document = await response.json();
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe('3.0.3');
    // The validator does refuse a document that is not OpenAPI.
    expect((await new Validator().validate({ ...document, paths: { '/x': { get: { responses: 'none' } } } })).valid).toBe(false);
    expect(Object.keys(document.paths).sort()).toEqual(['/users', '/users.ndjson', '/users/reload', '/users/{id}']);
  });

  it("takes its parameters from the users field's arguments, and its users from the User type", async ({ server }) => {
    const document = await (await server.fetch('/openapi.json')).json();
    const args = schema.getQueryType()!.getFields().users!.args.map((arg) => arg.name);
    expect(document.paths['/users'].get.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(args);
    expect(document.paths['/users.ndjson'].get.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(
      args.filter((name) => !['first', 'after', 'last', 'before'].includes(name)),
    );
    const userFields = Object.keys(schema.getQueryType()!.getFields().user!.type.toString() === 'User' ? (schema.getType('User') as any).getFields() : {});
    expect(Object.keys(document.components.schemas.User.properties).sort()).toEqual(userFields.sort());
    expect(document.components.schemas.User.required).not.toContain('email');
    const parameter = (name: string) => document.paths['/users'].get.parameters.find((each: { name: string }) => each.name === name);
    expect(parameter('first').schema).toEqual({ type: 'integer', nullable: true });
    expect(parameter('orderBy').schema).toEqual({ allOf: [{ $ref: '#/components/schemas/UserOrder' }], default: 'JOINED_DESC' });
    expect(document.components.schemas.UserOrder.enum).toEqual(['EMAIL_ASC', 'EMAIL_DESC', 'JOINED_ASC', 'JOINED_DESC', 'LAST_ACTIVE_ASC', 'LAST_ACTIVE_DESC']);
    expect(parameter('metadata').schema).toMatchObject({ type: 'array', items: { $ref: '#/components/schemas/MetadataCondition' } });
    expect(document.components.schemas.MetadataCondition.required).toEqual(['path']);
    expect(parameter('joinedAfter').schema).toEqual({ type: 'string', format: 'date-time', nullable: true });
  });
});

describe('REST answers what yoga alone answers (REST runs compiled queries where they answer)', () => {
  /** The data of a GraphQL query sent to yoga alone: no fast lane, no compiled query. */
  async function yogaData(server: TestServer, query: string, variables: Record<string, unknown>, key: string) {
    const response = await server.service.app.yoga.fetch('http://usergraph/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...as(key) },
      body: JSON.stringify({ query, variables }),
    });
    return ((await response.json()) as { data: any }).data;
  }
  const ndjson = async (response: Response) => (await response.text()).split('\n').slice(0, -1).map((line) => JSON.parse(line));

  it.for([
    ['users:read and users:pii', READER_KEY, (user: Record<string, unknown>) => user],
    ['users:read only (personal fields left out)', NO_PII_KEY, withoutPersonal],
  ] as const)('for a caller with %s: a page, every user by id, the export', async ([_who, key, shown], { server }) => {
    const page = await yogaData(server, `{ users(first: 500) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { ${USER_FIELDS} } } }`, {}, key);
    expect(await (await server.fetch('/users?first=500', { headers: as(key) })).json()).toEqual({ ...page.users, nodes: page.users.nodes.map(shown) });

    const ids = page.users.nodes.map((user: { id: string }) => user.id);
    const byIds = await yogaData(server, `query ($ids: [ID!]!) { usersByIds(ids: $ids) { ${USER_FIELDS} } }`, { ids }, key);
    for (const [i, id] of ids.entries()) {
      expect(await (await server.fetch(`/users/${encodeURIComponent(id)}`, { headers: as(key) })).json()).toEqual(shown(byIds.usersByIds[i]));
    }
    expect(await ndjson(await server.fetch('/users.ndjson', { headers: as(key) }))).toEqual(byIds.usersByIds.map(shown));
  });
});
