/**
 * users(...) over HTTP on the scenario's users (every kind SuperTokens makes): each filter, each
 * order and random combinations of them, pages forwards and backwards with the cursors the API
 * gives, each answer compared with a plain filter-and-sort of the scenario's expected users
 * (test/support/listing-reference.ts); cursors across a reload; the refusals; and the same
 * arguments as REST query parameters and in the export.
 */
import { describe, expect } from 'vitest';
import { signUpEmailPassword } from '../../supertokens-standin/writes.ts';
import { seededRandom } from '../../supertokens-standin/random.ts';
import { test } from '../support/fixtures.ts';
import { ORDERS, referenceList, referencePage, type ListedUser, type Order, type ReferenceFilter } from '../support/listing-reference.ts';
import { DAY, EXPECTED, ID, LISTED, T0, iso, writeScenario } from '../support/scenario.ts';
import { ADMIN_KEY, asReader, errorCodes, expectData, type TestServer } from '../support/server.ts';

const it = test.extend('seed', { scope: 'file' }, ({ database }) => writeScenario(database.db));

/** What each role grants in the scenario: the API shows the union, the reference needs it per tenant. */
const GRANTS: Record<string, string[]> = { admin: ['users:read', 'users:write'], editor: ['content:write', 'users:read'] };

type Expected = (typeof LISTED)[number];
/** A scenario user as the reference reads it. */
const asListed = (user: Expected): ListedUser & { json: Expected } => ({
  ...user,
  timeJoined: Date.parse(user.timeJoined),
  lastActive: user.lastActive === null ? null : Date.parse(user.lastActive),
  permissionsByTenant: user.rolesByTenant.map(({ tenantId, roles }) => ({ tenantId, permissions: [...new Set(roles.flatMap((role) => GRANTS[role] ?? []))].sort() })),
  json: user,
});
const USERS = LISTED.map(asListed);

const PAGE = `query ($first: Int, $after: String, $last: Int, $before: String, $orderBy: UserOrder!, $search: String, $role: String,
    $permission: String, $tenantId: String, $recipeId: String, $verified: Boolean, $isPrimaryUser: Boolean, $joinedAfter: DateTime,
    $joinedBefore: DateTime, $activeAfter: DateTime, $activeBefore: DateTime, $neverActive: Boolean, $metadata: [MetadataCondition!]) {
  users(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy, search: $search, role: $role, permission: $permission,
      tenantId: $tenantId, recipeId: $recipeId, verified: $verified, isPrimaryUser: $isPrimaryUser, joinedAfter: $joinedAfter,
      joinedBefore: $joinedBefore, activeAfter: $activeAfter, activeBefore: $activeBefore, neverActive: $neverActive, metadata: $metadata) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id } }
  }
}`;

/** The filter as GraphQL variables: times as DateTime strings. */
function variablesOf(filter: ReferenceFilter): Record<string, unknown> {
  const variables: Record<string, unknown> = { ...filter };
  for (const key of ['joinedAfter', 'joinedBefore', 'activeAfter', 'activeBefore'] as const) {
    if (filter[key] !== undefined) variables[key] = iso(filter[key]);
  }
  return variables;
}

interface Answer {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: Array<{ cursor: string; node: { id: string } }>;
}

async function listed(server: TestServer, filter: ReferenceFilter, orderBy: Order, window: Record<string, unknown> = {}): Promise<Answer> {
  return expectData(await server.execute<{ users: Answer }>(PAGE, { ...variablesOf(filter), orderBy, ...window })).users;
}

