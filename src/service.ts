/**
 * The service: the directory kept fresh (directory-service.ts) and the app on it (app.ts). main.ts
 * adds the process around it (embedded database, migrations, HTTP, signals); the tests build
 * exactly this, so what they exercise is what runs.
 */
import { createApp, type App } from './app.ts';
import type { Config } from './config/config.ts';
import { createDirectoryService, type DirectoryService, type DirectoryServiceOptions } from './directory-service.ts';
import type { UserChangeHub } from './directory/user-change-hub.ts';
import type { UserDirectory } from './directory/user-directory.ts';
import type { Logger } from './logger.ts';
import type { Freshness } from './sync/freshness.ts';

export interface Service {
  readonly app: App;
  readonly directory: UserDirectory;
  /** Present once started. */
  readonly freshness: Freshness | undefined;
  /** Every change the directory applies (what the userChanged subscription streams). */
  readonly userChanges: UserChangeHub;
  /** See DirectoryService.start: listens, then loads; retried until loaded or stopped. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface ServiceOptions extends DirectoryServiceOptions {
  /** The embedded demo's admin key; ADMIN_API_KEY, when set, wins. */
  readonly demoAdminKey?: string | undefined;
}

export function createService(options: ServiceOptions): Service {
  return serviceOn(createDirectoryService(options), options);
}

/** The app on a directory service, started or not. */
export function serviceOn(
  core: DirectoryService,
  { config, logger, demoAdminKey }: { readonly config: Config; readonly logger: Logger; readonly demoAdminKey?: string | undefined },
): Service {
  const { directory } = core;
  const app = createApp({
    config,
    demoAdminKey,
    directory,
    fetchMissing: core.lookups,
    logger,
    userChanges: core.userChanges,
    isReady: core.isReady,
    isLoaded: () => directory.isLoaded,
    reloadUsers: core.reloadUsers,
    status: core.status,
    syncReading: core.syncReading,
  });
  core.observeWith(app.metrics);
  return {
    app,
    directory,
    userChanges: core.userChanges,
    get freshness() {
      return core.freshness;
    },
    start: () => core.start(),
    stop: () => core.stop(),
  };
}
