/**
 * Per-request readers of the directory. Each request gets fresh DataLoaders over the snapshot
 * that was current when it began; the keys the cache does not hold go to the database in one
 * batched query per tick (through `fetchMissing`, handed in so this module knows no SQL).
 */
import DataLoader from 'dataloader';
import { normalizeEmail, type User } from './user.ts';
import type { UserCache } from './user-cache.ts';
import type { UserPage, UserPageQuery, UserSnapshot } from './user-snapshot.ts';

/** The database fallback for keys the cache misses: one query per call. */
export interface MissingUserFetcher {
  findUsersByIds(ids: readonly string[]): Promise<readonly User[]>;
  findUsersByEmails(emails: readonly string[]): Promise<readonly User[]>;
}

/** What this request's lookups cost: reported in the response's extensions. */
export interface LookupStats {
  cacheHits: number;
  databaseLookups: number;
  databaseQueries: number;
}

export interface Loaders {
  readonly userById: DataLoader<string, User | null>;
  /** The holder of an email; when several users hold it, the oldest. */
  readonly userByEmail: DataLoader<string, User | null>;
  listUsers(query: UserPageQuery): UserPage;
  readonly stats: LookupStats;
}

/** Large enough to batch a page of lookups, small enough to keep one `= ANY($1)` cheap. */
const MAX_BATCH_SIZE = 500;

export function createLoaders(cache: UserCache, fetchMissing: MissingUserFetcher): Loaders {
  const snapshot: UserSnapshot = cache.snapshot;
  const stats: LookupStats = { cacheHits: 0, databaseLookups: 0, databaseQueries: 0 };

  const userById: DataLoader<string, User | null> = new DataLoader(
    async (ids) => {
      const found = new Map<string, User>();
      const missing: string[] = [];
      for (const id of ids) {
        const user = snapshot.getById(id);
        if (user) found.set(id, user);
        else if (!cache.isKnownAbsentId(id)) missing.push(id);
      }
      stats.cacheHits += ids.length - missing.length;
      if (missing.length > 0) {
        stats.databaseLookups += missing.length;
        stats.databaseQueries += 1;
        const fetched = await fetchMissing.findUsersByIds(missing);
        cache.apply({ upserts: fetched, deletedIds: [] });
        for (const user of fetched) found.set(user.id, user);
        for (const id of missing) if (!found.has(id)) cache.rememberAbsentId(id);
      }
      // No priming of userByEmail here: an email may have an older holder than this user.
      return ids.map((id) => found.get(id) ?? null);
    },
    { maxBatchSize: MAX_BATCH_SIZE },
  );

  const userByEmail: DataLoader<string, User | null> = new DataLoader(
    async (rawEmails) => {
      const emails = rawEmails.map(normalizeEmail);
      const found = new Map<string, User>();
      const missing: string[] = [];
      for (const email of emails) {
        const holder = snapshot.getByEmail(email)[0];
        if (holder) found.set(email, holder);
        else if (!cache.isKnownAbsentEmail(email)) missing.push(email);
      }
      stats.cacheHits += emails.length - missing.length;
      if (missing.length > 0) {
        stats.databaseLookups += missing.length;
        stats.databaseQueries += 1;
        const fetched = await fetchMissing.findUsersByEmails(missing);
        cache.apply({ upserts: fetched, deletedIds: [] });
        for (const user of oldestFirst(fetched)) {
          const key = normalizeEmail(user.email);
          if (!found.has(key)) found.set(key, user);
        }
        for (const email of missing) if (!found.has(email)) cache.rememberAbsentEmail(email);
      }
      return emails.map((email) => {
        const user = found.get(email) ?? null;
        if (user) userById.prime(user.id, user);
        return user;
      });
    },
    { maxBatchSize: MAX_BATCH_SIZE, cacheKeyFn: normalizeEmail },
  );

  return {
    userById,
    userByEmail,
    listUsers: (query) => snapshot.listUsers(query),
    stats,
  };
}

function oldestFirst(users: readonly User[]): User[] {
  return [...users].sort((a, b) => a.timeJoined - b.timeJoined || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
