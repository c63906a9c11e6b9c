/**
 * Who is calling, from the request's credentials. For now one credential exists: the admin API
 * key, sent as `Authorization: Bearer <key>` and compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export type Caller =
  /** No credentials were sent. */
  | { readonly kind: 'anonymous' }
  /** Credentials were sent but match nothing we know. */
  | { readonly kind: 'unrecognised' }
  | { readonly kind: 'admin' };

export interface CallerOptions {
  /** Undefined: no key opens admin operations. */
  readonly adminApiKey: string | undefined;
}

export function createCallerIdentifier({ adminApiKey }: CallerOptions): (authorization: string | null) => Caller {
  const adminDigest = adminApiKey === undefined ? undefined : sha256(adminApiKey);
  return (authorization) => {
    if (authorization === null || authorization.trim() === '') return { kind: 'anonymous' };
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) return { kind: 'anonymous' };
    // Hashing first gives equal-length buffers, so the comparison time says nothing about the key.
    if (adminDigest && timingSafeEqual(sha256(match[1]!), adminDigest)) return { kind: 'admin' };
    return { kind: 'unrecognised' };
  };
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
