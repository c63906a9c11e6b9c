/**
 * The service: the directory kept fresh (directory-service.ts) and the app on it (app.ts). main.ts
 * adds the process around it (embedded database, migrations, HTTP, signals); the tests build
 * exactly this, so what they exercise is what runs.
 */
import { createApp, type App } from './app.ts';
import { createDirectoryService, type DirectoryService, type DirectoryServiceOptions } from './directory-service.ts';

export interface Service extends Pick<DirectoryService, 'directory' | 'freshness' | 'userChanges' | 'start' | 'stop'> {
  readonly app: App;
}

export interface ServiceOptions extends DirectoryServiceOptions {
  /** The embedded demo's admin key; ADMIN_API_KEY, when set, wins. */
  readonly demoAdminKey?: string | undefined;
}

export function createService(options: ServiceOptions): Service {
  return serviceOn(createDirectoryService(options), options);
}

/** The app on a directory service, started or not. */
export function serviceOn(core: DirectoryService, { config, logger, demoAdminKey }: Pick<ServiceOptions, 'config' | 'logger' | 'demoAdminKey'>): Service {
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
