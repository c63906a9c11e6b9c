/** The bench's results: their JSON shape, and the Markdown tables printed from them. */
import type { Agreement } from './agreement.ts';
import type { BenchOptions } from './options.ts';
import { REQUEST_KINDS, SERVER_NAMES, type KindKey, type ServerName } from './requests.ts';
import { QUIET_SECONDS, type MeasuredLoad, type MeasuredRest, type ReadsDuringReloads } from './windows.ts';

export interface StartupResult {
  readonly command: string;
  /** From spawn to the first 200 on /ready. */
  readonly readyMs: number;
  /** usergraph's own `users loaded` durationMs; null for the others. */
  readonly loadMs: number | null;
  /** process.memoryUsage() reported by the server after a full GC, once ready. */
  readonly memory: NodeJS.MemoryUsage;
}

export interface LoadRow extends MeasuredLoad {
  readonly kind: KindKey;
}

/** A listing only usergraph answers (requests.ts OWN_LISTINGS), loaded on it alone. */
export interface OwnListingRow extends MeasuredLoad {
  readonly label: string;
}

/** user(id) on usergraph, paced at a share of the maximum it reached under load. */
export interface AtRateRow extends MeasuredLoad {
  /** Of usergraph's user(id) req/s under load. */
  readonly share: number;
  /** Requests per second asked of the load generator. */
  readonly rate: number;
}

export interface RestResult extends MeasuredRest {
  readonly driftCheckIntervalMs: number;
}

export interface BenchResults {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly command: string;
  readonly options: Omit<BenchOptions, 'serverUrl' | 'outputFile'>;
  readonly machine: {
    readonly cpus: number;
    readonly cpuModel: string;
    readonly memoryGiB: number;
    readonly node: string;
    readonly postgres: string;
    readonly database: 'embedded' | 'BENCH_DATABASE_URL';
    readonly loadAverageBefore: readonly number[];
    readonly loadAverageAfter: readonly number[];
  };
  readonly seedingMs: number;
  readonly plainSelect: { readonly ms: number; readonly rows: number };
  readonly startup: Partial<Record<ServerName, StartupResult>>;
  readonly agreement: readonly Agreement[];
  /** How the database's CPU was read, or why it could not be. */
  readonly databaseCpuMethod: string;
  readonly loads: readonly LoadRow[];
  readonly rest: RestResult | null;
  /** user(id) on usergraph at 80 % of its maximum; null when not reached. */
  readonly atRate: AtRateRow | null;
  /** Listings neither baseline answers, on usergraph alone. */
  readonly ownListings: readonly OwnListingRow[];
  /** user(id) on usergraph without and during back-to-back reloads; null when not reached. */
  readonly duringReloads: ReadsDuringReloads | null;
  /** Why the run failed; empty when it did not. */
  readonly failures: readonly string[];
}

export const MEMORY_METHOD = 'process.memoryUsage() reported by each server after a full GC (IPC, child-probe.mjs)';
export const CPU_METHOD = 'utime+stime of the server process from /proc/<pid>/stat over the measured window';

const LABELS: Readonly<Record<ServerName, string>> = { usergraph: 'usergraph', bare: 'bare node:http', postgraphile: 'PostGraphile 4' };

