/** Which users the in-memory directory holds (one SuperTokens app) and how it loads and misses them. */
import { z } from 'zod';
import { integer } from './values.ts';

export const DirectoryModel = z
  .object({
    APP_ID: z
      .string()
      .regex(/^[a-z0-9-]{1,64}$/, 'must be a SuperTokens app id: 1 to 64 of a-z, 0-9 and -')
      .default('public'),
    ABSENT_TTL_MS: integer(0, 3_600_000).default(5_000),
    LOAD_BATCH_SIZE: integer(100, 100_000).default(5_000),
    ANSWER_CACHE_USERS: integer(0, 10_000_000).default(32_768),
  })
  .transform((e) => ({
    appId: e.APP_ID,
    directory: {
      /** How long a miss confirmed by the database is remembered. */
      absentTtlMs: e.ABSENT_TTL_MS,
      loadBatchSize: e.LOAD_BATCH_SIZE,
      /** Users whose answer texts the fast lane keeps, per generation (twice this at most; see http/answer-texts.ts). */
      answerCacheUsers: e.ANSWER_CACHE_USERS,
    },
  }));
