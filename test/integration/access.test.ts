/**
 * Who may see what, over HTTP with real tokens and keys: every rule allowed and refused, field by
 * field, for each kind of caller. The README's table says the same.
 */
import { createHash } from 'node:crypto';
import { describe, expect } from 'vitest';
import { addUserRole, setUserMetadata, signUpEmailPassword } from '../../supertokens-standin/writes.ts';
import { bearer, createSigningKey, signAccessToken, startJwksServer, type TokenOptions } from '../support/jwks.ts';
import { test } from '../support/fixtures.ts';
import { ADMIN_KEY, READER_KEY, TEST_API_KEYS, errorCodes, expectData, type GraphQLResponse } from '../support/server.ts';

const LISTER_KEY = 'lister-key-0123456789abcdef';
const OPS_KEY = 'ops-key-0123456789abcdef';

type Headers = Record<string, string>;

const it = test
  /** alice: admin in the directory; bob: editor; carol: no roles; dave: whom the others read. Their ids. */
  .extend('seed', { scope: 'file' }, async ({ database }) => {
    const { db } = database;
    const alice = await signUpEmailPassword(db, { email: 'alice@example.com' });
    const bob = await signUpEmailPassword(db, { email: 'bob@example.com' });
    const carol = await signUpEmailPassword(db, { email: 'carol@example.com' });
    const dave = await signUpEmailPassword(db, { email: 'dave@example.com' });
    await addUserRole(db, alice, 'admin');
    await addUserRole(db, bob, 'editor');
    await setUserMetadata(db, bob, { phone: '+33 6 00 00 00 00' });
    await setUserMetadata(db, carol, { first_name: 'Carol' });
    await setUserMetadata(db, dave, { first_name: 'Dave' });
    return { alice, bob, carol, dave };
  })
  .extend('key', { scope: 'file' }, () => createSigningKey('key-1'))
  .extend('jwks', { scope: 'file' }, async ({ key }, { onCleanup }) => {
    const jwks = await startJwksServer([key]);
    onCleanup(() => jwks.close());
    return jwks;
  })
  .extend('serverEnv', { scope: 'file' }, ({ jwks }) => ({
    JWKS_URL: jwks.url,
    API_KEYS: JSON.stringify([
      ...TEST_API_KEYS,
      // Given by its SHA-256, as a deployment would keep it.
      { name: 'lister', scopes: ['users:read'], sha256: createHash('sha256').update(LISTER_KEY).digest('hex') },
      { name: 'ops', scopes: ['admin'], key: OPS_KEY },
    ]),
  }))
  /** The headers of a user signed in with a SuperTokens access token. */
  .extend('asUser', { scope: 'file' }, ({ key }) => async (userId: string, options: TokenOptions = {}) =>
    bearer(await signAccessToken(key, userId, options)),
  )
  /** Each kind of caller, by name, as the headers it sends. */
  .extend('callers', { scope: 'file' }, ({ asUser, seed }): Record<string, () => Promise<Headers>> => {
    const { alice, bob, carol } = seed;
    return {
      anonymous: async () => ({}),
      'carol (a user, no permission)': () => asUser(carol),
      'bob with users:read (token)': () => asUser(bob, { permissions: ['users:read'] }),
      'bob with users:read + users:pii (token)': () => asUser(bob, { permissions: ['users:read', 'users:pii'] }),
      'bob with the admin role (token)': () => asUser(bob, { roles: ['admin'] }),
      'alice, admin in the directory': () => asUser(alice),
      'lister key (users:read, by sha256)': async () => bearer(LISTER_KEY),
      'reader key (users:read + users:pii)': async () => bearer(READER_KEY),
      'ops key (admin scope)': async () => bearer(OPS_KEY),
      ADMIN_API_KEY: async () => bearer(ADMIN_KEY),
    };
  });

/** Each field's outcome: its value, or the code of the error on it. */
function outcome(response: GraphQLResponse, path: string[]): unknown {
  const error = response.errors?.find((e) => e.path?.join('.') === path.join('.'));
  if (error) return String(error.extensions?.code);
  return path.reduce<any>((value, key) => value?.[key], response.data);
}

