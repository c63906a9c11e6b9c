/**
 * The process, as `npm start` runs it (src/cli.ts serve in a child process): a port already taken is
 * said in one line before any other work, and a second start beside a running one in the same
 * folder leaves the first one's embedded database alone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findFreePort } from '../../src/demo/free-port.ts';
import { sleepUntil } from '../support/wait.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Started {
  readonly child: ChildProcess;
  readonly output: string[];
  readonly exited: Promise<number | null>;
}

function start(env: Record<string, string>): Started {
  const environment: Record<string, string | undefined> = { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env };
  if (!env.DATABASE_URL) delete environment.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], { cwd: ROOT, env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output, exited };
}

async function stop(started: Started | undefined): Promise<number | null | undefined> {
  if (!started) return undefined;
  if (started.child.exitCode === null && started.child.signalCode === null) started.child.kill('SIGTERM');
  const timer = setTimeout(() => started.child.kill('SIGKILL'), 20_000);
  const code = await started.exited;
  clearTimeout(timer);
  return code;
}

const lines = (started: Started) => started.output.join('').split('\n').filter((line) => line.trim() !== '');

describe('a port already taken', () => {
  it('is said in one line, before any other work, and the process ends', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      // A database nobody answers at: had the process gone on, it would say it waits for it.
      const started = start({ PORT: String(port), DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere' });
      expect(await started.exited).toBe(1);
      expect(lines(started)).toEqual([`usergraph cannot start: port ${port} on 127.0.0.1 is taken (another usergraph running?); set PORT to another`]);
    } finally {
      taken.close();
    }
  });
});

describe('two starts in one folder', () => {
  it('the second says the folder is in use and ends; the first, and its embedded database, go on', async ({ onTestFinished }) => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'usergraph-two-starts-'));
    await chmod(folder, 0o755); // as root, the embedded cluster runs as the postgres user
    let first: Started | undefined;
    onTestFinished(async () => {
      await stop(first);
      await rm(folder, { recursive: true, force: true });
    });
    const env = { EMBEDDED_PG_DIR: path.join(folder, '.usergraph') };
    const firstPort = await findFreePort();
    first = start({ ...env, PORT: String(firstPort) });
    const base = `http://127.0.0.1:${firstPort}`;
    await sleepUntil(async () => (await fetch(`${base}/ready`).catch(() => undefined))?.status === 200, 120_000, 250);

    const second = start({ ...env, PORT: String(await findFreePort()) });
    expect(await second.exited).toBe(1);
    const said = lines(second).filter((line) => !line.startsWith('{')); // JSON lines are logs
    expect(said).toEqual([expect.stringMatching(new RegExp(`^usergraph failed to start: .*\\.usergraph is in use by another usergraph \\(pid ${first.child.pid}\\)`))]);

    // The first one still answers from its database.
    const key = (await readFile(path.join(folder, '.usergraph', 'admin-api-key'), 'utf8')).trim();
    const answer = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: '{ users(first: 0) { totalCount } }' }),
    });
    expect(await answer.json()).toMatchObject({ data: { users: { totalCount: 300 } } });

    expect(await stop(first)).toBe(0);
    first = undefined;
    expect(existsSync(path.join(folder, '.usergraph', 'usergraph.pid'))).toBe(false);
  }, 180_000);
});
