/**
 * A typed call to usergraph with nothing but fetch: the document's result and variables types
 * come from codegen, the credentials from the caller (an API key or a SuperTokens access token).
 */
import type { TypedDocumentString } from './gql/graphql.ts';

export interface UsergraphClient {
  request<TResult, TVariables>(
    document: TypedDocumentString<TResult, TVariables>,
    ...variables: TVariables extends Record<string, never> ? [] : [TVariables]
  ): Promise<TResult>;
}

export class UsergraphError extends Error {
  constructor(readonly errors: ReadonlyArray<{ message: string; extensions?: { code?: string } }>) {
    super(errors.map((error) => `${error.extensions?.code ?? 'ERROR'}: ${error.message}`).join('; '));
    this.name = 'UsergraphError';
  }
}

export function createUsergraphClient({ url, token }: { url: string; token: string }): UsergraphClient {
  return {
    async request(document, ...[variables]) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: document.toString(), variables }),
      });
      const body = (await response.json()) as { data?: unknown; errors?: UsergraphError['errors'] };
      if (body.errors?.length) throw new UsergraphError(body.errors);
      return body.data as never;
    },
  };
}
