/**
 * schema.graphql is generated from the code and committed; the rule directives it prints are the
 * rules enforced: every field that carries one is guarded, and no field is guarded without one.
 */
import { readFile } from 'node:fs/promises';
import { getDirective } from '@graphql-tools/utils';
import { execute, isObjectType, parse, type GraphQLNamedType } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Access, Grants } from '../../src/auth/access.ts';
import type { Caller } from '../../src/auth/caller.ts';
import type { User } from '../../src/directory/user.ts';
import { schema } from '../../src/schema/index.ts';
import { domainUser } from '../support/domain.ts';
import { printSchemaSDL } from '../../src/schema/print.ts';

const RULES = ['admin', 'permission', 'personal'] as const;

describe('schema.graphql', () => {
  it('matches the schema the code builds (run `npm run schema` after changing src/schema)', async () => {
    const committed = await readFile(new URL('../../schema.graphql', import.meta.url), 'utf8');
    expect(committed).toBe(printSchemaSDL(schema));
  });

  it("keeps graphql's own directives next to ours", () => {
    expect(schema.getDirectives().map((directive) => directive.name)).toEqual(
      expect.arrayContaining(['skip', 'include', 'deprecated', 'specifiedBy', 'admin', 'permission', 'personal']),
    );
  });

  it('declares the rule directives and shows them where they apply', () => {
    const sdl = printSchemaSDL(schema);
    expect(sdl).toContain('directive @admin on FIELD_DEFINITION');
    expect(sdl).toContain('directive @permission(name: String!, orSelf: Boolean = false) on FIELD_DEFINITION | OBJECT');
    expect(sdl).toContain('directive @personal on FIELD_DEFINITION');
    expect(sdl).toMatch(/reloadUsers: ReloadResult! @admin\n/);
    expect(sdl).toMatch(/\): UserConnection! @permission\(name: "users:read"\)\n/);
    expect(sdl).toMatch(/user\(id: ID!\): User @permission\(name: "users:read", orSelf: true\)\n/);
    expect(sdl).toMatch(/type User @permission\(name: "users:read", orSelf: true\) \{/);
    expect(sdl).toMatch(/email: String @personal\n/);
    expect(sdl).toMatch(/metadata: JSONObject @personal\n/);
  });
});

/** Object types of ours (not introspection's). */
const ownTypes = (): GraphQLNamedType[] =>
  Object.values(schema.getTypeMap()).filter((type) => isObjectType(type) && !type.name.startsWith('__'));

function ruleDirectivesOf(node: Parameters<typeof getDirective>[1]): string[] {
  return RULES.filter((rule) => (getDirective(schema, node, rule) ?? []).length > 0);
}

function hasAuthScopes(extensions: unknown): boolean {
  const options = (extensions as { pothosOptions?: { authScopes?: unknown } } | undefined)?.pothosOptions;
  return options?.authScopes !== undefined;
}

describe('the rule directives are the guards', () => {
  it('puts a directive on exactly the fields and types that scope-auth guards', () => {
    const directed: string[] = [];
    const guarded: string[] = [];
    for (const type of ownTypes()) {
      if (!isObjectType(type)) continue;
      if (ruleDirectivesOf(type).length > 0) directed.push(type.name);
      if (hasAuthScopes(type.extensions)) guarded.push(type.name);
      for (const field of Object.values(type.getFields())) {
        const coordinate = `${type.name}.${field.name}`;
        if (ruleDirectivesOf(field).length > 0) directed.push(coordinate);
        if (hasAuthScopes(field.extensions)) guarded.push(coordinate);
      }
    }
    expect(directed.sort()).toEqual(guarded.sort());
    expect(directed.sort()).toEqual(
      [
        'Mutation.reloadUsers',
        'Query.hasPermission',
        'Query.hasRole',
        'Query.user',
        'Query.userByEmail',
        'Query.users',
        'Query.usersByEmail',
        'Query.usersByIds',
        'Subscription.userChanged',
        'User',
        'User.email',
        'User.emails',
        'User.loginMethods',
        'User.metadata',
        'User.phoneNumbers',
        'User.thirdParty',
      ].sort(),
    );
  });
});

// Run against the schema directly, with a stand-in context, so that nothing but the rules decides.
const someone: User = domainUser('someone', Date.UTC(2024, 0, 1), { roles: ['editor'], metadata: { secret: true } });

