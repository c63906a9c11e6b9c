/**
 * Who is calling, from the request's `Authorization: Bearer <credential>` header. The credential
 * is an API key (ADMIN_API_KEY or one of API_KEYS, compared by SHA-256 in constant time) or a
 * SuperTokens access token (a JWT verified against the core's JWKS). No header: anonymous.
 * Anything else (a malformed header, an unknown key, a token that does not verify) is refused
 * with `CredentialsRejected`: bad credentials never fall back to anonymous.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { KeyScope } from '../config/auth.ts';
import type { ApiKeyConfig, AuthConfig } from '../config/config.ts';
import { CredentialsRejected } from './credentials-rejected.ts';
import { ADMIN_SCOPE } from './permissions.ts';
import { createTokenVerifier, type TokenVerifier } from './supertokens-token.ts';

export type Caller =
  /** No credentials were sent. */
  | { readonly kind: 'anonymous' }
  /** A signed-in SuperTokens user; roles and permissions as the access token states them. */
  | {
      readonly kind: 'user';
      readonly userId: string;
      /** The session's tenant (`tId`), when the token names one. */
      readonly tenantId: string | undefined;
      readonly tokenRoles: readonly string[];
      readonly tokenPermissions: readonly string[];
    }
  /** A backend service, by one of API_KEYS. */
  | { readonly kind: 'service'; readonly name: string; readonly scopes: readonly KeyScope[] }
  /** ADMIN_API_KEY. */
  | { readonly kind: 'admin' };

export type CallerIdentifier = (authorization: string | null) => Promise<Caller>;

/** Longer bearer values are refused unread: SuperTokens' tokens are far below this (and Node refuses headers over 16 KiB). */
const MAX_CREDENTIAL_LENGTH = 8_192;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

interface KnownKey {
  readonly digest: Buffer;
  readonly caller: Caller;
}

/** `demoAdminKey`: the embedded demo's key, which stands in for ADMIN_API_KEY when that is unset. */
export function createCallerIdentifier(auth: AuthConfig, demoAdminKey?: string): CallerIdentifier {
  const keys: KnownKey[] = auth.apiKeys.map(keyToKnown);
  const adminKey = auth.adminApiKey ?? demoAdminKey;
  if (adminKey !== undefined) keys.push({ digest: sha256(adminKey), caller: { kind: 'admin' } });
  const verifyToken: TokenVerifier | undefined = auth.jwt ? createTokenVerifier(auth.jwt) : undefined;

  return async (authorization) => {
    if (authorization === null || authorization.trim() === '') return { kind: 'anonymous' };
    const match = /^Bearer +(\S+) *$/i.exec(authorization);
    if (!match) throw new CredentialsRejected('The Authorization header must be "Bearer <token or API key>".');
    const credential = match[1]!;
    if (credential.length > MAX_CREDENTIAL_LENGTH) throw new CredentialsRejected('The credential is too long.');

    const key = findKey(keys, credential);
    if (key) return key.caller;
    if (!COMPACT_JWS.test(credential)) throw new CredentialsRejected('Unknown API key.');
    if (!verifyToken) throw new CredentialsRejected('Access tokens are not accepted here (no JWKS_URL is configured).');
    const token = await verifyToken(credential);
    return { kind: 'user', ...token };
  };
}

function keyToKnown(key: ApiKeyConfig): KnownKey {
  const scopes = [...key.scopes];
  return {
    digest: Buffer.from(key.sha256, 'hex'),
    caller: { kind: 'service', name: key.name, scopes },
  };
}

/**
 * Every known key is compared, whatever matched before: hashing first gives equal-length buffers
 * and the loop does not stop early, so timing says nothing about the keys.
 */
function findKey(keys: readonly KnownKey[], credential: string): KnownKey | undefined {
  const digest = sha256(credential);
  let found: KnownKey | undefined;
  for (const key of keys) {
    if (timingSafeEqual(digest, key.digest)) found = key;
  }
  return found;
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** True for a key that carries the admin scope, or ADMIN_API_KEY. Users: see access.ts. */
export function isAdminKey(caller: Caller): boolean {
  return caller.kind === 'admin' || (caller.kind === 'service' && caller.scopes.includes(ADMIN_SCOPE));
}
