/**
 * The directory's reload contract, driven step by step: the source is a hand-paced stream of
 * domain users (what the repository yields), so each interleaving is exact rather than lucky.
 */
import { describe, expect, it } from 'vitest';
import type { User } from '../../src/directory/user.ts';
import { UserDirectory } from '../../src/directory/user-directory.ts';
import { createLogger } from '../../src/logger.ts';
import { domainUser } from '../support/domain.ts';

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

describe('UserDirectory.reload', () => {
  it('serves the old snapshot until the new one is complete, then swaps it in whole', async () => {
    const paced = pacedSource([[user('a'), user('b')], [user('c')]]);
    const directory = new UserDirectory(paced.source, { absentTtlMs: 0, logger });
    expect(directory.isLoaded).toBe(false);

    const first = directory.reload();
    await new Promise((resolve) => setTimeout(resolve, 20)); // the first batch is in, the last is not
    expect(directory.snapshot.size).toBe(0); // half-loaded batches are never visible
    paced.release();
    expect((await first).count).toBe(3);
    expect(directory.isLoaded).toBe(true);
    expect(directory.snapshot.size).toBe(3);
  });

  it('shares one load between concurrent calls', async () => {
    const paced = pacedSource([[user('a')], [user('b')]]);
    const directory = new UserDirectory(paced.source, { absentTtlMs: 0, logger });
    const calls = [directory.reload(), directory.reload(), directory.reload()];
    paced.release();
    const results = await Promise.all(calls);
    expect(paced.loads).toBe(1);
    expect(results[1]).toBe(results[0]);
    expect(results[2]).toBe(results[0]);

    paced.rearm();
    const next = directory.reload();
    paced.release();
    await next;
    expect(paced.loads).toBe(2); // a later call starts a new load
  });

  it('keeps the previous snapshot when a load fails, and can reload afterwards', async () => {
    const paced = pacedSource([[user('a')], [user('b')]]);
    const directory = new UserDirectory(paced.source, { absentTtlMs: 0, logger });
    paced.release();
    await directory.reload();
    const before = directory.snapshot;

    paced.failNextLoad(new Error('connection lost'));
    await expect(directory.reload()).rejects.toThrow('connection lost');
    expect(directory.snapshot).toBe(before);
    expect(directory.isLoaded).toBe(true);

    await directory.reload();
    expect(directory.snapshot).not.toBe(before);
    expect(directory.snapshot.size).toBe(2);
  });

  it('replays changes applied during a load on top of the loaded snapshot', async () => {
    const paced = pacedSource([[user('a')], [user('b')]]);
    const directory = new UserDirectory(paced.source, { absentTtlMs: 0, logger });
    const load = directory.reload();
    directory.apply({ upserts: [user('late', 5_000)], deletedIds: ['a'] });
    paced.release();
    await load;
    expect(directory.snapshot.userNamedBy('late')).toEqual(user('late', 5_000));
    expect(directory.snapshot.userNamedBy('a')).toBeUndefined();
    expect(directory.snapshot.size).toBe(2);
  });

  it('forgets remembered absences when a found user is applied', () => {
    const directory = new UserDirectory(pacedSource([[]]).source, { absentTtlMs: 60_000, logger });
    directory.rememberAbsentId('x');
    directory.rememberAbsentEmail('X@Example.com');
    expect(directory.isKnownAbsentId('x')).toBe(true);
    expect(directory.isKnownAbsentEmail(' x@example.com ')).toBe(true);
    directory.apply({ upserts: [user('x')], deletedIds: [] });
    expect(directory.isKnownAbsentId('x')).toBe(false);
    expect(directory.isKnownAbsentEmail('x@example.com')).toBe(false);
  });
});
