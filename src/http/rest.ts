/**
 * The REST surface, in front of yoga: `GET /users` (a page, with the arguments of the GraphQL
 * `users` field as query parameters), `GET /users/{id}`, `POST /users/reload` (admins),
 * `GET /users.ndjson` (every matching user, streamed: export.ts) and `GET /openapi.json`
 * (openapi.ts). Each runs one operation of the schema through yoga's own envelop (its limits,
 * masking and execution hooks), with the caller identified as for GraphQL: the rules that decide
 * a GraphQL answer decide the REST one. Anything else goes on to `next`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError, isObjectType, type DocumentNode, type GraphQLObjectType, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { Caller } from '../auth/caller.ts';
import type { UserSnapshot } from '../directory/user-snapshot.ts';
import { ERRORS, NOT_READY_RETRY_AFTER_S } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { builder } from '../schema/builder.ts';
import type { GraphQLContext, RequestContext } from '../schema/context.ts';
import { compileQuery, DECLINED, type CompiledQuery } from './compiled-query.ts';
import { exportUsers } from './export.ts';
import { openApiDocument } from './openapi.ts';
import {
  badInput,
  errorAnswer,
  hasDirective,
  operationText,
  restResult,
  selectAll,
  variablesFromQuery,
  send,
  type IsPersonal,
  type RestAnswer,
  type RestOperations,
} from './rest-operations.ts';

export interface RestOptions {
  /** yoga's envelop: parse and validate (every plugin's rules), execute (every plugin's hooks). */
  readonly enveloped: {
    readonly schema: GraphQLSchema;
    parse(source: string): DocumentNode;
    validate(schema: GraphQLSchema, document: DocumentNode): readonly GraphQLError[];
    execute(args: ExecutionArgs): ExecutionResult | Promise<ExecutionResult>;
  };
  /** Who is calling; rejects with the GraphQL error of refused credentials (401). */
  readonly authenticate: (authorization: string | null) => Promise<Caller>;
  readonly contextFor: (caller: Caller, snapshot?: UserSnapshot) => RequestContext;
  /** The directory's snapshot now: an export reads this one throughout. */
  readonly snapshot: () => UserSnapshot;
  /** False until the first load: REST then answers NOT_READY, as GraphQL does, not from an empty directory. */
  readonly isLoaded: () => boolean;
  readonly logger: Logger;
}

export type NextListener = (request: IncomingMessage, response: ServerResponse) => void;
export type RestHandler = (request: IncomingMessage, response: ServerResponse, next: NextListener) => void;

const MAX_KEPT_DOCUMENTS = 256;

export function createRestOperations(enveloped: RestOptions['enveloped']): RestOperations {
  const { schema } = enveloped;
  const query = schema.getQueryType()!.getFields();
  const mutation = schema.getMutationType()!.getFields();
  const objectType = (name: string): GraphQLObjectType => {
    const type = schema.getType(name);
    if (!isObjectType(type)) throw new Error(`the schema has no object type ${name}`);
    return type;
  };
  const connection = objectType('UserConnection');

  type Prepared = { readonly document: DocumentNode; readonly compiled: CompiledQuery | undefined } | readonly GraphQLError[];
  const documents = new Map<string, Prepared>();
  const scopesOf = (context: RequestContext) => builder.options.scopeAuth!.authScopes(context as GraphQLContext);
  const prepared = (text: string): Prepared => {
    let entry = documents.get(text);
    if (!entry) {
      const document = enveloped.parse(text);
      const errors = enveloped.validate(schema, document);
      entry = errors.length > 0 ? errors : { document, compiled: compileQuery(schema, document, undefined, scopesOf) };
      if (documents.size >= MAX_KEPT_DOCUMENTS) documents.delete(documents.keys().next().value!);
      documents.set(text, entry);
    }
    return entry;
  };
  const personal: IsPersonal = (type, name) => {
    const field = isObjectType(type) ? type.getFields()[name] : undefined;
    return field !== undefined && hasDirective(field, 'personal');
  };

  return {
    schema,
    users: query.users!,
    user: query.user!,
    usersByIds: query.usersByIds!,
    reloadUsers: mutation.reloadUsers!,
    userSelection: selectAll(objectType('User')),
    pageSelection: selectAll(connection, new Set(['UserConnection.edges'])),
    countSelection: { type: connection, fields: [{ field: connection.getFields().totalCount! }] },
    reloadSelection: selectAll(objectType('ReloadResult')),
    async run(text, variables, context) {
      const entry = prepared(text);
      if (!('document' in entry)) return { errors: entry };
      const data = entry.compiled?.data(context, variables) ?? DECLINED;
      if (data !== DECLINED) return { data: data as Record<string, unknown> };
      return enveloped.execute({ schema, document: entry.document, variableValues: variables, contextValue: context });
    },
    answerOf: (result, field) => restResult(result, field.name, personal, field.type),
  };
}

