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
  GraphQLID,
  GraphQLString,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  valueFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type VariableDefinitionNode,
} from 'graphql';
import type { MaybePromise } from '../maybe-promise.ts';
import type { RequestContext } from '../schema/context.ts';
import { ARGS_AS_GIVEN, type ArgsAsGiven } from '../schema/inputs.ts';

/** The answer's `data`, or DECLINED when this request must run the usual way. */
export type CompiledData = (context: RequestContext, variables: Record<string, unknown> | undefined) => unknown;
/** The answer's `data` as JSON text (what JSON.stringify of CompiledData's value gives), or DECLINED. */
export type CompiledText = (context: RequestContext, variables: Record<string, unknown> | undefined) => string | typeof DECLINED;

/** One query, compiled: its answer as values (for REST, which reshapes it) or as JSON text (the fast lane's answer). */
export interface CompiledQuery {
  readonly data: CompiledData;
  readonly text: CompiledText;
}
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

type Args = Record<string, unknown>;
type ArgsOf = (run: { readonly variables: Record<string, unknown> }) => Args;
type Check = (parent: unknown, args: Args, run: Run) => void;
type Read = (parent: unknown, args: Args, run: Run) => unknown;

/** How a resolved value becomes its part of the answer: as a value, or as JSON text. */
interface Completer {
  readonly complete: (value: unknown, run: Run) => unknown;
  readonly write: (value: unknown, run: Run) => string;
  /** The text depends on the value alone: no argument, no check, no resolver of the schema's own (only exposed properties). */
  readonly pure: boolean;
}

interface FieldPlan {
  readonly key: string;
  /** The key as JSON text. */
  readonly quotedKey: string;
  /** The field's arguments in this run, as graphql-js's getArgumentValues gives them. */
  readonly argsOf: ArgsOf;
  /** The field's own authScopes, when it has some: throws DECLINE when they refuse. */
  readonly check: Check | undefined;
  /** The field's value from its parent, checks aside. */
  readonly read: Read;
  readonly completer: Completer;
  /** Read from its parent's property, without arguments, with a pure completer. */
  readonly pure: boolean;
}

/** Where a compiled query keeps the answer texts of whole objects (see answer-texts.ts). */
export interface TextCache {
  get(owner: object, value: object): string | undefined;
  set(owner: object, value: object, text: string): void;
}

export function compileQuery(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  scopesOf: ScopesOf,
  texts?: TextCache,
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
    root = planFields(queryType, [operation.selectionSet], { fragments, texts, cached: false });
  } catch (error) {
    if (error instanceof NotCompilable) return undefined;
    throw error;
  }
  const coerceVariables = variablesCoercer(schema, operation.variableDefinitions ?? []);

  const answer =
    <T>(form: (fields: readonly FieldPlan[], parent: unknown, run: Run) => T) =>
    (context: RequestContext, rawVariables: Record<string, unknown> | undefined): T | typeof DECLINED => {
      const variables = coerceVariables(rawVariables ?? {});
      if (variables === undefined) return DECLINED;
      const run: Run = { context, variables, scopes: undefined, scopesOf };
      try {
        return form(root, undefined, run);
      } catch {
        return DECLINED; // a refusal, or whatever failed: the usual way reports it as it should
      }
    };
  return { data: answer(answerObject), text: answer(writeObject) };
}

/**
 * The operation's variables as getVariableValues coerces them (undefined where it reports an
 * error). When every variable is a String or an ID without a default, as most lookups are, and
 * each is given as a string, coercion keeps the strings as they are: that case is taken directly.
 */
export function variablesCoercer(
  schema: GraphQLSchema,
  definitions: readonly VariableDefinitionNode[],
): (raw: Record<string, unknown>) => Record<string, unknown> | undefined {
  const coerced = (raw: Record<string, unknown>) => {
    const result = getVariableValues(schema, definitions, raw, { maxErrors: 1 });
    return result.errors ? undefined : result.coerced;
  };
  const strings = definitions.every((definition) => {
    const type = definition.type.kind === Kind.NON_NULL_TYPE ? definition.type.type : definition.type;
    const named = type.kind === Kind.NAMED_TYPE ? schema.getType(type.name.value) : undefined;
    return (named === GraphQLString || named === GraphQLID) && definition.defaultValue === undefined && !definition.directives?.length;
  });
  if (!strings) return coerced;
  const names = definitions.map((definition) => definition.variable.name.value);
  return (raw) => {
    const variables: Record<string, unknown> = {};
    for (const name of names) {
      const value = Object.hasOwn(raw, name) ? raw[name] : undefined;
      if (typeof value !== 'string') return coerced(raw); // missing, null, a number…: the full rules
      variables[name] = value;
    }
    return variables;
  };
}

