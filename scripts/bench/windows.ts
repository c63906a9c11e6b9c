/**
 * Measured windows: one load on one server, or usergraph left idle, with the server's CPU and its
 * PostgreSQL backends' CPU read around it. Between windows, statements a load left running are
 * cancelled (PostGraphile's, for requests the load generator gave up on) or waited for
 * (usergraph's drift check), so that nothing spills into the next window.
 */
import type pg from 'pg';
import { cancelStatements, waitForIdleBackends } from './backends.ts';
import { runLoad, timeAlone, type LoadResult, type Target } from './load.ts';
import { BackendCpuMeter, ProcessCpuMeter } from './measure-cpu.ts';
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
  /** usergraph's drift checks that started within the window despite a second attempt; null for the others. */
  readonly driftChecks: number | null;
  /** Median latency of requests sent one at a time, after the load. */
  readonly aloneMs: number;
}

const ALL_APPLICATIONS = Object.values(APPLICATION_NAMES);

export async function measureLoad(server: RunningServer, target: Target, options: WindowOptions, meters: Meters): Promise<MeasuredLoad> {
  const load = { ...target, connections: options.connections };
  if (options.warmupSeconds > 0) await runLoad({ ...load, seconds: options.warmupSeconds });
  await settle(meters.monitor);
  // usergraph's drift check is periodic background work, measured at rest: a window it fell into
  // is measured again once.
  let measured: Omit<MeasuredLoad, 'aloneMs'>;
  for (let attempt = 1; ; attempt++) {
    const checksBefore = server.name === 'usergraph' ? await driftChecks(server.url) : null;
    const serverMeter = new ProcessCpuMeter(server.pid);
    const databaseMeter = meters.local ? await BackendCpuMeter.start(meters.monitor, [APPLICATION_NAMES[server.name]]) : null;
    const benchBefore = process.cpuUsage();
    const result = await runLoad({ ...load, seconds: options.seconds });
    const bench = process.cpuUsage(benchBefore);
    const serverCpuMs = serverMeter.stop();
    const databaseCpu = databaseMeter ? await databaseMeter.stop() : null;
    const checks = checksBefore === null ? null : (await driftChecks(server.url)) - checksBefore;
    await settle(meters.monitor);
    measured = {
      server: server.name,
      ...result,
      serverCpuMs,
      databaseCpuMs: databaseCpu?.cpuMs ?? null,
      benchCpuMs: (bench.user + bench.system) / 1000,
      driftChecks: checks,
    };
    if (!checks || attempt === 2) break;
  }
  return { ...measured, aloneMs: await timeAlone(target) };
}

export interface MeasuredRest {
  readonly seconds: number;
  readonly driftChecks: number;
  readonly databaseCpuMs: number | null;
  readonly usergraphCpuMs: number;
}

export async function measureRest(usergraph: RunningServer, seconds: number, meters: Meters, interrupted: () => boolean): Promise<MeasuredRest> {
  await settle(meters.monitor);
  const checksBefore = await driftChecks(usergraph.url);
  const serverMeter = new ProcessCpuMeter(usergraph.pid);
  const databaseMeter = meters.local ? await BackendCpuMeter.start(meters.monitor, [APPLICATION_NAMES.usergraph]) : null;
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until && !interrupted()) await new Promise((resolve) => setTimeout(resolve, Math.min(250, until - Date.now())));
  const usergraphCpuMs = serverMeter.stop();
  const databaseCpu = databaseMeter ? await databaseMeter.stop() : null;
  return { seconds, driftChecks: (await driftChecks(usergraph.url)) - checksBefore, databaseCpuMs: databaseCpu?.cpuMs ?? null, usergraphCpuMs };
}

async function settle(monitor: pg.Client): Promise<void> {
  await cancelStatements(monitor, [APPLICATION_NAMES.postgraphile, APPLICATION_NAMES.bare]);
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