export function createRestHandler(options: RestOptions): RestHandler {
  const { authenticate, contextFor, logger } = options;
  const operations = createRestOperations(options.enveloped);
  let openApi: string | undefined;

  /** The caller, or the answer refusing their credentials. */
  const callerOf = async (request: IncomingMessage): Promise<Caller | RestAnswer> => {
    try {
      return await authenticate(request.headers.authorization ?? null);
    } catch (error) {
      if (error instanceof GraphQLError) return errorAnswer([error]);
      throw error;
    }
  };

  const page = async (caller: Caller, params: URLSearchParams): Promise<RestAnswer> => {
    const { variables, given, problems } = variablesFromQuery(operations.users, params);
    if (problems.length > 0) return badInput(problems);
    const text = operationText('query', operations.users, given, operations.pageSelection);
    const answer = operations.answerOf(await operations.run(text, variables, contextFor(caller)), operations.users);
    return 'data' in answer ? { status: 200, body: answer.data } : answer;
  };

  const one = async (caller: Caller, id: string): Promise<RestAnswer> => {
    const text = operationText('query', operations.user, ['id'], operations.userSelection);
    const answer = operations.answerOf(await operations.run(text, { id }, contextFor(caller)), operations.user);
    if (!('data' in answer)) return answer;
    if (answer.data === null) {
      return errorAnswer([new GraphQLError(`No user is named "${id}".`, { extensions: { code: ERRORS.USER_NOT_FOUND.code } })]);
    }
    return { status: 200, body: answer.data };
  };

  const reload = async (caller: Caller): Promise<RestAnswer> => {
    const text = operationText('mutation', operations.reloadUsers, [], operations.reloadSelection);
    const answer = operations.answerOf(await operations.run(text, {}, contextFor(caller)), operations.reloadUsers);
    return 'data' in answer ? { status: 200, body: answer.data } : answer;
  };

  const route = async (request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> => {
    if (url.pathname === '/openapi.json') {
      openApi ??= JSON.stringify(openApiDocument(operations));
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(openApi) });
      response.end(openApi);
      return;
    }
    if (!options.isLoaded()) {
      const notReady = new GraphQLError('The user directory is still loading; retry shortly.', { extensions: { code: ERRORS.NOT_READY.code } });
      return send(response, { ...errorAnswer([notReady]), headers: { 'Retry-After': String(NOT_READY_RETRY_AFTER_S) } });
    }
    const caller = await callerOf(request);
    if (!('kind' in caller)) return send(response, caller);
    if (url.pathname === '/users.ndjson') {
      return exportUsers({ operations, caller, params: url.searchParams, contextFor, snapshot: options.snapshot(), response, logger });
    }
    if (url.pathname === '/users') return send(response, await page(caller, url.searchParams));
    if (url.pathname === '/users/reload' && request.method === 'POST') return send(response, await reload(caller));
    const id = decodePathSegment(url.pathname.slice('/users/'.length));
    if (id === undefined) return send(response, badInput(['the user id in the path is not valid percent-encoding']));
    return send(response, await one(caller, id));
  };

  return (request, response, next) => {
    const url = restUrl(request);
    if (!url) {
      next(request, response);
      return;
    }
    route(request, response, url).catch((error: unknown) => {
      logger.error({ err: error }, 'a REST request failed');
      if (!response.headersSent) send(response, errorAnswer([new GraphQLError('Unexpected error.', { extensions: { code: ERRORS.INTERNAL_SERVER_ERROR.code } })]));
      else response.destroy();
    });
  };
}

/** The request's URL when it is one of the REST surface's; undefined for everything else. */
function restUrl(request: IncomingMessage): URL | undefined {
  const { method } = request;
  if (method !== 'GET' && method !== 'POST') return undefined;
  const path = (request.url ?? '').split('?')[0]!;
  const isGet = method === 'GET';
  const ours =
    (isGet && (path === '/openapi.json' || path === '/users' || path === '/users.ndjson' || /^\/users\/[^/]+$/.test(path))) ||
    (method === 'POST' && path === '/users/reload');
  return ours ? new URL(request.url!, 'http://localhost') : undefined;
}

function decodePathSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
