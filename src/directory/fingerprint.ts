/**
 * An order-independent fingerprint of a set of users: their count, and the sum of the first 60
 * bits of each user's version (a hash of its database row). The repository computes the same
 * over the view in SQL; when the two differ, the directory has drifted from the database.
 */
import type { User } from './user.ts';

export interface Fingerprint {
  readonly count: number;
  /** A decimal integer (it outgrows a double). */
  readonly sum: string;
}

/** The part of a version that enters the sum: its first 15 hex digits (60 bits). */
export const VERSION_WEIGHT_HEX_DIGITS = 15;

export function fingerprintOf(users: Iterable<User>): Fingerprint {
  let count = 0;
  let sum = 0n;
  for (const user of users) {
    count++;
    sum += BigInt(`0x${user.version.slice(0, VERSION_WEIGHT_HEX_DIGITS)}`);
  }
  return { count, sum: sum.toString() };
}

export function sameFingerprint(a: Fingerprint, b: Fingerprint): boolean {
  return a.count === b.count && a.sum === b.sum;
}
