/** The SuperTokens database the service reads, or none: then the embedded demo runs. */
import { z } from 'zod';
import { flag, integer, optional, postgresUrl } from './values.ts';

export const DatabaseModel = z
  .object({
    DATABASE_URL: optional(postgresUrl, 'unset: the embedded demo'),
    DATABASE_POOL_SIZE: integer(1, 100).default(10),
    MIGRATE_ON_START: flag.default(true),
  })
  .transform((e) => ({
    /** `url` undefined means: run the embedded PostgreSQL with demo data. */
    database: { url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE, migrateOnStart: e.MIGRATE_ON_START },
  }));
