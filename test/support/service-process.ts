/**
 * The service as its own process (`usergraph serve` from the sources, node running tsx's loader,
 * so that signals reach the server itself): for what only a process shows, such as its signals,
 * its exit code and its stdout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sleepUntil } from './wait.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ServiceProcess {
  readonly child: ChildProcess;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** Every stdout line, as written. */
  readonly stdout: string[];
  /** Every stdout line, parsed (a line that is not JSON fails the test that reads it). */
  lines(): Array<Record<string, any>>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `usergraph <args>` from the sources, waits for it to exit, and returns its exit code and output. */
export async function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnCli(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
  return { code, stdout, stderr };
}

/** Starts `usergraph serve` on a free port and resolves once it says it is ready. */
export async function startServiceProcess(env: Record<string, string>): Promise<ServiceProcess> {
  const child = spawnCli(['serve'], { PORT: '0', HOST: '127.0.0.1', ...env });
  const stdout: string[] = [];
  let pending = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const text = pending + chunk.toString();
    const parts = text.split('\n');
    pending = parts.pop()!;
    stdout.push(...parts.filter((line) => line !== ''));
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const lines = () => stdout.map((line) => JSON.parse(line) as Record<string, any>);
  let port: number | undefined;
  try {
    await sleepUntil(() => {
      if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}:\n${stderr}\n${stdout.join('\n')}`);
      port = lines().find((line) => line.msg?.startsWith('usergraph is ready'))?.port;
      return port !== undefined;
    }, 60_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { child, url: `http://127.0.0.1:${port}`, stdout, lines, exited };
}

function spawnCli(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: ROOT,
    // Only what the service is given: none of the test runner's variables leak into its config.
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
