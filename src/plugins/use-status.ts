/** GET /status: what the directory holds and how the change feed is doing, as JSON. */
import type { Plugin } from 'graphql-yoga';

export function useStatus(path: string, status: () => Record<string, unknown>): Plugin {
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== path) return;
      endResponse(
        new fetchAPI.Response(JSON.stringify(status()), {
          headers: { 'content-type': 'application/json; charset=utf-8' },
        }),
      );
    },
  };
}