function contextFor(caller: Caller, grants: { admin?: boolean; permissions?: readonly string[] } = {}) {
  const admin = grants.admin ?? false;
  const resolved: Grants = {
    caller,
    user: someone,
    roles: [],
    permissions: grants.permissions ?? [],
    isAdmin: admin,
    holds: (permission) => admin || (grants.permissions ?? []).includes(permission),
    isUser: (id) => caller.kind === 'user' && caller.userId === id,
    isUserWithEmail: () => false,
  };
  const access: Access = { caller, grants: async () => resolved };
  const page = { users: [someone], totalCount: 1, hasNextPage: false, hasPreviousPage: false };
  return {
    caller,
    access,
    loaders: {
      userById: async () => someone,
      userByEmail: async () => someone,
      usersByEmail: async () => [someone],
      usersByIds: async () => [someone],
      listUsers: () => page,
      stats: { cacheHits: 0, databaseLookups: 0, databaseQueries: 0 },
    },
    reloadUsers: async () => ({ count: 1, durationMs: 1, loadedAt: new Date() }),
  };
}

const ROOT_SAMPLES: Record<string, string> = {
  'Query.user': '{ user(id: "someone") { id } }',
  'Query.userByEmail': '{ userByEmail(email: "someone@example.com") { id } }',
  'Query.usersByEmail': '{ usersByEmail(email: "someone@example.com") { id } }',
  'Query.usersByIds': '{ usersByIds(ids: ["someone"]) { id } }',
  'Query.users': '{ users { totalCount } }',
  'Query.hasRole': '{ hasRole(userId: "someone", role: "editor") }',
  'Query.hasPermission': '{ hasPermission(userId: "someone", permission: "users:read") }',
  'Query.viewer': '{ viewer { kind } }',
  'Mutation.reloadUsers': 'mutation { reloadUsers { count } }',
};

async function run(document: string, context: ReturnType<typeof contextFor>) {
  return execute({ schema, document: parse(document), contextValue: context });
}

describe('enforcement, field by field', () => {
  const anonymous = contextFor({ kind: 'anonymous' });
  const rootFields = ['Query', 'Mutation'].flatMap((name) => {
    const type = schema.getType(name);
    return isObjectType(type) ? Object.values(type.getFields()).map((field) => ({ type: name, field })) : [];
  });

  it('has a sample for every root field', () => {
    expect(rootFields.map(({ type, field }) => `${type}.${field.name}`).sort()).toEqual(Object.keys(ROOT_SAMPLES).sort());
  });

  it.each(Object.keys(ROOT_SAMPLES))('%s refuses an anonymous caller exactly when it carries a rule', async (coordinate) => {
    const [typeName, fieldName] = coordinate.split('.') as [string, string];
    const field = (schema.getType(typeName) as import('graphql').GraphQLObjectType).getFields()[fieldName]!;
    const result = await run(ROOT_SAMPLES[coordinate]!, anonymous);
    const codes = result.errors?.map((error) => error.extensions.code) ?? [];
    expect(codes).toEqual(ruleDirectivesOf(field).length > 0 ? ['UNAUTHENTICATED'] : []);
  });

  it('guards every User field by the type rule, wherever the user is reached from', async () => {
    const service: Caller = { kind: 'service', name: 'other', scopes: [] };
    const result = await run('{ viewer { user { id roles timeJoined lastActive } } }', contextFor(service));
    expect(result.data).toEqual({ viewer: { user: null } });
    expect(new Set(result.errors?.map((error) => error.extensions.code))).toEqual(new Set(['FORBIDDEN']));
  });

  it('nulls exactly the @personal fields for users:read without users:pii', async () => {
    const service: Caller = { kind: 'service', name: 'reader', scopes: ['users:read'] };
    const result = await run(
      '{ viewer { user { id roles timeJoined lastActive email emails phoneNumbers thirdParty { id } loginMethods { recipeId } metadata } } }',
      contextFor(service, { permissions: ['users:read'] }),
    );
    const userType = schema.getType('User');
    const personalFields = isObjectType(userType)
      ? Object.values(userType.getFields())
          .filter((field) => ruleDirectivesOf(field).includes('personal'))
          .map((field) => field.name)
      : [];
    expect(personalFields.sort()).toEqual(['email', 'emails', 'loginMethods', 'metadata', 'phoneNumbers', 'thirdParty']);
    expect(result.data?.viewer).toMatchObject({
      user: { id: 'someone', email: null, emails: null, phoneNumbers: null, thirdParty: null, loginMethods: null, metadata: null },
    });
    expect(result.errors?.map((error) => [error.path?.join('.'), error.extensions.code]).sort()).toEqual(
      personalFields.map((field) => [`viewer.user.${field}`, 'FORBIDDEN']).sort(),
    );
  });

  it('shows the @personal fields to a users:pii holder', async () => {
    const service: Caller = { kind: 'service', name: 'pii', scopes: ['users:read', 'users:pii'] };
    const result = await run(
      '{ viewer { user { email metadata } } }',
      contextFor(service, { permissions: ['users:read', 'users:pii'] }),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.viewer).toEqual({ user: { email: 'someone@example.com', metadata: { secret: true } } });
  });
});
