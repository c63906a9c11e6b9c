/**
 * Who may call: ADMIN_API_KEY, the backend services' API_KEYS (kept as SHA-256 digests only), the
 * role that makes a SuperTokens user an admin, and how SuperTokens access tokens are verified.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { integer, list, onceParsed, optional } from './values.ts';

/**
 * Every scope an API key may carry: a typo in API_KEYS is a config error, not a silent no. The
 * rules speak the same names as permissions (auth/permissions.ts).
 */
export const KEY_SCOPES = ['admin', 'users:read', 'users:pii'] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];

const ApiKeySchema = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'name must be 1 to 64 of A-Z, a-z, 0-9, ., _ and -'),
    scopes: z.array(z.enum(KEY_SCOPES, { error: `scopes must be among ${KEY_SCOPES.join(', ')}` })).min(1, 'give at least one scope'),
    key: z.string().min(16, 'key must be at least 16 characters').optional(),
    sha256: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'sha256 must be 64 hexadecimal digits (the SHA-256 of the key)')
      .optional(),
  })
  .refine((entry) => (entry.key === undefined) !== (entry.sha256 === undefined), 'give exactly one of key and sha256');

/** JSON text: `[{"name": …, "scopes": […], "key": …} | {"name": …, "scopes": […], "sha256": …}]`. */
const apiKeys = z
  .string()
  .transform((value, ctx) => {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON array of {name, scopes, key | sha256}' });
      return z.NEVER;
    }
  })
  .pipe(z.array(ApiKeySchema, { error: 'must be a JSON array of {name, scopes, key | sha256}' }))
  .transform((entries) =>
    entries.map((entry) => ({
      name: entry.name,
      scopes: [...new Set(entry.scopes)],
      /** SHA-256 of the key, lower-case hex. Plain keys are hashed at once: the config holds no usable secret. */
      sha256: entry.sha256?.toLowerCase() ?? sha256Hex(entry.key!),
    })),
  )
  .superRefine((entries, ctx) => {
    const names = new Set<string>();
    const digests = new Set<string>();
    for (const entry of entries) {
      if (names.has(entry.name)) ctx.addIssue({ code: 'custom', message: `two keys are named ${entry.name}` });
      if (digests.has(entry.sha256)) ctx.addIssue({ code: 'custom', message: `key ${entry.name} repeats another key` });
      names.add(entry.name);
      digests.add(entry.sha256);
    }
  });

export const AuthModel = z
  .object({
    ADMIN_API_KEY: optional(z.string().min(16, 'must be at least 16 characters'), 'unset: no such key'),
    API_KEYS: optional(apiKeys, 'unset: none'),
    ADMIN_ROLE: z.string().trim().min(1).max(255).default('admin'),
    JWKS_URL: optional(z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }), 'unset: access tokens refused'),
    JWT_ISSUER: optional(z.string().min(1), 'unset: not checked'),
    JWT_AUDIENCE: optional(list, 'unset: not checked'),
    JWT_CLOCK_SKEW_S: integer(0, 300).default(10),
    JWKS_COOLDOWN_MS: integer(0, 3_600_000).default(30_000),
  })
  .superRefine((e, ctx) => {
    if (e.ADMIN_API_KEY !== undefined && e.API_KEYS?.some((key) => key.sha256 === sha256Hex(e.ADMIN_API_KEY!))) {
      ctx.addIssue({ code: 'custom', path: ['API_KEYS'], message: 'a key repeats ADMIN_API_KEY' });
    }
    if (e.JWKS_URL === undefined) {
      for (const name of ['JWT_ISSUER', 'JWT_AUDIENCE'] as const) {
        if (e[name] !== undefined) ctx.addIssue({ code: 'custom', path: [name], message: 'has no effect without JWKS_URL' });
      }
    }
  }, onceParsed)
  .transform((e) => ({
    auth: {
      /** Undefined: no single key opens admin operations. */
      adminApiKey: e.ADMIN_API_KEY,
      apiKeys: e.API_KEYS ?? [],
      /** The SuperTokens role that makes a user an admin. */
      adminRole: e.ADMIN_ROLE,
      /** Undefined: access tokens are refused (UNAUTHENTICATED). */
      jwt:
        e.JWKS_URL === undefined
          ? undefined
          : {
              /** SuperTokens' JWKS, e.g. http://core:3567/.well-known/jwks.json */
              jwksUrl: e.JWKS_URL,
              issuer: e.JWT_ISSUER,
              audience: e.JWT_AUDIENCE?.length ? e.JWT_AUDIENCE : undefined,
              clockSkewS: e.JWT_CLOCK_SKEW_S,
              /** After a fetch, how long an unknown key id waits before the key set is fetched again. */
              jwksCooldownMs: e.JWKS_COOLDOWN_MS,
            },
    },
  }));

function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}
