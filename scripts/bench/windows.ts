/**
 * Measured windows: one load on one server, or usergraph left idle, with the server's CPU and its
 * PostgreSQL backends' CPU read around it; and reads measured while usergraph reloads. Around each window, statements a load left running
 * (PostGraphile's, for requests the load generator gave up on) are cancelled, so that nothing
 * spills into the next window.
 */
import type pg from 'pg';
import { cancelStatements, waitForIdleBackends } from './backends.ts';
import { percentile } from '../support/scratch.ts';
import { runLoad, timeAlone, type LoadResult, type Target } from './load.ts';
import { BackendCpuMeter, ProcessCpuMeter, readMachineTicks } from './measure-cpu.ts';
import type { ServerName } from './requests.ts';
import { APPLICATION_NAMES, type RunningServer } from './servers.ts';

export interface Meters {
  readonly monitor: pg.Client;
  /** Whether the database's backends are processes of this machine (their CPU is readable). */
  readonly local: boolean;
}

export interface WindowOptions {
  readonly connections: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
}

export interface MeasuredLoad extends LoadResult {
  readonly server: ServerName;
  readonly serverCpuMs: number;
  /** null when the database's CPU is not readable. */
  readonly databaseCpuMs: number | null;
  /** CPU of the load generator (this process). */
  readonly benchCpuMs: number;
  /** Median latency of requests sent one at a time, after the load. */
  readonly aloneMs: number;
}

const ALL_APPLICATIONS = Object.values(APPLICATION_NAMES);

/** One server under load: as many requests as it takes, or `overallRate` per second, paced. */
export async function measureLoad(server: RunningServer, target: Target, options: WindowOptions, meters: Meters, overallRate?: number): Promise<MeasuredLoad> {
  const load = { ...target, connections: options.connections, overallRate };
  if (options.warmupSeconds > 0) await runLoad({ ...load, seconds: options.warmupSeconds });
  await settle(meters.monitor);
  const serverMeter = new ProcessCpuMeter(server.pid);
  const databaseMeter = meters.local ? await BackendCpuMeter.start(meters.monitor, [APPLICATION_NAMES[server.name]]) : null;
  const benchBefore = process.cpuUsage();
  const result = await runLoad({ ...load, seconds: options.seconds });
  const bench = process.cpuUsage(benchBefore);
  const serverCpuMs = serverMeter.stop();
  const databaseCpu = databaseMeter ? await databaseMeter.stop() : null;
  await settle(meters.monitor);
  return {
    server: server.name,
    ...result,
    serverCpuMs,
    databaseCpuMs: databaseCpu?.cpuMs ?? null,
    benchCpuMs: (bench.user + bench.system) / 1000,
    aloneMs: await timeAlone(target),
  };
}

export interface ReadsDuringReloads {
  /** The load alone, just before. */
  readonly quiet: LoadResult;
  /** The same load while reloadUsers runs back to back. */
  readonly reloading: LoadResult;
  readonly reloads: number;
  /** Median wall time of one reloadUsers, as its caller saw it. */
  readonly reloadMs: number;
}

/**
 * What a reload does to reads: the same load twice in a row, the second while reloadUsers runs
 * back to back (a new snapshot built beside the one being read, then swapped in), compared by
 * their latencies.
 */
export async function measureReadsDuringReloads(server: RunningServer, target: Target, options: WindowOptions, adminKey: string): Promise<ReadsDuringReloads> {
  const load = { ...target, connections: options.connections, seconds: options.seconds };
  if (options.warmupSeconds > 0) await runLoad({ ...load, seconds: options.warmupSeconds });
  const quiet = await runLoad(load);
  let done = false;
  const durations: number[] = [];
  const reloading = (async () => {
    while (!done) {
      const started = performance.now();
      await reload(server.url, adminKey);
      durations.push(performance.now() - started);
    }
  })();
  const during = await runLoad(load).finally(() => {
    done = true;
  });
  await reloading;
  return { quiet, reloading: during, reloads: durations.length, reloadMs: percentile(durations, 0.5) };
}

async function reload(url: string, adminKey: string): Promise<void> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
    body: JSON.stringify({ query: 'mutation { reloadUsers { count } }' }),
  });
  const answer = (await response.json()) as { data?: { reloadUsers?: { count: number } }; errors?: unknown };
  if (!answer.data?.reloadUsers) throw new Error(`reloadUsers failed: ${response.status} ${JSON.stringify(answer.errors)}`);
}

export interface MeasuredRest {
  /** How long after /ready (and the memory probe) the server fell quiet and the window began. */
  readonly quietAfterSeconds: number;
  readonly seconds: number;
  readonly driftChecks: number;
  readonly databaseCpuMs: number | null;
  readonly usergraphCpuMs: number;
}

