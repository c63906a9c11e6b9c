/**
 * One load on one server: autocannon, `connections` connections for `seconds`, rotating through
 * the given bodies. Latencies are kept from autocannon's own per-response times (fractions of a
 * millisecond; its histogram keeps whole ones). A response carrying GraphQL errors counts as a
 * mismatch: under load, every answer must still be an answer. And the latency of a request alone,
 * with nothing queued before it.
 */
import autocannon from 'autocannon';
import { percentile } from '../support/scratch.ts';

export interface Target {
  readonly url: string;
  readonly bodies: readonly string[];
  readonly headers: Readonly<Record<string, string>>;
}

export interface LoadOptions extends Target {
  readonly connections: number;
  readonly seconds: number;
  /** Requests per second over all connections, paced; as many as the server takes when absent. */
  readonly overallRate?: number;
}

export interface LoadResult {
  /** Completed requests. */
  readonly requests: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  /** Connection errors, timeouts included. */
  readonly errors: number;
  readonly timeouts: number;
  /** 2xx answers that carried GraphQL errors. */
  readonly errorAnswers: number;
}

export async function runLoad({ url, bodies, headers, connections, seconds, overallRate }: LoadOptions): Promise<LoadResult> {
  let next = 0;
  const latencies: number[] = [];
  const instance = autocannon(
    {
      url: `${url}/graphql`,
      method: 'POST',
      connections,
      duration: seconds,
      ...(overallRate === undefined ? {} : { overallRate: Math.max(1, Math.round(overallRate)) }),
      // A slow baseline (PostGraphile listing a million users) must not turn into connection errors.
      timeout: 120,
      headers: { 'content-type': 'application/json', ...headers },
      requests: [
        {
          setupRequest: (request) => {
            request.body = bodies[next++ % bodies.length]!;
            return request;
          },
        },
      ],
      verifyBody: (body) => !String(body).includes('"errors":'),
    },
    () => {},
  );
  instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  const result = await new Promise<autocannon.Result>((resolve) => instance.once('done', resolve));
  return {
    requests: result.requests.total,
    seconds: result.duration,
    requestsPerSecond: result.requests.total / result.duration,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    errorAnswers: result.mismatches,
  };
}

/**
 * The median latency of requests sent one at a time: up to `count`, but no more than fit in
 * `budgetMs` (at least one), since a baseline may take seconds per request.
 */
export async function timeAlone({ url, bodies, headers }: Target, count = 20, budgetMs = 10_000): Promise<number> {
  const times: number[] = [];
  const deadline = performance.now() + budgetMs;
  for (let i = 0; i < count && (i === 0 || performance.now() < deadline); i++) {
    const start = performance.now();
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: bodies[i % bodies.length]!,
    });
    await response.arrayBuffer();
    times.push(performance.now() - start);
  }
  return percentile(times, 0.5);
}
