/**
 * The HTTP surface: where it listens and what it shows (GraphiQL, introspection, browsers' CORS).
 * NODE_ENV lives here because the surface is all it changes: production hides GraphiQL and
 * introspection unless they are asked for.
 */
import { z } from 'zod';
import { flag, list, onceParsed, optional, port } from './values.ts';

const origin = z.string().refine((value) => {
  if (value === '*') return true;
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}, 'each origin must look like https://app.example.com (scheme, host, optional port; no path) or be *');

const UNLESS_PRODUCTION = '`true`; `false` when `NODE_ENV=production`';

export const HttpModel = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('0.0.0.0'),
    PORT: port.default(4000),
    GRAPHIQL: optional(flag, UNLESS_PRODUCTION),
    INTROSPECTION: optional(flag, UNLESS_PRODUCTION),
    CORS_ORIGINS: optional(list.pipe(z.array(origin)), 'unset: no cross-origin browser calls'),
  })
  .superRefine((e, ctx) => {
    if (e.CORS_ORIGINS?.includes('*') && e.CORS_ORIGINS.length > 1) {
      ctx.addIssue({ code: 'custom', path: ['CORS_ORIGINS'], message: '* allows every origin; give it alone or list the origins' });
    }
  }, onceParsed)
  .transform((e) => ({
    env: e.NODE_ENV,
    http: {
      host: e.HOST,
      port: e.PORT,
      graphiql: e.GRAPHIQL ?? e.NODE_ENV !== 'production',
      introspection: e.INTROSPECTION ?? e.NODE_ENV !== 'production',
      /** Browser origins allowed to call (CORS); empty: none. `*` alone: any. */
      corsOrigins: e.CORS_ORIGINS ?? [],
    },
  }));
