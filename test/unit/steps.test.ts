/**
 * A pass in slices (directory/steps.ts): it stands aside after each slice, and with a rest, it
 * stands aside longer only when others (requests) ran meanwhile. Fake timers and clock: what is
 * checked is when the pass resumes, not how fast anything runs.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SLICE_MS, timeSlices } from '../../src/directory/steps.ts';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'setImmediate', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Whether the promise has settled, after the fake loop ran what is due now. */
async function settled(promise: Promise<void>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await vi.advanceTimersByTimeAsync(0);
  return done;
}

describe('timeSlices', () => {
  it('goes on at once within a slice, and stands aside once it has lasted SLICE_MS', async () => {
    const pause = timeSlices();
    expect(pause()).toBeUndefined();
    vi.advanceTimersByTime(SLICE_MS);
    const paused = pause();
    expect(paused).toBeInstanceOf(Promise);
    expect(await settled(paused!)).toBe(true);
    // A new slice begins when it resumes.
    expect(pause()).toBeUndefined();
  });

  it('with a rest, resumes at once when nothing else ran while it stood aside', async () => {
    const pause = timeSlices({ restMs: 4 });
    vi.advanceTimersByTime(SLICE_MS);
    expect(await settled(pause()!)).toBe(true);
  });

  it('with a rest, stands aside that much longer when others ran meanwhile', async () => {
    const pause = timeSlices({ restMs: 4 });
    vi.advanceTimersByTime(SLICE_MS);
    // A request, due before the pass's own turn: it takes the loop for half a millisecond.
    setImmediate(() => vi.advanceTimersByTime(0.5));
    const paused = pause()!;
    expect(await settled(paused)).toBe(false);
    await vi.advanceTimersByTimeAsync(3);
    expect(await settled(paused)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await settled(paused)).toBe(true);
  });
});
