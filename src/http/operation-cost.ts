/**
 * What an operation may cost before it runs: the number of values its answer may hold, with the
 * request's variables. Every field counts its weight (1 unless declared, see schema/cost.ts) once
 * for each item it appears in; a list of objects counts what is selected inside it once per item,
 * its size taken from the arguments its field declares (`first`, the length of `ids`, literal or
 * variable alike), else the size the field assumes. Fields are collected as graphql-js collects
 * them (fragments expanded, fields with the same response key merged), so the count is the
 * answer's shape, whatever the document's spelling.
 *
 * An operation is compiled once per document; what does not depend on variables is added up then,
 * so a request without sized variables costs a constant. What graphql-js would refuse anyway (an
 * unknown field, an argument or variable of the wrong type) costs nothing here: it never runs.
 */
import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  isAbstractType,
  isCompositeType,
  isListType,
  isObjectType,
  Kind,
  parse,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { COST_EXTENSION, type FieldCost, type ListSize } from '../schema/cost.ts';

/** The cost of one run of the operation with these (raw, as sent) variables. */
export type OperationCost = (variables: Readonly<Record<string, unknown>> | null | undefined) => number;

/** The variables, coerced as graphql-js will coerce them; undefined when it will refuse them (nothing runs). */
type Variables = () => Record<string, unknown> | undefined;
/** A cost known when the document is compiled, or one that depends on the variables. */
type Cost = number | ((variables: Variables) => number);

/** A field as graphql-js executes it: its definition and every node merged under its response key. */
interface CollectedField {
  readonly definition: GraphQLField<unknown, unknown>;
  readonly nodes: FieldNode[];
}

interface Compilation {
  readonly schema: GraphQLSchema;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  /**
   * Fields nested deeper than this cost too much (MAX_DEPTH refuses half as deep already): a
   * bound for the recursion over documents not validated yet.
   */
  readonly maxNesting: number;
}

/**
 * The cost of `operationName` in `document` (its only operation when undefined); 0 when there is
 * no such operation (yoga refuses the request).
 */
export function compileOperationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  maxDepth: number,
): OperationCost {
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName === undefined ? (operations.length === 1 ? operations[0] : undefined) : operations.find((each) => each.name?.value === operationName);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return () => 0;
  const compilation: Compilation = {
    schema,
    fragments: new Map(
      document.definitions
        .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
        .map((fragment) => [fragment.name.value, fragment]),
    ),
    maxNesting: 2 * maxDepth,
  };
  const cost = selectionCost(compilation, root, [operation.selectionSet], new Map(), 1, new Set());
  if (typeof cost === 'number') {
    const constant = finite(cost);
    return () => constant;
  }

  // Only the variables that size a list are coerced (graphql-js refuses the operation when they fail).
  const sizing = sizingVariables(operation);
  const definitions = (operation.variableDefinitions ?? []).filter((definition) => sizing.has(definition.variable.name.value));
  return (raw) => {
    let coerced: Record<string, unknown> | undefined | null = null;
    const variables: Variables = () => {
      if (coerced === null) {
        const result = getVariableValues(schema, definitions, raw ?? {}, { maxErrors: 1 });
        coerced = result.errors ? undefined : result.coerced;
      }
      return coerced;
    };
    return finite(cost(variables));
  };
}

/** The names of the variables used in arguments (only those can size a list). */
function sizingVariables(operation: OperationDefinitionNode): Set<string> {
  const names = new Set<string>();
  // Variables appear in arguments only (directives' included, which size nothing: harmless).
  visit(operation, { Variable: (node) => void names.add(node.name.value) });
  return names;
}

/** Multiplying huge sizes by zero gives NaN: a request that cannot be counted costs too much. */
function finite(cost: number): number {
  return Number.isNaN(cost) ? Infinity : cost;
}

/**
 * What a selection on `type` costs per item: each field's weight, and for a composite field its
 * own selection times its items. `sized` gives the items of child fields a parent's declaration sizes.
 */
