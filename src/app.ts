/**
 * createApp: the GraphQL service as a fetch-style handler (graphql-yoga). It knows nothing of the
 * process: it never listens, reads no environment and opens no connection of its own.
 */
import { createYoga, maskError, useReadinessCheck, type YogaServerInstance } from 'graphql-yoga';
import { createCallerIdentifier } from './auth/caller.ts';
import type { Config } from './config.ts';
import { createLoaders, type MissingUserFetcher } from './directory/loaders.ts';
import type { ReloadResult, UserCache } from './directory/user-cache.ts';
import type { Logger } from './logger.ts';
import { useLookupStats } from './plugins/use-lookup-stats.ts';
import { useStatus } from './plugins/use-status.ts';
import type { UserChangeHub } from './directory/user-change-hub.ts';
import type { RequestContext } from './schema/context.ts';
import { schema } from './schema/index.ts';

export interface AppDependencies {
  readonly config: Config;
  readonly cache: UserCache;
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
  const { config, cache, fetchMissing, logger, userChanges } = deps;
  const identifyCaller = createCallerIdentifier({ adminApiKey: config.adminApiKey });

  const reloadUsers = async () => {
    try {
      return await deps.reloadUsers();
    } catch (error) {
      logger.error({ err: error }, 'reload failed; keeping the previous directory');
      throw error;
    }
  };

  return createYoga<object, RequestContext>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: config.http.graphiql,
    landingPage: false,
    logging: yogaLogger(logger),
    maskedErrors: {
      maskError: (error, message, isDev) => {
        logger.error({ err: error }, 'unexpected error (masked in the response)');
        return maskError(error, message, isDev);
      },
    },
    context: ({ request }): RequestContext => ({
      caller: identifyCaller(request.headers.get('authorization')),
      loaders: createLoaders(cache, fetchMissing),
      reloadUsers,
      userChanges,
    }),
    plugins: [
      useReadinessCheck({ endpoint: '/ready', check: deps.isReady }),
      useStatus('/status', deps.status),
      useLookupStats(),
    ],
  });
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
