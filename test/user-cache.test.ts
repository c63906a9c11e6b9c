/**
 * The directory's reload contract, driven step by step: the source is a hand-paced stream of
 * domain users (what the repository yields), so each interleaving is exact rather than lucky.
 */
import { describe, expect, it } from 'vitest';
import type { User } from '../src/directory/user.ts';
import { UserCache } from '../src/directory/user-cache.ts';
import { createLogger } from '../src/logger.ts';
import { domainUser } from './support/domain.ts';

function user(id: string, timeJoined = 1_000): User {
  return domainUser(id, timeJoined);
}

/** A source whose every load yields `batches`, pausing before the last one until released. */
function pacedSource(batches: User[][]) {
  let loads = 0;
  let release!: () => void;
  let fail: Error | undefined;
  let gate = new Promise<void>((resolve) => (release = resolve));
  return {
    get loads() {
      return loads;
    },
    release: () => release(),
    failNextLoad: (error: Error) => (fail = error),
    rearm: () => (gate = new Promise<void>((resolve) => (release = resolve))),
    source: async function* () {
      loads++;
      for (const [i, batch] of batches.entries()) {
        if (i === batches.length - 1) await gate;
        if (fail) {
          const error = fail;
          fail = undefined;
          throw error;
        }
        yield batch;
      }
    },
  };
}

const logger = createLogger('silent');

describe('UserCache.reload', () => {
  it('serves the old snapshot until the new one is complete, then swaps it in whole', async () => {
    const paced = pacedSource([[user('a'), user('b')], [user('c')]]);
    const cache = new UserCache(paced.source, { absentTtlMs: 0, logger });
    expect(cache.isLoaded).toBe(false);

    const first = cache.reload();
    await new Promise((resolve) => setTimeout(resolve, 20)); // the first batch is in, the last is not
    expect(cache.snapshot.size).toBe(0); // half-loaded batches are never visible
    paced.release();
    expect((await first).count).toBe(3);
    expect(cache.isLoaded).toBe(true);
    expect(cache.snapshot.size).toBe(3);
  });

  it('shares one load between concurrent calls', async () => {
    const paced = pacedSource([[user('a')], [user('b')]]);
    const cache = new UserCache(paced.source, { absentTtlMs: 0, logger });
    const calls = [cache.reload(), cache.reload(), cache.reload()];
    paced.release();
    const results = await Promise.all(calls);
    expect(paced.loads).toBe(1);
    expect(results[1]).toBe(results[0]);
    expect(results[2]).toBe(results[0]);

    paced.rearm();
    const next = cache.reload();
    paced.release();
    await next;
    expect(paced.loads).toBe(2); // a later call starts a new load
  });

  it('keeps the previous snapshot when a load fails, and can reload afterwards', async () => {
    const paced = pacedSource([[user('a')], [user('b')]]);
    const cache = new UserCache(paced.source, { absentTtlMs: 0, logger });
    paced.release();
    await cache.reload();
    const before = cache.snapshot;

    paced.failNextLoad(new Error('connection lost'));
    await expect(cache.reload()).rejects.toThrow('connection lost');
    expect(cache.snapshot).toBe(before);
    expect(cache.isLoaded).toBe(true);

    await cache.reload();
    expect(cache.snapshot).not.toBe(before);
    expect(cache.snapshot.size).toBe(2);
  });

  it('replays changes applied during a load on top of the loaded snapshot', async () => {
    const paced = pacedSource([[user('a')], [user('b')]]);
    const cache = new UserCache(paced.source, { absentTtlMs: 0, logger });
    const load = cache.reload();
    cache.apply({ upserts: [user('late', 5_000)], deletedIds: ['a'] });
    paced.release();
    await load;
    expect(cache.snapshot.getById('late')).toEqual(user('late', 5_000));
    expect(cache.snapshot.getById('a')).toBeUndefined();
    expect(cache.snapshot.size).toBe(2);
  });

  it('forgets remembered absences when a found user is applied', () => {
    const cache = new UserCache(pacedSource([[]]).source, { absentTtlMs: 60_000, logger });
    cache.rememberAbsentId('x');
    cache.rememberAbsentEmail('X@Example.com');
    expect(cache.isKnownAbsentId('x')).toBe(true);
    expect(cache.isKnownAbsentEmail(' x@example.com ')).toBe(true);
    cache.apply({ upserts: [user('x')], deletedIds: [] });
    expect(cache.isKnownAbsentId('x')).toBe(false);
    expect(cache.isKnownAbsentEmail('x@example.com')).toBe(false);
  });
});
