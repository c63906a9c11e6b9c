/**
 * `npm run bench`: usergraph against two baselines in one run, on the same database and the same
 * requests: a bare node:http server answering from a Map (the floor of serving from memory) and
 * PostGraphile v4 over user_full_view (asking PostgreSQL every time). Each server is a child
 * process, so that its CPU time is its own; the load generator runs here.
 *
 * 1. a scratch database (BENCH_DATABASE_URL's server, or an embedded one) with SuperTokens'
 *    tables, our migrations and BENCH_USERS synthetic users (100000);
 * 2. usergraph as production runs it: time to /ready, memory after a GC, then idle and alone for
 *    BENCH_REST_SECONDS (60): the database CPU it still causes (its drift check every
 *    BENCH_DRIFT_CHECK_INTERVAL_MS, 60000 as by default);
 * 3. usergraph again without its drift check (measured in 2, it would fall into some load windows
 *    and not others), then the bare server and PostGraphile: time to /ready, memory;
 * 4. the three must agree on a sample of every request kind, or the run stops;
 * 5. per request kind, each server loaded in turn (BENCH_CONNECTIONS 10, BENCH_SECONDS 10 after
 *    BENCH_WARMUP_SECONDS 3): req/s, latency, server CPU and PostgreSQL CPU per request, and the
 *    latency of a request alone.
 *
 * Markdown on stdout, progress on stderr, JSON in BENCH_OUTPUT (bench-results/<time>.json) with the
 * servers' logs beside it. Exits 1 when the servers disagree or a request under load failed.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { createLogger } from '../../src/logger.ts';
import { withScratchDatabase } from '../support/scratch.ts';
import { checkAgreement, type Agreement } from './agreement.ts';
import { createPostGraphileFunctions, disableParallelQuery, postgresVersion, seedUsers, timePlainSelect, type PlainSelect } from './database.ts';
import { backendsAreLocal } from './measure-cpu.ts';
import { readBenchOptions } from './options.ts';
import { say, timed } from './progress.ts';
import { markdownReport, type BenchResults, type AtRateRow, type LoadRow, type OwnListingRow, type RestResult, type StartupResult } from './report.ts';
import { dialectOf, OWN_LISTINGS, pickSample, REQUEST_KINDS, type ServerName } from './requests.ts';
import { buildUsergraph, loggedLoadMs, startServer, type RunningServer } from './servers.ts';
import { measureLoad, measureReadsDuringReloads, measureRest, settle, untilMachineQuiet, untilQuiet, type ReadsDuringReloads } from './windows.ts';

const options = readBenchOptions(process.env);
const logPrefix = options.outputFile.replace(/\.json$/, '');
mkdirSync(path.dirname(options.outputFile), { recursive: true });

let interrupted = false;
process.once('SIGINT', () => {
  interrupted = true;
  say('interrupted: stopping the servers and dropping the scratch database after the current step (Ctrl-C again to quit at once)…');
});
const checkInterrupted = () => {
  if (interrupted) throw new Error('interrupted');
};

const startedAt = new Date();
const loadAverageBefore = os.loadavg();
const apiKey = randomBytes(24).toString('hex');
const headers = { authorization: `Bearer ${apiKey}` };
const adminKey = randomBytes(24).toString('hex');
const sample = pickSample(options.users);

let seedingMs = 0;
let postgres = '?';
let plainSelect: PlainSelect = { ms: NaN, rows: 0 };
let databaseCpuMethod = '';
const startup: Partial<Record<ServerName, StartupResult>> = {};
let agreement: Agreement[] = [];
const loads: LoadRow[] = [];
let rest: RestResult | null = null;
let duringReloads: ReadsDuringReloads | null = null;
const ownListings: OwnListingRow[] = [];
/** What share of usergraph's maximum user(id) throughput the paced load asks for. */
const AT_RATE_SHARE = 0.8;
let atRate: AtRateRow | null = null;
const failures: string[] = [];

