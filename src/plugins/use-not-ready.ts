/**
 * Never an answer from a directory that was never loaded: until the first load completes, every
 * GraphQL request is refused with NOT_READY (HTTP 503 and Retry-After), whatever it asks. An empty
 * directory would otherwise answer "no such user" and `totalCount: 0` as if that were true. After
 * the first load the directory is never empty again: a failed reload keeps the previous one.
 */
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { ERRORS, NOT_READY_RETRY_AFTER_S } from '../errors.ts';

export function useNotReady(isLoaded: () => boolean): Plugin {
  return {
    onRequestParse() {
      if (isLoaded()) return;
      throw createGraphQLError('The user directory is still loading; retry shortly.', {
        extensions: {
          code: ERRORS.NOT_READY.code,
          http: { status: ERRORS.NOT_READY.status, headers: { 'Retry-After': String(NOT_READY_RETRY_AFTER_S) } },
        },
      });
    },
  };
}
