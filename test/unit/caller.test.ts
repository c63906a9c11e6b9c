/** createCallerIdentifier with API keys: a key that matched once is remembered, and nothing else is. */
import { describe, expect, it } from 'vitest';
import { createCallerIdentifier } from '../../src/auth/caller.ts';
import { CredentialsRejected } from '../../src/auth/credentials-rejected.ts';
import { parseConfig } from '../../src/config/config.ts';

const READER_KEY = 'reader-key-0123456789abcdef';
const WRITER_KEY = 'writer-key-0123456789abcdef';
const ADMIN_KEY = 'admin-key-0123456789abcdefgh';

function identifier() {
  const { auth } = parseConfig({
    ADMIN_API_KEY: ADMIN_KEY,
    API_KEYS: JSON.stringify([
      { name: 'reader', scopes: ['users:read'], key: READER_KEY },
      { name: 'writer', scopes: ['users:read', 'users:pii'], key: WRITER_KEY },
    ]),
  });
  return createCallerIdentifier(auth);
}

const refusal = (identify: ReturnType<typeof identifier>, authorization: string) => {
  try {
    identify(authorization);
  } catch (error) {
    expect(error).toBeInstanceOf(CredentialsRejected);
    return (error as Error).message;
  }
  throw new Error(`${authorization} was accepted`);
};

describe('API keys, asked again', () => {
  it('names the same caller for the same key every time, and each key its own', () => {
    const identify = identifier();
    const first = identify(`Bearer ${READER_KEY}`);
    expect(first).toEqual({ kind: 'service', name: 'reader', scopes: ['users:read'] });
    expect(identify(`Bearer ${READER_KEY}`)).toBe(first);
    expect(identify(`bearer  ${READER_KEY} `)).toBe(first);
    expect(identify(`Bearer ${WRITER_KEY}`)).toEqual({ kind: 'service', name: 'writer', scopes: ['users:read', 'users:pii'] });
    expect(identify(`Bearer ${READER_KEY}`)).toBe(first);
    expect(identify(`Bearer ${ADMIN_KEY}`)).toEqual({ kind: 'admin' });
    expect(identify(`Bearer ${ADMIN_KEY}`)).toEqual({ kind: 'admin' });
  });

  it('refuses what differs from a remembered key by a character, a prefix or a suffix', () => {
    const identify = identifier();
    identify(`Bearer ${READER_KEY}`);
    const near = [`${READER_KEY.slice(0, -1)}g`, READER_KEY.slice(0, -1), `${READER_KEY}0`, READER_KEY.toUpperCase()];
    for (const credential of near) expect(refusal(identify, `Bearer ${credential}`)).toBe('Unknown API key.');
    expect(identify(`Bearer ${READER_KEY}`)).toEqual({ kind: 'service', name: 'reader', scopes: ['users:read'] });
  });

  it('still refuses a malformed header for a remembered key', () => {
    const identify = identifier();
    identify(`Bearer ${READER_KEY}`);
    expect(refusal(identify, READER_KEY)).toMatch(/must be "Bearer/);
    expect(refusal(identify, `Basic ${READER_KEY}`)).toMatch(/must be "Bearer/);
  });
});
