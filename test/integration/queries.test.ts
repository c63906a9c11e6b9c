/** The three queries over HTTP, answered from the startup-loaded directory. */
import { describe, expect } from 'vitest';
import { addUserRole, setLastActive, setUserMetadata, signUpEmailPassword } from '../../supertokens-standin/writes.ts';
import { test } from '../support/fixtures.ts';
import { errorCodes, expectData } from '../support/server.ts';

const USER_FIELDS = 'id email timeJoined lastActive roles metadata';
const DAY = 24 * 3600 * 1000;
const T0 = Date.UTC(2024, 0, 15, 9, 30, 0, 0);

/** 7 users joined a day apart (u0 oldest … u6 newest), plus two sharing a join time: their ids. */
const it = test.extend('seed', { scope: 'file' }, async ({ database }) => {
  const { db } = database;
  const ids: string[] = [];
  for (let i = 0; i < 7; i++) {
    ids.push(await signUpEmailPassword(db, { email: `user${i}@example.com`, timeJoined: T0 + i * DAY }));
  }
  await setUserMetadata(db, ids[0]!, { first_name: 'Ada', tags: ['a', 'b'] });
  await addUserRole(db, ids[0]!, 'editor');
  await addUserRole(db, ids[0]!, 'admin');
  await addUserRole(db, ids[2]!, 'editor');
  await addUserRole(db, ids[5]!, 'editor');
  await setLastActive(db, ids[0]!, T0 + 3 * DAY + 123);
  // Equal join times: the id (descending) decides the order.
  ids.push(await signUpEmailPassword(db, { email: 'tie-a@example.com', timeJoined: T0 - DAY, userId: 'aaaaaaaa-0000-4000-8000-000000000000' }));
  ids.push(await signUpEmailPassword(db, { email: 'tie-b@example.com', timeJoined: T0 - DAY, userId: 'bbbbbbbb-0000-4000-8000-000000000000' }));
  return ids;
});

describe('user(id)', () => {
  it('returns every field of a user, times as ISO-8601 UTC with milliseconds', async ({ server, seed: ids }) => {
    const data = expectData(await server.execute(`query ($id: ID!) { user(id: $id) { ${USER_FIELDS} } }`, { id: ids[0] }));
    expect(data.user).toEqual({
      id: ids[0],
      email: 'user0@example.com',
      timeJoined: '2024-01-15T09:30:00.000Z',
      lastActive: '2024-01-18T09:30:00.123Z',
      roles: ['admin', 'editor'],
      metadata: { first_name: 'Ada', tags: ['a', 'b'] },
    });
  });

  it('serves a user without metadata, roles or activity with empty values', async ({ server, seed: ids }) => {
    const data = expectData(await server.execute(`query ($id: ID!) { user(id: $id) { ${USER_FIELDS} } }`, { id: ids[1] }));
    expect(data.user).toEqual({
      id: ids[1],
      email: 'user1@example.com',
      timeJoined: '2024-01-16T09:30:00.000Z',
      lastActive: null,
      roles: [],
      metadata: {},
    });
  });

  it('returns null for an id nobody has', async ({ server }) => {
    const data = expectData(await server.execute('{ user(id: "00000000-0000-4000-8000-000000000000") { id } }'));
    expect(data.user).toBeNull();
  });
});

describe('userByEmail', () => {
  it('trims and lower-cases the input before the lookup', async ({ server, seed: ids }) => {
    const data = expectData(await server.execute('{ userByEmail(email: "  USER3@Example.COM ") { id email } }'));
    expect(data.userByEmail).toEqual({ id: ids[3], email: 'user3@example.com' });
  });

  it('returns null for an unknown email', async ({ server }) => {
    const data = expectData(await server.execute('{ userByEmail(email: "nobody@example.com") { id } }'));
    expect(data.userByEmail).toBeNull();
  });
});

