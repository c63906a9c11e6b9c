/**
 * Every `extensions.code` a client can see, in one catalogue (as fastify's `lib/errors.js`): the
 * HTTP status of a response it refuses, where it has one, and when it happens. Errors take their
 * code (and status) from here, so a code is spelled once; README's error table is checked against
 * it. Imports nothing: every room that makes errors may import it.
 */

export interface ErrorEntry {
  readonly code: string;
  /**
   * The status of a response this error refuses as a whole. None: the error travels in a GraphQL
   * answer (200; for an error before execution, 400 to `Accept: application/graphql-response+json`).
   */
  readonly status?: number;
  /** When it happens, in one line. */
  readonly when: string;
}

/** The entries, keyed by their code (each entry carries its code too, so that callers never spell it). */
function catalogue<const T extends Record<string, Omit<ErrorEntry, 'code'>>>(
  entries: T,
): { readonly [C in keyof T & string]: Readonly<T[C]> & { readonly code: C } } {
  return Object.freeze(
    Object.fromEntries(Object.entries(entries).map(([code, entry]) => [code, Object.freeze({ code, ...entry })])),
  ) as { readonly [C in keyof T & string]: Readonly<T[C]> & { readonly code: C } };
}

export const ERRORS = catalogue({
  // What a field or an argument refuses: the rest of the answer stands.
  BAD_USER_INPUT: {
    when: 'an argument or variable the API refuses (id, ids, email, cursor, tenant id, role, first, DateTime); extensions.issues lists each problem',
  },
  UNAUTHENTICATED: {
    status: 401,
    when: 'credentials that do not verify refuse the whole request; a guarded field asked without credentials fails alone',
  },
  FORBIDDEN: { when: 'a guarded field or operation that the credentials do not open' },
  RELOAD_FAILED: { when: 'reloadUsers failed; the previous directory is still served' },
  USER_NOT_FOUND: { status: 404, when: 'GET /users/{id} names no user (GraphQL answers null)' },
  SUBSCRIBER_TOO_SLOW: { when: 'a userChanged subscriber fell behind twice without reading in between and was ended' },

  // What the database could not do for a lookup the directory missed: the rest of the answer stands.
  DATABASE_TIMEOUT: {
    when: 'a lookup the directory missed waited longer than DATABASE_STATEMENT_TIMEOUT_MS, DATABASE_LOCK_TIMEOUT_MS or DATABASE_ACQUIRE_TIMEOUT_MS',
  },
  DATABASE_UNAVAILABLE: { when: 'a lookup the directory missed could not reach the database (down, restarting, connection lost)' },
  NOT_READY: { status: 503, when: 'any GraphQL request before the first load of the directory completed; Retry-After says when to try again' },

  // What an operation may ask (GraphQL Armor's limits, and introspection): nothing of it runs.
  QUERY_TOO_DEEP: { when: 'an operation deeper than MAX_DEPTH' },
  TOO_MANY_ALIASES: { when: 'an operation with more aliases than MAX_ALIASES' },
  TOO_MANY_TOKENS: { when: 'an operation of more tokens than MAX_TOKENS' },
  TOO_MANY_DIRECTIVES: { when: 'an operation with more directives than MAX_DIRECTIVES' },
  ALIAS_TOO_LONG: { when: 'an alias longer than MAX_ALIAS_LENGTH characters' },
  QUERY_TOO_COMPLEX: {
    when: 'a request whose answers may hold more than MAX_COST values, counted with its variables; a batch counts as a whole',
  },
  INTROSPECTION_DISABLED: { when: '__schema or __type while introspection is off' },

  // What a request may be.
  CSRF_HEADER_REQUIRED: { status: 403, when: 'a GET, form or text/plain request that carries cookies, no `Authorization` and no CSRF header' },
  REQUEST_ENTITY_TOO_LARGE: { status: 413, when: 'a body over MAX_BODY_BYTES (made by yoga)' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, when: 'a POST that is neither JSON, a GraphQL document nor a form' },
  BAD_REQUEST: {
    status: 400,
    when: 'a request yoga cannot take (malformed JSON or parameters, variables or extensions that are not JSON in a GET or a form, an empty batch, a batch while MAX_BATCH=0); 413 for a batch over MAX_BATCH, 405 for a mutation over GET, 200 to application/json for a missing query (made by yoga)',
  },
  GRAPHQL_PARSE_FAILED: { when: 'an operation that is not GraphQL (made by yoga)' },
  GRAPHQL_VALIDATION_FAILED: { when: 'an operation the schema does not allow: an unknown field, a wrong argument (made by yoga)' },
  OPERATION_RESOLUTION_FAILURE: {
    status: 400,
    when: 'several operations and no operationName naming one of them (made by yoga)',
  },

  INTERNAL_SERVER_ERROR: { when: 'anything unexpected: the message is masked and the cause logged (made by yoga)' },
});

export type ErrorCode = keyof typeof ERRORS;

/** NOT_READY's Retry-After, in seconds: a first load of 100,000 users takes a few. */
export const NOT_READY_RETRY_AFTER_S = 5;
