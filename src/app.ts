/**
 * createApp: the HTTP surface. yoga serves GraphQL and everything around it (GraphiQL, /ready,
 * /status, SSE, errors); the fast lane (http/fast-lane.ts) answers the common query in front of
 * it, and the REST surface (http/rest.ts) in front of both; the front door (http/front-door.ts),
 * in front of all, gives every request its id, its log line and its metrics, serves /metrics, and
 * drains on shutdown. It knows nothing of the process: it never listens, reads no environment and
 * opens no connection of its own.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import { createGraphQLError, createYoga, maskError, useReadinessCheck, type YogaServerInstance } from 'graphql-yoga';
import type { Config } from './config/config.ts';
import { databaseFault } from './db/database-errors.ts';
import type { MissingUserFetcher } from './directory/loaders.ts';
import type { UserChangeHub } from './directory/user-change-hub.ts';
import type { ReloadResult, UserDirectory } from './directory/user-directory.ts';
import { createFastLane, type FastLaneStats, type NodeListener } from './http/fast-lane.ts';
import { createFrontDoor, REQUEST_ID_HEADER } from './http/front-door.ts';
import { graphiqlOptions, renderGraphiQLOnce } from './http/graphiql.ts';
import { createPreparedOperations } from './http/prepared-operations.ts';
import { createRequestContexts } from './http/request-context.ts';
import { createRestHandler } from './http/rest.ts';
import { recordOf } from './http/request-record.ts';
import { firstTimeInRequest, type Logger } from './logger.ts';
import { Metrics, type SyncReading } from './metrics/metrics.ts';
import { ERRORS } from './errors.ts';
import { useArmor } from './plugins/use-armor.ts';
import { useCostLimit } from './plugins/use-cost-limit.ts';
import { CSRF_HEADER, useCsrfPrevention } from './plugins/use-csrf-prevention.ts';
import { useDisableIntrospection } from './plugins/use-disable-introspection.ts';
import { useLookupStats } from './plugins/use-lookup-stats.ts';
import { useMaxAliasLength } from './plugins/use-max-alias-length.ts';
import { useRequestParsing } from './plugins/use-request-parsing.ts';
import { useVariableErrors } from './plugins/use-variable-errors.ts';
import { useRequestRecord } from './plugins/use-request-record.ts';
import { useNotReady } from './plugins/use-not-ready.ts';
import { useStatus } from './plugins/use-status.ts';
import { builder } from './schema/builder.ts';
import type { GraphQLContext, RequestContext } from './schema/context.ts';
import { schema } from './schema/index.ts';

export interface AppDependencies {
  readonly config: Config;
  /** The embedded demo's admin key, accepted like ADMIN_API_KEY when that is unset. */
  readonly demoAdminKey?: string | undefined;
  readonly directory: UserDirectory;
  /** The database fallback for directory misses. */
  readonly fetchMissing: MissingUserFetcher;
  readonly logger: Logger;
  /** The stream behind the userChanged subscription. */
  readonly userChanges: UserChangeHub;
  /** /ready: the directory is loaded and kept fresh. */
  readonly isReady: () => boolean;
  /** The first load has completed: until then every GraphQL request is answered NOT_READY. */
  readonly isLoaded: () => boolean;
  /** What reloadUsers does (reload here, and ask the other instances to). */
  readonly reloadUsers: () => Promise<ReloadResult>;
  /** The body of GET /status. */
  readonly status: () => Record<string, unknown>;
  /** The change feed's counters and listener, for /metrics (undefined until it starts). */
  readonly syncReading: () => SyncReading | undefined;
}

export type Yoga = YogaServerInstance<object, RequestContext>;

export interface App {
  /** The node:http request listener: the front door, then the fast lane, else yoga. */
  readonly handleRequest: (request: IncomingMessage, response: ServerResponse) => void;
  /** yoga alone, for in-process calls (`yoga.fetch`): what the fast lane must answer alike. */
  readonly yoga: Yoga;
  readonly fastLane: Readonly<FastLaneStats>;
  readonly metrics: Metrics;
  /**
   * Shutdown has begun: /ready answers 503, every response closes its connection, and the
   * userChanged subscriptions end (their streams close cleanly).
   */
  drain(): void;
}

