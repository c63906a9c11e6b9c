/** AbsentKeys: keys the database confirmed absent, kept for a time to live, on the test's clock. */
import { describe, expect, it } from 'vitest';
import { AbsentKeys } from '../../src/directory/absent-keys.ts';

describe('AbsentKeys', () => {
  function clock(start = 1_000) {
    const time = { now: start };
    return { time, now: () => time.now };
  }

  it('remembers a key until its time to live has passed', () => {
    const { time, now } = clock();
    const keys = new AbsentKeys(100, 10, now);

    keys.add('id:1');
    time.now += 99;
    expect(keys.has('id:1')).toBe(true);
    time.now += 1;
    expect(keys.has('id:1')).toBe(false);
  });

  it('does not know a key that was never added', () => {
    expect(new AbsentKeys(100).has('id:1')).toBe(false);
  });

  it('renews the time to live when a key is added again', () => {
    const { time, now } = clock();
    const keys = new AbsentKeys(100, 10, now);

    keys.add('id:1');
    time.now += 60;
    keys.add('id:1');
    time.now += 60;
    expect(keys.has('id:1')).toBe(true);
  });

  it('forgets a deleted key and, after clear, every key', () => {
    const { now } = clock();
    const keys = new AbsentKeys(100, 10, now);
    keys.add('id:1');
    keys.add('id:2');
    keys.add('id:3');

    keys.delete('id:1');
    expect([keys.has('id:1'), keys.has('id:2'), keys.has('id:3')]).toEqual([false, true, true]);
    keys.clear();
    expect([keys.has('id:2'), keys.has('id:3')]).toEqual([false, false]);
  });

  it('remembers nothing when the time to live is 0', () => {
    const keys = new AbsentKeys(0, 10, clock().now);

    keys.add('id:1');
    expect(keys.has('id:1')).toBe(false);
  });

  it('evicts the oldest key past maxEntries', () => {
    const keys = new AbsentKeys(100, 2, clock().now);

    keys.add('id:1');
    keys.add('id:2');
    keys.add('id:3');

    expect([keys.has('id:1'), keys.has('id:2'), keys.has('id:3')]).toEqual([false, true, true]);
  });

  it('counts a re-added key as the newest when evicting', () => {
    const keys = new AbsentKeys(100, 2, clock().now);

    keys.add('id:1');
    keys.add('id:2');
    keys.add('id:1');
    keys.add('id:3');

    expect([keys.has('id:1'), keys.has('id:2'), keys.has('id:3')]).toEqual([true, false, true]);
  });
});