function selectionCost(
  compilation: Compilation,
  type: GraphQLCompositeType,
  selectionSets: readonly SelectionSetNode[],
  sized: ReadonlyMap<string, Cost>,
  nesting: number,
  fragmentsOnPath: ReadonlySet<string>,
): Cost {
  if (nesting > compilation.maxNesting) return Infinity;
  // An abstract type costs what its most costly possible type does, as it may be any of them.
  if (isAbstractType(type)) {
    return maxOf(
      compilation.schema
        .getPossibleTypes(type)
        .map((possible) => selectionCost(compilation, possible, selectionSets, sized, nesting, fragmentsOnPath)),
    );
  }
  const fields = new Map<string, CollectedField>();
  for (const selectionSet of selectionSets) collectFields(compilation, type, selectionSet, fields, new Set(), fragmentsOnPath);
  const costs: Cost[] = [];
  for (const { definition, nodes } of fields.values()) {
    const declared = (definition.extensions as Record<string, unknown> | undefined)?.[COST_EXTENSION] as FieldCost | undefined;
    const weight = declared?.weight ?? 1;
    const fieldType = getNamedType(definition.type);
    if (!isCompositeType(fieldType)) {
      costs.push(weight);
      continue;
    }
    const listSize = declared?.listSize;
    const node = nodes[0]!;
    const ownSize = listSize && !listSize.sizedFields ? sizeOf(definition, node, listSize) : undefined;
    const items = isListType(getNullableType(definition.type)) ? (sized.get(definition.name) ?? ownSize ?? 1) : 1;
    const childSized = new Map<string, Cost>();
    if (listSize?.sizedFields) {
      const size = sizeOf(definition, node, listSize);
      for (const name of listSize.sizedFields) childSized.set(name, size);
    }
    const subSelections = nodes.flatMap((each) => (each.selectionSet ? [each.selectionSet] : []));
    const inner = selectionCost(compilation, fieldType, subSelections, childSized, nesting + 1, fragmentsOnPath);
    costs.push(plus(weight, times(items, inner)));
  }
  return sumOf(costs);
}

/** graphql-js's field collection: fragments that apply to `type` expanded once each, fields merged by response key. */
function collectFields(
  compilation: Compilation,
  type: GraphQLObjectType,
  selectionSet: SelectionSetNode,
  into: Map<string, CollectedField>,
  visited: Set<string>,
  fragmentsOnPath: ReadonlySet<string>,
): void {
  for (const selection of selectionSet.selections) {
    switch (selection.kind) {
      case Kind.FIELD: {
        const key = selection.alias?.value ?? selection.name.value;
        const collected = into.get(key);
        if (collected) {
          collected.nodes.push(selection);
          break;
        }
        const definition = fieldDefinition(compilation.schema, type, selection.name.value);
        if (definition) into.set(key, { definition, nodes: [selection] });
        break;
      }
      case Kind.INLINE_FRAGMENT:
        if (!selection.typeCondition || appliesTo(compilation.schema, selection.typeCondition.name.value, type)) {
          collectFields(compilation, type, selection.selectionSet, into, visited, fragmentsOnPath);
        }
        break;
      case Kind.FRAGMENT_SPREAD: {
        const name = selection.name.value;
        // A fragment spread inside itself (refused by validation) would never end.
        if (visited.has(name) || fragmentsOnPath.has(name)) break;
        visited.add(name);
        const fragment = compilation.fragments.get(name);
        if (fragment && appliesTo(compilation.schema, fragment.typeCondition.name.value, type)) {
          collectFields(compilation, type, fragment.selectionSet, into, visited, new Set([...fragmentsOnPath, name]));
        }
        break;
      }
    }
  }
}

function fieldDefinition(schema: GraphQLSchema, type: GraphQLObjectType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (type === schema.getQueryType()) {
    if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
    if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
  }
  // __typename is a String like any other: weight 1.
  return type.getFields()[name];
}

function appliesTo(schema: GraphQLSchema, condition: string, type: GraphQLObjectType): boolean {
  const conditionType = schema.getType(condition);
  if (conditionType === type) return true;
  return conditionType !== undefined && isAbstractType(conditionType) && schema.isSubType(conditionType, type);
}

