/**
 * The names the rules speak: permissions a caller may hold (from SuperTokens roles, or as an API
 * key's scopes) and the scopes an API key may be given.
 */

/** Read any user's id, roles, times (not their personal fields). */
export const USERS_READ = 'users:read';
/** Read any user's personal fields (email, metadata, …). */
export const USERS_PII = 'users:pii';
/** An API key scope only: everything, including reloadUsers. */
export const ADMIN_SCOPE = 'admin';

/** Every scope an API key may carry: a typo in API_KEYS is a config error, not a silent no. */
export const KEY_SCOPES = [ADMIN_SCOPE, USERS_READ, USERS_PII] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];
