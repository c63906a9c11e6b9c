/**
 * Misses and the change feed, interleaved by hand: what a miss read from the database answers its
 * request, and joins the directory unless a newer state arrived while the database answered.
 */
import { describe, expect, it } from 'vitest';
import { createLoaders, type MissingUserFetcher } from '../../src/directory/loaders.ts';
import type { User } from '../../src/directory/user.ts';
import { UserDirectory } from '../../src/directory/user-directory.ts';
import { createLogger } from '../../src/logger.ts';
import { domainUser } from '../support/domain.ts';

const version = (id: string, v: string): User => domainUser(id, 1_000, { version: v, metadata: { v } });

/** A database whose answers the test hands out, one call at a time. */
function pacedDatabase() {
  const pending: Array<(users: readonly User[]) => void> = [];
  const fetcher: MissingUserFetcher = {
    findUsersByIds: () => new Promise((resolve) => pending.push(resolve)),
    findUsersByEmails: () => new Promise((resolve) => pending.push(resolve)),
  };
  const asked = async () => {
    for (let i = 0; i < 100 && pending.length === 0; i++) await new Promise((resolve) => setImmediate(resolve));
  };
  return {
    fetcher,
    /** Resolves once a query was sent (the miss's batch began). */
    asked,
    async answer(users: readonly User[]): Promise<void> {
      await asked();
      pending.shift()!(users);
    },
  };
}

async function loadedDirectory(users: User[] = []): Promise<UserDirectory> {
  const directory = new UserDirectory(async function* () {
    yield users;
  }, { absentTtlMs: 60_000, logger: createLogger('silent') });
  await directory.reload();
  return directory;
}

describe('a miss', () => {
  it('joins the directory when nothing changed meanwhile', async () => {
    const directory = await loadedDirectory();
    const database = pacedDatabase();
    const answer = createLoaders(directory, database.fetcher).userById('late');
    await database.answer([version('late', 'v1')]);
    expect((await answer)?.version).toBe('v1');
    expect(directory.snapshot.userNamedBy('late')?.version).toBe('v1');
  });

  it('answers its request but never overwrites a newer state the change feed applied while the database answered', async () => {
    const directory = await loadedDirectory();
    const database = pacedDatabase();
    const answer = createLoaders(directory, database.fetcher).userById('late');
    await database.asked();
    // The database read v1; before its answer arrives, a notice brings v2.
    directory.apply({ upserts: [version('late', 'v2')], deletedIds: [] });
    await database.answer([version('late', 'v1')]);
    expect((await answer)?.version).toBe('v1');
    expect(directory.snapshot.userNamedBy('late')?.version).toBe('v2');
  });

  it('never brings back a user the change feed deleted while the database answered', async () => {
    const directory = await loadedDirectory([version('gone', 'v1')]);
    const database = pacedDatabase();
    const answer = createLoaders(directory, database.fetcher).userById('ext-gone'); // another id of it, not held
    await database.asked();
    directory.apply({ upserts: [], deletedIds: ['gone'] });
    await database.answer([version('gone', 'v1')]);
    await answer;
    expect(directory.snapshot.userNamedBy('gone')).toBeUndefined();
  });

  it('joins the directory after other misses (as fresh as itself) joined it meanwhile', async () => {
    const directory = await loadedDirectory();
    const database = pacedDatabase();
    const loaders = createLoaders(directory, database.fetcher);
    const first = loaders.userById('a');
    const second = createLoaders(directory, database.fetcher).userById('b');
    await database.answer([version('a', 'v1')]);
    await first;
    await database.answer([version('b', 'v1')]);
    await second;
    expect(directory.snapshot.userNamedBy('a')?.version).toBe('v1');
    expect(directory.snapshot.userNamedBy('b')?.version).toBe('v1');
  });
});
