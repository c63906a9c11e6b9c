/**
 * The HTTP surface: where it listens, what it shows (GraphiQL, introspection, browsers' CORS) and
 * how long it drains on shutdown.
 * NODE_ENV lives here because the surface is all it changes: production hides GraphiQL and
 * introspection unless they are asked for.
 */
import { z } from 'zod';
import { flag, integer, list, onceParsed, optional, port } from './values.ts';

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
    HOST: optional(z.string().min(1), 'unset: `0.0.0.0`; `127.0.0.1` on the embedded demo'),
    PORT: port.default(4000),
    SHUTDOWN_GRACE_MS: integer(0, 600_000).default(10_000),
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
      /** Unset: decided with the database (see config.ts): the demo listens on this machine only. */
      host: e.HOST,
      port: e.PORT,
      /** After SIGTERM/SIGINT, how long requests in flight may take before connections are cut. */
      shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
      graphiql: e.GRAPHIQL ?? e.NODE_ENV !== 'production',
      introspection: e.INTROSPECTION ?? e.NODE_ENV !== 'production',
      /** Browser origins allowed to call (CORS); empty: none. `*` alone: any. */
      corsOrigins: e.CORS_ORIGINS ?? [],
    },
  }));
