/**
 * CPU time of other processes, from /proc/<pid>/stat (utime + stime, in clock ticks) and
 * /proc/<pid>/schedstat (a thread's time on a CPU, in nanoseconds): the
 * benchmarked servers are child processes, and PostgreSQL's backends are processes of their own,
 * so their CPU can be read apart from the load generator's (which shares the same cores).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type pg from 'pg';

/** Clock ticks per second of /proc's times (USER_HZ); 100 nearly everywhere. */
export const CLOCK_TICKS: number = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

export interface ProcessTimes {
  /** utime + stime, in milliseconds: every thread's, counted in clock ticks. */
  readonly cpuMs: number;
  /**
   * The main thread's time on a CPU, in milliseconds to the nanosecond (/proc/<pid>/schedstat),
   * or cpuMs where the kernel does not keep it. For a single-threaded process (a PostgreSQL
   * backend) this is all of its CPU: an idle backend's few milliseconds a minute fall between
   * clock ticks, so that a window of ticks reads 0, 10 or 50 ms for the same work.
   */
  readonly preciseCpuMs: number;
  /** When the process started, in clock ticks since boot. */
  readonly startTicks: number;
}

/** The process's times; null when it is gone (or not on this machine). */
export function readProcessTimes(pid: number): ProcessTimes | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // fields 14 and 15: utime, stime
  const cpuMs = (ticks * 1000) / CLOCK_TICKS;
  return { cpuMs, preciseCpuMs: readScheduledMs(pid) ?? cpuMs, startTicks: Number(fields[19]) }; // field 22: starttime
}

function readScheduledMs(pid: number): number | null {
  try {
    const onCpuNs = Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
    return Number.isFinite(onCpuNs) ? onCpuNs / 1e6 : null;
  } catch {
    return null;
  }
}

/** Busy and total clock ticks of every core since boot (/proc/stat's first line); null off Linux. */
export function readMachineTicks(): { busy: number; total: number } | null {
  let stat: string;
  try {
    stat = readFileSync('/proc/stat', 'utf8');
  } catch {
    return null;
  }
  // cpu user nice system idle iowait irq softirq steal …: idle and iowait are not busy.
  const ticks = stat.slice(0, stat.indexOf('\n')).trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.reduce((sum, value) => sum + value, 0);
  return { busy: total - ticks[3]! - (ticks[4] ?? 0), total };
}

/** Now, in clock ticks since boot (the unit of ProcessTimes.startTicks). */
function uptimeTicks(): number {
  return Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * CLOCK_TICKS;
}

/** CPU milliseconds a process spends from the meter's creation to stop(). */
export class ProcessCpuMeter {
  private readonly startMs: number;

  constructor(private readonly pid: number) {
    this.startMs = readProcessTimes(pid)?.cpuMs ?? NaN;
  }

  stop(): number {
    return (readProcessTimes(this.pid)?.cpuMs ?? NaN) - this.startMs;
  }
}

/**
 * Whether the server's backends are processes of this machine: the monitor's own backend must be
 * a `postgres` process in /proc. Otherwise (a remote server) the database's CPU cannot be read.
 */
export async function backendsAreLocal(monitor: pg.Client): Promise<boolean> {
  const { rows } = await monitor.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  try {
    return readFileSync(`/proc/${rows[0]!.pid}/comm`, 'utf8').trim() === 'postgres';
  } catch {
    return false;
  }
}

export interface BackendCpu {
  /** CPU milliseconds of the matching backends within the window. */
  readonly cpuMs: number;
  /** Distinct backends seen. */
  readonly backends: number;
}

/**
 * The CPU of the PostgreSQL backends whose application_name is one of `applications`, on the
 * monitor's database, between start and stop. Backends come and go (pools close idle connections),
 * so pg_stat_activity is sampled every `sampleMs`: a backend born within the window counts from
 * zero, and one that ends loses at most its last `sampleMs` (idle time, for a pooled connection).
 * Parallel workers are not attributed: the bench turns parallel query off for its database.
 */
export class BackendCpuMeter {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private readonly windowStartTicks = uptimeTicks();
  private timer: NodeJS.Timeout | undefined;
  private sampling: Promise<void> = Promise.resolve();

  private constructor(
    private readonly monitor: pg.Client,
    private readonly applications: readonly string[],
    private readonly sampleMs: number,
  ) {}

  static async start(monitor: pg.Client, applications: readonly string[], sampleMs = 100): Promise<BackendCpuMeter> {
    const meter = new BackendCpuMeter(monitor, applications, sampleMs);
    await meter.sample();
    meter.timer = setInterval(() => {
      meter.sampling = meter.sampling.then(() => meter.sample()).catch(() => {});
    }, sampleMs);
    return meter;
  }

  async stop(): Promise<BackendCpu> {
    clearInterval(this.timer);
    await this.sampling;
    await this.sample();
    let cpuMs = 0;
    for (const [pid, last] of this.last) cpuMs += last - this.first.get(pid)!;
    return { cpuMs, backends: this.last.size };
  }

  private async sample(): Promise<void> {
    const { rows } = await this.monitor.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = ANY($1) AND pid <> pg_backend_pid()',
      [this.applications],
    );
    for (const { pid } of rows) {
      const times = readProcessTimes(pid);
      if (!times) continue;
      if (!this.first.has(pid)) this.first.set(pid, times.startTicks >= this.windowStartTicks ? 0 : times.preciseCpuMs);
      this.last.set(pid, times.preciseCpuMs);
    }
  }
}

