/**
 * Who is calling, from the request's `Authorization: Bearer <credential>` header. The credential
 * is an API key (ADMIN_API_KEY or one of API_KEYS, compared by SHA-256 in constant time) or a
 * SuperTokens access token (a JWT verified against the core's JWKS). No header: anonymous.
 * Anything else (a malformed header, an unknown key, a token that does not verify) is refused
 * with `CredentialsRejected`: bad credentials never fall back to anonymous.
 *
 * Answers are synchronous but for a token the verifier has not seen yet (see supertokens-token.ts).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { KeyScope } from '../config/auth.ts';
import type { ApiKeyConfig, AuthConfig } from '../config/config.ts';
import { CredentialsRejected } from './credentials-rejected.ts';
import { whenReady } from '../maybe-promise.ts';
import { ADMIN_SCOPE } from './permissions.ts';
import { createTokenVerifier, type TokenVerifier, type VerifiedToken } from './supertokens-token.ts';

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

/** A caller now, or a promise of one while a token is verified; throws (or rejects with) `CredentialsRejected`. */
export type CallerIdentifier = (authorization: string | null) => Caller | Promise<Caller>;


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
  // The credentials that matched a key, with their caller: a service sends the same key on every
  // request, and hashing it costs more than all the rest of identifying it. Only a credential that
  // matched is kept, so this holds one entry per configured key at most (a stranger's guesses never
  // grow it). A lookup hashes the whole credential and compares it only with an entry of equal
  // hash: how long it takes says nothing of a key's content.
  const knownCredentials = new Map<string, Caller>();

  return (authorization) => {
    if (authorization === null || authorization.trim() === '') return ANONYMOUS;
    const match = /^Bearer +(\S+) *$/i.exec(authorization);
    if (!match) throw new CredentialsRejected('The Authorization header must be "Bearer <token or API key>".');
    const credential = match[1]!;
    if (credential.length > MAX_CREDENTIAL_LENGTH) throw new CredentialsRejected('The credential is too long.');

    const remembered = knownCredentials.get(credential);
    if (remembered) return remembered;
    const key = findKey(keys, sha256(credential));
    if (key) {
      knownCredentials.set(credential, key.caller);
      return key.caller;
    }
    if (!COMPACT_JWS.test(credential)) throw new CredentialsRejected('Unknown API key.');
    if (!verifyToken) throw new CredentialsRejected('Access tokens are not accepted here (no JWKS_URL is configured).');
    return whenReady(verifyToken(credential), (token) => userCallers.get(token) ?? remember(token));
  };
}

const ANONYMOUS: Caller = Object.freeze({ kind: 'anonymous' });

/** One caller object per verified token, so that per-caller memos (grants) can key on it. */
const userCallers = new WeakMap<VerifiedToken, Caller>();

function remember(token: VerifiedToken): Caller {
  const caller: Caller = Object.freeze({ kind: 'user', ...token });
  userCallers.set(token, caller);
  return caller;
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
function findKey(keys: readonly KnownKey[], digest: Buffer): KnownKey | undefined {
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