const GRAPHQL_ENDPOINT = '/graphql';
const METRICS_PATH = '/metrics';

export function createApp(deps: AppDependencies): App {
  const { config, logger } = deps;
  const { limits } = config;
  const contexts = createRequestContexts({ ...deps, auth: config.auth });
  let draining = false;

  const yoga: Yoga = createYoga<object, RequestContext>({
    schema,
    graphqlEndpoint: GRAPHQL_ENDPOINT,
    // Served from the package (no CDN): the page works offline and behind a proxy.
    graphiql: config.http.graphiql && graphiqlOptions({ demoAdminKey: config.auth.adminApiKey === undefined ? deps.demoAdminKey : undefined }),
    renderGraphiQL: renderGraphiQLOnce,
    landingPage: false,
    logging: yogaLogger(logger),
    cors: corsFor(config.http.corsOrigins),
    batching: limits.maxBatch > 0 ? { limit: limits.maxBatch } : false,
    maxRequestBodySize: limits.maxBodyBytes,
    // No file uploads: a multipart POST is refused like any other content type we do not take.
    multipart: false,
    maskedErrors: {
      // Never yoga's development mode: it would add the original message and stack to responses.
      isDev: false,
      maskError: (error, message) => {
        const coded = databaseFaultError(error);
        if (coded) {
          logger.warn({ err: error }, 'a lookup the directory missed failed in the database');
          return coded;
        }
        // yoga logs each error it masks, once (see yogaLogger).
        return maskError(error, message, false);
      },
    },
    context: async ({ request, req }: { request: Request; req?: IncomingMessage }): Promise<RequestContext> => {
      const record = recordOf(req);
      let caller;
      try {
        caller = await contexts.authenticate(request.headers.get('authorization'));
      } catch (error) {
        if (record) record.caller = 'refused';
        throw error;
      }
      return contexts.contextFor(caller);
    },
    plugins: [
      useCsrfPrevention(),
      useRequestParsing(),
      useNotReady(deps.isLoaded),
      useArmor({ limits, blockFieldSuggestions: !config.http.introspection }),
      useMaxAliasLength(limits.maxAliasLength),
      useCostLimit({ schema, limits }),
      useVariableErrors(),
      config.http.introspection ? {} : useDisableIntrospection(),
      useReadinessCheck({ endpoint: '/ready', check: () => !draining && deps.isReady() }),
      useStatus('/status', deps.status),
      useLookupStats(),
      useRequestRecord(),
    ],
  });

  // yoga's own parse, validate and execute: every plugin's rules and hooks apply on the fast lane too.
  // Parsed as a POST's (the lane takes no other): yoga's parse hooks read the request, and give a
  // syntax error its code and status before it is cached for yoga's own path too.
  const enveloped = yoga.getEnveloped({ request: new yoga.fetchAPI.Request(`http://fast-lane${GRAPHQL_ENDPOINT}`, { method: 'POST' }) });
  const operations = createPreparedOperations(
    enveloped,
    (context) => builder.options.scopeAuth!.authScopes(context as GraphQLContext),
    limits,
    config.directory.answerCacheUsers,
  );
  const fastLane = createFastLane({
    endpoint: GRAPHQL_ENDPOINT,
    operations,
    execute: enveloped.execute,
    schema: enveloped.schema,
    identifyCaller: contexts.identifyCaller,
    contextFor: contexts.contextFor,
    maxBodyBytes: limits.maxBodyBytes,
    maxBatch: limits.maxBatch,
    maxCost: limits.maxCost,
    onFault: (error) => logger.error({ err: error }, 'the fast lane failed; yoga answers instead'),
  });
  const toYoga = yoga as unknown as NodeListener;
  // REST (GET /users, /users/{id}, /users.ndjson, /openapi.json; POST /users/reload) runs the same
  // schema through the same envelop; everything else goes on to the fast lane, then yoga.
  const rest = createRestHandler({
    enveloped,
    authenticate: contexts.authenticate,
    contextFor: contexts.contextFor,
    snapshot: () => deps.directory.snapshot,
    isLoaded: deps.isLoaded,
    logger,
  });
  // Before the first load only yoga answers (NOT_READY): the lane would answer from an empty directory.
  const toFastLane = (request: IncomingMessage, response: ServerResponse) =>
    deps.isLoaded() ? fastLane(request, response, toYoga) : toYoga(request, response);

  const metrics = new Metrics({
    directoryUsers: () => deps.directory.snapshot.size,
    subscribers: () => deps.userChanges.subscriberCount,
    sync: deps.syncReading,
    fastLane: () => fastLane.stats,
    answerTexts: () => operations.keptAnswerTexts,
  });
  const frontDoor = createFrontDoor({
    next: (request, response) => rest(request, response, toFastLane),
    logger,
    metrics,
    metricsPath: METRICS_PATH,
  });

  return {
    handleRequest: frontDoor,
    yoga,
    fastLane: fastLane.stats,
    metrics,
    drain() {
      draining = true;
      frontDoor.drain();
      deps.userChanges.endAll();
    },
  };
}