/** Walks every page forwards then backwards, checking each page against the reference; the walks must cover the listing exactly. */
async function checkPages(server: TestServer, filter: ReferenceFilter, order: Order, size: number): Promise<void> {
  const all = referenceList(USERS, filter, order);
  const at = (id: string) => USERS.find((user) => user.id === id)!;
  const label = `${JSON.stringify(filter)} ${order}`;

  const forward: string[] = [];
  let after: Answer['edges'][number] | undefined;
  for (let guard = 0; guard < 20; guard++) {
    const answer = await listed(server, filter, order, { first: size, after: after?.cursor });
    const expected = referencePage(all, order, { first: size, after: after && at(after.node.id) });
    expect({ ids: answer.edges.map((edge) => edge.node.id), totalCount: answer.totalCount, next: answer.pageInfo.hasNextPage, previous: answer.pageInfo.hasPreviousPage }, label).toEqual({
      ids: expected.users.map((user) => user.id),
      totalCount: expected.totalCount,
      next: expected.hasNextPage,
      previous: expected.hasPreviousPage,
    });
    expect(answer.pageInfo.endCursor).toBe(answer.edges.at(-1)?.cursor ?? null);
    forward.push(...answer.edges.map((edge) => edge.node.id));
    if (!answer.pageInfo.hasNextPage) break;
    after = answer.edges.at(-1);
  }
  expect(forward, label).toEqual(all.map((user) => user.id));

  const backward: string[][] = [];
  let before: Answer['edges'][number] | undefined;
  for (let guard = 0; guard < 20; guard++) {
    const answer = await listed(server, filter, order, { last: size, before: before?.cursor });
    const expected = referencePage(all, order, { last: size, before: before && at(before.node.id) });
    expect({ ids: answer.edges.map((edge) => edge.node.id), next: answer.pageInfo.hasNextPage, previous: answer.pageInfo.hasPreviousPage }, label).toEqual({
      ids: expected.users.map((user) => user.id),
      next: expected.hasNextPage,
      previous: expected.hasPreviousPage,
    });
    expect(answer.pageInfo.startCursor).toBe(answer.edges[0]?.cursor ?? null);
    backward.unshift(answer.edges.map((edge) => edge.node.id));
    if (!answer.pageInfo.hasPreviousPage) break;
    before = answer.edges[0];
  }
  expect(backward.flat(), label).toEqual(all.map((user) => user.id));
}

const ids = (answer: Answer) => answer.edges.map((edge) => edge.node.id);

describe('each filter, on the scenario', () => {
  it.for([
    ['search: an email prefix, in capitals', { search: 'ADA' }, [EXPECTED.ada.id]],
    ['search: a domain', { search: 'example.com' }, LISTED.filter((user) => user.emails.length > 0).map((user) => user.id)],
    ['search: a domain with its @', { search: '@example' }, LISTED.filter((user) => user.emails.length > 0).map((user) => user.id)],
    ['search: a phone prefix, with and without +', { search: '+1555000000' }, [EXPECTED.phoneOnly.id, EXPECTED.ada.id]],
    ['search: a phone prefix without its +', { search: '15550000002' }, [EXPECTED.phoneOnly.id]],
    ['search: a provider', { search: 'GIT' }, [EXPECTED.sharedNewer.id]],
    ['search: a user at a provider', { search: 'g-ad' }, [EXPECTED.ada.id]],
    ['search: an external id, exactly', { search: 'EXT-ADA-PL' }, [EXPECTED.ada.id]],
    ['search: a linked SuperTokens id, exactly', { search: ID.gracePasskey }, [EXPECTED.grace.id]],
    ['search: an id prefix is not an id', { search: ID.gracePasskey.slice(0, 20) }, []],
    ['recipeId', { recipeId: 'webauthn' }, [EXPECTED.grace.id, EXPECTED.passkey.id]],
    ['permission', { permission: 'content:write' }, [EXPECTED.bossPrimary.id, EXPECTED.ada.id]],
    ['permission in a tenant', { permission: 'users:write', tenantId: 't1' }, []],
    ['permission in the tenant that grants it', { permission: 'users:write', tenantId: 'public' }, [EXPECTED.ada.id]],
    ['verified: every login method verified', { verified: true }, [EXPECTED.phoneOnly.id]],
    ['isPrimaryUser', { isPrimaryUser: true }, [EXPECTED.grace.id, EXPECTED.bossPrimary.id, EXPECTED.ada.id]],
    ['joinedAfter and joinedBefore (strictly)', { joinedAfter: T0 + 7 * DAY, joinedBefore: T0 + 10 * DAY }, [EXPECTED.passkey.id, EXPECTED.tenantOnly.id]],
    ['activeAfter', { activeAfter: T0 + 9 * DAY }, [EXPECTED.ada.id]],
    ['activeBefore (the never active never match)', { activeBefore: T0 + 10 * DAY }, []],
    ['neverActive', { neverActive: false }, [EXPECTED.ada.id]],
    ['metadata equals', { metadata: [{ path: ['plan'], equals: 'pro' }] }, [EXPECTED.ada.id]],
    ['metadata exists: false', { metadata: [{ path: ['name'], exists: false }] }, LISTED.filter((user) => user !== EXPECTED.ada).map((user) => user.id)],
  ] as const)('%s', async ([_case, filter, expected], { server }) => {
    const answer = await listed(server, filter as ReferenceFilter, 'JOINED_DESC', { first: 50 });
    expect(ids(answer)).toEqual(expected);
    expect(ids(answer)).toEqual(referenceList(USERS, filter as ReferenceFilter, 'JOINED_DESC').map((user) => user.id));
    expect(answer.totalCount).toBe(expected.length);
  });
});

