/**
 * A stand-in for the SuperTokens core's key endpoint: key pairs generated here, their public
 * halves served as a JWKS from a local HTTP server on port 0, and tokens signed like the core's.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT, type JWK, type JWTPayload } from 'jose';

export const ISSUER = 'https://auth.usergraph.test';
export const AUDIENCE = 'usergraph';

export interface SigningKey {
  readonly kid: string;
  readonly alg: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly publicJwk: JWK;
}

export async function createSigningKey(kid: string, alg = 'RS256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { kid, alg, privateKey, publicKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

export interface JwksServer {
  readonly url: string;
  /** How many times the key set was fetched. */
  readonly fetches: number;
  /** What the endpoint publishes from now on (a rotation). */
  publish(keys: readonly SigningKey[]): void;
  close(): Promise<void>;
}

export async function startJwksServer(keys: readonly SigningKey[]): Promise<JwksServer> {
  let published = keys;
  let fetches = 0;
  const server: Server = createServer((request, response) => {
    fetches += 1;
    if (request.url !== '/.well-known/jwks.json') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys: published.map((key) => key.publicJwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    get fetches() {
      return fetches;
    },
    publish(next) {
      published = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface TokenOptions {
  readonly roles?: readonly string[];
  readonly permissions?: readonly string[];
  readonly tenantId?: string;
  readonly issuer?: string | null;
  readonly audience?: string | null;
  /** Seconds from now; negative for a token that has expired. */
  readonly expiresIn?: number;
  readonly claims?: JWTPayload;
}

/** A SuperTokens-shaped access token for `userId`, signed with `key`. */
export async function signAccessToken(key: SigningKey, userId: string, options: TokenOptions = {}): Promise<string> {
  return new SignJWT(accessTokenClaims(options))
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setSubject(userId)
    .sign(key.privateKey);
}

/** The same claims with `alg: none` and no signature. */
export function unsignedAccessToken(userId: string, options: TokenOptions = {}): string {
  return new UnsecuredJWT(accessTokenClaims(options)).setSubject(userId).encode();
}

/**
 * Algorithm confusion: HS256 "signed" with the RSA public key's PEM as the HMAC secret, the
 * trick that fools a verifier which lets the token pick its algorithm.
 */
export async function hs256WithPublicKey(key: SigningKey, userId: string, options: TokenOptions = {}): Promise<string> {
  const secret = new TextEncoder().encode(await exportSPKI(key.publicKey));
  return new SignJWT(accessTokenClaims(options))
    .setProtectedHeader({ alg: 'HS256', kid: key.kid, typ: 'JWT' })
    .setSubject(userId)
    .sign(secret);
}

function accessTokenClaims(options: TokenOptions): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  const claims: JWTPayload = {
    iat: now - 5,
    exp: now + (options.expiresIn ?? 3600),
    sessionHandle: 'session-handle',
    tId: options.tenantId ?? 'public',
    'st-role': { v: options.roles ?? [], t: Date.now() },
    'st-perm': { v: options.permissions ?? [], t: Date.now() },
    ...options.claims,
  };
  if (options.issuer !== null) claims.iss = options.issuer ?? ISSUER;
  if (options.audience !== null) claims.aud = options.audience ?? AUDIENCE;
  return claims;
}

export const bearer = (credential: string) => ({ authorization: `Bearer ${credential}` });
