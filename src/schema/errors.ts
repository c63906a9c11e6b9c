/** The errors we expect and show to clients, each with its `extensions.code`. Anything else is masked. */
import { GraphQLError } from 'graphql';
import { ERRORS } from '../errors.ts';

export class BadUserInputError extends GraphQLError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, { extensions: { code: ERRORS.BAD_USER_INPUT.code, ...details } });
  }
}

/** A guarded field asked without credentials: that field fails alone, so no HTTP status. */
export class UnauthenticatedError extends GraphQLError {
  constructor(message = 'Authentication required: send Authorization: Bearer <access token or API key>.') {
    super(message, { extensions: { code: ERRORS.UNAUTHENTICATED.code } });
  }
}

/** Credentials were sent and failed: the whole request is refused, with 401, never run as anonymous. */
export class InvalidCredentialsError extends GraphQLError {
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
export class ForbiddenError extends GraphQLError {
  constructor(message = 'These credentials do not allow this operation.') {
    super(message, { extensions: { code: ERRORS.FORBIDDEN.code } });
  }
}

export class ReloadFailedError extends GraphQLError {
  constructor() {
    super('Reloading users failed; the previous directory is still being served.', {
      extensions: { code: ERRORS.RELOAD_FAILED.code },
    });
  }
}

export class SubscriberTooSlowError extends GraphQLError {
  constructor(limit: number) {
    super(`This subscription fell more than ${limit} changes behind and was ended; subscribe again and refetch.`, {
      extensions: { code: ERRORS.SUBSCRIBER_TOO_SLOW.code },
    });
  }
}
