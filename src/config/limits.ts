/** What one request may ask for. */
import { z } from 'zod';
import { integer } from './values.ts';

export const LimitsModel = z
  .object({
    MAX_DEPTH: integer(1, 100).default(10),
    MAX_ALIASES: integer(0, 10_000).default(20),
    MAX_TOKENS: integer(10, 1_000_000).default(1_000),
    MAX_DIRECTIVES: integer(0, 10_000).default(20),
    MAX_ALIAS_LENGTH: integer(1, 10_000).default(64),
    MAX_COST: integer(1, 10_000_000).default(25_000),
    MAX_BATCH: integer(0, 100).default(10),
    MAX_BODY_BYTES: integer(1_024, 100_000_000).default(100_000),
  })
  .transform((e) => ({
    limits: {
      maxDepth: e.MAX_DEPTH,
      maxAliases: e.MAX_ALIASES,
      maxTokens: e.MAX_TOKENS,
      maxDirectives: e.MAX_DIRECTIVES,
      maxAliasLength: e.MAX_ALIAS_LENGTH,
      /** Values the answers to one request (a batch as a whole) may hold, counted with its variables. */
      maxCost: e.MAX_COST,
      /** Operations in one batched request; 0 turns batching off. */
      maxBatch: e.MAX_BATCH,
      maxBodyBytes: e.MAX_BODY_BYTES,
    },
  }));
