/**
 * The only reader of `process.env`. The environment is parsed once, by zod, into a frozen,
 * camelCase `Config`; every other module receives the part it needs.
 */
import { z } from 'zod';

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
  readonly http: { readonly host: string; readonly port: number; readonly graphiql: boolean };
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
  readonly adminApiKey: string | undefined;
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
  return deepFreeze({
    env: e.NODE_ENV,
    http: { host: e.HOST, port: e.PORT, graphiql: e.GRAPHIQL ?? e.NODE_ENV !== 'production' },
    database: { url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE, migrateOnStart: e.MIGRATE_ON_START },
    embedded: { dataDir: e.EMBEDDED_PG_DIR, port: e.EMBEDDED_PG_PORT },
    appId: e.APP_ID,
    adminApiKey: e.ADMIN_API_KEY,
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

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child !== null && typeof child === 'object') deepFreeze(child);
  }
  return Object.freeze(value);
}
