/**
 * createApp: the HTTP surface. yoga serves GraphQL and everything around it (GraphiQL, /ready,
 * /status, SSE, errors); the fast lane (http/fast-lane.ts) answers the common query in front of
 * it. It knows nothing of the process: it never listens, reads no environment and opens no
 * connection of its own.
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
import { createPreparedOperations } from './http/prepared-operations.ts';
import { createRequestContexts } from './http/request-context.ts';
import { ERRORS } from './errors.ts';
import type { Logger } from './logger.ts';
import { useArmor } from './plugins/use-armor.ts';
import { CSRF_HEADER, useCsrfPrevention } from './plugins/use-csrf-prevention.ts';
import { useDisableIntrospection } from './plugins/use-disable-introspection.ts';
import { useLookupStats } from './plugins/use-lookup-stats.ts';
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
}

export type Yoga = YogaServerInstance<object, RequestContext>;

export interface App {
  /** The node:http request listener: the fast lane, else yoga. */
  readonly handleRequest: (request: IncomingMessage, response: ServerResponse) => void;
  /** yoga alone, for in-process calls (`yoga.fetch`): what the fast lane must answer alike. */
  readonly yoga: Yoga;
  readonly fastLane: Readonly<FastLaneStats>;
}

const GRAPHQL_ENDPOINT = '/graphql';

export function createApp(deps: AppDependencies): App {
  const { config, logger } = deps;
  const { limits } = config;
  const contexts = createRequestContexts({ ...deps, auth: config.auth });

  const yoga: Yoga = createYoga<object, RequestContext>({
    schema,
    graphqlEndpoint: GRAPHQL_ENDPOINT,
    graphiql: config.http.graphiql,
    landingPage: false,
    logging: yogaLogger(logger),
    cors: corsFor(config.http.corsOrigins),
    batching: limits.maxBatch > 0 ? { limit: limits.maxBatch } : false,
    maxRequestBodySize: limits.maxBodyBytes,
    maskedErrors: {
      // Never yoga's development mode: it would add the original message and stack to responses.
      isDev: false,
      maskError: (error, message) => {
        const coded = databaseFaultError(error);
        if (coded) {
          logger.warn({ err: error }, 'a lookup the directory missed failed in the database');
          return coded;
        }
        const masked = maskError(error, message, false);
        if (masked !== error) logger.error({ err: error }, 'unexpected error (masked in the response)');
        return masked;
      },
    },
    context: async ({ request }): Promise<RequestContext> =>
      contexts.contextFor(await contexts.authenticate(request.headers.get('authorization'))),
    plugins: [
      useCsrfPrevention(),
      useNotReady(deps.isLoaded),
      useArmor({ limits, blockFieldSuggestions: !config.http.introspection }),
      config.http.introspection ? {} : useDisableIntrospection(),
      useReadinessCheck({ endpoint: '/ready', check: deps.isReady }),
      useStatus('/status', deps.status),
      useLookupStats(),
    ],
  });

  // yoga's own parse, validate and execute: every plugin's rules and hooks apply on the fast lane too.
  const enveloped = yoga.getEnveloped({});
  const fastLane = createFastLane({
    endpoint: GRAPHQL_ENDPOINT,
    operations: createPreparedOperations(enveloped, (context) => builder.options.scopeAuth!.authScopes(context as GraphQLContext)),
    execute: enveloped.execute,
    schema: enveloped.schema,
    identifyCaller: contexts.identifyCaller,
    contextFor: contexts.contextFor,
    maxBodyBytes: limits.maxBodyBytes,
    maxBatch: limits.maxBatch,
    onFault: (error) => logger.error({ err: error }, 'the fast lane failed; yoga answers instead'),
  });
  const toYoga = yoga as unknown as NodeListener;

  return {
    // Before the first load only yoga answers (NOT_READY): the lane would answer from an empty directory.
    handleRequest: (request, response) => (deps.isLoaded() ? fastLane(request, response, toYoga) : toYoga(request, response)),
    yoga,
    fastLane: fastLane.stats,
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
      allowedHeaders: ['authorization', 'content-type', CSRF_HEADER],
      credentials: false,
      maxAge: 600,
    };
  };
}

function yogaLogger(logger: Logger) {
  const child = logger.child({ component: 'yoga' });
  return {
    debug: (...args: unknown[]) => child.debug({ args }, 'yoga'),
    info: (...args: unknown[]) => child.info({ args }, 'yoga'),
    warn: (...args: unknown[]) => child.warn({ args }, 'yoga'),
    error: (...args: unknown[]) => child.error({ args }, 'yoga'),
  };
}
