/**
 * The service's Prometheus metrics (prom-client), served at /metrics. Requests are observed once
 * each, when their response is done, from the request's record (http/request-record.ts): the fast
 * lane's answers and yoga's alike. The directory, the change feed and the fast lane are read when
 * scraped. One registry per app, so that several apps in one process (the tests) do not mix.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ReloadResult } from '../directory/user-directory.ts';
import type { FastLaneStats } from '../http/fast-lane.ts';
import type { RequestRecord } from '../http/request-record.ts';

/** What the change feed reports when scraped (undefined before it starts). */
export interface SyncReading {
  readonly counters: {
    readonly noticesReceived: number;
    readonly noticesApplied: number;
    readonly noticesCoalesced: number;
    readonly duplicatesDropped: number;
    readonly reloads: number;
    readonly driftChecks: number;
    readonly driftRepairs: number;
    readonly listenerReconnects: number;
  };
  /** Undefined when the service does not LISTEN (CHANGE_LISTENER=false). */
  readonly listener: { readonly listening: boolean; readonly downForMs: number } | undefined;
}

export interface MetricsSources {
  directoryUsers(): number;
  subscribers(): number;
  sync(): SyncReading | undefined;
  fastLane(): Readonly<FastLaneStats>;
  /** Users whose answer texts the fast lane keeps. */
  answerTexts(): number;
}

/** Paths with a label of their own; any other path counts as `other` (no unbounded labels). */
const ROUTES = new Set(['/graphql', '/health', '/ready', '/status', '/metrics']);
/** Distinct operation names labelled; later ones count as `(other)`: clients choose names freely. */
const MAX_OPERATION_NAMES = 200;

const SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class Metrics {
  readonly registry = new Registry();
  private readonly operationNames = new Set<string>();

  private readonly httpRequests = new Counter({
    name: 'usergraph_http_requests_total',
    help: 'HTTP requests answered, by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly httpDuration = new Histogram({
    name: 'usergraph_http_request_duration_seconds',
    help: 'From the request to the end of its response, by route.',
    labelNames: ['route'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });
  private readonly operations = new Counter({
    name: 'usergraph_graphql_operations_total',
    help: 'GraphQL operations run, by operation name, type and the path that answered (fast lane or yoga).',
    labelNames: ['operation', 'type', 'lane'] as const,
    registers: [this.registry],
  });
  private readonly operationDuration = new Histogram({
    name: 'usergraph_graphql_request_duration_seconds',
    help: 'Duration of the HTTP requests carrying each GraphQL operation, by operation name and type.',
    labelNames: ['operation', 'type'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });
  private readonly errors = new Counter({
    name: 'usergraph_graphql_errors_total',
    help: 'Errors in GraphQL answers, by extensions.code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  private readonly cacheHits = new Counter({
    name: 'usergraph_directory_cache_hits_total',
    help: 'Lookups answered from the in-memory directory (or its memory of absent keys).',
    registers: [this.registry],
  });
  private readonly cacheMisses = new Counter({
    name: 'usergraph_directory_cache_misses_total',
    help: 'Lookups the directory missed, each then looked up in the database.',
    registers: [this.registry],
  });
  private readonly databaseQueries = new Counter({
    name: 'usergraph_directory_database_queries_total',
    help: 'Batched database queries made for the misses.',
    registers: [this.registry],
  });
  private readonly loadDuration = new Histogram({
    name: 'usergraph_directory_load_duration_seconds',
    help: 'Full loads of the directory: the first at startup, then every reload.',
    labelNames: ['kind'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [this.registry],
  });
  private readonly lag = new Histogram({
    name: 'usergraph_change_lag_seconds',
    help: 'From a change committed in PostgreSQL to its arrival in the directory.',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    new Gauge({
      name: 'usergraph_directory_users',
      help: 'Users in the directory.',
      registers,
      collect() {
        this.set(sources.directoryUsers());
      },
    });
    new Gauge({
      name: 'usergraph_answer_texts',
      help: "Users whose JSON answer the fast lane keeps (ANSWER_CACHE_USERS per generation, two generations at most).",
      registers,
      collect() {
        this.set(sources.answerTexts());
      },
    });
    new Gauge({
      name: 'usergraph_subscribers',
      help: 'Open userChanged subscriptions.',
      registers,
      collect() {
        this.set(sources.subscribers());
      },
    });
    new Gauge({
      name: 'usergraph_listener_up',
      help: '1 while the LISTEN connection is listening, 0 while it is down; absent when the service does not LISTEN.',
      registers,
      collect() {
        const listener = sources.sync()?.listener;
        this.reset();
        if (listener) this.set(listener.listening ? 1 : 0);
      },
    });
    new Gauge({
      name: 'usergraph_listener_down_seconds',
      help: 'How long the LISTEN connection has been down (0 while listening).',
      registers,
      collect() {
        const listener = sources.sync()?.listener;
        this.reset();
        if (listener) this.set(listener.downForMs / 1000);
      },
    });
    const syncCounter = (name: string, help: string, read: (counters: SyncReading['counters']) => number) =>
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          const counters = sources.sync()?.counters;
          if (counters) this.inc(read(counters));
        },
      });
    syncCounter('usergraph_notices_received_total', 'Change notices received (PostgreSQL and Redis).', (c) => c.noticesReceived);
    syncCounter('usergraph_notices_applied_total', 'Change notices whose changes reached the directory.', (c) => c.noticesApplied);
    syncCounter('usergraph_notices_coalesced_total', 'Notices that shared one re-read with an earlier notice.', (c) => c.noticesCoalesced);
    syncCounter('usergraph_notices_duplicate_total', 'The same notice seen again (it travels on PostgreSQL and Redis) and dropped.', (c) => c.duplicatesDropped);
    syncCounter('usergraph_reloads_total', 'Full reloads asked by the change feed (a reload notice, a reconnect, a drift repair).', (c) => c.reloads);
    syncCounter('usergraph_drift_checks_total', "Comparisons of the directory's fingerprint with the view's.", (c) => c.driftChecks);
    syncCounter('usergraph_drift_repairs_total', 'Drift checks that found a difference and reloaded.', (c) => c.driftRepairs);
    syncCounter('usergraph_listener_reconnects_total', 'Times the LISTEN connection was set up again.', (c) => c.listenerReconnects);
    new Counter({
      name: 'usergraph_fast_lane_requests_total',
      help: "Requests by what the fast lane did: answered, handed_over (read, then answered by yoga), passed_by (never the lane's).",
      labelNames: ['outcome'] as const,
      registers,
      collect() {
        const stats = sources.fastLane();
        this.reset();
        this.inc({ outcome: 'answered' }, stats.answered);
        this.inc({ outcome: 'handed_over' }, stats.handedOver);
        this.inc({ outcome: 'passed_by' }, stats.passedBy);
      },
    });
  }

  /** Node's own, under their usual names (process_*, nodejs_*): CPU, heap, event loop lag, GC. Once per process. */
  collectProcessMetrics(): void {
    collectDefaultMetrics({ register: this.registry });
  }

  observeRequest(method: string, path: string, status: number, seconds: number, record: RequestRecord): void {
    const route = ROUTES.has(path) ? path : 'other';
    this.httpRequests.inc({ method, route, status: String(status) });
    this.httpDuration.observe({ route }, seconds);
    for (const operation of record.operations) {
      const name = this.operationLabel(operation.name);
      this.operations.inc({ operation: name, type: operation.type, lane: record.lane ?? 'yoga' });
      this.operationDuration.observe({ operation: name, type: operation.type }, seconds);
    }
    for (const code of record.errorCodes) this.errors.inc({ code });
    for (const lookups of record.lookups) {
      this.cacheHits.inc(lookups.cacheHits);
      this.cacheMisses.inc(lookups.databaseLookups);
      this.databaseQueries.inc(lookups.databaseQueries);
    }
  }

  observeLoad(result: ReloadResult, first: boolean): void {
    this.loadDuration.observe({ kind: first ? 'initial' : 'reload' }, result.durationMs / 1000);
  }

  observeLag(ms: number): void {
    this.lag.observe(ms / 1000);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  private operationLabel(name: string | null): string {
    if (name === null) return '(anonymous)';
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= MAX_OPERATION_NAMES) return '(other)';
    this.operationNames.add(name);
    return name;
  }
}
