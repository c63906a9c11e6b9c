/**
 * A query compiled once into plain functions over the schema's own parts, for the fast lane: the
 * fields to answer are collected when the document is first seen, not on every request, and each
 * field is answered by the resolver the schema declares (called directly), after the same checks
 * the schema declares (scope-auth's `authScopes`, evaluated against the same scopes, and the
 * validation plugin's argument mappers). What graphql-js and Pothos' wrappers spend per field (an
 * info object, a path, a promise check, a request cache) is not spent.
 *
 * It answers only what it can answer exactly. A document it does not understand (directives,
 * abstract types, introspection, scope maps with $any/$all/$granted, …) is not compiled; a request
 * that meets anything else than plain success (a refused check, an invalid argument, a null where
 * the schema forbids one, a value still to be fetched, any error) is declined, and the fast lane
 * runs it the usual way, with the same context (loaders included: nothing is fetched twice).
 * test/support/differential.ts checks every query of the test suite against yoga.
 */
import {
  getArgumentValues,
  getNamedType,
  getVariableValues,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { MaybePromise } from '../maybe-promise.ts';
import type { RequestContext } from '../schema/context.ts';

/** The answer's `data`, or DECLINED when this request must run the usual way. */
export type CompiledQuery = (context: RequestContext, variables: Record<string, unknown> | undefined) => unknown;
export const DECLINED: unique symbol = Symbol('declined');

/** The caller's scopes, as scope-auth's `authScopes` option builds them for a request. */
export type ScopesOf = (context: RequestContext) => MaybePromise<Record<string, unknown>>;

/** Thrown while answering: this request is not one the compiled query answers. */
const DECLINE = Symbol('decline');
/** Thrown while compiling: this document is not one the compiler understands. */
class NotCompilable extends Error {}

/** One request's state while it is answered. */
interface Run {
  readonly context: RequestContext;
  readonly variables: Record<string, unknown>;
  /** The caller's scopes, resolved on first use (as scope-auth does). */
  scopes: Record<string, unknown> | undefined;
  readonly scopesOf: ScopesOf;
}

type Complete = (value: unknown, run: Run) => unknown;
type Resolve = (parent: unknown, run: Run) => unknown;

interface FieldPlan {
  readonly key: string;
  readonly resolve: Resolve;
  readonly complete: Complete;
}

export function compileQuery(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  scopesOf: ScopesOf,
): CompiledQuery | undefined {
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION && (operationName === undefined || definition.name?.value === operationName),
  );
  const queryType = schema.getQueryType();
  if (!operation || operation.operation !== 'query' || !queryType || operation.directives?.length) return undefined;
  const fragments = new Map(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  let root: FieldPlan[];
  try {
    root = planFields(queryType, [operation.selectionSet], fragments);
  } catch (error) {
    if (error instanceof NotCompilable) return undefined;
    throw error;
  }
  const variableDefinitions = operation.variableDefinitions ?? [];

  return (context, rawVariables) => {
    const coerced = getVariableValues(schema, variableDefinitions, rawVariables ?? {}, { maxErrors: 1 });
    if (coerced.errors) return DECLINED;
    const run: Run = { context, variables: coerced.coerced, scopes: undefined, scopesOf };
    try {
      return answerObject(root, undefined, run);
    } catch {
      return DECLINED; // a refusal, or whatever failed: the usual way reports it as it should
    }
  };
}

function answerObject(fields: readonly FieldPlan[], parent: unknown, run: Run): Record<string, unknown> {
  // No prototype, as graphql-js builds answers: an alias `__proto__` is a key like any other.
  const answer: Record<string, unknown> = Object.create(null);
  for (const field of fields) {
    const value = field.resolve(parent, run);
    if (value instanceof Promise) declineAwaiting(value); // to be fetched: the usual way batches it
    answer[field.key] = field.complete(value, run);
  }
  return answer;
}

/**
 * Declines a request whose answer is still to come. Nobody will await this promise (the usual way
 * asks again, and reports a failure where it belongs): a rejection left unhandled would end the
 * process, so it is handled here, as nothing.
 */
function declineAwaiting(pending: Promise<unknown>): never {
  pending.then(undefined, () => {});
  throw DECLINE;
}

/** The fields a selection asks of `type`, merged by response key in order of first appearance (as graphql-js collects them). */
function planFields(type: GraphQLObjectType, selectionSets: readonly SelectionSetNode[], fragments: ReadonlyMap<string, FragmentDefinitionNode>): FieldPlan[] {
  const collected = new Map<string, FieldNode[]>();
  for (const selectionSet of selectionSets) collect(type, selectionSet, fragments, collected, new Set());
  return [...collected].map(([key, nodes]) => planField(type, key, nodes, fragments));
}

function collect(
  type: GraphQLObjectType,
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  into: Map<string, FieldNode[]>,
  visited: Set<string>,
): void {
  for (const selection of selectionSet.selections) {
    if (selection.directives?.length) throw new NotCompilable('directives');
    switch (selection.kind) {
      case Kind.FIELD: {
        const key = selection.alias?.value ?? selection.name.value;
        const nodes = into.get(key);
        if (nodes) nodes.push(selection);
        else into.set(key, [selection]);
        break;
      }
      case Kind.INLINE_FRAGMENT:
        if (selection.typeCondition && selection.typeCondition.name.value !== type.name) throw new NotCompilable('type condition');
        collect(type, selection.selectionSet, fragments, into, visited);
        break;
      case Kind.FRAGMENT_SPREAD: {
        const name = selection.name.value;
        if (visited.has(name)) break;
        visited.add(name);
        const fragment = fragments.get(name);
        if (!fragment || fragment.typeCondition.name.value !== type.name) throw new NotCompilable('fragment');
        collect(type, fragment.selectionSet, fragments, into, visited);
        break;
      }
    }
  }
}

function planField(type: GraphQLObjectType, key: string, nodes: readonly FieldNode[], fragments: ReadonlyMap<string, FragmentDefinitionNode>): FieldPlan {
  const node = nodes[0]!;
  const name = node.name.value;
  if (name === '__typename') return { key, resolve: () => type.name, complete: (value) => value };
  if (name.startsWith('__')) throw new NotCompilable('introspection');
  const field = type.getFields()[name];
  if (!field) throw new NotCompilable('unknown field');
  const subSelections = nodes.flatMap((each) => (each.selectionSet ? [each.selectionSet] : []));
  return { key, resolve: resolverOf(field, node), complete: completerOf(field.type, subSelections, fragments) };
}

interface PothosFieldExtensions {
  readonly pothosOriginalResolve?: (parent: unknown, args: unknown, context: unknown, info: unknown) => unknown;
  readonly pothosExposedField?: string;
  readonly pothosArgMappers?: ReadonlyArray<(args: unknown, context: unknown, info: unknown) => unknown>;
  readonly pothosOptions?: {
    readonly authScopes?: unknown;
    readonly grantScopes?: unknown;
    readonly skipTypeScopes?: unknown;
    readonly skipInterfaceScopes?: unknown;
    readonly unauthorizedResolver?: unknown;
  };
}

/** The field's value from its parent, after its checks: what scope-auth, validation and the resolver would do, in that order. */
function resolverOf(field: GraphQLField<unknown, unknown>, node: FieldNode): Resolve {
  const extensions = field.extensions as PothosFieldExtensions;
  const options = extensions.pothosOptions ?? {};
  if (options.grantScopes !== undefined || options.skipTypeScopes || options.skipInterfaceScopes || options.unauthorizedResolver) {
    throw new NotCompilable('scope-auth option');
  }
  const { authScopes } = options;
  const mappers = extensions.pothosArgMappers ?? [];
  const exposed = extensions.pothosExposedField;
  const resolve = extensions.pothosOriginalResolve;
  if (exposed === undefined && !resolve) throw new NotCompilable('no resolver');
  const hasArgs = field.args.length > 0;

  return (parent, run) => {
    const args = hasArgs ? getArgumentValues(field, node, run.variables) : {};
    if (authScopes !== undefined) {
      const map = typeof authScopes === 'function' ? authScopes(parent, args, run.context, undefined) : authScopes;
      if (!allows(map, run)) throw DECLINE;
    }
    if (exposed !== undefined) return (parent as Record<string, unknown>)[exposed];
    let mapped: unknown = args;
    for (const mapper of mappers) {
      mapped = mapper(mapped, run.context, undefined);
      if (mapped instanceof Promise) declineAwaiting(mapped);
    }
    return resolve!(parent, mapped, run.context, undefined);
  };
}

/** scope-auth's default ("any") strategy over one scope map: one scope that holds is enough. */
function allows(map: unknown, run: Run): boolean {
  if (typeof map === 'boolean') return map;
  if (map instanceof Promise) declineAwaiting(map);
  if (map === null || typeof map !== 'object') throw DECLINE;
  if (run.scopes === undefined) {
    const scopes = run.scopesOf(run.context);
    if (scopes instanceof Promise) declineAwaiting(scopes); // the caller's record is still to be fetched
    run.scopes = scopes;
  }
  for (const [name, parameter] of Object.entries(map)) {
    if (name.startsWith('$')) throw DECLINE;
    const scope = run.scopes[name];
    if (scope == null || scope === false) continue;
    if (typeof scope !== 'function') return true;
    const held = (scope as (parameter: unknown) => unknown)(parameter);
    if (held instanceof Promise) declineAwaiting(held);
    if (held) return true;
  }
  return false;
}

interface PothosTypeOptions {
  readonly pothosOptions?: { readonly authScopes?: unknown; readonly runScopesOnType?: boolean };
}

/** How a resolved value becomes its part of the answer, for one output type. */
function completerOf(type: GraphQLOutputType, selectionSets: readonly SelectionSetNode[], fragments: ReadonlyMap<string, FragmentDefinitionNode>): Complete {
  if (isNonNullType(type)) {
    const inner = completerOf(type.ofType, selectionSets, fragments);
    return (value, run) => {
      if (value == null) throw DECLINE;
      return inner(value, run);
    };
  }
  if (isListType(type)) {
    const item = completerOf(type.ofType, selectionSets, fragments);
    return (value, run) => {
      if (value == null) return null;
      if (!Array.isArray(value)) throw DECLINE;
      const answer = new Array<unknown>(value.length);
      for (let i = 0; i < value.length; i++) answer[i] = item(value[i], run);
      return answer;
    };
  }
  if (isScalarType(type) || isEnumType(type)) {
    return (value) => {
      if (value == null) return null;
      const serialized = type.serialize(value);
      if (serialized === undefined) throw DECLINE;
      return serialized;
    };
  }
  if (isObjectType(type)) {
    const { authScopes, runScopesOnType } = (type.extensions as PothosTypeOptions).pothosOptions ?? {};
    if (authScopes !== undefined && !runScopesOnType) throw new NotCompilable('type scopes checked per field');
    if (authScopes !== undefined && typeof authScopes !== 'function') throw new NotCompilable('type scope map');
    if (authScopes === undefined && type.isTypeOf) throw new NotCompilable('isTypeOf');
    // Planned now: the document's selections are finite, however the schema's types refer to each other.
    const fields = planFields(type, selectionSets, fragments);
    const typeScopes = authScopes as ((parent: unknown, context: unknown) => unknown) | undefined;
    return (value, run) => {
      if (value == null) return null;
      if (typeScopes && !allows(typeScopes(value, run.context), run)) throw DECLINE;
      return answerObject(fields, value, run);
    };
  }
  throw new NotCompilable(`output type ${getNamedType(type).name}`);
}
