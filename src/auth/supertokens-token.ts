/**
 * SuperTokens access tokens: JWTs signed by the core, whose public keys it publishes as a JWKS.
 * `jose` fetches and caches that key set; an unknown key id (a rotation) refetches it, at most
 * once per cooldown. Only asymmetric algorithms are accepted: `alg: none` and HS256 signed with
 * a public key (algorithm confusion) cannot verify. Claims: `sub` is the user, `tId` the tenant,
 * `st-role` and `st-perm` are `{ v: string[], t: ms }`.
 *
 * A verified token is remembered (by its SHA-256, at most VERIFIED_TOKENS_KEPT of them) until it
 * expires, so that a client sending the same token on every request pays for one signature check:
 * later requests are answered synchronously. A remembered token whose signing key has left the key
 * set (a rotation that a later fetch revealed) is verified again, and then refused.
 */
import { createHash } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { z } from 'zod';
import type { JwtConfig } from '../config/config.ts';
import { CredentialsRejected } from './credentials-rejected.ts';

export interface VerifiedToken {
  readonly userId: string;
  readonly tenantId: string | undefined;
  readonly tokenRoles: readonly string[];
  readonly tokenPermissions: readonly string[];
}

/** The token's claims now (a remembered token), or once its signature is checked; rejects with `CredentialsRejected`. */
export type TokenVerifier = (token: string) => VerifiedToken | Promise<VerifiedToken>;

const VERIFIED_TOKENS_KEPT = 10_000;

/** What SuperTokens signs with (RS256 today), and other asymmetric kinds; never HS* or none. */
export const ACCEPTED_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];

const claimList = z.object({ v: z.array(z.string().max(255)).max(1_000) });
const userId = z.string().min(1).max(128);

export function createTokenVerifier(config: JwtConfig): TokenVerifier {
  const keySet = createRemoteJWKSet(new URL(config.jwksUrl), {
    cooldownDuration: config.jwksCooldownMs,
    timeoutDuration: 5_000,
  });
  const remembered = new Map<string, { readonly token: VerifiedToken; readonly kid: string | undefined; readonly expiresAt: number }>();
  /** The key ids of the key set as the last verification saw it. */
  let currentKids = new Set<string | undefined>();

  const verify = async (token: string): Promise<{ token: VerifiedToken; kid: string | undefined; expiresAt: number }> => {
    let payload: JWTPayload;
    let kid: string | undefined;
    try {
      ({ payload, protectedHeader: { kid } } = await jwtVerify(token, keySet, {
        algorithms: ACCEPTED_ALGORITHMS,
        issuer: config.issuer,
        audience: config.audience ? [...config.audience] : undefined,
        clockTolerance: config.clockSkewS,
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (error) {
      throw new CredentialsRejected(rejectionReason(error));
    }
    currentKids = new Set(keySet.jwks()?.keys.map((key) => key.kid));
    const subject = userId.safeParse(payload.sub);
    if (!subject.success) throw new CredentialsRejected('The access token has no usable subject.');
    const verified: VerifiedToken = Object.freeze({
      userId: subject.data,
      tenantId: typeof payload.tId === 'string' ? payload.tId : undefined,
      // A malformed claim grants nothing (the directory's record may still): it is read as empty.
      tokenRoles: Object.freeze(claimList.safeParse(payload['st-role']).data?.v ?? []),
      tokenPermissions: Object.freeze(claimList.safeParse(payload['st-perm']).data?.v ?? []),
    });
    return { token: verified, kid, expiresAt: (payload.exp ?? 0) * 1000 }; // exp is required above
  };

  return (token) => {
    const id = createHash('sha256').update(token, 'utf8').digest('base64');
    const known = remembered.get(id);
    if (known && known.expiresAt > Date.now() && currentKids.has(known.kid)) return known.token;
    if (known) remembered.delete(id);
    return verify(token).then((entry) => {
      if (remembered.size >= VERIFIED_TOKENS_KEPT) remembered.delete(remembered.keys().next().value!);
      remembered.set(id, entry);
      return entry.token;
    });
  };
}

/** A message for the client: what failed, never the key material or the token. */
function rejectionReason(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The access token has expired.';
  if (error instanceof errors.JWTClaimValidationFailed) {
    return `The access token's "${error.claim}" claim is not accepted.`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return "The access token's algorithm is not accepted.";
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWSSignatureVerificationFailed) {
    return 'The access token is not signed by a known key.';
  }
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return 'The access token could not be verified now (the key set is unavailable).';
  }
  if (error instanceof errors.JOSEError) return 'The access token is malformed.';
  // fetch failures (the JWKS host unreachable) and the like
  return 'The access token could not be verified now (the key set is unavailable).';
}
