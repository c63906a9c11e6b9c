/**
 * The fast lane keeps a user's answer text (http/answer-texts.ts) and writes it again for the
 * same user. What it must never do: answer a caller with a text another caller's rights allowed,
 * or answer with a user as it was before a change. Every request here is also replayed through
 * yoga alone by the harness (test/support/differential.ts), which must answer the same.
 */
import { describe, expect } from 'vitest';
import { setLastActive, setUserMetadata, signUpEmailPassword } from '../../supertokens-standin/writes.ts';
import { test } from '../support/fixtures.ts';
import { ADMIN_KEY, errorCodes, expectData, TEST_API_KEYS } from '../support/server.ts';
import { sleepUntil } from '../support/wait.ts';

const NO_PII_KEY = 'test-no-pii-key-0123456789';
const asNoPii = { authorization: `Bearer ${NO_PII_KEY}` };
const asAdmin = { authorization: `Bearer ${ADMIN_KEY}` };

const it = test
  .extend('serverEnv', { scope: 'file' }, {
    API_KEYS: JSON.stringify([...TEST_API_KEYS, { name: 'no-pii', scopes: ['users:read'], key: NO_PII_KEY }]),
  })
  .extend('seed', { scope: 'file' }, async ({ database }) => {
    const id = await signUpEmailPassword(database.db, { email: 'kept.text@example.com' });
    await setUserMetadata(database.db, id, { plan: 'free' });
    return { id };
  });

const USER = `query KeptUser($id: ID!) {
  user(id: $id) { id email timeJoined lastActive roles metadata loginMethods { recipeId email timeJoined verified tenantIds } }
}`;

describe('kept answer texts', () => {
  it('are answered again, the same, to a caller with the same rights', async ({ server, seed }) => {
    const first = await server.execute(USER, { id: seed.id });
    const second = await server.execute(USER, { id: seed.id });
    expect(expectData(first).user).toMatchObject({ id: seed.id, email: 'kept.text@example.com', metadata: { plan: 'free' } });
    expect(second).toEqual(first);
  });

  it('never answer a caller whose rights refuse part of the user', async ({ server, seed }) => {
    // Kept by a caller who may read personal fields…
    expectData(await server.execute(USER, { id: seed.id }, asAdmin));
    // …then asked by one who may not: the personal fields are refused, with their errors.
    const refused = await server.execute(USER, { id: seed.id }, asNoPii);
    expect(refused.data?.user).toMatchObject({ id: seed.id, email: null, metadata: null, loginMethods: null });
    expect(errorCodes(refused)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    // And anonymous callers get nothing of it.
    expect(errorCodes(await server.execute(USER, { id: seed.id }, {}))).toEqual(['UNAUTHENTICATED']);
  });

  it('follow a change of the user: the changed user is a new object, with a text of its own', async ({ server, database, seed }) => {
    expect(expectData(await server.execute(USER, { id: seed.id })).user.metadata).toEqual({ plan: 'free' });
    await setUserMetadata(database.db, seed.id, { plan: 'pro' });
    await setLastActive(database.db, seed.id, Date.UTC(2026, 0, 2));
    await sleepUntil(async () => expectData(await server.execute(USER, { id: seed.id })).user.metadata.plan === 'pro');
    await sleepUntil(async () => expectData(await server.execute(USER, { id: seed.id })).user.lastActive !== null);
    expect(expectData(await server.execute(USER, { id: seed.id })).user).toMatchObject({
      metadata: { plan: 'pro' },
      lastActive: '2026-01-02T00:00:00.000Z',
    });
  });
});