try {
  await timed('building usergraph (as npm run build does)', async () => buildUsergraph());
  await withScratchDatabase(options.serverUrl, createLogger('warn'), async (databaseUrl, typed) => {
    const db = typed as unknown as Kysely<any>;
    seedingMs = await seedUsers(db, options.users);
    await disableParallelQuery(db);
    await createPostGraphileFunctions(db);
    postgres = await postgresVersion(db);
    await db.destroy(); // the bench's own connections stay out of the way (and out of the counts)
    plainSelect = await timed('reading the whole view once (the floor of a load)', () => timePlainSelect(databaseUrl));

    const monitor = new pg.Client({ connectionString: databaseUrl, application_name: 'bench-monitor' });
    await monitor.connect();
    const local = await backendsAreLocal(monitor);
    databaseCpuMethod = local
      ? "time on a CPU from /proc/<pid>/schedstat of the server's backends (to the nanosecond; pg_stat_activity by application_name, sampled every 100 ms); parallel query off"
      : 'not measured: the database server is not on this machine';
    const meters = { monitor, local };
    const servers: RunningServer[] = [];
    const start = async (name: ServerName, driftCheckIntervalMs: number, logName: string = name) => {
      checkInterrupted();
      await timed('waiting for the machine to fall quiet', () => untilMachineQuiet());
      const settings = { databaseUrl, apiKey, adminKey, driftCheckIntervalMs, logFile: `${logPrefix}.${logName}.log` };
      const server = await timed(`starting ${name}`, () => startServer(name, settings));
      servers.push(server);
      return server;
    };
    try {
      // usergraph as production runs it: startup, memory, and the database CPU it causes at rest.
      const production = await start('usergraph', options.driftCheckIntervalMs, 'usergraph-at-rest');
      startup.usergraph = { command: production.command, readyMs: production.startupMs, loadMs: loggedLoadMs(production.logFile), memory: await production.memory() };
      checkInterrupted();
      say(`at rest: usergraph idle for ${options.restSeconds} s (DRIFT_CHECK_INTERVAL_MS ${options.driftCheckIntervalMs})…`);
      rest = { ...(await measureRest(production, options.restSeconds, meters, () => interrupted, options.driftCheckIntervalMs)), driftCheckIntervalMs: options.driftCheckIntervalMs };
      await production.stop();
      await settle(monitor); // its drift check may outlive it

      // Under load, usergraph runs without its drift check: periodic background work, measured
      // at rest above, that would otherwise fall into some windows and not others.
      const loaded = [await start('usergraph', 0)];
      for (const name of ['bare', 'postgraphile'] as const) {
        const server = await start(name, 0);
        startup[name] = { command: server.command, readyMs: server.startupMs, loadMs: null, memory: await server.memory() };
        loaded.push(server);
      }
      // What a start leaves running (at a million users, seconds of sorting and collecting after
      // /ready) would otherwise fall into the first loads.
      for (const server of loaded) await timed(`waiting for ${server.name} to fall quiet`, () => untilQuiet(server));

      say('checking that the three servers agree…');
      agreement = await checkAgreement(loaded, REQUEST_KINDS, sample, headers);
      for (const a of agreement.filter((a) => !a.agreed)) failures.push(`the servers disagree on ${a.kind}: ${a.difference}`);
      if (failures.length > 0) return;

      for (const kind of REQUEST_KINDS) {
        const requests = kind.requests(sample);
        for (const server of loaded) {
          checkInterrupted();
          say(`load: ${kind.label} → ${server.name}`);
          const target = { url: server.url, bodies: requests.map((r) => r.body[dialectOf(server.name)]), headers };
          const row = await measureLoad(server, target, options, meters);
          loads.push({ kind: kind.key, ...row });
          const failed = row.non2xx + row.errors + row.errorAnswers;
          if (failed > 0) {
            failures.push(
              `${server.name}, ${kind.label}: ${failed} requests failed ` +
                `(${row.non2xx} non-2xx, ${row.errors} connection errors, ${row.errorAnswers} answers with errors)`,
            );
          }
          say(`  ${row.requests} requests in ${row.seconds} s, p50 ${row.p50Ms.toFixed(2)} ms, alone ${row.aloneMs.toFixed(2)} ms`);
        }
      }

      // The latency target is set at 80 % of usergraph's own maximum, not at saturation.
      const byIdAtMax = loads.find((row) => row.kind === 'user' && row.server === 'usergraph');
      if (byIdAtMax && byIdAtMax.requestsPerSecond > 0) {
        checkInterrupted();
        const rate = Math.round(byIdAtMax.requestsPerSecond * AT_RATE_SHARE);
        say(`load: user(id) → usergraph at ${rate} req/s (${AT_RATE_SHARE * 100} % of its maximum)`);
        const byId = REQUEST_KINDS.find((kind) => kind.key === 'user')!;
        const usergraph = loaded[0]!;
        const target = { url: usergraph.url, bodies: byId.requests(sample).map((r) => r.body.usergraph), headers };
        const row = await measureLoad(usergraph, target, options, meters, rate);
        atRate = { share: AT_RATE_SHARE, rate, ...row };
        const failed = row.non2xx + row.errors + row.errorAnswers;
        if (failed > 0) failures.push(`usergraph, user(id) at ${rate} req/s: ${failed} requests failed`);
        say(`  ${row.requests} requests in ${row.seconds} s, p50 ${row.p50Ms.toFixed(2)} ms, p99 ${row.p99Ms.toFixed(2)} ms`);
      }

      for (const listing of OWN_LISTINGS) {
        checkInterrupted();
        say(`load: ${listing.label} → usergraph alone`);
        const row = await measureLoad(loaded[0]!, { url: loaded[0]!.url, bodies: listing.bodies, headers }, options, meters);
        ownListings.push({ label: listing.label, ...row });
        const failed = row.non2xx + row.errors + row.errorAnswers;
        if (failed > 0) failures.push(`usergraph, ${listing.label}: ${failed} requests failed`);
        say(`  ${row.requests} requests in ${row.seconds} s, p50 ${row.p50Ms.toFixed(2)} ms, alone ${row.aloneMs.toFixed(2)} ms`);
      }

      checkInterrupted();
      say('reads during reloads: user(id) → usergraph, alone, then with reloadUsers back to back');
      const byId = REQUEST_KINDS.find((kind) => kind.key === 'user')!;
      const usergraph = loaded[0]!;
      duringReloads = await measureReadsDuringReloads(
        usergraph,
        { url: usergraph.url, bodies: byId.requests(sample).map((r) => r.body.usergraph), headers },
        options,
        adminKey,
      );
      for (const [label, row] of [['without', duringReloads.quiet], ['during', duringReloads.reloading]] as const) {
        const failed = row.non2xx + row.errors + row.errorAnswers;
        if (failed > 0) failures.push(`usergraph, user(id) ${label} reloads: ${failed} requests failed`);
      }
      say(`  ${duringReloads.reloads} reloads (median ${Math.round(duringReloads.reloadMs)} ms); p99 ${duringReloads.quiet.p99Ms.toFixed(2)} ms without, ${duringReloads.reloading.p99Ms.toFixed(2)} ms during`);
    } finally {
      for (const server of servers) await server.stop();
      await monitor.end();
    }
  });
} catch (error) {
  failures.push(`the bench stopped: ${(error as Error).stack ?? error}`);
}

const results: BenchResults = {
  startedAt: startedAt.toISOString(),
  finishedAt: new Date().toISOString(),
  command: 'npm run bench',
  options: {
    users: options.users,
    seconds: options.seconds,
    warmupSeconds: options.warmupSeconds,
    connections: options.connections,
    restSeconds: options.restSeconds,
    driftCheckIntervalMs: options.driftCheckIntervalMs,
  },
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim() ?? '?',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    postgres,
    database: options.serverUrl ? 'BENCH_DATABASE_URL' : 'embedded',
    loadAverageBefore,
    loadAverageAfter: os.loadavg(),
  },
  seedingMs,
  plainSelect,
  startup,
  agreement,
  databaseCpuMethod,
  loads,
  rest,
  atRate,
  ownListings,
  duringReloads,
  failures,
};
writeFileSync(options.outputFile, `${JSON.stringify(results, null, 2)}\n`);
console.log(markdownReport(results));
say(`results: ${path.relative(process.cwd(), options.outputFile)}; the servers' logs: ${path.relative(process.cwd(), logPrefix)}.*.log`);
process.exit(failures.length > 0 ? 1 : 0);

