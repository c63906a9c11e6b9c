/** parseConfig: defaults, what counts as unset, how bad values are reported, and immutability. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/config.ts';

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
      http: { host: '127.0.0.1', port: 4000, shutdownGraceMs: 10_000, graphiql: true, introspection: true, corsOrigins: [] },
      database: {
        url: undefined,
        poolSize: 10,
        migrateOnStart: true,
        statementTimeoutMs: 5_000,
        lockTimeoutMs: 1_000,
        acquireTimeoutMs: 2_000,
      },
      embedded: { dataDir: '.usergraph', port: 0 },
      appId: 'public',
      auth: { adminApiKey: undefined, apiKeys: [], adminRole: 'admin', jwt: undefined },
      limits: {
        maxDepth: 10,
        maxAliases: 20,
        maxTokens: 1000,
        maxDirectives: 20,
        maxAliasLength: 64,
        maxCost: 25000,
        maxBatch: 10,
        maxBodyBytes: 100000,
      },
      logLevel: 'info',
      logFormat: undefined,
      directory: { absentTtlMs: 5000, loadBatchSize: 5000, answerCacheUsers: 32768 },
      sync: {
        listen: true,
        listenUrl: undefined,
        redisUrl: undefined,
        redisChannel: 'usergraph:changes',
        coalesceMs: 5,
        listenerGraceMs: 10_000,
        reconnectMaxMs: 30_000,
        driftCheckIntervalMs: 60_000,
        driftFullCheckIntervalMs: 21_600_000,
        statementTimeoutMs: 600_000,
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
      auth: { adminApiKey: '0123456789abcdef' },
      logLevel: 'debug',
      directory: { loadBatchSize: 100 },
    });
  });

  describe('HOST', () => {
    it('is this machine only on the embedded demo, every interface with a database, and HOST when given', () => {
      expect(parseConfig({}).http.host).toBe('127.0.0.1');
      expect(parseConfig({ DATABASE_URL: 'postgres://db/st' }).http.host).toBe('0.0.0.0');
      expect(parseConfig({ HOST: '0.0.0.0' }).http.host).toBe('0.0.0.0');
      expect(parseConfig({ DATABASE_URL: 'postgres://db/st', HOST: '10.1.2.3' }).http.host).toBe('10.1.2.3');
    });
  });

  it('reads the log format and the shutdown grace', () => {
    expect(parseConfig({ LOG_FORMAT: 'pretty', SHUTDOWN_GRACE_MS: '2500' })).toMatchObject({
      logFormat: 'pretty',
      http: { shutdownGraceMs: 2500 },
    });
    expect(issueVariables(configError({ LOG_FORMAT: 'yaml' }))).toEqual(['LOG_FORMAT']);
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

  describe('introspection', () => {
    it('is on in development and off in production, unless INTROSPECTION says otherwise', () => {
      expect(parseConfig({ NODE_ENV: 'development' }).http.introspection).toBe(true);
      expect(parseConfig({ NODE_ENV: 'production' }).http.introspection).toBe(false);
      expect(parseConfig({ NODE_ENV: 'production', INTROSPECTION: 'true' }).http.introspection).toBe(true);
      expect(parseConfig({ NODE_ENV: 'development', INTROSPECTION: 'false' }).http.introspection).toBe(false);
    });
  });

  describe('API_KEYS', () => {
    const digest = createHash('sha256').update('service-key-0123456789', 'utf8').digest('hex');

    it('reads keys given plainly or by SHA-256, keeping only the digest', () => {
      const config = parseConfig({
        API_KEYS: JSON.stringify([
          { name: 'billing', scopes: ['users:read'], key: 'service-key-0123456789' },
          { name: 'crm', scopes: ['users:read', 'users:pii', 'users:read'], sha256: 'AB'.repeat(32) },
        ]),
      });

      expect(config.auth.apiKeys).toEqual([
        { name: 'billing', scopes: ['users:read'], sha256: digest },
        { name: 'crm', scopes: ['users:read', 'users:pii'], sha256: 'ab'.repeat(32) },
      ]);
      expect(JSON.stringify(config)).not.toContain('service-key-0123456789');
    });

    it.each([
      ['not JSON', '{nope', 'API_KEYS: must be a JSON array of {name, scopes, key | sha256}'],
      ['not an array', '{"name":"x"}', 'API_KEYS: must be a JSON array of {name, scopes, key | sha256}'],
      ['an unknown scope', '[{"name":"x","scopes":["users:write"],"key":"0123456789abcdef"}]', /^API_KEYS\.0\.scopes\.0: scopes must be among admin, users:read, users:pii$/],
      ['no scope', '[{"name":"x","scopes":[],"key":"0123456789abcdef"}]', 'API_KEYS.0.scopes: give at least one scope'],
      ['a short key', '[{"name":"x","scopes":["admin"],"key":"short"}]', 'API_KEYS.0.key: key must be at least 16 characters'],
      ['a bad digest', '[{"name":"x","scopes":["admin"],"sha256":"abc"}]', /^API_KEYS\.0\.sha256: sha256 must be 64 hexadecimal digits/],
      ['both key and sha256', `[{"name":"x","scopes":["admin"],"key":"0123456789abcdef","sha256":"${'a'.repeat(64)}"}]`, 'API_KEYS.0: give exactly one of key and sha256'],
      ['neither key nor sha256', '[{"name":"x","scopes":["admin"]}]', 'API_KEYS.0: give exactly one of key and sha256'],
      ['an unknown property', '[{"name":"x","scopes":["admin"],"key":"0123456789abcdef","role":"y"}]', /^API_KEYS\.0: /],
      ['a repeated name', '[{"name":"x","scopes":["admin"],"key":"0123456789abcdef"},{"name":"x","scopes":["admin"],"key":"fedcba9876543210"}]', 'API_KEYS: two keys are named x'],
      ['a repeated key', '[{"name":"x","scopes":["admin"],"key":"service-key-0123456789"},{"name":"y","scopes":["admin"],"sha256":"DIGEST"}]', 'API_KEYS: key y repeats another key'],
    ])('refuses %s', (_case, value, issue) => {
      const text = value.replace('DIGEST', digest);
      const error = configError({ API_KEYS: text });
      expect(error.issues).toEqual([issue instanceof RegExp ? expect.stringMatching(issue) : issue]);
    });

    it('refuses a key that repeats ADMIN_API_KEY', () => {
      const error = configError({
        ADMIN_API_KEY: 'service-key-0123456789',
        API_KEYS: JSON.stringify([{ name: 'x', scopes: ['users:read'], sha256: digest }]),
      });
      expect(error.issues).toEqual(['API_KEYS: a key repeats ADMIN_API_KEY']);
    });
  });

  describe('access tokens', () => {
    it('are off without JWKS_URL', () => {
      expect(parseConfig({}).auth.jwt).toBeUndefined();
    });

    it('read the JWKS, issuer, audiences, clock skew and cooldown', () => {
      const config = parseConfig({
        JWKS_URL: 'http://supertokens:3567/.well-known/jwks.json',
        JWT_ISSUER: 'https://auth.example.com',
        JWT_AUDIENCE: 'usergraph, admin-ui',
        JWT_CLOCK_SKEW_S: '30',
        JWKS_COOLDOWN_MS: '0',
        ADMIN_ROLE: 'superuser',
      });
      expect(config.auth).toMatchObject({
        adminRole: 'superuser',
        jwt: {
          jwksUrl: 'http://supertokens:3567/.well-known/jwks.json',
          issuer: 'https://auth.example.com',
          audience: ['usergraph', 'admin-ui'],
          clockSkewS: 30,
          jwksCooldownMs: 0,
        },
      });
    });

    it('defaults the clock skew to 10 s and bounds it at 300 s', () => {
      expect(parseConfig({ JWKS_URL: 'https://core.example.com/jwks' }).auth.jwt?.clockSkewS).toBe(10);
      expect(configError({ JWT_CLOCK_SKEW_S: '301' }).issues).toEqual(['JWT_CLOCK_SKEW_S: must be at most 300']);
    });

    it.each([
      [{ JWKS_URL: 'ftp://core/jwks' }, 'JWKS_URL: must be an http:// or https:// URL'],
      [{ JWT_ISSUER: 'https://auth.example.com' }, 'JWT_ISSUER: has no effect without JWKS_URL'],
      [{ JWT_AUDIENCE: 'usergraph' }, 'JWT_AUDIENCE: has no effect without JWKS_URL'],
    ])('refuses %o', (env, issue) => {
      expect(configError(env).issues).toEqual([issue]);
    });
  });

  describe('CORS_ORIGINS', () => {
    it('reads a comma-separated list of origins', () => {
      expect(parseConfig({ CORS_ORIGINS: 'https://app.example.com, http://localhost:3000' }).http.corsOrigins).toEqual([
        'https://app.example.com',
        'http://localhost:3000',
      ]);
      expect(parseConfig({ CORS_ORIGINS: '*' }).http.corsOrigins).toEqual(['*']);
    });

    it.each([
      ['a path', 'https://app.example.com/'],
      ['not a URL', 'app.example.com'],
    ])('refuses an origin with %s', (_case, value) => {
      expect(configError({ CORS_ORIGINS: value }).issues).toEqual([expect.stringMatching(/^CORS_ORIGINS\.0: each origin must look like/)]);
    });

    it('refuses * among other origins', () => {
      expect(configError({ CORS_ORIGINS: '*,https://app.example.com' }).issues).toEqual([
        'CORS_ORIGINS: * allows every origin; give it alone or list the origins',
      ]);
    });
  });

  it('reads the request limits', () => {
    const config = parseConfig({
      MAX_DEPTH: '5',
      MAX_ALIASES: '3',
      MAX_TOKENS: '200',
      MAX_DIRECTIVES: '4',
      MAX_ALIAS_LENGTH: '16',
      MAX_COST: '100',
      MAX_BATCH: '0',
      MAX_BODY_BYTES: '2048',
    });
    expect(config.limits).toEqual({
      maxDepth: 5,
      maxAliases: 3,
      maxTokens: 200,
      maxDirectives: 4,
      maxAliasLength: 16,
      maxCost: 100,
      maxBatch: 0,
      maxBodyBytes: 2048,
    });
    expect(configError({ MAX_BODY_BYTES: '10' }).issues).toEqual(['MAX_BODY_BYTES: must be at least 1024']);
  });

  it('returns a deeply frozen config', () => {
    const config = parseConfig({});

    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.http)).toBe(true);
    expect(Object.isFrozen(config.database)).toBe(true);
    expect(Object.isFrozen(config.embedded)).toBe(true);
    expect(Object.isFrozen(config.directory)).toBe(true);
    expect(Object.isFrozen(config.auth.apiKeys)).toBe(true);
    expect(Object.isFrozen(config.limits)).toBe(true);
  });
});
