/** Progress of a long run, on stderr (stdout carries the report). */

export function say(line: string): void {
  console.error(line);
}

/** Runs `work`, saying how long it has been running every 15 s, and when it is done. */
export async function timed<T>(what: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const seconds = () => ((performance.now() - start) / 1000).toFixed(1);
  say(`${what}…`);
  const ticker = setInterval(() => say(`  …${what}: ${seconds()} s`), 15_000);
  try {
    const result = await work();
    say(`${what}: done in ${seconds()} s`);
    return result;
  } finally {
    clearInterval(ticker);
  }
}
