/** What the service logs. */
import { z } from 'zod';
import { optional } from './values.ts';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const LogModel = z
  .object({
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    LOG_FORMAT: optional(z.enum(['json', 'pretty']), 'unset: `pretty` on a terminal in development, else `json`'),
  })
  .transform((e) => ({
    logLevel: e.LOG_LEVEL,
    /** Undefined: the logger decides by where stdout goes (see logger.ts). */
    logFormat: e.LOG_FORMAT,
  }));
