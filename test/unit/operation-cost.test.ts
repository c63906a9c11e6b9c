/**
 * What an operation may cost (src/http/operation-cost.ts) over the real schema: the answer's
 * values, lists counted at the size their arguments give, literal or variable alike; and the
 * declarations (src/schema/cost.ts) that every list of the schema must carry.
 */
import fc from 'fast-check';
import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  parse,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLObjectType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { compileOperationCost, createOperationCosts } from '../../src/http/operation-cost.ts';
import { COST_EXTENSION, type FieldCost } from '../../src/schema/cost.ts';
import { DEFAULT_PAGE_SIZE } from '../../src/schema/inputs.ts';
import { schema } from '../../src/schema/index.ts';

const MAX_DEPTH = 10;
const costOf = (query: string, variables?: Record<string, unknown>, operationName?: string) =>
  compileOperationCost(schema, parse(query), operationName, MAX_DEPTH)(variables);

/** Every field of a user, login methods included. */
const EVERY_USER_FIELD = `id supertokensUserId isPrimaryUser email emails phoneNumbers thirdParty { id userId }
  loginMethods { recipeId recipeUserId supertokensUserId email phoneNumber thirdParty { id userId } tenantIds timeJoined verified }
  tenantIds timeJoined lastActive roles rolesByTenant { tenantId roles } permissions metadata`;

