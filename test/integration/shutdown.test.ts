/**
 * SIGTERM during a load, sent to the service's own process: /ready turns 503 at once, kept-alive
 * connections are closed after their current response, new connections are refused, an open
 * event stream ends cleanly, and the process exits 0. No request fails but by a clean refusal
 * (ECONNREFUSED: the listener is closed, so a client or load balancer retries elsewhere).
 */
import { Agent, request as httpRequest } from 'node:http';
import { expect } from 'vitest';
import { test } from '../support/fixtures.ts';
import { ADMIN_KEY } from '../support/server.ts';
import { startServiceProcess } from '../support/service-process.ts';

interface Outcome {
  readonly ok: number;
  readonly refused: number;
  /** Anything else: a reset connection, an error status, a broken answer. */
  readonly failures: string[];
  /** /ready's answers: status, and whether the connection was then closed (the drain's mark). */
  readonly probes: Array<{ status: number; closing: boolean }>;
}

const QUERY = JSON.stringify({ query: '{ users(first: 5) { totalCount nodes { id email } } }' });

/** One POST or GET over `agent` (kept-alive connections); resolves with the status and body, rejects with the socket error. */
function send(agent: Agent, url: string, path: string, post: boolean): Promise<{ status: number; body: string; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `${url}${path}`,
      {
        agent,
        method: post ? 'POST' : 'GET',
        headers: post ? { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` } : {},
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body, connection: response.headers.connection }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(post ? QUERY : undefined);
  });
}

/** `workers` clients, each sending one request after another on kept-alive connections until refused (or `limitMs`). */
async function load(url: string, workers: number, limitMs: number): Promise<Outcome> {
  const agent = new Agent({ keepAlive: true, maxSockets: workers });
  let ok = 0;
  let refused = 0;
  const failures: string[] = [];
  const probes: Outcome['probes'] = [];
  const deadline = Date.now() + limitMs;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (let i = 0; Date.now() < deadline; i++) {
        // Worker 0 keeps asking /ready, the others query.
        const probe = worker === 0;
        try {
          const answer = await send(agent, url, probe ? '/ready' : '/graphql', !probe);
          if (probe) {
            probes.push({ status: answer.status, closing: answer.connection === 'close' });
            ok++;
          } else if (answer.status === 200 && JSON.parse(answer.body).data?.users?.totalCount === 0) {
            ok++;
          } else {
            failures.push(`status ${answer.status}: ${answer.body.slice(0, 200)}`);
          }
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ECONNREFUSED') {
            refused++;
            return;
          }
          failures.push(`${code ?? ''} ${String(error)}`);
          return;
        }
      }
    }),
  );
  agent.destroy();
  return { ok, refused, failures, probes };
}

test('SIGTERM during a load: no request fails but by a clean refusal, and the process exits 0', async ({ database }) => {
  const service = await startServiceProcess({ DATABASE_URL: database.url, ADMIN_API_KEY: ADMIN_KEY, SHUTDOWN_GRACE_MS: '5000' });
  try {
    // An open event stream: it must end cleanly, not be cut.
    const stream = await fetch(`${service.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${ADMIN_KEY}` },
      body: JSON.stringify({ query: 'subscription { userChanged { kind } }' }),
    });
    expect(stream.status).toBe(200);
    const streamEnded = (async () => {
      const reader = stream.body!.getReader();
      let text = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return text;
        text += new TextDecoder().decode(value);
      }
    })();

    let signalledAt: number | undefined;
    const running = load(service.url, 6, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    signalledAt = Date.now();
    service.child.kill('SIGTERM');
    const outcome = await running;
    const exit = await service.exited;

    expect(outcome.failures).toEqual([]);
    expect(outcome.ok).toBeGreaterThan(0);
    expect(outcome.refused).toBeGreaterThan(0);
    // Before the signal /ready said 200 on a kept-alive connection; once it arrived (the drain
    // closes every connection after its response), 503 at once.
    const draining = outcome.probes.filter((probe) => probe.closing);
    expect(draining.length).toBeGreaterThan(0);
    expect(new Set(draining.map((probe) => probe.status))).toEqual(new Set([503]));
    expect(new Set(outcome.probes.filter((probe) => !probe.closing).map((probe) => probe.status))).toEqual(new Set([200]));
    // The event stream ended without an error (the read would have thrown).
    expect(await streamEnded).toContain('event: complete');
    expect(exit).toEqual({ code: 0, signal: null });

    const lines = service.lines();
    const messages = lines.map((line) => line.msg);
    expect(messages).toContain('shutting down');
    expect(messages.at(-1)).toBe('stopped');
    expect(messages).not.toContain('connections still open after the grace period were cut');
    expect(Date.now() - signalledAt).toBeLessThan(15_000);
  } finally {
    if (service.child.exitCode === null) service.child.kill('SIGKILL');
  }
});
