/**
 * The only reader of `process.env`. The environment is parsed once, by zod, into a frozen,
 * camelCase `Config`; every other module receives the part it needs.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { KEY_SCOPES, type KeyScope } from './auth/permissions.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const postgresUrl = z.url({
  protocol: /^postgres(ql)?$/,
  error: 'must be a postgres:// or postgresql:// URL',
});

const flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

/** Plain decimal digits only: no '0x1F', '1e3' or blanks sneaking through as numbers. */
const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const port = integer(0, 65_535);

/** A comma-separated list; blanks around items are dropped. */
const list = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== ''),
);

const origin = z.string().refine((value) => {
  if (value === '*') return true;
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}, 'each origin must look like https://app.example.com (scheme, host, optional port; no path) or be *');

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
      // Plain keys are hashed at once: the configuration holds no usable secret after parsing.
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

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: port.default(4000),
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_POOL_SIZE: integer(1, 100).default(10),
  MIGRATE_ON_START: flag.default(true),
  APP_ID: z
    .string()
    .regex(/^[a-z0-9-]{1,64}$/, 'must be a SuperTokens app id: 1 to 64 of a-z, 0-9 and -')
    .default('public'),
  ADMIN_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  API_KEYS: apiKeys.optional(),
  ADMIN_ROLE: z.string().trim().min(1).max(255).default('admin'),
  JWKS_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: list.optional(),
  JWT_CLOCK_SKEW_S: integer(0, 300).default(10),
  JWKS_COOLDOWN_MS: integer(0, 3_600_000).default(30_000),
  CORS_ORIGINS: list.pipe(z.array(origin)).optional(),
  INTROSPECTION: flag.optional(),
  MAX_DEPTH: integer(1, 100).default(10),
  MAX_ALIASES: integer(0, 10_000).default(20),
  MAX_TOKENS: integer(10, 1_000_000).default(1_000),
  MAX_DIRECTIVES: integer(0, 10_000).default(20),
  MAX_COST: integer(1, 10_000_000).default(250_000),
  MAX_BATCH: integer(0, 100).default(10),
  MAX_BODY_BYTES: integer(1_024, 100_000_000).default(100_000),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  ABSENT_TTL_MS: integer(0, 3_600_000).default(5_000),
  LOAD_BATCH_SIZE: integer(100, 100_000).default(5_000),
  GRAPHIQL: flag.optional(),
  LISTEN_DATABASE_URL: postgresUrl.optional(),
  CHANGE_LISTENER: flag.default(true),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  REDIS_CHANNEL: z.string().min(1).max(200).default('usergraph:changes'),
  CHANGE_COALESCE_MS: integer(0, 10_000).default(5),
  LISTENER_GRACE_MS: integer(0, 3_600_000).default(10_000),
  LISTENER_RECONNECT_MAX_MS: integer(100, 600_000).default(30_000),
  DRIFT_CHECK_INTERVAL_MS: integer(0, 86_400_000).default(60_000),
  EMBEDDED_PG_DIR: z.string().min(1).default('.usergraph'),
  EMBEDDED_PG_PORT: port.default(0),
});

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly http: {
    readonly host: string;
    readonly port: number;
    readonly graphiql: boolean;
    readonly introspection: boolean;
    /** Browser origins allowed to call (CORS); empty: none. `*` alone: any. */
    readonly corsOrigins: readonly string[];
  };
  /** `url` undefined means: run the embedded PostgreSQL with demo data. */
  readonly database: {
    readonly url: string | undefined;
    readonly poolSize: number;
    readonly migrateOnStart: boolean;
  };
  readonly embedded: {
    /** Folder holding the embedded cluster and the demo admin key; survives restarts. */
    readonly dataDir: string;
    /** 0: pick a free port at each start. */
    readonly port: number;
  };
  readonly appId: string;
  readonly auth: AuthConfig;
  readonly limits: Limits;
  readonly logLevel: LogLevel;
  readonly directory: {
    /** How long a miss confirmed by the database is remembered. */
    readonly absentTtlMs: number;
    readonly loadBatchSize: number;
  };
  /** Keeping the directory equal to the database while the service runs. */
  readonly sync: {
    /** LISTEN for the triggers' notices (off: rely on Redis and the drift check). */
    readonly listen: boolean;
    /** Where to LISTEN; undefined: the database URL. */
    readonly listenUrl: string | undefined;
    readonly redisUrl: string | undefined;
    /** Instances that share a database share this channel. */
    readonly redisChannel: string;
    readonly coalesceMs: number;
    /** How long the listener may be down before /ready says not ready. */
    readonly listenerGraceMs: number;
    readonly reconnectMaxMs: number;
    /** 0: no periodic drift check. */
    readonly driftCheckIntervalMs: number;
  };
}

export interface ApiKeyConfig {
  readonly name: string;
  readonly scopes: readonly KeyScope[];
  /** SHA-256 of the key, lower-case hex. */
  readonly sha256: string;
}

