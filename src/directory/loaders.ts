/**
 * Per-request readers of the directory. Each request gets fresh DataLoaders over the snapshot
 * that was current when it began; the keys the cache does not hold go to the database in one
 * batched query per tick (through `fetchMissing`, handed in so this module knows no SQL).
 */
import DataLoader from 'dataloader';
import { chooseUserByEmail, compareOldestFirst, normalizeEmail, userKeys, type User } from './user.ts';
import type { UserDirectory } from './user-directory.ts';
import type { UserPage, UserPageQuery, UserSnapshot } from './user-snapshot.ts';

/** The database fallback for keys the cache misses: one query per call. */
export interface MissingUserFetcher {
  /** Users named by any of these ids (any id a user has, see `userKeys`). */
  findUsersByIds(ids: readonly string[]): Promise<readonly User[]>;
  /** Users holding any of these (normalised) emails through any login method. */
  findUsersByEmails(emails: readonly string[]): Promise<readonly User[]>;
}

/** What this request's lookups cost: reported in the response's extensions. */
export interface LookupStats {
  cacheHits: number;
  databaseLookups: number;
  databaseQueries: number;
}

export interface EmailInTenant {
  readonly email: string;
  readonly tenantId: string;
}

export interface Loaders {
  /** The user any of its ids names. */
  readonly userById: DataLoader<string, User | null>;
  /** Every user holding an email through any login method, oldest first. */
  readonly usersByEmail: DataLoader<string, readonly User[]>;
  /** The user holding an email in a tenant: the primary one, else the oldest (see `chooseUserByEmail`). */
  readonly userByEmail: DataLoader<EmailInTenant, User | null, string>;
  listUsers(query: UserPageQuery): UserPage;
  readonly stats: LookupStats;
}

/** Large enough to batch a page of lookups, small enough to keep one `= ANY($1)` cheap. */
const MAX_BATCH_SIZE = 500;

export function createLoaders(directory: UserDirectory, fetchMissing: MissingUserFetcher): Loaders {
  const snapshot: UserSnapshot = directory.snapshot;
  const stats: LookupStats = { cacheHits: 0, databaseLookups: 0, databaseQueries: 0 };

  /**
   * The directory first; the keys it misses (and has not seen the database deny lately) go to the
   * database in one query. What is found joins the directory; what is not is remembered as absent.
   */
  async function lookUp<V>(keys: readonly string[], way: LookupWay<V>): Promise<Map<string, V>> {
    const found = new Map<string, V>();
    const missing: string[] = [];
    for (const key of keys) {
      const value = way.inSnapshot(key);
      if (value !== undefined) found.set(key, value);
      else if (!way.knownAbsent(key)) missing.push(key);
    }
    stats.cacheHits += keys.length - missing.length;
    if (missing.length === 0) return found;
    stats.databaseLookups += missing.length;
    stats.databaseQueries += 1;
    const fetched = await way.fetch(missing);
    directory.apply({ upserts: fetched, deletedIds: [] });
    const inFetched = way.finderIn(fetched);
    for (const key of missing) {
      const value = inFetched(key);
      if (value !== undefined) found.set(key, value);
      else way.rememberAbsent(key);
    }
    return found;
  }

  const userById: DataLoader<string, User | null> = new DataLoader(
    async (ids) => {
      const found = await lookUp(ids, {
        inSnapshot: (id) => snapshot.userNamedBy(id),
        knownAbsent: (id) => directory.isKnownAbsentId(id),
        fetch: (missing) => fetchMissing.findUsersByIds(missing),
        // An id may name a fetched user by any of its keys.
        finderIn: (fetched) => {
          const byKey = keyIndex(fetched);
          return (id) => byKey.get(id);
        },
        rememberAbsent: (id) => directory.rememberAbsentId(id),
      });
      // No priming of the email loaders here: an email may have other holders than this user.
      return ids.map((id) => found.get(id) ?? null);
    },
    { maxBatchSize: MAX_BATCH_SIZE },
  );

  const usersByEmail: DataLoader<string, readonly User[]> = new DataLoader(
    async (rawEmails) => {
      const emails = rawEmails.map(normalizeEmail);
      const found = await lookUp<readonly User[]>(emails, {
        inSnapshot: (email) => nonEmpty(snapshot.getByEmail(email)),
        knownAbsent: (email) => directory.isKnownAbsentEmail(email),
        fetch: (missing) => fetchMissing.findUsersByEmails(missing),
        finderIn: (fetched) => (email) =>
          nonEmpty(fetched.filter((user) => user.emails.some((held) => normalizeEmail(held) === email)).sort(compareOldestFirst)),
        rememberAbsent: (email) => directory.rememberAbsentEmail(email),
      });
      return emails.map((email) => {
        const holders = found.get(email) ?? [];
        for (const user of holders) userById.prime(user.id, user);
        return holders;
      });
    },
    { maxBatchSize: MAX_BATCH_SIZE, cacheKeyFn: normalizeEmail },
  );

  const userByEmail: DataLoader<EmailInTenant, User | null, string> = new DataLoader(
    async (keys) => {
      const holders = await usersByEmail.loadMany(keys.map((key) => key.email));
      return keys.map((key, i) => {
        const users = holders[i];
        if (users instanceof Error) return users;
        return users ? chooseUserByEmail(users, key.email, key.tenantId) : null;
      });
    },
    { maxBatchSize: MAX_BATCH_SIZE, cacheKeyFn: ({ email, tenantId }) => `${tenantId}\u0000${normalizeEmail(email)}` },
  );

  return {
    userById,
    usersByEmail,
    userByEmail,
    listUsers: (query) => snapshot.listUsers(query),
    stats,
  };
}

/** How one loader finds its values: in the snapshot, or among the users the database returned. */
interface LookupWay<V> {
  inSnapshot(key: string): V | undefined;
  knownAbsent(key: string): boolean;
  fetch(missing: readonly string[]): Promise<readonly User[]>;
  /** A finder over the users one query returned (built once per query). */
  finderIn(fetched: readonly User[]): (key: string) => V | undefined;
  rememberAbsent(key: string): void;
}

/** Every id of these users, mapped to its user. */
function keyIndex(users: readonly User[]): Map<string, User> {
  const index = new Map<string, User>();
  for (const user of users) for (const key of userKeys(user)) index.set(key, user);
  return index;
}

function nonEmpty<T>(list: readonly T[]): readonly T[] | undefined {
  return list.length > 0 ? list : undefined;
}
