/**
 * GraphiQL, served whole from @graphql-yoga/render-graphiql (scripts, styles and editor workers
 * inline): no request leaves the machine, so the page works offline, air-gapped or behind a
 * proxy. It opens on a usergraph query; on the embedded demo, with the demo's admin key already
 * in the Headers tab.
 */
import type { GraphiQLOptions } from 'graphql-yoga';

export const EXAMPLE_QUERY = `# usergraph: your SuperTokens users over GraphQL.
# Run it with the ▶ button (or Ctrl-Enter). Reading users needs credentials: see the Headers tab.
{
  users(first: 5) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id email timeJoined lastActive roles metadata }
  }
  viewer { kind isAdmin }
}
`;

export function graphiqlOptions({ demoAdminKey }: { demoAdminKey: string | undefined }): GraphiQLOptions {
  return {
    title: 'usergraph',
    defaultQuery: EXAMPLE_QUERY,
    // The demo key is printed at startup anyway; a real deployment's keys are never put in a page.
    ...(demoAdminKey !== undefined && { headers: JSON.stringify({ Authorization: `Bearer ${demoAdminKey}` }, null, 2) }),
  };
}

let rendered: { key: string; page: Promise<string> } | undefined;

/**
 * The page is some 9 MB of inlined JavaScript: the package is loaded when GraphiQL is first asked
 * for (not at startup, and never when GraphiQL is off), and the page is built once per options.
 */
export function renderGraphiQLOnce(options: GraphiQLOptions): Promise<string> {
  const key = JSON.stringify(options);
  if (rendered?.key !== key) {
    rendered = { key, page: import('@graphql-yoga/render-graphiql').then(({ renderGraphiQL }) => renderGraphiQL(options)) };
  }
  return rendered.page;
}
