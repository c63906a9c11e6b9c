/**
 * What the directory's record grants, with records shaped as issue 3 will make them (permissions
 * and roles per tenant) and as they are today (neither): no I/O, the loader is a stand-in.
 */
import { execute, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createAccess } from '../../src/auth/access.ts';
import type { Caller } from '../../src/auth/caller.ts';
import {
  directoryHoldsInTenant,
  directoryPermissions,
  directoryRolesInTenant,
} from '../../src/auth/directory-grants.ts';
import type { User } from '../../src/directory/user.ts';
import { domainUser } from '../support/domain.ts';
import { schema } from '../../src/schema/index.ts';

const today: User = domainUser('u1', 0, { roles: ['editor', 'viewer'], rolesByTenant: [], permissions: [] });

/** Editor (posts:edit) in tenant a, viewer (users:read) in tenant b. */
const withTenants = {
  ...today,
  permissions: ['posts:edit', 'users:read'],
  rolesByTenant: [
    { tenantId: 'a', roles: ['editor'] },
    { tenantId: 'b', roles: ['viewer'] },
  ],
  permissionsByTenant: [
    { tenantId: 'a', permissions: ['posts:edit'] },
    { tenantId: 'b', permissions: ['users:read'] },
  ],
} as User;

describe('directory grants', () => {
  it('grants nothing from a record whose roles grant no permission and sit in no tenant', () => {
    expect(directoryPermissions(today)).toEqual([]);
    expect(directoryRolesInTenant(today, 'a')).toEqual([]);
    expect(directoryHoldsInTenant(today, 'users:read', 'a')).toBe(false);
  });

  it('reads permissions and per-tenant roles from the record', () => {
    expect(directoryPermissions(withTenants)).toEqual(['posts:edit', 'users:read']);
    expect(directoryRolesInTenant(withTenants, 'a')).toEqual(['editor']);
    expect(directoryRolesInTenant(withTenants, 'elsewhere')).toEqual([]);
  });

  it('tells a permission per tenant from what the roles held there grant', () => {
    expect(directoryHoldsInTenant(withTenants, 'billing:admin', 'a')).toBe(false); // held nowhere
    expect(directoryHoldsInTenant(withTenants, 'users:read', 'elsewhere')).toBe(false); // no role there
    expect(directoryHoldsInTenant(withTenants, 'users:read', 'a')).toBe(false); // granted in b only
    expect(directoryHoldsInTenant(withTenants, 'users:read', 'b')).toBe(true);
    expect(directoryHoldsInTenant(withTenants, 'posts:edit', 'a')).toBe(true);
  });
});

