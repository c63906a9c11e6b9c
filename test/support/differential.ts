/**
 * The fast lane must not change an answer: the harness sends every GraphQL request of the suite
 * through the server (the fast lane, where it takes the request) and again through yoga alone
 * (in-process), and fails the test on any difference in status, the headers that matter or the
 * body. Only queries are replayed (a mutation must not run twice).
 */
import { parse } from 'graphql';
import type { Yoga } from '../../src/app.ts';

/** Headers a client acts on. */
const COMPARED_HEADERS = ['content-type', 'www-authenticate', 'allow', 'retry-after', 'access-control-allow-origin'];

/** True when every operation the body asks for is a query (or the body is not even GraphQL: nothing runs). */
export function isReplayable(init: RequestInit | undefined): boolean {
  if ((init?.method ?? 'GET').toUpperCase() !== 'POST' || typeof init?.body !== 'string') return false;
  let params: unknown;
  try {
    params = JSON.parse(init.body);
  } catch {
    return true;
  }
  for (const one of Array.isArray(params) ? params : [params]) {
    const query = (one as { query?: unknown } | null)?.query;
    if (typeof query !== 'string') continue;
    try {
      if (parse(query).definitions.some((definition) => 'operation' in definition && definition.operation !== 'query')) return false;
    } catch {
      // a syntax error: yoga refuses it on both paths
    }
  }
  return true;
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

export async function answerOf(response: Response): Promise<Answer> {
  return { status: response.status, headers: response.headers, body: await response.text() };
}

/** Replays the request through yoga alone and throws when its answer differs from `first`. */
export async function expectSameAnswerFromYoga(yoga: Yoga, url: string, init: RequestInit, first: Answer): Promise<void> {
  const second = await answerOf(await yoga.fetch(url, init));
  const differences: string[] = [];
  if (first.status !== second.status) differences.push(`status ${first.status} ≠ ${second.status}`);
  for (const name of COMPARED_HEADERS) {
    if (first.headers.get(name) !== second.headers.get(name)) {
      differences.push(`${name}: ${first.headers.get(name)} ≠ ${second.headers.get(name)}`);
    }
  }
  if (first.body !== second.body && !sameBarLookupCounts(first.body, second.body)) differences.push('bodies differ');
  if (differences.length > 0) {
    throw new Error(
      `the fast lane and yoga answered ${init.body} differently: ${differences.join('; ')}\n` +
        `server: ${first.body}\nyoga:   ${second.body}`,
    );
  }
}

/**
 * A lookup the first answer made in the database joined the directory: the replay finds it
 * there. The bodies must then agree but for `extensions.directory`, and only in that case.
 */
function sameBarLookupCounts(first: string, second: string): boolean {
  let a: unknown;
  let b: unknown;
  try {
    a = JSON.parse(first);
    b = JSON.parse(second);
  } catch {
    return false;
  }
  const results = (value: unknown) => (Array.isArray(value) ? value : [value]) as Array<{ extensions?: { directory?: { databaseLookups?: number } } }>;
  const firstResults = results(a);
  if (!firstResults.some((result) => (result?.extensions?.directory?.databaseLookups ?? 0) > 0)) return false;
  const withoutCounts = (value: unknown) =>
    JSON.stringify(results(value).map((result) => ({ ...result, extensions: { ...result?.extensions, directory: undefined } })));
  return withoutCounts(a) === withoutCounts(b);
}
