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

/**
 * For a pass that runs in slices: call the returned function between units of work; once the
 * current slice has lasted SLICE_MS it returns a promise that resolves after pending requests ran
 * (await it), otherwise undefined (go on, nothing to await).
 */
export function timeSlices(): () => Promise<void> | undefined {
  let sliceStart = performance.now();
  return () => {
    if (performance.now() - sliceStart < SLICE_MS) return undefined;
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        sliceStart = performance.now();
        resolve();
      }),
    );
  };
}

export async function runInSteps<T>(steps: Steps<T>): Promise<T> {
  const pause = timeSlices();
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    const paused = pause();
    if (paused) await paused;
  }
}
