/**
 * Long passes over the directory (an index build, a scan of a million users) are generators
 * that yield every few thousand users: run at once where a caller must answer now, or in steps
 * that let the event loop serve other requests between them.
 */
export type Steps<T> = Generator<void, T>;

export function runNow<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

export async function runInSteps<T>(steps: Steps<T>): Promise<T> {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