/** How many seconds in a row a server must stay under 5 % of a core to count as quiet. */
export const QUIET_SECONDS = 3;

/**
 * Waits until the server has stopped working after its start (at a million users the first load
 * still sorts orders and the collector still compacts for seconds after /ready, with lulls of a
 * second between): until QUIET_SECONDS seconds in a row in each of which it used less than 5 % of
 * a core, for at most `limitSeconds`. Resolves to the seconds waited.
 */
export function untilQuiet(server: RunningServer, limitSeconds = 180): Promise<number> {
  return untilQuietSeconds(() => {
    const meter = new ProcessCpuMeter(server.pid);
    return () => meter.stop() < 50;
  }, limitSeconds);
}

/**
 * Waits until QUIET_SECONDS seconds in a row were quiet, for at most `limitSeconds`; resolves to
 * the seconds waited. `sample` starts measuring a second and returns what tells, at its end,
 * whether it was quiet (null: nothing to measure, do not wait).
 */
async function untilQuietSeconds(sample: () => (() => boolean) | null, limitSeconds: number): Promise<number> {
  const started = performance.now();
  let quiet = 0;
  while (quiet < QUIET_SECONDS && performance.now() - started < limitSeconds * 1000) {
    const wasQuiet = sample();
    if (!wasQuiet) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    quiet = wasQuiet() ? quiet + 1 : 0;
  }
  return (performance.now() - started) / 1000;
}

export async function measureRest(
  usergraph: RunningServer,
  seconds: number,
  meters: Meters,
  interrupted: () => boolean,
  driftCheckIntervalMs: number,
): Promise<MeasuredRest> {
  const started = performance.now();
  await untilQuiet(usergraph);
  // The first drift check after a start runs on a backend whose caches are cold (a backend's first
  // call of the counters took 12-17 ms in psql, later ones under 2 ms): a cost of the start.
  if (driftCheckIntervalMs > 0) {
    const until = performance.now() + driftCheckIntervalMs + 30_000;
    while ((await driftChecks(usergraph.url)) === 0 && performance.now() < until && !interrupted()) await new Promise((resolve) => setTimeout(resolve, 1000));
    await untilQuiet(usergraph);
  }
  const quietAfterSeconds = (performance.now() - started) / 1000;
  const checksBefore = await driftChecks(usergraph.url);
  const serverMeter = new ProcessCpuMeter(usergraph.pid);
  const databaseMeter = meters.local ? await BackendCpuMeter.start(meters.monitor, [APPLICATION_NAMES.usergraph]) : null;
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until && !interrupted()) await new Promise((resolve) => setTimeout(resolve, Math.min(250, until - Date.now())));
  const usergraphCpuMs = serverMeter.stop();
  const databaseCpu = databaseMeter ? await databaseMeter.stop() : null;
  return { quietAfterSeconds, seconds, driftChecks: (await driftChecks(usergraph.url)) - checksBefore, databaseCpuMs: databaseCpu?.cpuMs ?? null, usergraphCpuMs };
}

/**
 * Waits until the whole machine is idle (QUIET_SECONDS seconds in a row under 10 % busy), for at
 * most `limitSeconds`; resolves to the seconds waited (0 where /proc/stat cannot be read). Before
 * a start is timed: right after the bench reads the whole view (tens of seconds of PostgreSQL,
 * gigabytes of temporary files), a million-user start measured 0.8-1.1 s slower than one after a
 * rest (docs/performance.md), and a production start follows no such read.
 */
export function untilMachineQuiet(limitSeconds = 120): Promise<number> {
  return untilQuietSeconds(() => {
    const before = readMachineTicks();
    if (!before) return null;
    return () => {
      const after = readMachineTicks()!;
      return after.busy - before.busy < 0.1 * (after.total - before.total);
    };
  }, limitSeconds);
}

/** Cancels what the servers' backends are still running, and waits until they are idle. */
export async function settle(monitor: pg.Client): Promise<void> {
  await cancelStatements(monitor, ALL_APPLICATIONS);
  await waitForIdleBackends(monitor, ALL_APPLICATIONS);
}

/** Drift checks usergraph has started (GET /status). */
async function driftChecks(url: string): Promise<number> {
  const response = await fetch(`${url}/status`);
  const status = (await response.json()) as { sync?: { driftChecks?: number } };
  const checks = status.sync?.driftChecks;
  if (typeof checks !== 'number') throw new Error(`usergraph's /status has no sync.driftChecks: ${JSON.stringify(status)}`);
  return checks;
}