describe('the cost of an operation', () => {
  it('counts every value of the answer, lists at their size', () => {
    expect(costOf('{ viewer { kind roles } }')).toBe(3);
    expect(costOf('{ users(first: 10) { totalCount nodes { id } } }')).toBe(1 + 1 + 1 + 10);
    expect(costOf('{ users(first: 10) { edges { cursor node { id } } } }')).toBe(1 + 1 + 10 * (1 + 1 + 1));
    // Lists the data sizes count at the size they declare: login methods 2, their third party 1.
    expect(costOf('{ users(first: 10) { nodes { loginMethods { recipeId thirdParty { id } } } } }')).toBe(2 + 10 * (1 + 2 * (1 + 1 + 1)));
  });

  it('takes the page size from a variable as from a literal', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), (first) => {
        const literal = costOf(`{ users(first: ${first}) { nodes { ...U } } } fragment U on User { ${EVERY_USER_FIELD} }`);
        const variable = costOf(`query ($f: Int) { users(first: $f) { nodes { ...U } } } fragment U on User { ${EVERY_USER_FIELD} }`, { f: first });
        expect(variable).toBe(literal);
      }),
    );
  });

  it("uses the variable's default, else the argument's, else the size the field assumes", () => {
    const page = (first: number) => 2 + first;
    expect(costOf('query ($f: Int = 7) { users(first: $f) { nodes { id } } }')).toBe(page(7));
    expect(costOf('query ($f: Int) { users(first: $f) { nodes { id } } }')).toBe(page(DEFAULT_PAGE_SIZE));
    expect(costOf('query ($f: Int) { users(first: $f) { nodes { id } } }', { f: null })).toBe(page(DEFAULT_PAGE_SIZE));
    expect(costOf('{ users { nodes { id } } }')).toBe(page(DEFAULT_PAGE_SIZE));
    expect(costOf('{ users(first: null) { nodes { id } } }')).toBe(page(DEFAULT_PAGE_SIZE));
  });

  it('adds up aliases, and merges what graphql-js merges', () => {
    const alias = (name: string) => `${name}: users(first: 500) { nodes { id } }`;
    expect(costOf(`{ ${alias('a')} ${alias('b')} }`)).toBe(2 * 502);
    expect(costOf(`{ ${alias('a')} ${alias('a')} }`)).toBe(502);
    expect(costOf('{ users(first: 500) { nodes { id } nodes { id email } } }')).toBe(2 + 500 * 2);
    expect(costOf('{ users(first: 5) { nodes { id ...U ... on User { email } } } } fragment U on User { id email roles }')).toBe(2 + 5 * 3);
  });

  it('counts twenty aliases of a page passed as a variable, with a fragment (issue 10)', () => {
    const query = `query ($f: Int) { ${Array.from({ length: 20 }, (_, i) => `a${i}: users(first: $f) { nodes { ...U } }`).join(' ')} } fragment U on User { id email }`;
    expect(costOf(query, { f: 500 })).toBe(20 * (2 + 500 * 2));
    expect(costOf(query, { f: 1 })).toBe(20 * (2 + 2));
  });

  it('counts the operation named, and nothing for one the document lacks', () => {
    const document = 'query A { viewer { kind } } query B { users(first: 3) { nodes { id } } }';
    expect(costOf(document, undefined, 'A')).toBe(2);
    expect(costOf(document, undefined, 'B')).toBe(5);
    expect(costOf(document, undefined, 'C')).toBe(0);
    expect(costOf(document)).toBe(0); // two operations and no name: yoga refuses it
  });

  it('counts no item for what graphql-js refuses before running it', () => {
    // The variable is refused: the operation never runs, and its page holds no user.
    expect(costOf('query ($f: Int) { users(first: $f) { nodes { id } } }', { f: 'many' })).toBe(2);
    expect(costOf('query ($f: Int!) { users(first: $f) { nodes { id } } }', {})).toBe(2);
    expect(costOf('{ nothing { id } viewer { kind } }')).toBe(2);
  });

  it('ends on documents validation would refuse: a fragment spread in itself, nesting past any depth', () => {
    expect(costOf('{ users(first: 2) { nodes { ...U } } } fragment U on User { id ...U }')).toBe(2 + 2);
    expect(costOf('{ users(first: 2) { nodes { ...U } } } fragment U on User { id ...V } fragment V on User { email ...U }')).toBe(2 + 2 * 2);
    // Fields nested deeper than twice MAX_DEPTH cost too much (MAX_DEPTH refuses them already).
    const fiveDeep = parse('{ users { nodes { loginMethods { thirdParty { id } } } } }');
    expect(compileOperationCost(schema, fiveDeep, undefined, 3)({})).toBeLessThan(Infinity);
    expect(compileOperationCost(schema, fiveDeep, undefined, 2)({})).toBe(Infinity);
  });

  it('counts a list argument by its length', () => {
    // usersByIds answers one user (or null) per id: its size is the length of ids.
    const field = schema.getQueryType()!.getFields().usersByIds!;
    expect((field.extensions as Record<string, FieldCost>)[COST_EXTENSION]?.listSize?.slicingArguments).toEqual(['ids']);
    const cost = compileOperationCost(schema, parse('query ($ids: [ID!]!) { usersByIds(ids: $ids) { id } }'), undefined, MAX_DEPTH);
    expect(cost({ ids: ['a', 'b', 'c'] })).toBe(1 + 3);
    expect(cost({ ids: 'a' })).toBe(1 + 1); // one value for a list: coerced to a list of one
    expect(compileOperationCost(schema, parse('{ usersByIds(ids: ["a", "b"]) { id } }'), undefined, MAX_DEPTH)({})).toBe(1 + 2);
  });
});

describe('operation costs by query text, as requests arrive', () => {
  const costs = createOperationCosts(schema, { maxTokens: 1_000, maxDepth: MAX_DEPTH });

  it('counts what the compiled cost counts, and nothing for what yoga refuses', () => {
    expect(costs.costOf({ query: 'query ($f: Int) { users(first: $f) { nodes { id } } }', variables: { f: 20 } })).toBe(22);
    expect(costs.costOf({ query: 'query ($f: Int) { users(first: $f) { nodes { id } } }', variables: { f: 30 } })).toBe(32);
    for (const params of [{}, { query: 1 }, { query: '{' }, { query: '{ viewer { kind } }', operationName: 3 }, { query: `{ viewer { ${'kind '.repeat(2_000)} } }` }]) {
      expect(costs.costOf(params), JSON.stringify(params).slice(0, 60)).toBe(0);
    }
    expect(costs.costOf({ query: '{ viewer { kind } }', variables: 'not an object' })).toBe(2);
  });
});