describe('createAccess', () => {
  const user = (tokenRoles: string[] = [], tokenPermissions: string[] = []): Caller => ({
    kind: 'user',
    userId: 'u1',
    tenantId: 'a',
    tokenRoles,
    tokenPermissions,
  });

  function accessFor(caller: Caller, record: User | null) {
    const lookups: string[] = [];
    const access = createAccess(caller, {
      adminRole: 'admin',
      userById: async (id) => {
        lookups.push(id);
        return record;
      },
    });
    return { access, lookups };
  }

  it("grants a user the permissions of the directory's record of them", async () => {
    const grants = await accessFor(user(), withTenants).access.grants();
    expect(grants.holds('users:read')).toBe(true);
    expect(grants.holds('users:pii')).toBe(false);
    expect(grants.permissions).toEqual(['posts:edit', 'users:read']);
  });

  it("joins the token's roles and permissions with the directory's", async () => {
    const grants = await accessFor(user(['admin'], ['reports:read']), withTenants).access.grants();
    expect(grants.roles).toEqual(['admin', 'editor', 'viewer']);
    expect(grants.permissions).toEqual(['posts:edit', 'reports:read', 'users:read']);
    expect(grants.isAdmin).toBe(true);
    expect(grants.holds('anything')).toBe(true);
  });

  it("makes a user admin by the directory's roles, looked up once per request", async () => {
    const { access, lookups } = accessFor(user(), { ...today, roles: ['admin'] });
    expect((await access.grants()).isAdmin).toBe(true);
    expect((await access.grants()).holds('anything')).toBe(true);
    expect(lookups).toEqual(['u1']);
  });

  it('grants nothing to a user the directory does not hold, beyond their token', async () => {
    const grants = await accessFor(user(['editor'], ['posts:edit']), null).access.grants();
    expect(grants.holds('posts:edit')).toBe(true);
    expect(grants.holds('users:read')).toBe(false);
    expect(grants.isAdmin).toBe(false);
    expect(grants.isUserWithEmail('u1@example.com')).toBe(false);
    expect(grants.isUser('u1')).toBe(true);
  });

  it('recognises the user by email, normalised', async () => {
    const grants = await accessFor(user(), today).access.grants();
    expect(grants.isUserWithEmail(' U1@Example.com ')).toBe(true);
    expect(grants.isUserWithEmail('u2@example.com')).toBe(false);
  });

  it('grants a key its scopes only, without a lookup, and anonymous callers nothing', async () => {
    const key = accessFor({ kind: 'service', name: 'k', scopes: ['users:read'] }, today);
    const grants = await key.access.grants();
    expect(grants.holds('users:read')).toBe(true);
    expect(grants.holds('users:pii')).toBe(false);
    expect(grants.isAdmin).toBe(false);
    expect(grants.isUser('u1')).toBe(false);
    expect(key.lookups).toEqual([]);
    const anonymous = await accessFor({ kind: 'anonymous' }, null).access.grants();
    expect(anonymous.holds('users:read')).toBe(false);
    expect(anonymous.isUser('u1')).toBe(false);
  });
});

describe('hasRole / hasPermission with a tenant', () => {
  /** The schema run directly, as a users:read key, over a directory holding `record`. */
  async function ask(document: string, record: User) {
    const caller: Caller = { kind: 'service', name: 'k', scopes: ['users:read'] };
    const contextValue = {
      caller,
      access: createAccess(caller, { adminRole: 'admin', userById: async () => record }),
      loaders: { userById: async () => record },
    };
    const result = await execute({ schema, document: parse(document), contextValue });
    return { data: result.data, codes: result.errors?.map((error) => error.extensions.code) ?? [] };
  }

  it('answers per tenant from the roles per tenant', async () => {
    expect(await ask('{ hasRole(userId: "u1", role: "editor", tenantId: "a") }', withTenants)).toEqual({ data: { hasRole: true }, codes: [] });
    expect(await ask('{ hasRole(userId: "u1", role: "editor", tenantId: "b") }', withTenants)).toEqual({ data: { hasRole: false }, codes: [] });
    expect(await ask('{ hasPermission(userId: "u1", permission: "users:read", tenantId: "zz") }', withTenants)).toEqual({
      data: { hasPermission: false },
      codes: [],
    });
  });

  it('answers roles and permissions per tenant from the record', async () => {
    expect(await ask('{ hasRole(userId: "u1", role: "editor", tenantId: "a") }', today)).toEqual({ data: { hasRole: false }, codes: [] });
    expect(await ask('{ hasPermission(userId: "u1", permission: "users:read", tenantId: "a") }', withTenants)).toEqual({
      data: { hasPermission: false },
      codes: [],
    });
    expect(await ask('{ hasPermission(userId: "u1", permission: "users:read", tenantId: "b") }', withTenants)).toEqual({
      data: { hasPermission: true },
      codes: [],
    });
  });

  it('answers over every tenant without one', async () => {
    expect((await ask('{ hasRole(userId: "u1", role: "viewer") }', today)).data).toEqual({ hasRole: true });
    expect((await ask('{ hasPermission(userId: "u1", permission: "posts:edit") }', withTenants)).data).toEqual({ hasPermission: true });
  });
});
