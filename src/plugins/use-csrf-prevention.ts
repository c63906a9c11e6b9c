/**
 * CSRF prevention, for what it protects: requests a browser sends with credentials of its own
 * (cookies) that a page on another site could trigger without a CORS preflight (a GET, or a form
 * or text/plain POST). usergraph reads credentials from the `Authorization` header only, which no
 * such cross-site request can carry: a request with that header, or without cookies, cannot be
 * forged, and is served (standard clients send queries as GET). A preflight-less request carrying
 * cookies and no `Authorization` must carry one of `headers` (yoga's rule), so that should cookie
 * sessions ever be accepted, the requests they authenticate are protected already.
 */
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { ERRORS } from '../errors.ts';

export const CSRF_HEADER = 'x-graphql-yoga-csrf';

export function useCsrfPrevention(headers: readonly string[] = [CSRF_HEADER]): Plugin {
  const inner = useCSRFPrevention({ requestHeaders: [...headers] });
  return {
    onRequestParse(payload) {
      const { headers: sent } = payload.request;
      if (!sent.has('cookie') || sent.has('authorization')) return;
      try {
        return inner.onRequestParse?.(payload);
      } catch {
        throw createGraphQLError(
          `A request that carries cookies and is sent without a preflight (GET, forms, text/plain) needs a "${headers.join('" or "')}" header.`,
          { extensions: { code: ERRORS.CSRF_HEADER_REQUIRED.code, http: { status: ERRORS.CSRF_HEADER_REQUIRED.status } } },
        );
      }
    },
  };
}
