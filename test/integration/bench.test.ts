/**
 * Keeps `npm run bench` (scripts/bench/) from rotting: the whole run on 1,000 users with
 * one-second loads completes, the three servers agree and every load completes requests; and the
 * agreement check does catch a server that answers differently. No timing is asserted.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, inject, it, onTestFinished } from 'vitest';
import { checkAgreement } from '../../scripts/bench/agreement.ts';
import type { BenchResults } from '../../scripts/bench/report.ts';
import { OWN_LISTINGS, pickSample, REQUEST_KINDS, SERVER_NAMES } from '../../scripts/bench/requests.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

it('runs end to end on 1,000 users: the three servers agree, every load completes requests', async () => {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'usergraph-bench-'));
  onTestFinished(() => rm(folder, { recursive: true, force: true }));
  const output = path.join(folder, 'results.json');
  const { code, stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/bench/main.ts'], {
    ...process.env,
    BENCH_DATABASE_URL: inject('serverUrl'),
    BENCH_USERS: '1000',
    BENCH_SECONDS: '1',
    BENCH_WARMUP_SECONDS: '0',
    BENCH_CONNECTIONS: '2',
    BENCH_REST_SECONDS: '1',
    BENCH_OUTPUT: output,
  });
  const results = JSON.parse(await readFile(output, 'utf8')) as BenchResults;
  expect(results.failures, stderr).toEqual([]);
  expect(code).toBe(0);
  expect(results.agreement.map((a) => [a.kind, a.agreed])).toEqual(REQUEST_KINDS.map((kind) => [kind.key, true]));
  expect(Object.keys(results.startup)).toEqual([...SERVER_NAMES]);
  expect(results.loads).toHaveLength(REQUEST_KINDS.length * SERVER_NAMES.length);
  for (const load of results.loads) expect(load.requests, `${load.server} ${load.kind}`).toBeGreaterThan(0);
  // The floor and usergraph answer from memory: under load neither asks the database anything.
  for (const load of results.loads.filter((l) => l.server === 'bare')) expect(load.databaseCpuMs ?? 0).toBe(0);
  expect(results.rest).toMatchObject({ seconds: 1, driftCheckIntervalMs: 60_000, quietAfterSeconds: expect.any(Number) });
  expect(stdout).toContain('### Under load');
  expect(stdout).toContain('### usergraph ÷ baseline');
  // user(id) paced at 80 % of the maximum usergraph reached: a rate asked, requests answered.
  const maxById = results.loads.find((l) => l.kind === 'user' && l.server === 'usergraph')!.requestsPerSecond;
  expect(results.atRate).toMatchObject({ share: 0.8, rate: Math.round(maxById * 0.8), non2xx: 0, errors: 0, errorAnswers: 0 });
  expect(results.atRate!.requests).toBeGreaterThan(0);
  expect(stdout).toContain("### user(id) at 80 % of usergraph's maximum");
  // usergraph's own listings answer under load.
  expect(results.ownListings.map((row) => [row.label, row.requests > 0, row.errorAnswers])).toEqual(
    OWN_LISTINGS.map((listing) => [listing.label, true, 0]),
  );
  // Reads go on while reloadUsers runs back to back, and the reloads do complete.
  expect(results.duringReloads!.reloads).toBeGreaterThan(0);
  expect(results.duringReloads!.reloading.requests).toBeGreaterThan(0);
  expect(stdout).toContain('### Reads during reloads');
}, 300_000);

it('reports the first difference when one server answers otherwise', async () => {
  const sample = pickSample(10);
  const id = sample.ids[0]!;
  const user = {
    id,
    supertokensUserId: id,
    email: 'a@example.com',
    timeJoined: '2024-01-15T09:30:00.000Z',
    lastActive: null,
    roles: ['viewer'],
    metadata: { n: 1 },
    loginMethods: [{ recipeId: 'emailpassword', email: 'a@example.com', timeJoined: '2024-01-15T09:30:00.000Z', verified: false, tenantIds: ['public'] }],
  };
  const row = {
    userId: id,
    externalUserId: null,
    email: 'a@example.com',
    timeJoined: String(Date.parse(user.timeJoined)),
    lastActiveTime: null,
    roles: ['viewer'],
    metadata: { n: 1 },
    loginMethods: [{ recipe_id: 'emailpassword', recipe_user_id: id, email: 'a@example.com', time_joined: Date.parse(user.timeJoined), verified: false, tenant_ids: ['public'] }],
  };
  const userKind = REQUEST_KINDS.filter((kind) => kind.key === 'user');
  const targets = async (bareEmail: string) => [
    { name: 'usergraph' as const, url: await answering({ data: { user } }) },
    { name: 'bare' as const, url: await answering({ data: { user: { ...user, email: bareEmail } } }) },
    { name: 'postgraphile' as const, url: await answering({ data: { allUserFullViews: { nodes: [row] } } }) },
  ];

  const same = await checkAgreement(await targets('a@example.com'), userKind, sample, {});
  expect(same).toEqual([{ kind: 'user', requests: 10, users: 10, agreed: true }]);

  const [differs] = await checkAgreement(await targets('b@example.com'), userKind, sample, {});
  expect(differs!.agreed).toBe(false);
  expect(differs!.difference).toMatch(/^usergraph vs bare, user #0: email "a@example\.com" vs "b@example\.com"\n/);
});

/** A real HTTP server that answers every request with `body`. */
async function answering(body: unknown): Promise<string> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  onTestFinished(() => void server.close());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
