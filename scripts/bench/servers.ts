/**
 * The three servers, each a child process of its own (so that its CPU time is its own): how each
 * is started, when it is ready, how much memory it holds, and how it is stopped. Each writes its
 * output to a log file beside the results. A preloaded probe (child-probe.mjs) reports
 * process.memoryUsage() after a full GC when asked over IPC.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ServerName } from './requests.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * usergraph is run as `npm start` runs it: compiled JavaScript (tsx's on-the-fly transform wraps
 * functions in helpers that cost several µs per request), from a build of the sources as they are
 * now, made by `buildUsergraph` into a folder of its own (dist/ is left alone).
 */
export const USERGRAPH_BUILD = 'bench-results/.usergraph-build';
/** npm start's flags, read from package.json: the bench runs what production runs. */
const START_FLAGS = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start
  .split(' ')
  .filter((word) => word.startsWith('--'));
const USERGRAPH_COMMAND = ['node', ...START_FLAGS, `${USERGRAPH_BUILD}/src/cli.js`, 'serve'];
const BARE_COMMAND = ['node', '--import', 'tsx', 'scripts/bench/bare-server.ts'];
const POSTGRAPHILE_COMMAND = ['node', '--import', 'tsx', 'scripts/bench/postgraphile-server.ts'];

const PROBE = pathToFileURL(path.join(ROOT, 'scripts/bench/child-probe.mjs')).href;
const MEMORY_REQUEST = 'usergraph-bench:memory';

/** The application_name each server's connections carry, for the database CPU attribution. */
export const APPLICATION_NAMES: Readonly<Record<ServerName, string>> = {
  usergraph: 'bench-usergraph',
  bare: 'bench-bare',
  postgraphile: 'bench-postgraphile',
};

/** Compiles the sources into USERGRAPH_BUILD, as `npm run build` does into dist/. */
export function buildUsergraph(): void {
  const built = spawnSync(process.execPath, ['scripts/build.mjs', USERGRAPH_BUILD], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (built.status !== 0) throw new Error(`building usergraph failed (exit ${built.status})`);
}

export interface ServerSettings {
  readonly databaseUrl: string;
  /** The bearer key every request carries: a usergraph API key with users:read and users:pii. */
  readonly apiKey: string;
  /** usergraph's ADMIN_API_KEY: what asks it to reload while reads are measured. */
  readonly adminKey: string;
  readonly driftCheckIntervalMs: number;
  /** Where the server's output goes. */
  readonly logFile: string;
}

export interface RunningServer {
  readonly name: ServerName;
  readonly pid: number;
  readonly url: string;
  readonly command: string;
  readonly logFile: string;
  /** From spawn to the first 200 on /ready. */
  readonly startupMs: number;
  /** process.memoryUsage() of the server after a full GC. */
  memory(): Promise<NodeJS.MemoryUsage>;
  stop(): Promise<void>;
}

export async function startServer(name: ServerName, settings: ServerSettings): Promise<RunningServer> {
  const port = await freePort();
  const databaseUrl = withApplicationName(settings.databaseUrl, APPLICATION_NAMES[name]);
  const [program, ...args] = { usergraph: USERGRAPH_COMMAND, bare: BARE_COMMAND, postgraphile: POSTGRAPHILE_COMMAND }[name];
  const serverEnv: Record<ServerName, Record<string, string>> = {
    usergraph: {
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      NODE_ENV: 'production',
      API_KEYS: JSON.stringify([{ name: 'bench-reader', scopes: ['users:read', 'users:pii'], key: settings.apiKey }]),
      ADMIN_API_KEY: settings.adminKey,
      DRIFT_CHECK_INTERVAL_MS: String(settings.driftCheckIntervalMs),
    },
    bare: { DATABASE_URL: databaseUrl, PORT: String(port), BENCH_KEY: settings.apiKey },
    postgraphile: { DATABASE_URL: databaseUrl, PORT: String(port) },
  };
  const { logFile } = settings;
  const log = openSync(logFile, 'a');
  const started = performance.now();
  const child = spawn(program!, args, {
    cwd: ROOT,
    env: { ...baseEnv(), ...serverEnv[name], NODE_OPTIONS: `--import=${PROBE}` },
    stdio: ['ignore', log, log, 'ipc'],
  });
  closeSync(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(url, exited, logFile);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    name,
    pid: child.pid!,
    url,
    command: [program, ...args].join(' '),
    logFile,
    startupMs: performance.now() - started,
    memory: () => askMemory(child),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timeout = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timeout);
    },
  };
}

/** usergraph's own account of its startup load: the `users loaded` log line's durationMs. */
export function loggedLoadMs(logFile: string): number | null {
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.includes('"users loaded"')) continue;
    try {
      return (JSON.parse(line) as { durationMs?: number }).durationMs ?? null;
    } catch {
      return null;
    }
  }
  return null;
}

/** What a server needs from the environment to run; nothing of the caller's own configuration. */
function baseEnv(): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ']) {
    const value = process.env[name];
    if (value !== undefined) kept[name] = value;
  }
  return kept;
}

function withApplicationName(databaseUrl: string, applicationName: string): string {
  const url = new URL(databaseUrl);
  url.searchParams.set('application_name', applicationName);
  return url.toString();
}

async function waitUntilReady(url: string, exited: Promise<number | null>, logFile: string): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error(`${url}: the server exited before it was ready; the end of ${logFile}:\n${tail(logFile)}`);
    try {
      const response = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(5_000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function askMemory(child: ChildProcess): Promise<NodeJS.MemoryUsage> {
  return new Promise((resolve, reject) => {
    const timeout = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error('the server did not report its memory within 10 minutes (is child-probe.mjs preloaded?)'));
    }, 600_000); // a full GC of a few GiB waits for an event loop that may be busy
    const onMessage = (message: { type?: string; memory?: NodeJS.MemoryUsage }) => {
      if (message?.type !== MEMORY_REQUEST) return;
      clearTimeout(timeout);
      child.off('message', onMessage);
      resolve(message.memory!);
    };
    child.on('message', onMessage);
    child.send({ type: MEMORY_REQUEST });
  });
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
