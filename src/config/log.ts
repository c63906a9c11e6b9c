/** What the service logs. */
import { z } from 'zod';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const LogModel = z
  .object({
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  })
  .transform((e) => ({ logLevel: e.LOG_LEVEL }));
