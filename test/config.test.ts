/** parseConfig: defaults, what counts as unset, how bad values are reported, and immutability. */
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config.ts';

/** The ConfigError that parsing `env` throws; fails the test when it parses. */
function configError(env: Record<string, string>): ConfigError {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

/** The variable each issue names (the text before the first colon). */
const issueVariables = (error: ConfigError) => error.issues.map((issue) => issue.slice(0, issue.indexOf(':')));

describe('parseConfig', () => {
  it('gives the defaults for an empty environment', () => {
    expect(parseConfig({})).toEqual({
      env: 'development',
      http: { host: '0.0.0.0', port: 4000, graphiql: true },
      database: { url: undefined, poolSize: 10, migrateOnStart: true },
      embedded: { dataDir: '.usergraph', port: 0 },
      appId: 'public',
      adminApiKey: undefined,
      logLevel: 'info',
      directory: { absentTtlMs: 5000, loadBatchSize: 5000 },
      sync: {
        listen: true,
        listenUrl: undefined,
        redisUrl: undefined,
        redisChannel: 'usergraph:changes',
        coalesceMs: 5,
        listenerGraceMs: 10_000,
        reconnectMaxMs: 30_000,
        driftCheckIntervalMs: 60_000,
      },
    });
  });

  it('treats empty and blank strings as unset', () => {
    const empty = {
      NODE_ENV: '',
      PORT: '  ',
      ABSENT_TTL_MS: ' ',
      DATABASE_URL: '',
      APP_ID: '',
      ADMIN_API_KEY: '',
      LOG_LEVEL: '',
      GRAPHIQL: '',
      LOAD_BATCH_SIZE: '',
    };

    expect(parseConfig(empty)).toEqual(parseConfig({}));
  });

  it('reads valid values into the camelCase config', () => {
    const config = parseConfig({
      NODE_ENV: 'production',
      PORT: '8080',
      DATABASE_URL: 'postgresql://app@db.internal:5432/supertokens',
      APP_ID: 'tenant-app-1',
      ADMIN_API_KEY: '0123456789abcdef',
      LOG_LEVEL: 'debug',
      LOAD_BATCH_SIZE: '100',
    });

    expect(config).toMatchObject({
      env: 'production',
      http: { port: 8080 },
      database: { url: 'postgresql://app@db.internal:5432/supertokens' },
      appId: 'tenant-app-1',
      adminApiKey: '0123456789abcdef',
      logLevel: 'debug',
      directory: { loadBatchSize: 100 },
    });
  });

  describe('graphiql', () => {
    it('is on in development and test', () => {
      expect(parseConfig({ NODE_ENV: 'development' }).http.graphiql).toBe(true);
      expect(parseConfig({ NODE_ENV: 'test' }).http.graphiql).toBe(true);
    });

    it('is off in production', () => {
      expect(parseConfig({ NODE_ENV: 'production' }).http.graphiql).toBe(false);
    });

    it('is on in production when GRAPHIQL=true', () => {
      expect(parseConfig({ NODE_ENV: 'production', GRAPHIQL: 'true' }).http.graphiql).toBe(true);
    });

    it('is off in development when GRAPHIQL=false', () => {
      expect(parseConfig({ NODE_ENV: 'development', GRAPHIQL: 'false' }).http.graphiql).toBe(false);
    });
  });

  describe('rejects a bad value with an issue naming its variable', () => {
    it.each([
      ['PORT', 'abc', 'PORT: must be a whole number'],
      ['PORT', '0x1F', 'PORT: must be a whole number'],
      ['PORT', '70000', 'PORT: must be at most 65535'],
      ['ABSENT_TTL_MS', '1e3', 'ABSENT_TTL_MS: must be a whole number'],
      ['DATABASE_POOL_SIZE', '0', 'DATABASE_POOL_SIZE: must be at least 1'],
      ['DATABASE_URL', 'mysql://x', 'DATABASE_URL: must be a postgres:// or postgresql:// URL'],
      ['APP_ID', 'Bad App', 'APP_ID: must be a SuperTokens app id: 1 to 64 of a-z, 0-9 and -'],
      ['ADMIN_API_KEY', 'too-short', 'ADMIN_API_KEY: must be at least 16 characters'],
      ['LOG_LEVEL', 'loud', expect.stringMatching(/^LOG_LEVEL: /)],
      ['REDIS_URL', 'http://localhost:6379', 'REDIS_URL: must be a redis:// or rediss:// URL'],
      ['LISTEN_DATABASE_URL', 'redis://x', 'LISTEN_DATABASE_URL: must be a postgres:// or postgresql:// URL'],
      ['CHANGE_LISTENER', 'yes', expect.stringMatching(/^CHANGE_LISTENER: /)],
    ])('%s=%s', (variable, value, issue) => {
      const error = configError({ [variable]: value });

      expect(error.issues).toEqual([issue]);
      expect(error.message).toContain(`${variable}: `);
    });
  });

  it('reports every bad value at once', () => {
    const error = configError({
      PORT: 'abc',
      DATABASE_URL: 'mysql://x',
      APP_ID: 'Bad App',
      ADMIN_API_KEY: 'too-short',
      LOG_LEVEL: 'loud',
    });

    expect(issueVariables(error).sort()).toEqual(['ADMIN_API_KEY', 'APP_ID', 'DATABASE_URL', 'LOG_LEVEL', 'PORT']);
    expect(error.name).toBe('ConfigError');
  });

  it('returns a deeply frozen config', () => {
    const config = parseConfig({});

    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.http)).toBe(true);
    expect(Object.isFrozen(config.database)).toBe(true);
    expect(Object.isFrozen(config.embedded)).toBe(true);
    expect(Object.isFrozen(config.directory)).toBe(true);
  });
});
