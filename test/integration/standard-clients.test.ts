/**
 * Standard GraphQL clients, each with its defaults (urql sends queries as GET, the others POST),
 * run a query and a query with variables against the live service, with a bearer token; and the
 * GraphQL-over-HTTP audit (graphql-http) finds every MUST and every SHOULD met.
 */
import { ApolloClient, gql as apolloGql, HttpLink, InMemoryCache } from '@apollo/client';
import { Client as UrqlClient, fetchExchange, gql as urqlGql } from '@urql/core';
import { createClient as createGraphQLHttpClient, serverAudits } from 'graphql-http';
import { GraphQLClient, gql as requestGql } from 'graphql-request';
import { describe, expect } from 'vitest';
import { signUpEmailPassword } from '../../supertokens-standin/writes.ts';
import { test } from '../support/fixtures.ts';
import { READER_KEY } from '../support/server.ts';

const it = test.extend('seed', { scope: 'file' }, async ({ database }) => {
  const older = await signUpEmailPassword(database.db, { email: 'client.one@example.com', timeJoined: 1_700_000_000_000 });
  const newer = await signUpEmailPassword(database.db, { email: 'client.two@example.com', timeJoined: 1_700_000_100_000 });
  return { older, newer };
});

const PAGE = 'query Page { users(first: 5) { totalCount nodes { id email } } }';
const ONE = 'query One($id: ID!) { user(id: $id) { id email } }';
const authorization = `Bearer ${READER_KEY}`;

interface Seeded {
  older: string;
  newer: string;
}

const expectedPage = ({ older, newer }: Seeded) => ({
  users: {
    totalCount: 2,
    nodes: [
      { id: newer, email: 'client.two@example.com' },
      { id: older, email: 'client.one@example.com' },
    ],
  },
});

describe('standard clients, with their defaults', () => {
  it('@urql/core (queries as GET)', async ({ server, seeded }) => {
    const requests: string[] = [];
    const client = new UrqlClient({
      url: `${server.url}/graphql`,
      exchanges: [fetchExchange],
      fetchOptions: () => ({ headers: { authorization } }),
      fetch: (input, init) => {
        requests.push(init?.method ?? 'GET');
        return fetch(input, init);
      },
    });
    const page = await client.query(urqlGql(PAGE), {}).toPromise();
    expect(page.error).toBeUndefined();
    expect(page.data).toEqual(expectedPage(seeded as Seeded));
    const one = await client.query(urqlGql(ONE), { id: (seeded as Seeded).older }).toPromise();
    expect(one.error).toBeUndefined();
    expect(one.data).toEqual({ user: { id: (seeded as Seeded).older, email: 'client.one@example.com' } });
    expect(requests).toEqual(['GET', 'GET']);
  });

  it('Apollo Client', async ({ server, seeded }) => {
    const client = new ApolloClient({
      link: new HttpLink({ uri: `${server.url}/graphql`, headers: { authorization } }),
      cache: new InMemoryCache(),
    });
    const page = await client.query({ query: apolloGql(PAGE) });
    // Apollo's cache asks for __typename too.
    expect(page.data).toMatchObject({ users: { totalCount: 2 } });
    expect((page.data as any).users.nodes.map(({ id, email }: any) => ({ id, email }))).toEqual(expectedPage(seeded as Seeded).users.nodes);
    const one = await client.query({ query: apolloGql(ONE), variables: { id: (seeded as Seeded).newer } });
    expect(one.data).toMatchObject({ user: { id: (seeded as Seeded).newer, email: 'client.two@example.com' } });
  });

  it('graphql-request', async ({ server, seeded }) => {
    const client = new GraphQLClient(`${server.url}/graphql`, { headers: { authorization } });
    expect(await client.request(requestGql`${PAGE}`)).toEqual(expectedPage(seeded as Seeded));
    expect(await client.request(requestGql`${ONE}`, { id: (seeded as Seeded).older })).toEqual({
      user: { id: (seeded as Seeded).older, email: 'client.one@example.com' },
    });
  });

  it("graphql-http's client", async ({ server, seeded }) => {
    const client = createGraphQLHttpClient({ url: `${server.url}/graphql`, headers: { authorization } });
    const run = (query: string, variables?: Record<string, unknown>) =>
      new Promise<unknown>((resolve, reject) => {
        let result: unknown;
        client.subscribe({ query, variables }, { next: (value) => (result = value), error: reject, complete: () => resolve(result) });
      });
    expect(await run(PAGE)).toMatchObject({ data: expectedPage(seeded as Seeded) });
    expect(await run(ONE, { id: (seeded as Seeded).newer })).toMatchObject({
      data: { user: { id: (seeded as Seeded).newer, email: 'client.two@example.com' } },
    });
    client.dispose();
  });
});

describe('the GraphQL-over-HTTP audit (graphql-http)', () => {
  it('finds every MUST and every SHOULD met', async ({ server }) => {
    const results = [];
    for (const audit of serverAudits({ url: `${server.url}/graphql`, fetchFn: fetch })) {
      const result = await audit.fn();
      results.push({ id: audit.id, name: audit.name, status: result.status, reason: 'reason' in result ? result.reason : undefined });
    }
    expect(results.length).toBeGreaterThan(40);
    expect(results.filter((result) => result.status !== 'ok')).toEqual([]);
  });
});
