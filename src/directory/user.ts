/** The domain user, as the directory holds it: plain, immutable data. */
export interface User {
  readonly id: string;
  readonly email: string;
  /** Epoch milliseconds. */
  readonly timeJoined: number;
  /** Epoch milliseconds; null when SuperTokens never recorded activity. */
  readonly lastActive: number | null;
  /** Distinct and sorted. */
  readonly roles: readonly string[];
  readonly metadata: Readonly<Record<string, unknown>>;
  /** A hash of the database row this user was built from: the drift check compares these. */
  readonly version: string;
}

/** Every id that names this user: what `user(id)` and change notices may refer to it by. */
export function userKeys(user: User): readonly string[] {
  return [user.id];
}

/** The position of a user in the directory's order: newest first, id (descending) breaks ties. */
export interface UserOrderKey {
  readonly timeJoined: number;
  readonly id: string;
}

/** Negative when `a` comes before `b` in the listing order. */
export function compareNewestFirst(a: UserOrderKey, b: UserOrderKey): number {
  if (a.timeJoined !== b.timeJoined) return b.timeJoined - a.timeJoined;
  if (a.id === b.id) return 0;
  return a.id < b.id ? 1 : -1;
}

/** SuperTokens stores emails trimmed and lower-cased; lookups normalise the same way. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
