/**
 * UserAssembly's two ways to a user of several rows: all its rows at once (`assemble`, a lookup's)
 * and one row at a time as they come (`pendingUser`, `addRow`, `assemblePending`, the full load's
 * linked users). Rows come in whatever order the database joins them: every order must make the
 * same user, and the same warnings, both ways. test/integration/user-assembly.test.ts holds the
 * whole reads to user_full_view.
 */
import { describe, expect, it } from 'vitest';
import { UserAssembly, type LoginMethodPart } from '../../src/directory/user-assembly.ts';
import type { User } from '../../src/directory/user.ts';
import { plainUser } from '../support/domain.ts';
import { captureLogs } from '../support/logs.ts';

const PRIMARY = 'aaaaaaaa-0000-0000-0000-000000000001';
const LINKED = 'bbbbbbbb-0000-0000-0000-000000000002';
const PHONE = 'cccccccc-0000-0000-0000-000000000003';
const GONE = 'dddddddd-0000-0000-0000-000000000004';

/** A row of usergraph_login_methods for PRIMARY's user: what every row of it shares, and the recipe user's own. */
function row(recipeUserKey: string, own: Partial<LoginMethodPart>): LoginMethodPart {
  return {
    userKey: PRIMARY,
    recipeUserKey,
    recipeId: 'emailpassword',
    isLinked: true,
    externalUserId: null,
    email: null,
    phoneNumber: null,
    thirdPartyId: null,
    thirdPartyUserId: null,
    timeJoined: '1700000000000',
    userLastActive: '1700000500000',
    userMetadata: '{"plan":"pro"}',
    ...own,
  };
}

/** The rows of one user: its own (mapped to an external id), one linked third-party login, a phone login joined at the same time, and one whose recipe row is gone. */
const ROWS: readonly LoginMethodPart[] = [
  row(PRIMARY, { externalUserId: 'ext-primary', email: 'Ada@example.com', timeJoined: '1700000002000' }),
  row(LINKED, { recipeId: 'thirdparty', email: 'ada@work.example', thirdPartyId: 'google', thirdPartyUserId: 'g-1', timeJoined: '1700000001000' }),
  row(PHONE, { recipeId: 'passwordless', phoneNumber: '+15550100', timeJoined: '1700000001000' }),
  row(GONE, { recipeId: 'emailpassword', timeJoined: null }),
];

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

/** An assembly that knows the parts of those rows: tenants, a verified email, a role. */
function assemblyWithParts() {
  const logs = captureLogs('warn');
  const assembly = new UserAssembly(logs.logger);
  assembly.addRolePermission('editor', 'posts:write');
  assembly.addRole('ext-primary', 'public', 'editor');
  assembly.addVerifiedEmail('ext-primary', 'Ada@example.com');
  for (const key of [PRIMARY, LINKED, PHONE]) assembly.addTenant(key, 'public', false);
  assembly.addTenant(LINKED, 'tenant-b', false);
  return { assembly, logs };
}

function oneRowAtATime(assembly: UserAssembly, rows: readonly LoginMethodPart[]): User | null {
  const pending = assembly.pendingUser(rows[0]!);
  for (const part of rows.slice(1)) assembly.addRow(pending, part);
  return assembly.assemblePending(pending);
}

/** pino writes asynchronously: the lines of what ran reach the sink after a turn. */
const flushed = () => new Promise((resolve) => setImmediate(resolve));

describe('UserAssembly, a user of several rows', () => {
  it('makes one user of its rows in every order, at once or one row at a time', async () => {
    const { assembly, logs } = assemblyWithParts();
    const expected = assembly.assemble(ROWS);
    expect(expected).not.toBeNull();
    expect(plainUser(expected!)).toMatchObject({
      id: 'ext-primary',
      supertokensUserId: PRIMARY,
      isPrimaryUser: true,
      email: 'ada@work.example', // the earliest login method's (ties: by SuperTokens id)
      timeJoined: 1700000001000,
      lastActive: 1700000500000,
      tenantIds: ['public', 'tenant-b'],
      roles: ['editor'],
      permissions: ['posts:write'],
      metadata: { plan: 'pro' },
    });
    expect(expected!.loginMethods.map((method) => [method.supertokensUserId, method.verified])).toEqual([
      [LINKED, false],
      [PHONE, true],
      [PRIMARY, true],
    ]);
    const orders = permutations(ROWS);
    expect(orders).toHaveLength(24);
    for (const order of orders) {
      expect(plainUser(assembly.assemble(order)!)).toEqual(plainUser(expected!));
      expect(plainUser(oneRowAtATime(assembly, order)!)).toEqual(plainUser(expected!));
    }
    await flushed();
    expect(logs.logs).toEqual([]);
  });

  it('skips, and says so once a way, a user whose own row is not among its rows, in every order', async () => {
    const withoutOwn = ROWS.filter((part) => part.recipeUserKey !== PRIMARY);
    for (const order of permutations(withoutOwn)) {
      const { assembly, logs } = assemblyWithParts();
      expect(assembly.assemble(order)).toBeNull();
      expect(oneRowAtATime(assembly, order)).toBeNull();
      await flushed();
      expect(logs.logs.map((line) => [line.msg, line.userId])).toEqual([
        ['skipped login methods linked to a user whose own row is not among them', PRIMARY],
        ['skipped login methods linked to a user whose own row is not among them', PRIMARY],
      ]);
    }
  });

  it('warns of a malformed row as it comes, and of a user left without login methods at the end', async () => {
    const malformed = row(LINKED, { timeJoined: 'not a time' });
    const ownGone = row(PRIMARY, { timeJoined: null });
    for (const order of permutations([ownGone, malformed])) {
      const { assembly, logs } = assemblyWithParts();
      expect(oneRowAtATime(assembly, order)).toBeNull();
      await flushed();
      expect(logs.logs.map((line) => line.msg)).toEqual([
        'skipped a login method the database did not shape as expected',
        'skipped a user row without login methods',
      ]);
    }
  });

  it('skips rows without a user key, whatever they hold, and says only that', async () => {
    const { assembly, logs } = assemblyWithParts();
    const keyless = [...ROWS, row(LINKED, { timeJoined: 'not a time' })].map((part) => ({ ...part, userKey: '' }));
    expect(assembly.assemble(keyless)).toBeNull();
    expect(oneRowAtATime(assembly, keyless)).toBeNull();
    await flushed();
    expect(logs.logs.map((line) => line.msg)).toEqual(['skipped a user row without a user id', 'skipped a user row without a user id']);
  });
});
