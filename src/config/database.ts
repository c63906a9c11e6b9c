/**
 * The SuperTokens database the service reads, or none: then the embedded demo runs. And how long
 * any statement may keep a caller waiting: every bound is PostgreSQL's own (statement_timeout,
 * lock_timeout) or the pool's, so a locked table or a hung server ends in a coded error instead of
 * a request that never answers.
 */
import { z } from 'zod';
import { flag, integer, optional, postgresUrl } from './values.ts';

export const DatabaseModel = z
  .object({
    DATABASE_URL: optional(postgresUrl, 'unset: the embedded demo'),
    DATABASE_POOL_SIZE: integer(1, 100).default(10),
    MIGRATE_ON_START: flag.default(true),
    DATABASE_STATEMENT_TIMEOUT_MS: integer(0, 3_600_000).default(5_000),
    DATABASE_LOCK_TIMEOUT_MS: integer(0, 3_600_000).default(1_000),
    DATABASE_ACQUIRE_TIMEOUT_MS: integer(0, 600_000).default(2_000),
  })
  .transform((e) => ({
    /** `url` undefined means: run the embedded PostgreSQL with demo data. */
    database: {
      url: e.DATABASE_URL,
      /** Connections for lookups (directory misses); synchronisation has a small pool of its own. */
      poolSize: e.DATABASE_POOL_SIZE,
      migrateOnStart: e.MIGRATE_ON_START,
      /** A lookup's statement_timeout (0: none). Loads and re-reads have SYNC_STATEMENT_TIMEOUT_MS. */
      statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
      /** lock_timeout of every statement, lookups and synchronisation alike (0: none). */
      lockTimeoutMs: e.DATABASE_LOCK_TIMEOUT_MS,
      /** Longest wait for a pooled connection, opening one included (0: no limit). */
      acquireTimeoutMs: e.DATABASE_ACQUIRE_TIMEOUT_MS,
    },
  }));