describe('reading another user, field by field', () => {
  const QUERY = 'query ($id: ID!) { user(id: $id) { id roles email metadata } }';
  const ALLOWED = 'value';

  it.for([
    // caller, user(id) root, id/roles, email, metadata
    ['anonymous', 'UNAUTHENTICATED', null, null, null],
    ['carol (a user, no permission)', 'FORBIDDEN', null, null, null],
    ['bob with users:read (token)', ALLOWED, ALLOWED, 'FORBIDDEN', 'FORBIDDEN'],
    ['bob with users:read + users:pii (token)', ALLOWED, ALLOWED, ALLOWED, ALLOWED],
    ['bob with the admin role (token)', ALLOWED, ALLOWED, ALLOWED, ALLOWED],
    ['alice, admin in the directory', ALLOWED, ALLOWED, ALLOWED, ALLOWED],
    ['lister key (users:read, by sha256)', ALLOWED, ALLOWED, 'FORBIDDEN', 'FORBIDDEN'],
    ['reader key (users:read + users:pii)', ALLOWED, ALLOWED, ALLOWED, ALLOWED],
    ['ops key (admin scope)', ALLOWED, ALLOWED, ALLOWED, ALLOWED],
    ['ADMIN_API_KEY', ALLOWED, ALLOWED, ALLOWED, ALLOWED],
  ] as const)('%s: user %s, id/roles %s, email %s, metadata %s', async ([caller, root, idRoles, email, metadata], { server, callers, seed: { dave } }) => {
    const response = await server.execute(QUERY, { id: dave }, await callers[caller]!());
    if (root !== ALLOWED) {
      expect(outcome(response, ['user'])).toBe(root);
      expect(response.data?.user ?? null).toBeNull();
      return;
    }
    const user = response.data!.user;
    expect(idRoles).toBe(ALLOWED);
    expect(user.id).toBe(dave);
    expect(user.roles).toEqual([]);
    expect(outcome(response, ['user', 'email'])).toBe(email === ALLOWED ? 'dave@example.com' : email);
    expect(outcome(response, ['user', 'metadata'])).toEqual(metadata === ALLOWED ? { first_name: 'Dave' } : metadata);
    if (email !== ALLOWED) {
      expect(user.email).toBeNull();
      expect(user.metadata).toBeNull();
      // A refusal says nothing of what it hides.
      expect(JSON.stringify(response)).not.toMatch(/dave@example|Dave/);
    }
  });
});

describe('reading oneself', () => {
  it('lets a user without any permission read their own record, personal fields included', async ({ server, asUser, seed: { carol } }) => {
    const headers = await asUser(carol);
    const byId = expectData(await server.execute('query ($id: ID!) { user(id: $id) { id email metadata } }', { id: carol }, headers));
    expect(byId.user).toEqual({ id: carol, email: 'carol@example.com', metadata: { first_name: 'Carol' } });
    const byEmail = expectData(await server.execute('{ userByEmail(email: " Carol@Example.com") { id email } }', {}, headers));
    expect(byEmail.userByEmail).toEqual({ id: carol, email: 'carol@example.com' });
  });

  it("refuses that user someone else's record, by id or by email", async ({ server, asUser, seed: { bob, carol } }) => {
    const headers = await asUser(carol);
    expect(errorCodes(await server.execute('query ($id: ID!) { user(id: $id) { id } }', { id: bob }, headers))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await server.execute('{ userByEmail(email: "bob@example.com") { id } }', {}, headers))).toEqual(['FORBIDDEN']);
  });
});