describe('users', () => {
  const PAGE = `query ($first: Int, $after: String, $role: String) {
    users(first: $first, after: $after, role: $role) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { id } }
      nodes { id }
    }
  }`;

  it('lists newest first with id descending as tie-break, across pages, without gaps or repeats', async ({ server, seed: ids }) => {
    const seen: string[] = [];
    let after: string | null = null;
    const pages: Array<{ hasNextPage: boolean; hasPreviousPage: boolean }> = [];
    do {
      const data: { users: any } = expectData(await server.execute(PAGE, { first: 4, after }));
      const { edges, nodes, pageInfo, totalCount } = data.users;
      expect(totalCount).toBe(9);
      expect(nodes.map((n: { id: string }) => n.id)).toEqual(edges.map((e: { node: { id: string } }) => e.node.id));
      expect(pageInfo.endCursor).toBe(edges.at(-1)?.cursor ?? null);
      expect(pageInfo.startCursor).toBe(edges[0]?.cursor ?? null);
      seen.push(...nodes.map((n: { id: string }) => n.id));
      pages.push({ hasNextPage: pageInfo.hasNextPage, hasPreviousPage: pageInfo.hasPreviousPage });
      after = pageInfo.hasNextPage ? pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual([ids[6], ids[5], ids[4], ids[3], ids[2], ids[1], ids[0], ids[8], ids[7]]);
    expect(pages).toEqual([
      { hasNextPage: true, hasPreviousPage: false },
      { hasNextPage: true, hasPreviousPage: true },
      { hasNextPage: false, hasPreviousPage: true },
    ]);
  });

  it('defaults to 50 per page', async ({ server }) => {
    const data = expectData(await server.execute('{ users { nodes { id } pageInfo { hasNextPage } } }'));
    expect(data.users.nodes).toHaveLength(9);
    expect(data.users.pageInfo.hasNextPage).toBe(false);
  });

  it('filters by role, with totalCount counting only the holders', async ({ server, seed: ids }) => {
    const data = expectData(await server.execute(PAGE, { first: 2, role: 'editor' }));
    expect(data.users.totalCount).toBe(3);
    expect(data.users.nodes).toEqual([{ id: ids[5] }, { id: ids[2] }]);
    const next = expectData(await server.execute(PAGE, { first: 2, role: 'editor', after: data.users.pageInfo.endCursor }));
    expect(next.users.nodes).toEqual([{ id: ids[0] }]);
    expect(next.users.pageInfo.hasNextPage).toBe(false);
  });

  it('returns an empty page for a role nobody holds', async ({ server }) => {
    const data = expectData(await server.execute(PAGE, { role: 'nobody' }));
    expect(data.users).toMatchObject({ totalCount: 0, nodes: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('accepts first: 0 (a count without users)', async ({ server }) => {
    const data = expectData(await server.execute(PAGE, { first: 0 }));
    expect(data.users).toMatchObject({ totalCount: 9, nodes: [], pageInfo: { hasNextPage: true } });
  });
});

describe('bad input', () => {
  it.for([
    ['an empty id', '{ user(id: "") { id } }'],
    ['an id longer than 128 characters', `{ user(id: "${'x'.repeat(129)}") { id } }`],
    ['an id with a control character', '{ user(id: "a\\u0000b") { id } }'],
    ['a malformed email', '{ userByEmail(email: "not-an-email") { id } }'],
    ['an empty email', '{ userByEmail(email: "  ") { id } }'],
    ['a page size over 500', '{ users(first: 501) { totalCount } }'],
    ['a negative page size', '{ users(first: -1) { totalCount } }'],
    ['a cursor this service did not issue', '{ users(after: "bm90LWEtY3Vyc29y") { totalCount } }'],
    ['a cursor that is not base64url', '{ users(after: "%%%") { totalCount } }'],
    ['an empty role', '{ users(role: "") { totalCount } }'],
  ] as const)('refuses %s with BAD_USER_INPUT and no data', async ([_case, query], { server }) => {
    const response = await server.execute(query);
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors?.[0]?.message).toMatch(/\w/);
  });

  it('answers the valid fields of a request next to an invalid one', async ({ server, seed: ids }) => {
    const response = await server.execute(`{ bad: user(id: "") { id } good: user(id: "${ids[0]}") { id } }`);
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.data).toEqual({ bad: null, good: { id: ids[0] } });
  });

  it('reports a query that does not parse as a GraphQL error, not a crash', async ({ server }) => {
    const response = await server.execute('{ users { ');
    expect(response.errors?.[0]?.message).toMatch(/Syntax Error/);
    const after = expectData(await server.execute('{ users(first: 1) { totalCount } }'));
    expect(after.users.totalCount).toBe(9);
  });
});
