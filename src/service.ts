/**
 * The service assembled from a config and a database handle: repository → directory → app.
 * main.ts adds the process around it (embedded database, migrations, HTTP, signals); the tests
 * build exactly this, so what they exercise is what runs.
 */
import type { Kysely } from 'kysely';
import { createApp, type App } from './app.ts';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { createUserRepository } from './db/user-repository.ts';
import { UserCache } from './directory/user-cache.ts';
import type { Logger } from './logger.ts';

export interface Service {
  readonly app: App;
  readonly cache: UserCache;
}

export function createService(config: Config, db: Kysely<Database>, logger: Logger): Service {
  const repository = createUserRepository(db, {
    appId: config.appId,
    batchSize: config.directory.loadBatchSize,
    logger,
  });
  const cache = new UserCache(() => repository.streamAllUsers(), {
    absentTtlMs: config.directory.absentTtlMs,
    logger,
  });
  return { app: createApp({ config, cache, fetchMissing: repository, logger }), cache };
}
