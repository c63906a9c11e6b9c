/**
 * The only reader of `process.env`. The environment is parsed once, by zod, into a frozen,
 * camelCase `Config`; every other module receives the part it needs. Each concern is one model
 * (its own file) that maps its variables to its part of the Config, with their defaults and its
 * cross-field rules; the Config is all of them together.
 */
import { z } from 'zod';
import { AuthModel } from './auth.ts';
import { DatabaseModel } from './database.ts';
import { DirectoryModel } from './directory.ts';
import { EmbeddedModel } from './embedded.ts';
import { deepFreeze, type Frozen } from './frozen.ts';
import { HttpModel } from './http.ts';
import { LimitsModel } from './limits.ts';
import { LogModel } from './log.ts';
import { SyncModel } from './sync.ts';
import { whenUnset } from './values.ts';

/** The concerns, by name (README's Concern column), in README's order. */
export const CONCERNS = {
  database: DatabaseModel,
  directory: DirectoryModel,
  auth: AuthModel,
  http: HttpModel,
  limits: LimitsModel,
  sync: SyncModel,
  log: LogModel,
  embedded: EmbeddedModel,
} as const;
export type ConcernName = keyof typeof CONCERNS;

/** Every concern reads the whole environment; their parts make the Config, and their issues add up. */
export const ConfigSchema = DatabaseModel.and(DirectoryModel)
  .and(AuthModel)
  .and(HttpModel)
  .and(LimitsModel)
  .and(SyncModel)
  .and(LogModel)
  .and(EmbeddedModel)
  // The one default that spans two concerns: the embedded demo (no DATABASE_URL) prints an admin
  // key, so it listens on this machine only unless HOST says otherwise.
  .transform((config) => ({
    ...config,
    http: { ...config.http, host: config.http.host ?? (config.database.url === undefined ? '127.0.0.1' : '0.0.0.0') },
  }));

export type Config = Frozen<z.output<typeof ConfigSchema>>;
export type AuthConfig = Config['auth'];
export type JwtConfig = NonNullable<AuthConfig['jwt']>;
export type ApiKeyConfig = AuthConfig['apiKeys'][number];
/** What one request may ask for. */
export type Limits = Config['limits'];
export type LogLevel = Config['logLevel'];
export type LogFormat = NonNullable<Config['logFormat']>;

/** One environment variable the config reads. */
export interface ConfigVariable {
  readonly name: string;
  readonly concern: ConcernName;
  /** What leaving it unset gives: a value, or (for an optional variable) what that means in words. */
  readonly default: { readonly value: unknown } | { readonly meaning: string } | undefined;
}

export const CONFIG_VARIABLES: readonly ConfigVariable[] = Object.entries(CONCERNS).flatMap(([concern, model]) =>
  Object.entries(model.in.shape).map(([name, schema]: [string, z.ZodType]) => ({
    name,
    concern: concern as ConcernName,
    default: defaultOf(schema),
  })),
);

function defaultOf(schema: z.ZodType): ConfigVariable['default'] {
  if (schema instanceof z.ZodDefault) return { value: schema.def.defaultValue };
  const unset = whenUnset.get(schema);
  return unset && { meaning: unset.meaning };
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
  const parsed = ConfigSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
    );
  }
  return deepFreeze(parsed.data);
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