/** The size a declared list takes from its field's arguments: the largest given, else its assumed size. */
function sizeOf(definition: GraphQLField<unknown, unknown>, node: FieldNode, listSize: ListSize): Cost {
  const slicing = listSize.slicingArguments ?? [];
  const usesVariables = (node.arguments ?? []).some(
    (argument) => slicing.includes(argument.name.value) && containsVariable(argument.value),
  );
  const size = (variables: Record<string, unknown> | undefined): number => {
    if (variables === undefined) return 0; // graphql-js refuses the variables: nothing runs
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(definition, node, variables);
    } catch {
      return 0; // the field fails (with its error) before it returns a list
    }
    let largest: number | undefined;
    for (const name of slicing) {
      const value = args[name];
      const count = Array.isArray(value) ? value.length : typeof value === 'number' ? value : undefined;
      if (count !== undefined) largest = Math.max(largest ?? 0, count);
    }
    return Math.max(0, largest ?? listSize.assumedSize);
  };
  return usesVariables ? (variables) => size(variables()) : size({});
}

function containsVariable(value: ValueNode): boolean {
  switch (value.kind) {
    case Kind.VARIABLE:
      return true;
    case Kind.LIST:
      return value.values.some(containsVariable);
    case Kind.OBJECT:
      return value.fields.some((field) => containsVariable(field.value));
    default:
      return false;
  }
}

function plus(a: number, b: Cost): Cost {
  return typeof b === 'number' ? a + b : (variables) => a + b(variables);
}

function times(a: Cost, b: Cost): Cost {
  if (typeof a === 'number' && typeof b === 'number') return a === 0 ? 0 : a * b;
  // An empty list holds nothing, however costly its items would be.
  return (variables) => {
    const items = typeof a === 'number' ? a : a(variables);
    return items === 0 ? 0 : items * (typeof b === 'number' ? b : b(variables));
  };
}

function sumOf(costs: readonly Cost[]): Cost {
  const constant = costs.reduce<number>((sum, cost) => (typeof cost === 'number' ? sum + cost : sum), 0);
  const varying = costs.filter((cost): cost is (variables: Variables) => number => typeof cost !== 'number');
  if (varying.length === 0) return constant;
  return (variables) => varying.reduce((sum, cost) => sum + cost(variables), constant);
}

function maxOf(costs: readonly Cost[]): Cost {
  if (costs.every((cost) => typeof cost === 'number')) return Math.max(0, ...(costs as number[]));
  return (variables) => Math.max(0, ...costs.map((cost) => (typeof cost === 'number' ? cost : cost(variables))));
}

/** The parameters of one operation, as a request carries them (anything, before yoga checks them). */
export interface OperationParams {
  readonly query?: unknown;
  readonly operationName?: unknown;
  readonly variables?: unknown;
}

export interface OperationCosts {
  /** What one operation may cost; 0 for what yoga refuses before running it (no query, a syntax error). */
  costOf(params: OperationParams): number;
}

/** Documents kept; the oldest go first. Longer texts are not kept (one-off documents). */
const MAX_DOCUMENTS = 1_000;
const MAX_KEPT_QUERY_LENGTH = 16_384;

/**
 * Operation costs by query text, for requests as they arrive (before yoga parses and validates
 * them): each document is parsed once, with the token limit, and each of its operations compiled
 * once.
 */
export function createOperationCosts(schema: GraphQLSchema, limits: { readonly maxTokens: number; readonly maxDepth: number }): OperationCosts {
  type Entry = { readonly document: DocumentNode; readonly operations: Map<string | undefined, OperationCost> } | 'unparsable';
  const entries = new Map<string, Entry>();

  const entryFor = (query: string): Entry => {
    let entry = entries.get(query);
    if (entry === undefined) {
      try {
        entry = { document: parse(query, { noLocation: true, maxTokens: limits.maxTokens }), operations: new Map() };
      } catch {
        entry = 'unparsable'; // yoga refuses it (a syntax error, or too many tokens)
      }
      if (query.length <= MAX_KEPT_QUERY_LENGTH) {
        if (entries.size >= MAX_DOCUMENTS) entries.delete(entries.keys().next().value!);
        entries.set(query, entry);
      }
    }
    return entry;
  };

  return {
    costOf({ query, operationName, variables }) {
      if (typeof query !== 'string' || (operationName != null && typeof operationName !== 'string')) return 0;
      const entry = entryFor(query);
      if (entry === 'unparsable') return 0;
      const name = operationName ?? undefined;
      let cost = entry.operations.get(name);
      if (cost === undefined) {
        cost = compileOperationCost(schema, entry.document, name, limits.maxDepth);
        entry.operations.set(name, cost);
      }
      return cost(isPlainObject(variables) ? variables : undefined);
    },
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