/**
 * A statement the database could not run in time or at all (a locked table, a restart) is said
 * with its own code, not masked as unexpected: the client may retry, and nothing of it leaks.
 */
function databaseFaultError(error: unknown): GraphQLError | undefined {
  const fault = databaseFault(error instanceof GraphQLError ? error.originalError : error);
  if (fault === undefined) return undefined;
  const { code } = fault === 'timeout' ? ERRORS.DATABASE_TIMEOUT : ERRORS.DATABASE_UNAVAILABLE;
  const message =
    fault === 'timeout'
      ? 'The directory does not hold this and the database did not answer in time; retry shortly.'
      : 'The directory does not hold this and the database cannot be reached; retry shortly.';
  const at = error instanceof GraphQLError ? error : undefined;
  return createGraphQLError(message, {
    nodes: at?.nodes,
    source: at?.source,
    positions: at?.positions,
    path: at?.path,
    extensions: { code },
  });
}

/** Browsers may call from these origins only; no list, no cross-origin browser calls at all. */
function corsFor(origins: readonly string[]) {
  if (origins.length === 0) return false;
  return (request: Request) => {
    const origin = request.headers.get('origin');
    if (origin === null || (!origins.includes('*') && !origins.includes(origin))) return false;
    return {
      origin: [origin],
      methods: ['GET', 'POST'],
      allowedHeaders: ['authorization', 'content-type', REQUEST_ID_HEADER, CSRF_HEADER],
      exposedHeaders: [REQUEST_ID_HEADER],
      credentials: false,
      maxAge: 600,
    };
  };
}

/**
 * yoga's log calls as our lines, with their own message. yoga logs an error it masks, sometimes
 * twice over (its masking wrapper, then its error handler), and a request the fast lane tried
 * first meets its failure twice (the lane runs yoga's execute too): each is written once.
 */
function yogaLogger(logger: Logger) {
  const child = logger.child({ component: 'yoga' });
  const written = new WeakSet<object>();
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => (...args: unknown[]) => {
    const [first, ...rest] = args;
    if (first instanceof Error) {
      if (written.has(first) || !firstTimeInRequest(`${level}:${first.message}`)) return;
      written.add(first);
      const message = level === 'error' ? 'unexpected error (masked in the response)' : first.message;
      child[level]({ err: first, ...(rest.length > 0 && { args: rest }) }, message);
    } else if (typeof first === 'string') {
      child[level](rest.length > 0 ? { args: rest } : {}, first);
    } else {
      child[level]({ args }, 'yoga');
    }
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
