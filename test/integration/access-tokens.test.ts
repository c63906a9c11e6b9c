/**
 * SuperTokens access tokens, verified against a JWKS served from a local HTTP server: keys made
 * here, tokens signed here. A token that does not verify is refused as UNAUTHENTICATED (401),
 * never served as anonymous.
 */
import { SignJWT } from 'jose';
import { describe, expect } from 'vitest';
import { signUpEmailPassword } from '../../supertokens-standin/writes.ts';
import {
  AUDIENCE,
  bearer,
  createSigningKey,
  hs256WithPublicKey,
  ISSUER,
  signAccessToken,
  startJwksServer,
  unsignedAccessToken,
  type SigningKey,
} from '../support/jwks.ts';
import { test } from '../support/fixtures.ts';
import { errorCodes, expectData, type TestServer } from '../support/server.ts';

const VIEWER = '{ viewer { kind userId tenantId roles permissions isAdmin user { id email } } }';

const it = test
  /** The id of the user the tokens name. */
  .extend('seed', { scope: 'file' }, ({ database }) => signUpEmailPassword(database.db, { email: 'token-holder@example.com' }))
  .extend('key', { scope: 'file' }, () => createSigningKey('key-1'))
  .extend('jwks', { scope: 'file' }, async ({ key }, { onCleanup }) => {
    const jwks = await startJwksServer([key]);
    onCleanup(() => jwks.close());
    return jwks;
  })
  .extend('serverEnv', { scope: 'file' }, ({ jwks }) => ({
    JWKS_URL: jwks.url,
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
    JWT_CLOCK_SKEW_S: '30',
    // Rotation is tested below: an unknown key id may refetch the key set at once.
    JWKS_COOLDOWN_MS: '0',
  }));

