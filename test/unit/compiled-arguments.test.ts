/**
 * The compiled query's own reading of variables and arguments (http/compiled-query.ts) against
 * graphql-js's getVariableValues and getArgumentValues, which yoga's path runs: for every
 * document and every set of variables here, the same values, or both refusing.
 */
import fc from 'fast-check';
import {
  buildSchema,
  getArgumentValues,
  getVariableValues,
  Kind,
  parse,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { argumentsOf, variablesCoercer } from '../../src/http/compiled-query.ts';
import { schema as appSchema } from '../../src/schema/index.ts';
import { ARGS_AS_GIVEN, type ArgsAsGiven } from '../../src/schema/inputs.ts';

const schema: GraphQLSchema = buildSchema(`
  enum Order { NEWEST OLDEST }
  type Query {
    lookup(id: ID!, tenant: String = "public", first: Int, order: Order = NEWEST, tags: [String!], flag: Boolean): String
  }
`);
const lookup = schema.getQueryType()!.getFields().lookup!;

/** Documents of the shapes clients send: variables, literals, defaults, lists. */
const DOCUMENTS = [
  'query ($id: ID!) { lookup(id: $id) }',
  'query ($id: ID!, $tenant: String) { lookup(id: $id, tenant: $tenant) }',
  'query ($id: ID!, $tenant: String!) { lookup(id: $id, tenant: $tenant) }',
  'query ($id: String!, $first: Int) { lookup(id: $id, first: $first, order: OLDEST) }',
  'query ($id: ID = "x", $first: Int = 5) { lookup(id: $id, first: $first) }',
  'query ($tag: String!) { lookup(id: "fixed", tags: [$tag, "b"], flag: true) }',
  'query ($tags: [String!]) { lookup(id: 7, tags: $tags, tenant: null) }',
  'query ($id: ID!, $order: Order) { lookup(id: $id, order: $order) }',
];

const variableValue = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.constant(null),
  fc.boolean(),
  fc.constantFrom('NEWEST', 'OLDEST', 'SIDEWAYS'),
  fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.constant(null)), { maxLength: 3 }),
);
const rawVariables = fc.dictionary(fc.constantFrom('id', 'tenant', 'first', 'tag', 'tags', 'order', 'other'), variableValue, { maxKeys: 5 });

/** What graphql-js gives, or 'refused' when it reports an error. */
function reference(operation: OperationDefinitionNode, field: FieldNode, raw: Record<string, unknown>) {
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], raw, { maxErrors: 1 });
  if (coerced.errors) return { variables: 'refused', args: 'refused' };
  try {
    return { variables: coerced.coerced, args: getArgumentValues(lookup, field, coerced.coerced) };
  } catch {
    return { variables: coerced.coerced, args: 'refused' };
  }
}

function compiled(operation: OperationDefinitionNode, field: FieldNode, raw: Record<string, unknown>) {
  const variables = variablesCoercer(schema, operation.variableDefinitions ?? [])(raw);
  if (variables === undefined) return { variables: 'refused', args: 'refused' };
  try {
    return { variables, args: argumentsOf(lookup, field)({ variables }) };
  } catch {
    return { variables, args: 'refused' };
  }
}

describe('compiled variables and arguments', () => {
  it.each(DOCUMENTS)('read %s as graphql-js does', (text) => {
    const operation = parse(text).definitions[0] as OperationDefinitionNode;
    const field = operation.selectionSet.selections.find((selection): selection is FieldNode => selection.kind === Kind.FIELD)!;
    fc.assert(
      fc.property(rawVariables, (raw) => {
        const expected = reference(operation, field, raw);
        const actual = compiled(operation, field, raw);
        expect(actual).toEqual(expected);
        // Same keys in the same order: they reach resolvers and scope functions as objects.
        if (typeof expected.args === 'object') expect(Object.keys(actual.args)).toEqual(Object.keys(expected.args));
      }),
      { numRuns: 300 },
    );
  });

  it('take plain string variables directly, and everything else by the full rules', () => {
    const operation = parse('query ($id: ID!, $tenant: String) { lookup(id: $id, tenant: $tenant) }').definitions[0] as OperationDefinitionNode;
    const coerce = variablesCoercer(schema, operation.variableDefinitions ?? []);
    expect(coerce({ id: 'a', tenant: 't', other: 1 })).toEqual({ id: 'a', tenant: 't' });
    expect(coerce({ id: 7 })).toEqual({ id: '7' });
    expect(coerce({ id: 'a', tenant: null })).toEqual({ id: 'a', tenant: null });
    expect(coerce({ tenant: 't' })).toBeUndefined();
  });
});

describe('arguments given as they are (ARGS_AS_GIVEN)', () => {
  it("names every argument of each field that declares it, on fields whose only argument mapper is validation's", () => {
    const declaring = Object.values(appSchema.getQueryType()!.getFields()).filter((field) => field.extensions[ARGS_AS_GIVEN] !== undefined);
    expect(declaring.map((field) => field.name)).toEqual(['user']);
    for (const field of declaring) {
      const tests = field.extensions[ARGS_AS_GIVEN] as ArgsAsGiven;
      expect(Object.keys(tests).sort()).toEqual(field.args.map((arg) => arg.name).sort());
      // One mapper, the validation plugin's: the compiled query skips it only for such fields.
      expect((field.extensions.pothosArgMappers as unknown[] | undefined)?.length).toBe(1);
    }
  });
});