describe('each order, on the scenario', () => {
  it('lists by email, users without one last; by activity, the never active last, the id breaking ties both ways', async ({ server }) => {
    expect(ids(await listed(server, {}, 'EMAIL_ASC'))).toEqual([
      EXPECTED.ada.id,
      ID.bossUnlinkedOlder,
      ID.bossPrimary,
      ID.graceEmailPassword,
      ID.passkey,
      ID.sharedOlder,
      ID.sharedNewer,
      ID.tenantOnly,
      ID.phoneOnly,
    ]);
    expect(ids(await listed(server, {}, 'EMAIL_DESC'))).toEqual([
      ID.tenantOnly,
      ID.sharedNewer,
      ID.sharedOlder,
      ID.passkey,
      ID.graceEmailPassword,
      ID.bossPrimary,
      ID.bossUnlinkedOlder,
      EXPECTED.ada.id,
      ID.phoneOnly,
    ]);
    const neverActive = LISTED.filter((user) => user.lastActive === null).map((user) => user.id);
    expect(ids(await listed(server, {}, 'LAST_ACTIVE_DESC'))).toEqual([EXPECTED.ada.id, ...[...neverActive].sort().reverse()]);
    expect(ids(await listed(server, {}, 'LAST_ACTIVE_ASC'))).toEqual([EXPECTED.ada.id, ...[...neverActive].sort()]);
    expect(ids(await listed(server, {}, 'JOINED_ASC'))).toEqual(LISTED.map((user) => user.id).reverse());
  });

  it.for(ORDERS.map((order) => [order] as const))('pages through %s both ways, a page of 1, 2 and 4', async ([order], { server }) => {
    for (const size of [1, 2, 4]) await checkPages(server, {}, order, size);
  });
});

describe('random combinations of filters and orders', () => {
  it('answer as the reference, every page both ways', async ({ server }) => {
    const random = seededRandom(12);
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
    const times = [T0 - DAY, T0, T0 + 3 * DAY, T0 + 7 * DAY, T0 + 10 * DAY, T0 + 20 * DAY];
    const choices: Array<() => ReferenceFilter> = [
      () => ({ search: pick(['ada', 'example', '@example.com', 'boss', 'shared', '+1555', 'google', 'github', 'gh-1', EXTERNAL_ADA, ID.passkey, 'nobody']) }),
      () => ({ role: pick(['admin', 'editor', 'ghost', 'nobody']) }),
      () => ({ permission: pick(['users:read', 'users:write', 'content:write', 'nothing']) }),
      () => ({ tenantId: pick(['public', 't1', 'nowhere']) }),
      () => ({ recipeId: pick(['emailpassword', 'thirdparty', 'passwordless', 'webauthn']) }),
      () => ({ verified: random() < 0.5 }),
      () => ({ isPrimaryUser: random() < 0.5 }),
      () => ({ joinedAfter: pick(times) }),
      () => ({ joinedBefore: pick(times) }),
      () => ({ activeAfter: pick(times) }),
      () => ({ activeBefore: pick(times) }),
      () => ({ neverActive: random() < 0.5 }),
      () => ({ metadata: [pick([{ path: ['plan'], equals: 'pro' }, { path: ['plan'], exists: false }, { path: ['name'], exists: true }, { path: ['stale'], exists: true }])] }),
    ];
    for (let round = 0; round < 40; round++) {
      const filter = Object.assign({}, ...Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(choices)())) as ReferenceFilter;
      await checkPages(server, filter, pick(ORDERS), 1 + Math.floor(random() * 3));
    }
  });
});
const EXTERNAL_ADA = 'ext-ada';

