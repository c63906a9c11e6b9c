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

export async function runInSteps<T>(steps: Steps<T>): Promise<T> {
  let sliceStart = performance.now();
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    if (performance.now() - sliceStart < SLICE_MS) continue;
    await new Promise((resolve) => setImmediate(resolve));
    sliceStart = performance.now();
  }
}
