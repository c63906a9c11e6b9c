/**
 * createApp: the GraphQL service as a fetch-style handler (graphql-yoga). It knows nothing of the
 * process: it never listens, reads no environment and opens no connection of its own.
 */
import { createYoga, maskError, useReadinessCheck, type YogaServerInstance } from 'graphql-yoga';
import { createAccess } from './auth/access.ts';
import { createCallerIdentifier, type Caller } from './auth/caller.ts';
import { CredentialsRejected } from './auth/credentials-rejected.ts';
import type { Config } from './config/config.ts';
import { createLoaders, type MissingUserFetcher } from './directory/loaders.ts';
import type { ReloadResult, UserDirectory } from './directory/user-directory.ts';
import type { Logger } from './logger.ts';
import { useArmor } from './plugins/use-armor.ts';
import { CSRF_HEADER, useCsrfPrevention } from './plugins/use-csrf-prevention.ts';
import { useDisableIntrospection } from './plugins/use-disable-introspection.ts';
import { useLookupStats } from './plugins/use-lookup-stats.ts';
import { useStatus } from './plugins/use-status.ts';
import type { UserChangeHub } from './directory/user-change-hub.ts';
import type { RequestContext } from './schema/context.ts';
import { InvalidCredentialsError } from './schema/errors.ts';
import { schema } from './schema/index.ts';

export interface AppDependencies {
  readonly config: Config;
  /** The embedded demo's admin key, accepted like ADMIN_API_KEY when that is unset. */
  readonly demoAdminKey?: string | undefined;
  readonly directory: UserDirectory;
  /** The database fallback for cache misses. */
  readonly fetchMissing: MissingUserFetcher;
  readonly logger: Logger;
  /** The stream behind the userChanged subscription. */
  readonly userChanges: UserChangeHub;
  /** /ready: the directory is loaded and kept fresh. */
  readonly isReady: () => boolean;
  /** What reloadUsers does (reload here, and ask the other instances to). */
  readonly reloadUsers: () => Promise<ReloadResult>;
  /** The body of GET /status. */
  readonly status: () => Record<string, unknown>;
}

export type App = YogaServerInstance<object, RequestContext>;

export function createApp(deps: AppDependencies): App {
  const { config, directory, fetchMissing, logger, userChanges } = deps;
  const identifyCaller = createCallerIdentifier(config.auth, deps.demoAdminKey);
  const { limits } = config;

  const reloadUsers = async () => {
    try {
      return await deps.reloadUsers();
    } catch (error) {
      logger.error({ err: error }, 'reload failed; keeping the previous directory');
      throw error;
    }
  };

  const authenticate = async (authorization: string | null): Promise<Caller> => {
    try {
      return await identifyCaller(authorization);
    } catch (error) {
      if (!(error instanceof CredentialsRejected)) throw error;
      logger.info({ reason: error.reason }, 'credentials refused');
      throw new InvalidCredentialsError(error.reason);
    }
  };

  return createYoga<object, RequestContext>({
    schema,
    graphqlEndpoint: '/graphql',
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
        const masked = maskError(error, message, false);
        if (masked !== error) logger.error({ err: error }, 'unexpected error (masked in the response)');
        return masked;
      },
    },
    context: async ({ request }): Promise<RequestContext> => {
      const caller = await authenticate(request.headers.get('authorization'));
      const loaders = createLoaders(directory, fetchMissing);
      const access = createAccess(caller, {
        adminRole: config.auth.adminRole,
        userById: (id) => loaders.userById.load(id),
      });
      return { caller, access, loaders, reloadUsers, userChanges };
    },
    plugins: [
      useCsrfPrevention(),
      useArmor({ limits, blockFieldSuggestions: !config.http.introspection }),
      config.http.introspection ? {} : useDisableIntrospection(),
      useReadinessCheck({ endpoint: '/ready', check: deps.isReady }),
      useStatus('/status', deps.status),
      useLookupStats(),
    ],
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
