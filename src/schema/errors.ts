/** The errors we expect and show to clients, each with its `extensions.code`. Anything else is masked. */
import { GraphQLError } from 'graphql';

export class BadUserInputError extends GraphQLError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, { extensions: { code: 'BAD_USER_INPUT', ...details } });
  }
}

export class UnauthenticatedError extends GraphQLError {
  constructor(message = 'Authentication required: send Authorization: Bearer <access token or API key>.') {
    super(message, { extensions: { code: 'UNAUTHENTICATED' } });
  }
}

/** Credentials were sent and failed: the whole request is refused, with 401, never run as anonymous. */
export class InvalidCredentialsError extends GraphQLError {
  constructor(reason: string) {
    super(reason, {
      extensions: {
        code: 'UNAUTHENTICATED',
        http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } },
      },
    });
  }
}

/** Credentials were understood, and they do not allow this field or operation. */
export class ForbiddenError extends GraphQLError {
  constructor(message = 'These credentials do not allow this operation.') {
    super(message, { extensions: { code: 'FORBIDDEN' } });
  }
}

export class ReloadFailedError extends GraphQLError {
  constructor() {
    super('Reloading users failed; the previous directory is still being served.', {
      extensions: { code: 'RELOAD_FAILED' },
    });
  }
}

export class SubscriberTooSlowError extends GraphQLError {
  constructor(limit: number) {
    super(`This subscription fell more than ${limit} changes behind and was ended; subscribe again and refetch.`, {
      extensions: { code: 'SUBSCRIBER_TOO_SLOW' },
    });
  }
}
