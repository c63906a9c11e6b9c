/**
 * CSRF prevention for browser requests (yoga's plugin): a request a browser could send cross-site
 * without a CORS preflight (a GET, or a form or text/plain POST) must carry one of `headers`,
 * which a page cannot add without the preflight that CORS_ORIGINS answers. Refusals get a code.
 */
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { ERRORS } from '../errors.ts';

export const CSRF_HEADER = 'x-graphql-yoga-csrf';

export function useCsrfPrevention(headers: readonly string[] = [CSRF_HEADER]): Plugin {
  const inner = useCSRFPrevention({ requestHeaders: [...headers] });
  return {
    onRequestParse(payload) {
      try {
        return inner.onRequestParse?.(payload);
      } catch {
        throw createGraphQLError(
          `Requests that a browser sends without a preflight (GET, forms, text/plain) need a "${headers.join('" or "')}" header.`,
          { extensions: { code: ERRORS.CSRF_HEADER_REQUIRED.code, http: { status: ERRORS.CSRF_HEADER_REQUIRED.status } } },
        );
      }
    },
  };
}
