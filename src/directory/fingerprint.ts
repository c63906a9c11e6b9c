/**
 * An order-independent fingerprint of a set of users, in buckets: each user falls in one of 4096
 * buckets by its SuperTokens id, and each bucket holds the count of its users and the sum of the
 * first 60 bits of their versions (a hash of what the directory serves of each user). The drift
 * probe computes the same over a fresh set-wise read of the database. Buckets that differ name the few users to look at again, so that
 * a difference costs a re-read of those users, not a reload of all of them; and a bucket a change
 * in flight touched can be left out of the comparison.
 */
import { createHash } from 'node:crypto';
import type { User } from './user.ts';

/** One bucket: how many users, and the sum of their version weights (a decimal string: it outgrows a double). */
export interface BucketPrint {
  readonly count: number;
  readonly sum: string;
}

/** bucket → its print; a bucket without users is absent. */
export type Fingerprint = ReadonlyMap<number, BucketPrint>;

/** The part of a version that enters the sum: its first 15 hex digits (60 bits). */
export const VERSION_WEIGHT_HEX_DIGITS = 15;
/** A bucket is the first 3 hex digits of the md5 of the SuperTokens id: 4096 buckets. */
export const BUCKET_HEX_DIGITS = 3;

export function bucketOf(supertokensUserId: string): number {
  return Number.parseInt(createHash('md5').update(supertokensUserId).digest('hex').slice(0, BUCKET_HEX_DIGITS), 16);
}

/**
 * The fingerprint of these users. Yields to the event loop every `chunk` users, so that a million
 * users never stall a request (the snapshot it reads is immutable).
 */
export async function fingerprintOf(users: Iterable<User> | AsyncIterable<User>, chunk = 10_000): Promise<Fingerprint> {
  const counts = new Map<number, number>();
  const sums = new Map<number, bigint>();
  let sinceYield = 0;
  for await (const user of users) {
    const bucket = bucketOf(user.supertokensUserId);
    counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
    sums.set(bucket, (sums.get(bucket) ?? 0n) + BigInt(`0x${user.version.slice(0, VERSION_WEIGHT_HEX_DIGITS)}`));
    if (++sinceYield >= chunk) {
      sinceYield = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  const prints = new Map<number, BucketPrint>();
  for (const [bucket, count] of counts) prints.set(bucket, { count, sum: sums.get(bucket)!.toString() });
  return prints;
}

/** The SuperTokens ids of these users that fall in these buckets (yielding like `fingerprintOf`). */
export async function idsInBuckets(users: Iterable<User>, buckets: ReadonlySet<number>, chunk = 10_000): Promise<string[]> {
  const ids: string[] = [];
  let sinceYield = 0;
  for (const user of users) {
    if (buckets.has(bucketOf(user.supertokensUserId))) ids.push(user.supertokensUserId);
    if (++sinceYield >= chunk) {
      sinceYield = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return ids;
}

/** The buckets whose prints differ (a bucket only one side has counts). */
export function differingBuckets(a: Fingerprint, b: Fingerprint): number[] {
  const differing: number[] = [];
  for (const bucket of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(bucket);
    const y = b.get(bucket);
    if (x?.count !== y?.count || x?.sum !== y?.sum) differing.push(bucket);
  }
  return differing.sort((p, q) => p - q);
}