/** The field's value, after its checks; a value still to be fetched declines. */
function resolved(field: FieldPlan, parent: unknown, run: Run): unknown {
  const args = field.argsOf(run);
  field.check?.(parent, args, run);
  const value = field.read(parent, args, run);
  if (value instanceof Promise) declineAwaiting(value); // to be fetched: the usual way batches it
  return value;
}

function answerObject(fields: readonly FieldPlan[], parent: unknown, run: Run): Record<string, unknown> {
  // No prototype, as graphql-js builds answers: an alias `__proto__` is a key like any other.
  const answer: Record<string, unknown> = Object.create(null);
  for (const field of fields) answer[field.key] = field.completer.complete(resolved(field, parent, run), run);
  return answer;
}

/** answerObject's answer as JSON.stringify writes it: keys in the same order. */
function writeObject(fields: readonly FieldPlan[], parent: unknown, run: Run): string {
  let text = '{';
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    text += (i === 0 ? '' : ',') + field.quotedKey + ':' + field.completer.write(resolved(field, parent, run), run);
  }
  return text + '}';
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

interface Planning {
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  readonly texts: TextCache | undefined;
  /** Inside an object whose text is kept whole: its parts are not kept again. */
  readonly cached: boolean;
}

/** The fields a selection asks of `type`, merged by response key in order of first appearance (as graphql-js collects them). */
function planFields(type: GraphQLObjectType, selectionSets: readonly SelectionSetNode[], planning: Planning): FieldPlan[] {
  const collected = new Map<string, FieldNode[]>();
  for (const selectionSet of selectionSets) collect(type, selectionSet, planning.fragments, collected, new Set());
  return [...collected].map(([key, nodes]) => planField(type, key, nodes, planning));
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

function planField(type: GraphQLObjectType, key: string, nodes: readonly FieldNode[], planning: Planning): FieldPlan {
  const node = nodes[0]!;
  const name = node.name.value;
  const quotedKey = JSON.stringify(key);
  if (name === '__typename') {
    return { key, quotedKey, argsOf: noArgs, check: undefined, read: () => type.name, completer: TYPENAME, pure: true };
  }
  if (name.startsWith('__')) throw new NotCompilable('introspection');
  const field = type.getFields()[name];
  if (!field) throw new NotCompilable('unknown field');
  const subSelections = nodes.flatMap((each) => (each.selectionSet ? [each.selectionSet] : []));
  const { check, read, exposed } = resolverOf(field);
  const completer = completerOf(field.type, subSelections, planning);
  const argsOf = field.args.length === 0 ? noArgs : argumentsOf(field, node);
  return { key, quotedKey, argsOf, check, read, completer, pure: exposed && field.args.length === 0 && completer.pure };
}

const TYPENAME: Completer = { complete: (value) => value, write: (value) => JSON.stringify(value), pure: true };

interface PothosFieldExtensions {
  readonly pothosOriginalResolve?: (parent: unknown, args: unknown, context: unknown, info: unknown) => unknown;
  readonly pothosExposedField?: string;
  readonly pothosArgMappers?: ReadonlyArray<(args: unknown, context: unknown, info: unknown) => unknown>;
  readonly [ARGS_AS_GIVEN]?: ArgsAsGiven;
  readonly pothosOptions?: {
    readonly authScopes?: unknown;
    readonly grantScopes?: unknown;
    readonly skipTypeScopes?: unknown;
    readonly skipInterfaceScopes?: unknown;
    readonly unauthorizedResolver?: unknown;
  };
}

const noArgs: ArgsOf = () => ({});

/**
 * The field's arguments, as getArgumentValues gives them (argument order, defaults for what is
 * left out or a variable not given), with the document's scalar literals coerced once, when
 * compiled. A list or object literal (it may hold variables) is left to getArgumentValues.
 * A null or missing value where the schema forbids one declines (graphql-js reports it).
 */
export function argumentsOf(field: GraphQLField<unknown, unknown>, node: FieldNode): ArgsOf {
  const given = new Map((node.arguments ?? []).map((argument) => [argument.name.value, argument.value]));
  type Source = { readonly name: string; readonly constant: unknown } | { readonly name: string; readonly variable: string; readonly definition: GraphQLArgument };
  const sources: Source[] = [];
  for (const definition of field.args) {
    const { name } = definition;
    const value = given.get(name);
    if (value === undefined) {
      if (definition.defaultValue !== undefined) sources.push({ name, constant: definition.defaultValue });
      else if (isNonNullType(definition.type)) throw new NotCompilable('required argument missing');
    } else if (value.kind === Kind.VARIABLE) {
      sources.push({ name, variable: value.name.value, definition });
    } else {
      // A list or an object (which may hold variables, or be changed by whoever gets it), or a
      // literal that does not coerce: left to getArgumentValues, on each run.
      const constant = value.kind === Kind.LIST || value.kind === Kind.OBJECT ? undefined : valueFromAST(value, definition.type);
      if (constant === undefined || (typeof constant === 'object' && constant !== null)) return (run) => getArgumentValues(field, node, run.variables);
      sources.push({ name, constant });
    }
  }
  return (run) => {
    const args: Args = {};
    for (const source of sources) {
      if ('constant' in source) {
        args[source.name] = source.constant;
        continue;
      }
      const { variables } = run;
      if (Object.hasOwn(variables, source.variable)) {
        const value = variables[source.variable];
        if (value == null && isNonNullType(source.definition.type)) throw DECLINE;
        args[source.name] = value;
      } else if (source.definition.defaultValue !== undefined) {
        args[source.name] = source.definition.defaultValue;
      } else if (isNonNullType(source.definition.type)) {
        throw DECLINE;
      }
    }
    return args;
  };
}

/** The field's checks and value: what scope-auth, validation and the resolver would do, in that order. */
function resolverOf(field: GraphQLField<unknown, unknown>): { check: Check | undefined; read: Read; exposed: boolean } {
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
  const check: Check | undefined =
    authScopes === undefined
      ? undefined
      : (parent, args, run) => {
          const map = typeof authScopes === 'function' ? authScopes(parent, args, run.context, undefined) : authScopes;
          if (!allows(map, run)) throw DECLINE;
        };
  if (exposed !== undefined) return { check, read: (parent) => (parent as Record<string, unknown>)[exposed], exposed: true };
  const asGiven = mappers.length === 1 ? asGivenTest(extensions[ARGS_AS_GIVEN], field.args) : undefined;
  const read: Read = (parent, args, run) => {
    // Validation, its only mapper, would give these args back as they are.
    if (asGiven?.(args)) return resolve!(parent, args, run.context, undefined);
    let mapped: unknown = args;
    for (const mapper of mappers) {
      mapped = mapper(mapped, run.context, undefined);
      if (mapped instanceof Promise) declineAwaiting(mapped);
    }
    return resolve!(parent, mapped, run.context, undefined);
  };
  return { check, read, exposed: false };
}

/** Whether every argument passes its ARGS_AS_GIVEN test (undefined: not every argument has one). */
function asGivenTest(tests: ArgsAsGiven | undefined, args: readonly GraphQLArgument[]): ((args: Record<string, unknown>) => boolean) | undefined {
  if (tests === undefined || !args.every((arg) => Object.hasOwn(tests, arg.name))) return undefined;
  const entries = Object.entries(tests);
  return (args) => {
    for (const [name, test] of entries) if (!test(args[name])) return false;
    return true;
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
  for (const name in map) {
    if (name.startsWith('$')) throw DECLINE;
    const parameter = (map as Record<string, unknown>)[name];
    const scope = run.scopes[name];
    if (scope == null || scope === false) continue;
    if (typeof scope !== 'function') return true;
    const held = (scope as (parameter: unknown) => unknown)(parameter);
    if (held instanceof Promise) declineAwaiting(held);
    if (held) return true;
  }
  return false;
}

/** How a resolved value becomes its part of the answer, for one output type. */
function completerOf(type: GraphQLOutputType, selectionSets: readonly SelectionSetNode[], planning: Planning): Completer {
  if (isNonNullType(type)) {
    const inner = completerOf(type.ofType, selectionSets, planning);
    const present = (value: unknown) => {
      if (value == null) throw DECLINE;
    };
    return {
      complete: (value, run) => (present(value), inner.complete(value, run)),
      write: (value, run) => (present(value), inner.write(value, run)),
      pure: inner.pure,
    };
  }
  if (isListType(type)) {
    const item = completerOf(type.ofType, selectionSets, planning);
    const items = (value: unknown): unknown[] => {
      if (!Array.isArray(value)) throw DECLINE;
      return value;
    };
    return {
      complete: (value, run) => (value == null ? null : items(value).map((each) => item.complete(each, run))),
      write: (value, run) => {
        if (value == null) return 'null';
        const list = items(value);
        let text = '[';
        for (let i = 0; i < list.length; i++) text += (i === 0 ? '' : ',') + item.write(list[i], run);
        return text + ']';
      },
      pure: item.pure,
    };
  }
  if (isScalarType(type) || isEnumType(type)) {
    const serialized = (value: unknown) => {
      const serialized = type.serialize(value);
      if (serialized === undefined) throw DECLINE;
      return serialized;
    };
    return {
      complete: (value) => (value == null ? null : serialized(value)),
      write: (value) => {
        if (value == null) return 'null';
        const text = JSON.stringify(serialized(value));
        if (text === undefined) throw DECLINE; // a function or a symbol: JSON.stringify would leave the key out
        return text;
      },
      pure: true,
    };
  }
  if (isObjectType(type)) return objectCompleter(type, selectionSets, planning);
  throw new NotCompilable(`output type ${getNamedType(type).name}`);
}

interface ObjectTypeExtensions {
  readonly pothosOptions?: { readonly authScopes?: unknown; readonly runScopesOnType?: boolean };
  /** The type's objects never change once made (a change makes a new object): their answer texts may be kept. */
  readonly immutable?: boolean;
}

/**
 * An object's answer. For a type whose objects never change (`extensions: { immutable: true }`:
 * the directory's users), when every field asked is an exposed property (so the text depends on
 * the object alone, once the checks pass), the text is kept (see answer-texts.ts) and written
 * again for the same object. The checks still run on every request: they depend on the caller.
 */
function objectCompleter(type: GraphQLObjectType, selectionSets: readonly SelectionSetNode[], planning: Planning): Completer {
  const extensions = type.extensions as ObjectTypeExtensions;
  const { authScopes, runScopesOnType } = extensions.pothosOptions ?? {};
  if (authScopes !== undefined && !runScopesOnType) throw new NotCompilable('type scopes checked per field');
  if (authScopes !== undefined && typeof authScopes !== 'function') throw new NotCompilable('type scope map');
  if (authScopes === undefined && type.isTypeOf) throw new NotCompilable('isTypeOf');
  const typeScopes = authScopes as ((parent: unknown, context: unknown) => unknown) | undefined;
  const plan = (cached: boolean) => planFields(type, selectionSets, { ...planning, cached });
  // Planned now: the document's selections are finite, however the schema's types refer to each other.
  let fields = plan(planning.cached);
  const everyFieldPure = fields.every((field) => field.pure);
  const { texts } = planning;
  const kept = texts !== undefined && extensions.immutable === true && !planning.cached && everyFieldPure;
  if (kept) fields = plan(true); // its parts are written into its text, never kept on their own
  const checks = fields.flatMap((field) => (field.check ? [field.check] : []));
  const checked = (value: unknown, run: Run) => {
    if (typeScopes && !allows(typeScopes(value, run.context), run)) throw DECLINE;
  };
  const owner = {};

  return {
    complete: (value, run) => {
      if (value == null) return null;
      checked(value, run);
      return answerObject(fields, value, run);
    },
    write: (value, run) => {
      if (value == null) return 'null';
      checked(value, run);
      if (!kept || typeof value !== 'object') return writeObject(fields, value, run);
      for (const check of checks) check(value, {}, run);
      let text = texts.get(owner, value);
      if (text === undefined) {
        text = writeObject(fields, value, run);
        texts.set(owner, value, text);
      }
      return text;
    },
    // Pure for the object above it only without checks of its own (those depend on the caller).
    pure: typeScopes === undefined && everyFieldPure && fields.every((field) => field.check === undefined),
  };
}
