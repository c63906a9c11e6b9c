/**
 * The REST surface's GraphQL: each endpoint runs one operation of the schema, made from the schema
 * itself, so that REST answers what GraphQL answers, under the same rules. From a root field
 * this builds the operation (its arguments as variables, every field of what it returns
 * selected), reads those variables from a URL's query string (by the arguments' types), and turns
 * the result into a REST answer: refusals of personal fields drop those fields, any other error
 * refuses the whole response with an HTTP status and the error's code. rest.ts makes the
 * operations and routes to them; export.ts and openapi.ts read them through the types here.
 */
import {
  GraphQLError,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type ExecutionResult,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import type { ServerResponse } from 'node:http';
import { ERRORS, type ErrorCode, type ErrorEntry } from '../errors.ts';
import type { RequestContext } from '../schema/context.ts';

/** What an operation selects under a field: its leaves, and the fields of the objects below. */
export interface Selection {
  readonly type: GraphQLObjectType;
  readonly fields: ReadonlyArray<{ readonly field: GraphQLField<unknown, unknown>; readonly below?: Selection }>;
}

/** Paging arguments of a connection (Relay's): an export walks every page and takes none. */
export const PAGING_ARGUMENTS: ReadonlySet<string> = new Set(['first', 'after', 'last', 'before']);

/**
 * Every field of an object type without required arguments, and below each object field its own,
 * leaving out the fields `skip` names (`Type.field`) and any field that would enter a type again
 * on the same path (a cycle; a user has none).
 */
export function selectAll(type: GraphQLObjectType, skip: ReadonlySet<string> = new Set(), path: ReadonlySet<string> = new Set()): Selection {
  const fields: Array<{ field: GraphQLField<unknown, unknown>; below?: Selection }> = [];
  const here = new Set([...path, type.name]);
  for (const field of Object.values(type.getFields())) {
    if (skip.has(`${type.name}.${field.name}`) || field.args.some((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined)) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) fields.push({ field });
    else if (isObjectType(named) && !here.has(named.name)) fields.push({ field, below: selectAll(named, skip, here) });
  }
  return { type, fields };
}

export function printSelection(selection: Selection): string {
  return `{ ${selection.fields.map(({ field, below }) => (below ? `${field.name} ${printSelection(below)}` : field.name)).join(' ')} }`;
}

/**
 * `query ($a: T, …) { field(a: $a, …) { … } }` for the arguments given (the others are left out,
 * so their defaults apply).
 */
export function operationText(
  kind: 'query' | 'mutation',
  field: GraphQLField<unknown, unknown>,
  given: readonly string[],
  selection: Selection | undefined,
): string {
  const args = field.args.filter((arg) => given.includes(arg.name));
  const variables = args.map((arg) => `$${arg.name}: ${variableType(arg)}`).join(', ');
  const call = args.length > 0 ? `${field.name}(${args.map((arg) => `${arg.name}: $${arg.name}`).join(', ')})` : field.name;
  return `${kind}${variables ? ` (${variables})` : ''} { ${call}${selection ? ` ${printSelection(selection)}` : ''} }`;
}

/** An argument with a default may be null in the variable and still gets its default when left out. */
function variableType(arg: GraphQLArgument): string {
  return String(arg.defaultValue !== undefined ? getNullableType(arg.type) : arg.type);
}

export interface QueryVariables {
  readonly variables: Record<string, unknown>;
  /** The arguments given, in the field's order. */
  readonly given: string[];
  readonly problems: string[];
}

/**
 * The field's arguments, read from a query string by their types: a number, a boolean, an enum
 * value or a string as written; a list as the parameter repeated (`?role=a&role=b`); an input
 * object (or a JSON scalar) as JSON. A value of the wrong shape is passed on as written, for the
 * schema to refuse with its own message; a parameter no argument has is a problem here.
 */
export function variablesFromQuery(
  field: GraphQLField<unknown, unknown>,
  params: URLSearchParams,
  excluded: ReadonlySet<string> = new Set(),
): QueryVariables {
  const args = field.args.filter((arg) => !excluded.has(arg.name));
  const known = new Set(args.map((arg) => arg.name));
  const problems: string[] = [];
  for (const name of new Set(params.keys())) {
    if (!known.has(name)) problems.push(`unknown query parameter "${name}"; this endpoint takes ${[...known].join(', ') || 'none'}`);
  }
  const variables: Record<string, unknown> = {};
  const given: string[] = [];
  for (const arg of args) {
    const values = params.getAll(arg.name);
    if (values.length === 0) continue;
    const type = getNullableType(arg.type) as GraphQLInputType;
    if (isListType(type)) {
      variables[arg.name] = values.map((value) => fromText(getNullableType(type.ofType) as GraphQLInputType, value, arg.name, problems));
    } else if (values.length > 1) {
      problems.push(`query parameter "${arg.name}" is given ${values.length} times; it takes one value`);
      continue;
    } else {
      variables[arg.name] = fromText(type, values[0]!, arg.name, problems);
    }
    given.push(arg.name);
  }
  return { variables, given, problems };
}

function fromText(type: GraphQLInputType, text: string, name: string, problems: string[]): unknown {
  if (isInputObjectType(type) || isListType(type) || (isScalarType(type) && type.name === 'JSON')) {
    try {
      return JSON.parse(text);
    } catch {
      problems.push(`query parameter "${name}" must be JSON`);
      return undefined;
    }
  }
  if (isEnumType(type)) return text;
  if (isScalarType(type)) {
    if ((type.name === 'Int' || type.name === 'Float') && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(text)) return Number(text);
    if (type.name === 'Boolean' && (text === 'true' || text === 'false')) return text === 'true';
  }
  return text;
}

/** A field's declared rule directives (Pothos' directives plugin keeps them in its extensions). */
export function hasDirective(field: GraphQLField<unknown, unknown>, name: string): boolean {
  const directives = (field.extensions as { directives?: Record<string, unknown> } | undefined)?.directives;
  return directives !== undefined && name in directives;
}

/**
 * The HTTP status of a REST answer that an error of this code refuses. On REST an error refuses
 * the whole answer: a field's refusal too, since there is no partial answer to carry it.
 */
const REST_STATUS: Partial<Record<ErrorCode, number>> = {
  [ERRORS.BAD_USER_INPUT.code]: 400,
  [ERRORS.GRAPHQL_VALIDATION_FAILED.code]: 400,
  [ERRORS.QUERY_TOO_COMPLEX.code]: 400,
  [ERRORS.QUERY_TOO_DEEP.code]: 400,
  [ERRORS.TOO_MANY_ALIASES.code]: 400,
  [ERRORS.TOO_MANY_TOKENS.code]: 400,
  [ERRORS.TOO_MANY_DIRECTIVES.code]: 400,
  [ERRORS.FORBIDDEN.code]: 403,
  [ERRORS.RELOAD_FAILED.code]: 503,
  // A miss the database could not answer: GraphQL answers null with the code; REST has only the status.
  [ERRORS.DATABASE_TIMEOUT.code]: 503,
  [ERRORS.DATABASE_UNAVAILABLE.code]: 503,
};

/** The order in which codes decide the status when several errors refuse an answer. */
const DECIDING: readonly number[] = [401, 403, 404, 400, 503];

export function statusOf(code: string | undefined): number {
  const entry: ErrorEntry | undefined = code !== undefined && code in ERRORS ? ERRORS[code as ErrorCode] : undefined;
  return (entry && (REST_STATUS[entry.code as ErrorCode] ?? entry.status)) ?? 500;
}

export interface RestAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

/** Errors as GraphQL serialises them, each with its code (a request error without one is bad input). */
export function errorAnswer(errors: readonly GraphQLError[]): RestAnswer {
  const withCodes = errors.map((error) =>
    error.extensions.code === undefined && error.path === undefined
      ? new GraphQLError(error.message, { extensions: { ...error.extensions, code: ERRORS.BAD_USER_INPUT.code } })
      : error,
  );
  const statuses = withCodes.map((error) => statusOf(error.extensions.code as string | undefined));
  const status = DECIDING.find((candidate) => statuses.includes(candidate)) ?? Math.max(...statuses);
  const headers: Record<string, string> = {};
  for (const error of withCodes) {
    const http = error.extensions.http as { headers?: Record<string, string> } | undefined;
    Object.assign(headers, http?.headers);
  }
  // RFC 9110: a 401 says how to authenticate.
  if (status === 401 && !Object.keys(headers).some((name) => name.toLowerCase() === 'www-authenticate')) headers['WWW-Authenticate'] = 'Bearer';
  const body = { errors: withCodes.map((error) => forRest(error.toJSON())) };
  return { status, body, headers };
}

/**
 * As GraphQL serialises an error, less what only concerns GraphQL's transport: the locations
 * in a document the client never wrote, and `extensions.http` (how yoga would answer).
 */
function forRest(json: ReturnType<GraphQLError['toJSON']>) {
  const { locations: _locations, ...rest } = json;
  if (!rest.extensions || !('http' in rest.extensions)) return rest;
  const { http: _http, ...extensions } = rest.extensions;
  return { ...rest, extensions };
}

/** Whether this field of this type is personal data (its rules may refuse it alone). */
export type IsPersonal = (type: GraphQLNamedType, field: string) => boolean;

/**
 * The result's data at `field`, with every personal field its rules refused left out (the
 * FORBIDDEN errors GraphQL reports on them are what tells which); null data or any other error
 * makes an error answer.
 */
export function restResult(result: ExecutionResult, field: string, personal: IsPersonal, rootType: GraphQLOutputType): { data: unknown } | RestAnswer {
  const remaining: GraphQLError[] = [];
  const data = result.data as Record<string, unknown> | null | undefined;
  for (const error of result.errors ?? []) {
    if (data && error.extensions.code === ERRORS.FORBIDDEN.code && error.path && removePersonal(data, error.path, rootType, field, personal)) continue;
    remaining.push(error);
  }
  if (remaining.length > 0 || !data) return errorAnswer(remaining.length > 0 ? remaining : [new GraphQLError('No answer.')]);
  return { data: data[field] };
}

/** Deletes the value at `path` when its last step is a personal field of its object type. */
function removePersonal(
  data: Record<string, unknown>,
  path: ReadonlyArray<string | number>,
  rootType: GraphQLOutputType,
  field: string,
  personal: IsPersonal,
): boolean {
  if (path[0] !== field || path.length < 2) return false;
  let value: unknown = data[field];
  let type: GraphQLOutputType = rootType;
  for (const step of path.slice(1, -1)) {
    if (value === null || typeof value !== 'object') return false;
    value = (value as Record<string | number, unknown>)[step];
    const named = getNamedType(type);
    if (typeof step === 'string') {
      if (!isObjectType(named)) return false;
      const next = named.getFields()[step];
      if (!next) return false;
      type = next.type;
    }
  }
  const last = path.at(-1)!;
  const owner = getNamedType(type);
  if (typeof last !== 'string' || value === null || typeof value !== 'object' || !personal(owner, last)) return false;
  delete (value as Record<string, unknown>)[last];
  return true;
}

/** The REST operations, each made once from the schema (see rest-operations.ts). */
export interface RestOperations {
  readonly schema: GraphQLSchema;
  readonly users: GraphQLField<unknown, unknown>;
  readonly user: GraphQLField<unknown, unknown>;
  readonly usersByIds: GraphQLField<unknown, unknown>;
  readonly reloadUsers: GraphQLField<unknown, unknown>;
  /** Every field of a user. */
  readonly userSelection: Selection;
  /** What `GET /users` answers: the connection without its edges (the nodes are the users). */
  readonly pageSelection: Selection;
  /** The connection's count only: what an export asks before it walks the users. */
  readonly countSelection: Selection;
  /** What a reload answers. */
  readonly reloadSelection: Selection;
  /**
   * Runs an operation text (parsed and validated once) with this context: compiled, as the fast
   * lane runs a query, unless the compiled query declines; then executed, with the same context.
   */
  run(text: string, variables: Record<string, unknown>, context: RequestContext): Promise<ExecutionResult>;
  /** The data at `field` with refused personal fields left out, or the error answer. */
  answerOf(result: ExecutionResult, field: GraphQLField<unknown, unknown>): { data: unknown } | RestAnswer;
}

export function badInput(problems: readonly string[]): RestAnswer {
  return errorAnswer([
    new GraphQLError(problems.join('; '), {
      extensions: { code: ERRORS.BAD_USER_INPUT.code, issues: problems.map((message) => ({ message })) },
    }),
  ]);
}

export function send(response: ServerResponse, { status, body, headers }: RestAnswer): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}
