/**
 * The REST surface's GraphQL, made from a schema (src/http/rest-operations.ts): query parameters
 * read by the arguments' types, operations printed from fields, every field selected.
 */
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { PAGING_ARGUMENTS, operationText, printSelection, selectAll, statusOf, variablesFromQuery } from '../../src/http/rest-operations.ts';

const schema = buildSchema(`
  scalar JSON
  enum Order { NEWEST OLDEST }
  input Condition { path: [String!]!, equals: JSON }
  type Method { kind: String!, at: Int }
  type Item { id: ID!, score: Float, methods: [Method!]!, parent: Item, tagged(tag: String!): Boolean }
  type Query {
    items(first: Int = 50, after: String, active: Boolean, tags: [String!], order: Order, where: [Condition!], meta: JSON, exact: ID!): [Item!]!
  }
`);
const items = schema.getQueryType()!.getFields().items!;
const read = (query: string, excluded?: ReadonlySet<string>) => variablesFromQuery(items, new URLSearchParams(query), excluded);

describe('variablesFromQuery', () => {
  it('reads each argument by its type', () => {
    expect(
      read('first=20&active=true&tags=a&tags=b&order=OLDEST&exact=x1&where={"path":["plan"],"equals":"pro"}&meta={"a":1}'),
    ).toEqual({
      variables: { first: 20, active: true, tags: ['a', 'b'], order: 'OLDEST', exact: 'x1', where: [{ path: ['plan'], equals: 'pro' }], meta: { a: 1 } },
      given: ['first', 'active', 'tags', 'order', 'where', 'meta', 'exact'],
      problems: [],
    });
  });

  it('passes a value of the wrong shape on as written, for the schema to refuse', () => {
    expect(read('first=many&active=yes').variables).toEqual({ first: 'many', active: 'yes' });
  });

  it('names the problems: an unknown parameter, one given twice, JSON that is not JSON', () => {
    expect(read('sort=x&first=1&first=2&where={nope').problems).toEqual([
      'unknown query parameter "sort"; this endpoint takes first, after, active, tags, order, where, meta, exact',
      'query parameter "first" is given 2 times; it takes one value',
      'query parameter "where" must be JSON',
    ]);
  });

  it('refuses the arguments an endpoint leaves out as unknown', () => {
    expect(read('after=c', PAGING_ARGUMENTS).problems).toEqual([
      'unknown query parameter "after"; this endpoint takes active, tags, order, where, meta, exact',
    ]);
  });
});

describe('operationText and selectAll', () => {
  it('declares the arguments given, nullable where a default applies, and selects every field without required arguments', () => {
    const selection = selectAll(schema.getType('Item') as never);
    // parent would enter Item again: a cycle, left out; tagged needs an argument.
    expect(printSelection(selection)).toBe('{ id score methods { kind at } }');
    expect(operationText('query', items, ['first', 'exact'], selection)).toBe(
      `query ($first: Int, $exact: ID!) { items(first: $first, exact: $exact) ${printSelection(selection)} }`,
    );
    expect(operationText('mutation', items, [], undefined)).toBe('mutation { items }');
  });
});

describe('statusOf', () => {
  it("gives a code's REST status: a field's refusal too", () => {
    expect([statusOf('BAD_USER_INPUT'), statusOf('UNAUTHENTICATED'), statusOf('FORBIDDEN'), statusOf('USER_NOT_FOUND')]).toEqual([400, 401, 403, 404]);
    expect([statusOf('RELOAD_FAILED'), statusOf('INTERNAL_SERVER_ERROR'), statusOf(undefined), statusOf('NOT_A_CODE')]).toEqual([503, 500, 500, 500]);
    expect([statusOf('DATABASE_TIMEOUT'), statusOf('DATABASE_UNAVAILABLE')]).toEqual([503, 503]);
  });
});
