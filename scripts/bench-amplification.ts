/**
 * `npx tsx scripts/bench-amplification.ts [postgres://…/postgres] [service-root]`: how much one
 * request can make the service serialise within its limits (amplification). On a
 * throwaway database of 10,000 synthetic users, each scenario runs against a fresh service process
 * (`service-root`'s src/cli.ts serve, this checkout by default: point it at an older checkout to compare),
 * and prints the request's size, the bytes answered, the process's peak RSS (VmHWM) over its
 * RSS once loaded, and how long /health took while the scenario ran.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { createLogger } from '../src/logger.ts';
import { seedSyntheticUsers } from '../supertokens-standin/synthetic-users.ts';
import { printTable, withScratchDatabase } from './support/scratch.ts';

const serverUrl = process.argv[2] || undefined;
const serviceRoot = path.resolve(process.argv[3] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
const USERS = 10_000;
const READER_KEY = 'bench-reader-key-0123456789';
/** users:read without users:pii: every personal field it asks for is an error in the answer. */
const NO_PII_KEY = 'bench-nopii-key-0123456789';

const FULL_USER = `id supertokensUserId isPrimaryUser email emails phoneNumbers thirdParty { id userId }
  loginMethods { recipeId recipeUserId supertokensUserId email phoneNumber thirdParty { id userId } tenantIds timeJoined verified }
  tenantIds timeJoined lastActive roles rolesByTenant { tenantId roles } permissions metadata`;
const pages = (count: number, selection: string, alias = (i: number) => `p${i}`) =>
  Array.from({ length: count }, (_, i) => `${alias(i)}: users(first: $f) { nodes { ${selection} } }`).join(' ');
/** Issue 10: twenty aliases of a page whose size is a variable, through a fragment. */
const TWENTY_PAGES = { query: `query ($f: Int) { ${pages(20, '...U')} } fragment U on User { ${FULL_USER} }`, variables: { f: 500 } };
/** Within a cost of 25,000: 20 pages of 500 with the two fields that weigh most per value. */
const HEAVY_VALUES = { query: `query ($f: Int) { ${pages(20, 'metadata permissions')} }`, variables: { f: 500 } };
/**
 * Within a cost of 25,000 and 20 aliases: errors weigh more than values (a key without users:pii
 * asking for personal fields), and an alias of 64 characters repeats in every error's path.
 */
const HEAVY_ERRORS = {
  query: `query ($f: Int) { ${pages(20, 'email metadata', (i) => `${'p'.repeat(64)}${i}`.slice(-64))} }`,
  variables: { f: 500 },
};

interface Scenario {
  readonly name: string;
  readonly key: string;
  /** One request body, sent `concurrent` times at once. */
  readonly body: unknown;
  readonly concurrent: number;
}

const SCENARIOS: readonly Scenario[] = [
  { name: '20 pages of $f = 500, full users', key: READER_KEY, body: TWENTY_PAGES, concurrent: 1 },
  { name: 'the same, batched ×10', key: READER_KEY, body: Array.from({ length: 10 }, () => TWENTY_PAGES), concurrent: 1 },
  { name: 'the batch ×10, three at once', key: READER_KEY, body: Array.from({ length: 10 }, () => TWENTY_PAGES), concurrent: 3 },
  { name: 'heaviest values within the limits', key: READER_KEY, body: HEAVY_VALUES, concurrent: 1 },
  { name: 'heaviest errors within the limits', key: NO_PII_KEY, body: HEAVY_ERRORS, concurrent: 1 },
  { name: 'heaviest errors, three at once', key: NO_PII_KEY, body: HEAVY_ERRORS, concurrent: 3 },
];

await withScratchDatabase(serverUrl, createLogger('warn'), async (databaseUrl, db) => {
  await seedSyntheticUsers(db as unknown as Kysely<any>, { count: USERS });
  console.log(`service: ${serviceRoot}; ${USERS} users`);
  const rows: string[][] = [];
  for (const scenario of SCENARIOS) {
    const service = await startService(databaseUrl);
    try {
      const loadedRss = await rssOf(service.process, 'VmRSS');
      const body = JSON.stringify(scenario.body);
      const started = performance.now();
      const answers = Array.from({ length: scenario.concurrent }, () => post(service.port, scenario.key, body));
      const health = (async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const asked = performance.now();
        const status = await getStatus(service.port, '/health', 30_000).catch((error: Error) => error.message);
        return `${status} in ${(performance.now() - asked).toFixed(0)} ms`;
      })();
      const results = await Promise.all(answers);
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      const peak = await rssOf(service.process, 'VmHWM');
      rows.push([
        scenario.name,
        kib(Buffer.byteLength(body)),
        `${results.map((result) => result.status).join('/')} ${results[0]!.code}`,
        mib(results.reduce((sum, result) => sum + result.bytes, 0)),
        `${seconds} s`,
        `${mib(loadedRss)} → ${mib(peak)}`,
        await health,
      ]);
    } finally {
      await service.stop();
    }
  }
  printTable(['scenario', 'request', 'status, first code', 'answered', 'time', 'RSS loaded → peak', '/health meanwhile'], rows);
});

interface RunningService {
  readonly process: ChildProcess;
  readonly port: number;
  stop(): Promise<void>;
}

async function startService(databaseUrl: string): Promise<RunningService> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(serviceRoot, 'src/cli.ts'), 'serve'], {
    cwd: serviceRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      CHANGE_LISTENER: 'false',
      DRIFT_CHECK_INTERVAL_MS: '0',
      API_KEYS: JSON.stringify([
        { name: 'reader', scopes: ['users:read', 'users:pii'], key: READER_KEY },
        { name: 'no-pii', scopes: ['users:read'], key: NO_PII_KEY },
      ]),
    },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let waited = 0; (await getStatus(port, '/ready', 1_000).catch(() => 0)) !== 200; waited += 100) {
    if (child.exitCode !== null || waited > 120_000) throw new Error(`the service at ${serviceRoot} did not become ready`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    process: child,
    port,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The answer's status, its first error code, and its size, counted as it streams (never held). */
function post(port: number, key: string, body: string): Promise<{ status: number; code: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/graphql',
        headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${key}`, 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        let bytes = 0;
        let head = '';
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (head.length < 4_096) head += chunk.toString('utf8');
        });
        response.on('end', () => resolve({ status: response.statusCode!, code: /"code":"([A-Z_]+)"/.exec(head)?.[1] ?? '-', bytes }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

function getStatus(port: number, pathname: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path: pathname, timeout: timeoutMs }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode!));
    });
    request.on('timeout', () => request.destroy(new Error(`${pathname}: no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end();
  });
}

async function rssOf(child: ChildProcess, field: 'VmRSS' | 'VmHWM'): Promise<number> {
  const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)![1]) * 1024;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
