/**
 * Per-request readers of the directory. Each request reads the snapshot that was current when it
 * began. A key the snapshot holds is answered at once, synchronously (no promise, no batch: most
 * requests never leave memory); the keys it misses go to the database in one batched query per
 * tick through a DataLoader made on the first miss (`fetchMissing` is handed in, so this module
 * knows no SQL). Within a request a key is looked up once and then answers the same.
 */
import DataLoader from 'dataloader';
import { whenReady, type MaybePromise } from '../maybe-promise.ts';
import { chooseUserByEmail, compareOldestFirst, normalizeEmail, userKeys, type User } from './user.ts';
import type { UserDirectory } from './user-directory.ts';
import type { UserPage, UserPageQuery, UserSnapshot } from './user-snapshot.ts';

/** The database fallback for keys the directory misses: one query per call. */
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

export interface Loaders {
  /** The user any of its ids names, or null. */
  userById(id: string): MaybePromise<User | null>;
  /** The users these ids name, in their order, null where an id names nobody; the misses go to the database together. */
  usersByIds(ids: readonly string[]): MaybePromise<ReadonlyArray<User | null>>;
  /** Every user holding an email through any login method, oldest first. */
  usersByEmail(email: string): MaybePromise<readonly User[]>;
  /** The user holding an email in a tenant: the primary one, else the oldest (see `chooseUserByEmail`). */
  userByEmail(email: string, tenantId: string): MaybePromise<User | null>;
  /** A page; later (a promise) when the snapshot must first pass over many users, which it does in steps. */
  listUsers(query: UserPageQuery): MaybePromise<UserPage>;
  readonly stats: LookupStats;
}

/** Large enough to batch a page of lookups, small enough to keep one `= ANY($1)` cheap. */
const MAX_BATCH_SIZE = 500;

/** `snapshot`: the one to read (the directory's current one unless given: a long export keeps reading the one it began with). */
export function createLoaders(directory: UserDirectory, fetchMissing: MissingUserFetcher, snapshot: UserSnapshot = directory.snapshot): Loaders {
  const stats: LookupStats = { cacheHits: 0, databaseLookups: 0, databaseQueries: 0 };
  let byIdSeen: Map<string, MaybePromise<User | null>> | undefined;
  let byEmailSeen: Map<string, MaybePromise<readonly User[]>> | undefined;
  let idMisses: DataLoader<string, User | null> | undefined;
  let emailMisses: DataLoader<string, readonly User[]> | undefined;

  /** Fetches missed keys in one query; what is found joins the directory, what is not is remembered as absent. */
  async function fetchAndRemember<V>(keys: readonly string[], way: MissWay<V>): Promise<Array<V | undefined>> {
    stats.databaseLookups += keys.length;
    stats.databaseQueries += 1;
    const asked = directory.snapshot;
    const fetched = await way.fetch(keys);
    // While the database answered, the change feed may have applied a newer state of these users:
    // then what was read answers this request but must not overwrite it in the directory.
    if (changedOnlyByMisses(directory, asked)) {
      const previous = directory.snapshot;
      directory.apply({ upserts: fetched, deletedIds: [] });
      if (directory.snapshot !== previous) madeByMisses.set(directory.snapshot, previous);
    }
    const inFetched = way.finderIn(fetched);
    return keys.map((key) => {
      const value = inFetched(key);
      if (value === undefined) way.rememberAbsent(key);
      return value;
    });
  }

  const missedId = (id: string): Promise<User | null> => {
    idMisses ??= new DataLoader(
      async (ids) =>
        (
          await fetchAndRemember(ids, {
            fetch: (missing) => fetchMissing.findUsersByIds(missing),
            // An id may name a fetched user by any of its keys.
            finderIn: (fetched) => {
              const byKey = keyIndex(fetched);
              return (key) => byKey.get(key);
            },
            rememberAbsent: (key) => directory.rememberAbsentId(key),
          })
        ).map((user) => user ?? null),
      { maxBatchSize: MAX_BATCH_SIZE, cache: false },
    );
    return idMisses.load(id);
  };

  const missedEmail = (email: string): Promise<readonly User[]> => {
    emailMisses ??= new DataLoader(
      async (emails) =>
        (
          await fetchAndRemember(emails, {
            fetch: (missing) => fetchMissing.findUsersByEmails(missing),
            finderIn: (fetched) => (key) =>
              nonEmpty(fetched.filter((user) => user.emails.some((held) => normalizeEmail(held) === key)).sort(compareOldestFirst)),
            rememberAbsent: (key) => directory.rememberAbsentEmail(key),
          })
        ).map((holders) => holders ?? []),
      { maxBatchSize: MAX_BATCH_SIZE, cache: false },
    );
    return emailMisses.load(email);
  };

  const userById = (id: string): MaybePromise<User | null> => {
    byIdSeen ??= new Map();
    let found = byIdSeen.get(id);
    if (found === undefined) {
      const held = snapshot.userNamedBy(id);
      if (held !== undefined || directory.isKnownAbsentId(id)) {
        stats.cacheHits += 1;
        found = held ?? null;
      } else {
        found = missedId(id);
      }
      byIdSeen.set(id, found);
    }
    return found;
  };

  // Each id as userById reads it: the misses of one call wait in the same batch (one query per 500).
  const usersByIds = (ids: readonly string[]): MaybePromise<ReadonlyArray<User | null>> => {
    const found = ids.map(userById);
    return found.some((user) => user instanceof Promise) ? Promise.all(found) : (found as ReadonlyArray<User | null>);
  };

  const usersByEmail = (rawEmail: string): MaybePromise<readonly User[]> => {
    const email = normalizeEmail(rawEmail);
    byEmailSeen ??= new Map();
    let found = byEmailSeen.get(email);
    if (found === undefined) {
      const held = snapshot.getByEmail(email);
      if (held.length > 0 || directory.isKnownAbsentEmail(email)) {
        stats.cacheHits += 1;
        found = held;
      } else {
        found = missedEmail(email);
      }
      byEmailSeen.set(email, found);
      // A holder found by email answers to its id for the rest of the request, without another lookup.
      const remember = (holders: readonly User[]) => {
        byIdSeen ??= new Map();
        for (const user of holders) if (!byIdSeen.has(user.id)) byIdSeen.set(user.id, user);
      };
      if (found instanceof Promise) found.then(remember, () => {}); // the failure reaches the caller through `found`
      else remember(found);
    }
    return found;
  };

  return {
    userById,
    usersByIds,
    usersByEmail,
    userByEmail: (email, tenantId) => whenReady(usersByEmail(email), (holders) => chooseUserByEmail(holders, email, tenantId)),
    listUsers: (query) => {
      const preparing = snapshot.prepare(query);
      return preparing ? preparing.then(() => snapshot.listUsers(query)) : snapshot.listUsers(query);
    },
    stats,
  };
}

/** Snapshots that misses made, each with the one it was made from. */
const madeByMisses = new WeakMap<UserSnapshot, UserSnapshot>();

/**
 * Nothing but misses (reads as fresh as this one) changed the directory since `since`: no notice
 * was applied and no reload swapped in meanwhile.
 */
function changedOnlyByMisses(directory: UserDirectory, since: UserSnapshot): boolean {
  let current = directory.snapshot;
  for (let steps = 0; current !== since; steps++) {
    const previous = madeByMisses.get(current);
    if (previous === undefined || steps > 10_000) return false;
    current = previous;
  }
  return true;
}

/** How one kind of miss is fetched and matched among the users the database returned. */
interface MissWay<V> {
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
