/** The bench's knobs, read once from its own environment variables (see scripts/bench/main.ts). */
import path from 'node:path';

export interface BenchOptions {
  /** A server where the bench may create and drop a database; undefined: an embedded one. */
  readonly serverUrl: string | undefined;
  readonly users: number;
  /** Measured seconds per server and request kind. */
  readonly seconds: number;
  /** Unmeasured seconds before each measured window (JIT, pools, caches). */
  readonly warmupSeconds: number;
  readonly connections: number;
  /** How long usergraph is left idle while the database CPU it causes is measured. */
  readonly restSeconds: number;
  /** Passed to usergraph as DRIFT_CHECK_INTERVAL_MS (60000 is its default). */
  readonly driftCheckIntervalMs: number;
  /** Where the JSON results go; the servers' logs go beside it. */
  readonly outputFile: string;
}

export function readBenchOptions(env: NodeJS.ProcessEnv, now = new Date()): BenchOptions {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  return {
    serverUrl: env.BENCH_DATABASE_URL || undefined,
    users: whole(env, 'BENCH_USERS', 100_000, 1),
    seconds: whole(env, 'BENCH_SECONDS', 10, 1),
    warmupSeconds: whole(env, 'BENCH_WARMUP_SECONDS', 3, 0),
    connections: whole(env, 'BENCH_CONNECTIONS', 10, 1),
    restSeconds: whole(env, 'BENCH_REST_SECONDS', 60, 0),
    driftCheckIntervalMs: whole(env, 'BENCH_DRIFT_CHECK_INTERVAL_MS', 60_000, 0),
    outputFile: path.resolve(env.BENCH_OUTPUT || path.join('bench-results', `${stamp}.json`)),
  };
}

function whole(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`${name} must be a whole number of at least ${min}, not ${JSON.stringify(raw)}`);
  return value;
}