export function markdownReport(results: BenchResults): string {
  const { options, machine } = results;
  const out: string[] = [];
  const users = options.users.toLocaleString('en');
  out.push(
    `usergraph bench: ${users} users; ${options.connections} connections, ${options.seconds} s per load after ${options.warmupSeconds} s of warm-up`,
    `${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB; Node ${machine.node}; PostgreSQL ${machine.postgres} (${machine.database}); ` +
      `load average ${machine.loadAverageBefore.map((n) => n.toFixed(2)).join(' ')} before, ${machine.loadAverageAfter.map((n) => n.toFixed(2)).join(' ')} after`,
    '',
  );

  out.push(`### Startup (${users} users)`, '');
  out.push(
    table(
      ['server', 'spawn → /ready', 'load (its log)', 'heap after GC', 'heap/user', 'RSS', 'RSS/user'],
      SERVER_NAMES.flatMap((name) => {
        const s = results.startup[name];
        if (!s) return [];
        return [[LABELS[name], seconds(s.readyMs), s.loadMs === null ? '–' : seconds(s.loadMs), mib(s.memory.heapUsed), perUser(s.memory.heapUsed, options.users), mib(s.memory.rss), perUser(s.memory.rss, options.users)]];
      }),
    ),
    '',
    `PostgreSQL alone, the whole view read by a client through one cursor (${results.plainSelect.rows.toLocaleString('en')} rows, as pg parses them): ${seconds(results.plainSelect.ms)}. ` +
      `Seeding took ${seconds(results.seedingMs)}.`,
    `Memory: ${MEMORY_METHOD}; per user = the whole process's figure ÷ users (fixed costs included).`,
    '',
  );

  out.push('### Agreement (checked before any load)', '');
  out.push(
    table(
      ['request', 'requests', 'users compared', 'all three agree'],
      results.agreement.map((a) => [labelOf(a.kind), String(a.requests), String(a.users), a.agreed ? 'yes' : `**NO**: ${a.difference?.split('\n')[0]}`]),
    ),
    '',
  );

  if (results.loads.length > 0) {
    out.push('### Under load', '');
    out.push(
      table(
        ['request', 'server', 'req/s', 'p50', 'p99', 'alone', 'server CPU/req', 'server CPU', 'PostgreSQL CPU/req', 'failed'],
        results.loads.map((row) => [
          labelOf(row.kind),
          LABELS[row.server],
          row.requests === 0 ? `0 in ${row.seconds} s` : Math.round(row.requestsPerSecond).toLocaleString('en'),
          ms(row.p50Ms),
          ms(row.p99Ms),
          ms(row.aloneMs),
          micros(row.serverCpuMs, row.requests),
          `${Math.round((row.serverCpuMs / 10) / row.seconds)}%`,
          row.databaseCpuMs === null ? 'n/a' : micros(row.databaseCpuMs, row.requests),
          String(row.non2xx + row.errors + row.errorAnswers),
        ]),
      ),
      '',
      'p50, p99: latency under the load; alone: the median of up to 20 requests sent one at a time after it (as many as fit in 10 s). ' +
        `Server CPU: ${CPU_METHOD}, ÷ completed requests (and as % of one core). PostgreSQL CPU: ${results.databaseCpuMethod}. ` +
        'failed: non-2xx, connection errors and timeouts, and answers carrying GraphQL errors. ' +
        "usergraph runs here without its drift check (DRIFT_CHECK_INTERVAL_MS=0): it is measured at rest. " +
        `The load generator (autocannon, in the bench's own process) used up to ${Math.round(Math.max(...results.loads.map((r) => r.benchCpuMs / 10 / r.seconds)))}% of a core.`,
      '',
    );

    out.push('### usergraph ÷ baseline', '');
    out.push(
      table(
        ['request', 'req/s ÷ bare', 'req/s ÷ PostGraphile', 'CPU/req ÷ bare', 'CPU/req ÷ PostGraphile'],
        REQUEST_KINDS.flatMap((kind) => {
          const row = (server: ServerName) => results.loads.find((r) => r.kind === kind.key && r.server === server);
          const ours = row('usergraph');
          if (!ours) return [];
          const ratio = (pick: (r: LoadRow) => number, other: LoadRow | undefined) =>
            !other || other.requests === 0 || ours.requests === 0 ? '–' : `${(pick(ours) / pick(other)).toFixed(2)}×`;
          return [[kind.label, ratio(throughput, row('bare')), ratio(throughput, row('postgraphile')), ratio(totalCpuPerRequest, row('bare')), ratio(totalCpuPerRequest, row('postgraphile'))]];
        }),
      ),
      '',
      'CPU/req: the server process and its PostgreSQL backends together, per completed request. Above 1× usergraph is faster (req/s) or costlier (CPU/req). ' +
        '–: a server completed no request within the window (compare the latency alone).',
      '',
    );
  }

  if (results.atRate) {
    const row = results.atRate;
    out.push(`### user(id) at ${Math.round(row.share * 100)} % of usergraph's maximum (usergraph alone)`, '');
    out.push(
      table(
        ['asked', 'req/s', 'p50', 'p99', 'server CPU/req', 'server CPU', 'failed'],
        [[
          `${row.rate.toLocaleString('en')} req/s`,
          Math.round(row.requestsPerSecond).toLocaleString('en'),
          ms(row.p50Ms),
          ms(row.p99Ms),
          micros(row.serverCpuMs, row.requests),
          `${Math.round((row.serverCpuMs / 10) / row.seconds)}%`,
          String(row.non2xx + row.errors + row.errorAnswers),
        ]],
      ),
      '',
      `The same requests and connections as under load, paced by the load generator at ${Math.round(row.share * 100)} % of the req/s usergraph reached there.`,
      '',
    );
  }

  if (results.rest) {
    const rest = results.rest;
    const perHour = (cpuMs: number) => seconds((cpuMs * 3600) / rest.seconds);
    out.push('### At rest (usergraph alone, idle, no writes)', '');
    out.push(
      table(
        ['window', 'DRIFT_CHECK_INTERVAL_MS', 'drift checks', 'PostgreSQL CPU', '… per hour', 'usergraph CPU', '… per hour'],
        [[`${rest.seconds} s`, String(rest.driftCheckIntervalMs), String(rest.driftChecks), rest.databaseCpuMs === null ? 'n/a' : seconds(rest.databaseCpuMs), rest.databaseCpuMs === null ? 'n/a' : perHour(rest.databaseCpuMs), seconds(rest.usergraphCpuMs), perHour(rest.usergraphCpuMs)]],
      ),
      '',
      `The window began once usergraph had fallen quiet after its start (${QUIET_SECONDS} seconds in a row under 5 % of a core) and after its first drift check (on a backend with cold caches), ${rest.quietAfterSeconds.toFixed(0)} s after it was ready: what a start still costs then is not rest. ` +
        'drift checks: started within the window (usergraph /status). Per hour: the window extrapolated.',
      '',
    );
  }

  if (results.ownListings.length > 0) {
    out.push("### usergraph's own listings (alone: neither baseline answers them)", '');
    out.push(
      table(
        ['request', 'req/s', 'p50', 'p99', 'alone', 'server CPU/req', 'failed'],
        results.ownListings.map((row) => [
          row.label,
          Math.round(row.requestsPerSecond).toLocaleString('en'),
          ms(row.p50Ms),
          ms(row.p99Ms),
          ms(row.aloneMs),
          micros(row.serverCpuMs, row.requests),
          String(row.non2xx + row.errors + row.errorAnswers),
        ]),
      ),
      '',
      'search rotates over 20 prefixes (user1 … user20): the first listing of each in a snapshot passes over every user, then its matches are remembered.',
      '',
    );
  }

  if (results.duringReloads) {
    const { quiet, reloading, reloads, reloadMs } = results.duringReloads;
    out.push(`### Reads during reloads (usergraph, user(id), ${options.connections} connections)`, '');
    out.push(
      table(
        ['window', 'reloads', 'req/s', 'p50', 'p99'],
        [
          ['without reloads', '0', Math.round(quiet.requestsPerSecond).toLocaleString('en'), ms(quiet.p50Ms), ms(quiet.p99Ms)],
          ['reloadUsers back to back', `${reloads} (median ${seconds(reloadMs)})`, Math.round(reloading.requestsPerSecond).toLocaleString('en'), ms(reloading.p50Ms), ms(reloading.p99Ms)],
        ],
      ),
      '',
      `p99 during reloads ÷ without: ${(reloading.p99Ms / quiet.p99Ms).toFixed(2)}×. Each reload reads every user, in steps beside the snapshot being read (resting between them while requests are served), keeps the users it finds unchanged, and swaps in the result (the few changes over the current snapshot, or a whole new one).`,
      '',
    );
  }

  if (results.failures.length > 0) out.push('### FAILED', '', ...results.failures.map((f) => `- ${f}`), '');
  return out.join('\n');
}

const throughput = (row: LoadRow) => row.requestsPerSecond;
const totalCpuPerRequest = (row: LoadRow) => (row.serverCpuMs + (row.databaseCpuMs ?? 0)) / row.requests;

function labelOf(kind: KindKey): string {
  return REQUEST_KINDS.find((k) => k.key === kind)!.label;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function seconds(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(0)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`;
}

function ms(value: number): string {
  return Number.isNaN(value) ? '–' : value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(2)} ms`;
}

function micros(cpuMs: number, requests: number): string {
  return requests === 0 ? '–' : `${Math.round((cpuMs * 1000) / requests).toLocaleString('en')} µs`;
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

function perUser(bytes: number, users: number): string {
  return `${Math.round(bytes / users).toLocaleString('en')} B`;
}