/** A field of ours, with its declared cost. */
interface SchemaField {
  readonly type: GraphQLObjectType;
  readonly field: GraphQLField<unknown, unknown>;
  readonly declared: FieldCost | undefined;
}

const fields: SchemaField[] = Object.values(schema.getTypeMap())
  .filter((type): type is GraphQLObjectType => isObjectType(type) && !type.name.startsWith('__'))
  .flatMap((type) =>
    Object.values(type.getFields()).map((field) => ({ type, field, declared: field.extensions[COST_EXTENSION] as FieldCost | undefined })),
  );

const coordinate = ({ type, field }: SchemaField) => `${type.name}.${field.name}`;
const isListOfObjects = (field: GraphQLField<unknown, unknown>) =>
  isListType(getNullableType(field.type)) && isCompositeType(getNamedType(field.type));

/**
 * Arguments of the kinds that could size an answer but filter it instead (a list of roles to match,
 * say), as `Type.field(argument)`: they are counted at the size the field assumes.
 */
const NOT_SIZING: ReadonlySet<string> = new Set(['Query.users(metadata)']);

/** Arguments that could size an answer: an Int (a page size) or a list (of ids, say). */
const couldSize = (argument: GraphQLArgument) =>
  isListType(getNullableType(argument.type)) || getNamedType(argument.type).name === 'Int';

describe('the declared costs (a new list field must say how it is sized)', () => {
  it('size every list of objects: by its own declaration, or by the field that returns its parent', () => {
    const sizedByParent = new Set(
      fields.flatMap(({ field, declared }) =>
        (declared?.listSize?.sizedFields ?? []).map((name) => `${getNamedType(field.type).name}.${name}`),
      ),
    );
    const unsized = fields.filter(
      (each) => isListOfObjects(each.field) && each.declared?.listSize === undefined && !sizedByParent.has(coordinate(each)),
    );
    expect(unsized.map(coordinate)).toEqual([]);
    expect([...sizedByParent].sort()).toEqual(['UserConnection.edges', 'UserConnection.nodes']);
  });

  it('name every argument that could size a list as a slicing argument', () => {
    const returnsLists = (field: GraphQLField<unknown, unknown>) => {
      const type = getNamedType(field.type);
      return isListOfObjects(field) || (isObjectType(type) && Object.values(type.getFields()).some(isListOfObjects));
    };
    const undeclared = fields.flatMap((each) =>
      returnsLists(each.field)
        ? each.field.args
            .filter((argument) => couldSize(argument) && !(each.declared?.listSize?.slicingArguments ?? []).includes(argument.name))
            .map((argument) => `${coordinate(each)}(${argument.name})`)
            .filter((argument) => !NOT_SIZING.has(argument))
        : [],
    );
    expect(undeclared).toEqual([]);
  });

  it('name only arguments and child fields that exist', () => {
    for (const each of fields) {
      const listSize = each.declared?.listSize;
      if (!listSize) continue;
      for (const name of listSize.slicingArguments ?? []) expect(each.field.args.map((a) => a.name), coordinate(each)).toContain(name);
      const returned = getNamedType(each.field.type);
      for (const name of listSize.sizedFields ?? []) {
        expect(isObjectType(returned) && returned.getFields()[name] !== undefined, `${coordinate(each)} sizes ${name}`).toBe(true);
      }
      expect(listSize.assumedSize, coordinate(each)).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('a page of users', () => {
  it('costs what README says', () => {
    expect(costOf(`{ users(first: 500) { nodes { ${EVERY_USER_FIELD} } } }`)).toBe(21502);
    expect(costOf(`{ users(first: 500) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${EVERY_USER_FIELD} } } } }`)).toBe(22506);
    expect(costOf('{ users(first: 500) { nodes { id } } }')).toBe(502);
  });
});
