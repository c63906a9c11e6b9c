/** The errors we expect and show to clients, each with its `extensions.code`. Anything else is masked. */
import { GraphQLError, responsePathAsArray, type GraphQLErrorOptions, type GraphQLResolveInfo } from 'graphql';
import { ERRORS } from '../errors.ts';

/**
 * An error we expect and explain, made without a stack trace: where a refusal was made is no bug
 * to trace, and a stack captured for each refused field (then formatted, through source maps, by
 * every error that wraps it) made a page of refused fields cost forty times a page of values.
 */
class ExpectedError extends GraphQLError {
  constructor(message: string, options: GraphQLErrorOptions) {
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(message, options);
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
  }
}

/**
 * Where a refusal of one field happened, given when it is made: graphql-js then keeps the error as
 * it is instead of wrapping it in another (one error object per refused field, not two).
 */
function located(at: GraphQLResolveInfo | undefined): Pick<GraphQLErrorOptions, 'nodes' | 'path'> {
  return at ? { nodes: at.fieldNodes, path: responsePathAsArray(at.path) } : {};
}

export class BadUserInputError extends ExpectedError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, { extensions: { code: ERRORS.BAD_USER_INPUT.code, ...details } });
  }
}

/** A guarded field asked without credentials: that field fails alone, so no HTTP status. */
export class UnauthenticatedError extends ExpectedError {
  constructor(message = 'Authentication required: send Authorization: Bearer <access token or API key>.', at?: GraphQLResolveInfo) {
    super(message, { ...located(at), extensions: { code: ERRORS.UNAUTHENTICATED.code } });
  }
}

/** Credentials were sent and failed: the whole request is refused, with 401, never run as anonymous. */
export class InvalidCredentialsError extends ExpectedError {
  constructor(reason: string) {
    super(reason, {
      extensions: {
        code: ERRORS.UNAUTHENTICATED.code,
        http: { status: ERRORS.UNAUTHENTICATED.status, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } },
      },
    });
  }
}

/** Credentials were understood, and they do not allow this field or operation. */
export class ForbiddenError extends ExpectedError {
  constructor(message = 'These credentials do not allow this operation.', at?: GraphQLResolveInfo) {
    super(message, { ...located(at), extensions: { code: ERRORS.FORBIDDEN.code } });
  }
}

export class ReloadFailedError extends ExpectedError {
  constructor() {
    super('Reloading users failed; the previous directory is still being served.', {
      extensions: { code: ERRORS.RELOAD_FAILED.code },
    });
  }
}

export class SubscriberTooSlowError extends ExpectedError {
  constructor(limit: number) {
    super(`This subscription fell more than ${limit} changes behind and was ended; subscribe again and refetch.`, {
      extensions: { code: ERRORS.SUBSCRIBER_TOO_SLOW.code },
    });
  }
}