/** A raw POST, for the status and headers as well as the body. */
async function post(server: TestServer, query: string, headers: Record<string, string>) {
  const response = await server.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

describe('a valid access token', () => {
  it('makes the caller that user, with the roles and permissions the token states', async ({ server, seed: userId, key }) => {
    const token = await signAccessToken(key, userId, { roles: ['editor'], permissions: ['users:read'], tenantId: 'public' });
    const data = expectData(await server.execute(VIEWER, {}, bearer(token)));
    expect(data.viewer).toEqual({
      kind: 'USER',
      userId,
      tenantId: 'public',
      roles: ['editor'],
      permissions: ['users:read'],
      isAdmin: false,
      user: { id: userId, email: 'token-holder@example.com' },
    });
  });

  it('is accepted within the allowed clock skew after expiry', async ({ server, seed: userId, key }) => {
    const token = await signAccessToken(key, userId, { expiresIn: -20 });
    expect(expectData(await server.execute(VIEWER, {}, bearer(token))).viewer.kind).toBe('USER');
  });

  it('reads a malformed st-role claim as no roles, not as a refusal', async ({ server, seed: userId, key }) => {
    const token = await signAccessToken(key, userId, { claims: { 'st-role': { v: 'admin' } } });
    const data = expectData(await server.execute(VIEWER, {}, bearer(token)));
    expect(data.viewer).toMatchObject({ kind: 'USER', roles: [], isAdmin: false });
  });
});

describe('a token that does not verify is UNAUTHENTICATED with 401, never anonymous', () => {
  const cases: Array<[string, (key: SigningKey, userId: string) => Promise<string>, RegExp]> = [
    ['expired beyond the clock skew', (key, userId) => signAccessToken(key, userId, { expiresIn: -31 }), /expired/],
    ['from another issuer', (key, userId) => signAccessToken(key, userId, { issuer: 'https://evil.example.com' }), /"iss"/],
    ['without an issuer', (key, userId) => signAccessToken(key, userId, { issuer: null }), /"iss"/],
    ['for another audience', (key, userId) => signAccessToken(key, userId, { audience: 'another-service' }), /"aud"/],
    ['without an audience', (key, userId) => signAccessToken(key, userId, { audience: null }), /"aud"/],
    ['signed by a key the JWKS does not hold (same kid)', async (_key, userId) => signAccessToken({ ...(await createSigningKey('key-1')) }, userId), /not signed by a known key/],
    ['signed by an unknown key id', async (_key, userId) => signAccessToken(await createSigningKey('stranger'), userId), /not signed by a known key/],
    ['unsigned (alg: none)', async (_key, userId) => unsignedAccessToken(userId), /algorithm/],
    ['HS256 signed with the public key (algorithm confusion)', (key, userId) => hs256WithPublicKey(key, userId), /algorithm/],
    ['without a subject', (key, userId) => new SignJWT({ iss: ISSUER, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 60 }).setProtectedHeader({ alg: 'RS256', kid: 'key-1' }).sign(key.privateKey), /"sub"/],
    ['with a tampered payload', async (key, userId) => {
      const [header, , signature] = (await signAccessToken(key, userId)).split('.');
      const forged = Buffer.from(JSON.stringify({ sub: 'someone-else', iss: ISSUER, aud: AUDIENCE, exp: 4_102_444_800 })).toString('base64url');
      return `${header}.${forged}.${signature}`;
    }, /not signed by a known key/],
    ['not a JWT at all, nor a known key', async () => 'garbage', /Unknown API key/],
  ];

  it.for(cases)('%s', async ([_case, makeToken, reason], { server, seed: userId, key }) => {
    const response = await post(server, VIEWER, bearer(await makeToken(key, userId)));
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(response.body.data ?? null).toBeNull();
    expect(errorCodes(response.body)).toEqual(['UNAUTHENTICATED']);
    expect(response.body.errors[0].message).toMatch(reason);
  });

  it.for([
    ['a Basic header', 'Basic dXNlcjpwYXNz', /must be "Bearer/],
    ['a bearer with no credential', 'Bearer ', /must be "Bearer/],
    ['two credentials', 'Bearer a b', /must be "Bearer/],
    ['an oversized credential', `Bearer ${'a'.repeat(10_000)}`, /too long/],
  ] as const)('refuses %s', async ([_case, authorization, reason], { server }) => {
    const response = await post(server, VIEWER, { authorization });
    expect(response.status).toBe(401);
    expect(errorCodes(response.body)).toEqual(['UNAUTHENTICATED']);
    expect(response.body.errors[0].message).toMatch(reason);
  });

  it('answers no header at all as anonymous', async ({ server }) => {
    expect(expectData(await server.execute(VIEWER, {}, {})).viewer).toMatchObject({ kind: 'ANONYMOUS', user: null });
  });
});

describe('key rotation', () => {
  it('fetches the key set again for a new key id, and drops a retired key', async ({ server, seed: userId, key, jwks }) => {
    const next = await createSigningKey('key-2');
    const retired = await signAccessToken(key, userId);
    expectData(await server.execute(VIEWER, {}, bearer(retired)));

    jwks.publish([next]);
    const fetchesBefore = jwks.fetches;
    const fresh = await signAccessToken(next, userId);
    expect(expectData(await server.execute(VIEWER, {}, bearer(fresh))).viewer.userId).toBe(userId);
    expect(jwks.fetches).toBeGreaterThan(fetchesBefore);

    const response = await post(server, VIEWER, bearer(retired));
    expect(response.status).toBe(401);
    expect(response.body.errors[0].message).toMatch(/not signed by a known key/);

    jwks.publish([key, next]); // the rest of this file signs with key-1
  });
});

describe('configuration', () => {
  it('refuses every token when no JWKS_URL is configured', async ({ database, startServer, seed: userId, key }) => {
    const keyless = await startServer(database.url);
    const response = await keyless.execute(VIEWER, {}, bearer(await signAccessToken(key, userId)));
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
    expect(response.errors?.[0]?.message).toMatch(/no JWKS_URL/);
  });

  it('refuses tokens, saying so, when the key set cannot be fetched', async ({ database, startServer, seed: userId, key }) => {
    const down = await startJwksServer([key]);
    const url = down.url;
    await down.close();
    const unreachable = await startServer(database.url, { JWKS_URL: url });
    const response = await unreachable.execute(VIEWER, {}, bearer(await signAccessToken(key, userId)));
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
    expect(response.errors?.[0]?.message).toMatch(/key set is unavailable/);
  });

  it('accepts tokens without issuer or audience when none is configured', async ({ database, startServer, seed: userId, key, jwks }) => {
    const lenient = await startServer(database.url, { JWKS_URL: jwks.url });
    const token = await signAccessToken(key, userId, { issuer: null, audience: null });
    expect(expectData(await lenient.execute(VIEWER, {}, bearer(token))).viewer.kind).toBe('USER');
  });
});