describe('listing users', () => {
  const LIST = '{ users(first: 10) { totalCount nodes { id email } } }';

  it.for([
    ['anonymous', 'UNAUTHENTICATED'],
    ['carol (a user, no permission)', 'FORBIDDEN'],
  ] as const)('refuses %s (%s), with no data', async ([caller, code], { server, callers }) => {
    const response = await server.execute(LIST, {}, await callers[caller]!());
    expect(errorCodes(response)).toEqual([code]);
    expect(response.data ?? null).toBeNull();
  });

  it('gives users:read holders every id, and nulls each email without users:pii', async ({ server, callers, seed: { alice, bob, carol, dave } }) => {
    const response = await server.execute(LIST, {}, await callers['lister key (users:read, by sha256)']!());
    expect(response.data?.users.totalCount).toBe(4);
    expect(response.data?.users.nodes.map((n: { id: string }) => n.id).sort()).toEqual([alice, bob, carol, dave].sort());
    expect(response.data?.users.nodes.every((n: { email: null }) => n.email === null)).toBe(true);
    expect(errorCodes(response)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
  });

  it('gives users:pii holders the emails', async ({ server, callers }) => {
    const data = expectData(await server.execute(LIST, {}, await callers['bob with users:read + users:pii (token)']!()));
    expect(data.users.nodes.map((n: { email: string }) => n.email).sort()).toEqual([
      'alice@example.com',
      'bob@example.com',
      'carol@example.com',
      'dave@example.com',
    ]);
  });
});

describe('@admin: reloadUsers', () => {
  const RELOAD = 'mutation { reloadUsers { count } }';

  it.for([
    ['anonymous', 'UNAUTHENTICATED'],
    ['carol (a user, no permission)', 'FORBIDDEN'],
    ['bob with users:read + users:pii (token)', 'FORBIDDEN'],
    ['reader key (users:read + users:pii)', 'FORBIDDEN'],
    ['bob with the admin role (token)', null],
    ['alice, admin in the directory', null],
    ['ops key (admin scope)', null],
    ['ADMIN_API_KEY', null],
  ] as const)('%s: %s', async ([caller, code], { server, callers }) => {
    const response = await server.execute(RELOAD, {}, await callers[caller]!());
    if (code === null) expect(expectData(response).reloadUsers.count).toBe(4);
    else expect(errorCodes(response)).toEqual([code]);
  });

  it('follows ADMIN_ROLE', async ({ database, startServer, asUser, jwks, seed: { alice, bob } }) => {
    const custom = await startServer(database.url, { JWKS_URL: jwks.url, ADMIN_ROLE: 'editor' });
    expect(expectData(await custom.execute(RELOAD, {}, await asUser(bob))).reloadUsers.count).toBe(4);
    expect(errorCodes(await custom.execute(RELOAD, {}, await asUser(alice)))).toEqual(['FORBIDDEN']);
  });
});

describe('viewer', () => {
  const VIEWER = '{ viewer { kind userId serviceName roles permissions isAdmin user { id } } }';

  it.for([
    ['anonymous', { kind: 'ANONYMOUS', userId: null, serviceName: null, roles: [], permissions: [], isAdmin: false, user: null }],
    ['reader key (users:read + users:pii)', { kind: 'SERVICE', userId: null, serviceName: 'test-reader', roles: [], permissions: ['users:read', 'users:pii'], isAdmin: false, user: null }],
    ['ops key (admin scope)', { kind: 'SERVICE', userId: null, serviceName: 'ops', roles: [], permissions: ['admin'], isAdmin: true, user: null }],
    ['ADMIN_API_KEY', { kind: 'ADMIN', userId: null, serviceName: null, roles: [], permissions: ['admin', 'users:read', 'users:pii'], isAdmin: true, user: null }],
  ] as const)('describes %s', async ([caller, expected], { server, callers }) => {
    expect(expectData(await server.execute(VIEWER, {}, await callers[caller]!())).viewer).toEqual(expected);
  });

  it("joins a user's token roles with the directory's", async ({ server, asUser, seed: { alice, bob } }) => {
    const data = expectData(await server.execute(VIEWER, {}, await asUser(bob, { roles: ['reviewer'], permissions: ['reports:read'] })));
    expect(data.viewer).toEqual({
      kind: 'USER',
      userId: bob,
      serviceName: null,
      roles: ['editor', 'reviewer'],
      permissions: ['reports:read'],
      isAdmin: false,
      user: { id: bob },
    });
    expect(expectData(await server.execute(VIEWER, {}, await asUser(alice))).viewer).toMatchObject({ roles: ['admin'], isAdmin: true });
  });

  it('answers a signed-in user the directory does not hold with no record', async ({ server, asUser }) => {
    const data = expectData(await server.execute(VIEWER, {}, await asUser('not-in-the-directory')));
    expect(data.viewer).toMatchObject({ kind: 'USER', userId: 'not-in-the-directory', user: null, roles: [] });
  });
});

describe('hasRole and hasPermission', () => {
  const HAS_ROLE = 'query ($userId: ID!, $role: String!) { hasRole(userId: $userId, role: $role) }';
  const HAS_PERMISSION = 'query ($userId: ID!, $p: String!) { hasPermission(userId: $userId, permission: $p) }';

  it('answers users:read holders from the directory', async ({ server, callers, seed: { bob } }) => {
    const headers = await callers['lister key (users:read, by sha256)']!();
    expect(expectData(await server.execute(HAS_ROLE, { userId: bob, role: 'editor' }, headers)).hasRole).toBe(true);
    expect(expectData(await server.execute(HAS_ROLE, { userId: bob, role: 'admin' }, headers)).hasRole).toBe(false);
    expect(expectData(await server.execute(HAS_ROLE, { userId: 'nobody', role: 'editor' }, headers)).hasRole).toBe(false);
    expect(expectData(await server.execute(HAS_PERMISSION, { userId: bob, p: 'users:read' }, headers)).hasPermission).toBe(false);
  });

  it('answers a user about themself, and refuses them about others', async ({ server, asUser, seed: { alice, bob } }) => {
    const headers = await asUser(bob);
    expect(expectData(await server.execute(HAS_ROLE, { userId: bob, role: 'editor' }, headers)).hasRole).toBe(true);
    expect(errorCodes(await server.execute(HAS_ROLE, { userId: alice, role: 'admin' }, headers))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await server.execute(HAS_PERMISSION, { userId: alice, p: 'x' }, headers))).toEqual(['FORBIDDEN']);
  });

  it('refuses anonymous callers', async ({ server, seed: { bob } }) => {
    expect(errorCodes(await server.execute(HAS_ROLE, { userId: bob, role: 'editor' }, {}))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await server.execute(HAS_PERMISSION, { userId: bob, p: 'x' }, {}))).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses an empty role with BAD_USER_INPUT', async ({ server, seed: { bob } }) => {
    expect(errorCodes(await server.execute(HAS_ROLE, { userId: bob, role: ' ' }))).toEqual(['BAD_USER_INPUT']);
  });
});