describe('cursors', () => {
  it('stay places across a reload that brings new users: the next page continues from the place', async ({ ownDatabase, startServer }) => {
    await writeScenario(ownDatabase.db);
    const server = await startServer(ownDatabase.url);
    const first = await listed(server, {}, 'JOINED_ASC', { first: 3 });
    expect(ids(first)).toEqual([EXPECTED.ada.id, ID.phoneOnly, ID.sharedOlder]);
    // A user who joined between the first page's last and the next one, and one before the first page.
    const between = await signUpEmailPassword(ownDatabase.db, { email: 'between@example.com', timeJoined: T0 + 4 * DAY + 1 });
    const earlier = await signUpEmailPassword(ownDatabase.db, { email: 'earlier@example.com', timeJoined: T0 - DAY });
    expectData(await server.execute('mutation { reloadUsers { count } }', {}, { authorization: `Bearer ${ADMIN_KEY}` }));

    const next = await listed(server, {}, 'JOINED_ASC', { first: 2, after: first.pageInfo.endCursor });
    expect(ids(next)).toEqual([between, ID.sharedNewer]);
    expect(next.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    const back = await listed(server, {}, 'JOINED_ASC', { last: 5, before: next.pageInfo.startCursor });
    expect(ids(back)).toEqual([earlier, EXPECTED.ada.id, ID.phoneOnly, ID.sharedOlder]);
    expect(back.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
  });
});

describe('refusals', () => {
  it.for([
    ['a cursor made for another order', async (server: TestServer) => ({ orderBy: 'EMAIL_ASC', after: (await listed(server, {}, 'JOINED_DESC', { first: 1 })).pageInfo.endCursor })],
    ['a before cursor made for another direction of the same key', async (server: TestServer) => ({ orderBy: 'JOINED_ASC', before: (await listed(server, {}, 'JOINED_DESC', { first: 1 })).pageInfo.endCursor })],
    ['first and last together', async () => ({ orderBy: 'JOINED_DESC', first: 1, last: 1 })],
    ['last over 500', async () => ({ orderBy: 'JOINED_DESC', last: 501 })],
    ['an empty search', async () => ({ orderBy: 'JOINED_DESC', search: '   ' })],
    ['a metadata condition with equals and exists', async () => ({ orderBy: 'JOINED_DESC', metadata: [{ path: ['plan'], equals: 'pro', exists: true }] })],
    ['a metadata condition with neither', async () => ({ orderBy: 'JOINED_DESC', metadata: [{ path: ['plan'] }] })],
    ['an empty metadata path', async () => ({ orderBy: 'JOINED_DESC', metadata: [{ path: [], exists: true }] })],
    ['a DateTime that is not one', async () => ({ orderBy: 'JOINED_DESC', joinedAfter: 'yesterday' })],
    ['21 metadata conditions', async () => ({ orderBy: 'JOINED_DESC', metadata: Array.from({ length: 21 }, () => ({ path: ['plan'], exists: true })) })],
  ] as const)('refuses %s with BAD_USER_INPUT', async ([_case, variables], { server }) => {
    const response = await server.execute(PAGE, await variables(server));
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors?.[0]?.message).toMatch(/\w/);
  });

  it('refuses a metadata value nested 20,000 deep (sent as JSON text: the client cannot stringify it either)', async ({ server }) => {
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const body = `{"query":${JSON.stringify(PAGE)},"variables":{"orderBy":"JOINED_DESC","metadata":[{"path":["plan"],"equals":${deep}}]}}`;
    const response = await server.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...asReader }, body });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
    expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('says which order a cursor was made for', async ({ server }) => {
    const cursor = (await listed(server, {}, 'LAST_ACTIVE_DESC', { first: 1 })).pageInfo.endCursor;
    const response = await server.execute(PAGE, { orderBy: 'EMAIL_DESC', before: cursor });
    expect(response.errors?.[0]?.message).toBe('before is a cursor for orderBy: LAST_ACTIVE_DESC, not EMAIL_DESC: a cursor marks a place in the order it came from');
  });

  it('refuses an order it does not have as GraphQL does', async ({ server }) => {
    expect(errorCodes(await server.execute('{ users(orderBy: NEWEST) { totalCount } }'))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });
});

describe('REST', () => {
  it('takes every argument as a query parameter, and answers what GraphQL answers', async ({ server }) => {
    const metadata = encodeURIComponent(JSON.stringify({ path: ['plan'], exists: false }));
    const rest = await (await server.fetch(`/users?orderBy=EMAIL_DESC&search=example&recipeId=emailpassword&isPrimaryUser=false&metadata=${metadata}&first=2`, { headers: asReader })).json();
    const graphql = await listed(server, { search: 'example', recipeId: 'emailpassword', isPrimaryUser: false, metadata: [{ path: ['plan'], exists: false }] }, 'EMAIL_DESC', { first: 2 });
    expect(rest.nodes.map((user: { id: string }) => user.id)).toEqual([ID.tenantOnly, ID.sharedOlder]);
    expect(rest.nodes.map((user: { id: string }) => user.id)).toEqual(ids(graphql));
    expect(rest.totalCount).toBe(graphql.totalCount);
    expect(rest.pageInfo).toEqual(graphql.pageInfo);

    const back = await (await server.fetch(`/users?orderBy=EMAIL_DESC&last=2&before=${rest.pageInfo.startCursor}&joinedBefore=${iso(T0 + 30 * DAY)}&verified=false`, { headers: asReader })).json();
    expect(back.nodes).toEqual([]);
    expect(back.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
    const active = await (await server.fetch(`/users?orderBy=LAST_ACTIVE_DESC&neverActive=false&activeAfter=${iso(T0)}`, { headers: asReader })).json();
    expect(active.nodes).toEqual([EXPECTED.ada]);
  });

  it('takes a list of metadata conditions as the parameter repeated, each a JSON object', async ({ server }) => {
    const condition = (value: unknown) => `metadata=${encodeURIComponent(JSON.stringify(value))}`;
    const both = await (await server.fetch(`/users?${condition({ path: ['plan'], exists: true })}&${condition({ path: ['name'], equals: 'Ada' })}`, { headers: asReader })).json();
    expect(both.nodes.map((user: { id: string }) => user.id)).toEqual([EXPECTED.ada.id]);
    const none = await (await server.fetch(`/users?${condition({ path: ['plan'], exists: true })}&${condition({ path: ['name'], equals: 'Grace' })}`, { headers: asReader })).json();
    expect(none).toMatchObject({ nodes: [], totalCount: 0 });
  });

  it('refuses with 400 what GraphQL refuses', async ({ server }) => {
    const cursor = (await listed(server, {}, 'JOINED_DESC', { first: 1 })).pageInfo.endCursor;
    for (const query of [`orderBy=EMAIL_ASC&after=${cursor}`, 'first=1&last=1', 'orderBy=NEWEST', 'metadata=plan', `metadata=${encodeURIComponent('{"path":["plan"]}')}`, 'verified=maybe']) {
      const response = await server.fetch(`/users?${query}`, { headers: asReader });
      expect(response.status, query).toBe(400);
    }
  });

  it('exports in the order asked, with the filters', async ({ server }) => {
    const response = await server.fetch('/users.ndjson?orderBy=EMAIL_ASC&recipeId=emailpassword', { headers: asReader });
    expect(response.headers.get('x-total-count')).toBe('5');
    const lines = (await response.text()).split('\n').slice(0, -1).map((line) => JSON.parse(line).id);
    expect(lines).toEqual(referenceList(USERS, { recipeId: 'emailpassword' }, 'EMAIL_ASC').map((user) => user.id));
    expect(lines).toEqual([EXPECTED.ada.id, ID.bossPrimary, ID.graceEmailPassword, ID.sharedOlder, ID.tenantOnly]);
  });
});
