/**
 * The names the rules speak: permissions a caller may hold (from SuperTokens roles, or as an API
 * key's scopes). They are the key scopes that API_KEYS may give (config/auth.ts), so each is
 * checked against that list.
 */
import type { KeyScope } from '../config/auth.ts';

/** Read any user's id, roles, times (not their personal fields). */
export const USERS_READ = 'users:read' satisfies KeyScope;
/** Read any user's personal fields (email, metadata, …). */
export const USERS_PII = 'users:pii' satisfies KeyScope;
/** An API key scope only: everything, including reloadUsers. */
export const ADMIN_SCOPE = 'admin' satisfies KeyScope;
