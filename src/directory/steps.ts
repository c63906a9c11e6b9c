/**
 * Long passes over the directory (an index build, a scan of a million users) are generators
 * that yield every few hundred users: run at once where a caller must answer now, or in steps
 * that let the event loop serve other requests between them.
 */
export type Steps<T> = Generator<void, T>;

export function runNow<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * How long a pass holds the event loop before it lets requests run. A step's size in users says
 * little (a user costs 0.1 to 5 µs, by pass); time bounds what a request may wait behind a pass.
 */
export const SLICE_MS = 1;

/** Between two slices of a pass: resolves once others had their turn, or undefined to go on at once. */
export type Pause = () => Promise<void> | undefined;

export interface SliceOptions {
  /**
   * When the event loop was busy with others (requests) while the pass stood aside, stand aside
   * this much longer before the next slice. A pass that nothing waits on (a reload beside a
   * directory already served) then yields most of the loop under load, and runs at full speed
   * when idle. 0 (default): only until pending callbacks ran.
   */
  readonly restMs?: number;
}

/**
 * The rest of a pass that refreshes what is already served (a reload, a compaction, the drift
 * check's full read): under load it takes longer, so that reads beside it keep their latency
 * (and the garbage collector sees its data arrive more slowly). The first load, before which
 * nothing is served, takes none. 8 ms after each 1 ms slice: a reload of 100,000 users under
 * load took 9-10 s instead of 6-7 s (4 ms), and the p99 of the reads beside it rose 1.7-1.9x
 * instead of 2.2-2.4x (docs/performance.md).
 */
export const BACKGROUND_REST_MS = 8;

/** A yield that took longer than this ran others' work: requests are being served. */
const BUSY_MS = 0.1;

/**
 * For a pass that runs in slices: call the returned function between units of work; once the
 * current slice has lasted SLICE_MS it returns a promise that resolves after pending requests ran
 * (await it), otherwise undefined (go on, nothing to await).
 */
export function timeSlices({ restMs = 0 }: SliceOptions = {}): Pause {
  let sliceStart = performance.now();
  const resume = (resolve: () => void) => {
    sliceStart = performance.now();
    resolve();
  };
  return () => {
    if (performance.now() - sliceStart < SLICE_MS) return undefined;
    return new Promise<void>((resolve) => {
      const yielded = performance.now();
      setImmediate(() => {
        if (restMs > 0 && performance.now() - yielded > BUSY_MS) setTimeout(resume, restMs, resolve);
        else resume(resolve);
      });
    });
  };
}

export async function runInSteps<T>(steps: Steps<T>, options: SliceOptions = {}): Promise<T> {
  const pause = timeSlices(options);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    const paused = pause();
    if (paused) await paused;
  }
}