export interface JwtConfig {
  /** SuperTokens' JWKS, e.g. http://core:3567/.well-known/jwks.json */
  readonly jwksUrl: string;
  readonly issuer: string | undefined;
  readonly audience: readonly string[] | undefined;
  readonly clockSkewS: number;
  /** After a fetch, how long an unknown key id waits before the key set is fetched again. */
  readonly jwksCooldownMs: number;
}

export interface AuthConfig {
  /** Undefined: no single key opens admin operations. */
  readonly adminApiKey: string | undefined;
  readonly apiKeys: readonly ApiKeyConfig[];
  /** The SuperTokens role that makes a user an admin. */
  readonly adminRole: string;
  /** Undefined: access tokens are refused (UNAUTHENTICATED). */
  readonly jwt: JwtConfig | undefined;
}

/** What one request may ask for. */
export interface Limits {
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxTokens: number;
  readonly maxDirectives: number;
  readonly maxCost: number;
  /** Operations in one batched request; 0 turns batching off. */
  readonly maxBatch: number;
  readonly maxBodyBytes: number;
}

export class ConfigError extends Error {
  constructor(readonly issues: readonly string[]) {
    super(`Invalid environment:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Pure: parses an environment-shaped record. Empty or blank values count as unset. */
export function parseConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1].trim() !== ''),
  );
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  const conflicts: string[] = [];
  if (e.ADMIN_API_KEY !== undefined && e.API_KEYS?.some((key) => key.sha256 === sha256Hex(e.ADMIN_API_KEY!))) {
    conflicts.push('API_KEYS: a key repeats ADMIN_API_KEY');
  }
  if (e.JWKS_URL === undefined) {
    for (const name of ['JWT_ISSUER', 'JWT_AUDIENCE'] as const) {
      if (e[name] !== undefined) conflicts.push(`${name}: has no effect without JWKS_URL`);
    }
  }
  if (e.CORS_ORIGINS?.includes('*') && e.CORS_ORIGINS.length > 1) {
    conflicts.push('CORS_ORIGINS: * allows every origin; give it alone or list the origins');
  }
  if (conflicts.length > 0) throw new ConfigError(conflicts);
  return deepFreeze({
    env: e.NODE_ENV,
    http: {
      host: e.HOST,
      port: e.PORT,
      graphiql: e.GRAPHIQL ?? e.NODE_ENV !== 'production',
      introspection: e.INTROSPECTION ?? e.NODE_ENV !== 'production',
      corsOrigins: e.CORS_ORIGINS ?? [],
    },
    database: { url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE, migrateOnStart: e.MIGRATE_ON_START },
    embedded: { dataDir: e.EMBEDDED_PG_DIR, port: e.EMBEDDED_PG_PORT },
    appId: e.APP_ID,
    auth: {
      adminApiKey: e.ADMIN_API_KEY,
      apiKeys: e.API_KEYS ?? [],
      adminRole: e.ADMIN_ROLE,
      jwt:
        e.JWKS_URL === undefined
          ? undefined
          : {
              jwksUrl: e.JWKS_URL,
              issuer: e.JWT_ISSUER,
              audience: e.JWT_AUDIENCE?.length ? e.JWT_AUDIENCE : undefined,
              clockSkewS: e.JWT_CLOCK_SKEW_S,
              jwksCooldownMs: e.JWKS_COOLDOWN_MS,
            },
    },
    limits: {
      maxDepth: e.MAX_DEPTH,
      maxAliases: e.MAX_ALIASES,
      maxTokens: e.MAX_TOKENS,
      maxDirectives: e.MAX_DIRECTIVES,
      maxCost: e.MAX_COST,
      maxBatch: e.MAX_BATCH,
      maxBodyBytes: e.MAX_BODY_BYTES,
    },
    logLevel: e.LOG_LEVEL,
    directory: { absentTtlMs: e.ABSENT_TTL_MS, loadBatchSize: e.LOAD_BATCH_SIZE },
    sync: {
      listen: e.CHANGE_LISTENER,
      listenUrl: e.LISTEN_DATABASE_URL,
      redisUrl: e.REDIS_URL,
      redisChannel: e.REDIS_CHANNEL,
      coalesceMs: e.CHANGE_COALESCE_MS,
      listenerGraceMs: e.LISTENER_GRACE_MS,
      reconnectMaxMs: e.LISTENER_RECONNECT_MAX_MS,
      driftCheckIntervalMs: e.DRIFT_CHECK_INTERVAL_MS,
    },
  });
}

/** The process edge: parse `process.env`, or print every problem and exit. */
export function loadConfig(): Config {
  try {
    return parseConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`❌ ${error.message}`);
    process.exit(1);
  }
}

function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child !== null && typeof child === 'object') deepFreeze(child);
  }
  return Object.freeze(value);
}
