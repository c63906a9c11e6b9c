/** The User type and the queries that return users. */
import { USERS_READ } from '../auth/permissions.ts';
import type { LoginMethod, TenantRoles, ThirdPartyIdentity, User } from '../directory/user.ts';
import type { UserPage } from '../directory/user-snapshot.ts';
import { builder } from './builder.ts';
import { cost } from './cost.ts';
import { encodeCursor } from './cursor.ts';
import { cursor, DEFAULT_PAGE_SIZE, email, MAX_PAGE_SIZE, MAX_USERS_BY_IDS, name, pageSize, tenantId, userId, userIds } from './inputs.ts';
import { needsPermission, needsPermissionOrSelf, personal, userNeedsPermissionOrSelf } from './rules.ts';

const ThirdPartyIdentityType = builder.objectRef<ThirdPartyIdentity>('ThirdPartyIdentity').implement({
  description: 'A third-party sign-in: the provider and the user at that provider.',
  fields: (t) => ({
    id: t.exposeString('id', { description: 'The provider, e.g. "google".' }),
    userId: t.exposeString('userId', { description: "The user's id at that provider." }),
  }),
});

const LoginMethodType = builder.objectRef<LoginMethod>('LoginMethod').implement({
  description: 'One way the user signs in: a SuperTokens recipe user linked to (or being) the user.',
  fields: (t) => ({
    recipeId: t.exposeString('recipeId', { description: '"emailpassword", "thirdparty", "passwordless" or "webauthn" (a passkey).' }),
    recipeUserId: t.exposeID('recipeUserId', { description: "The recipe user's id as the SDK shows it: its external id when it has one." }),
    supertokensUserId: t.exposeID('supertokensUserId', { description: "The recipe user's SuperTokens id." }),
    email: t.exposeString('email', { nullable: true }),
    phoneNumber: t.exposeString('phoneNumber', { nullable: true }),
    thirdParty: t.field({ type: ThirdPartyIdentityType, nullable: true, resolve: (method) => method.thirdParty }),
    tenantIds: t.exposeStringList('tenantIds', { description: 'Sorted.' }),
    timeJoined: t.field({ type: 'DateTime', resolve: (method) => method.timeJoined }),
    verified: t.exposeBoolean('verified', {
      description: 'Its email is verified (a login method without an email, a phone number, counts as verified, as in SuperTokens).',
    }),
  }),
});

const TenantRolesType = builder.objectRef<TenantRoles>('TenantRoles').implement({
  fields: (t) => ({
    tenantId: t.exposeString('tenantId'),
    roles: t.exposeStringList('roles', { description: 'Distinct role names, sorted.' }),
  }),
});

export const UserType = builder.objectRef<User>('User').implement({
  description: 'A SuperTokens user of the configured app: a primary user with every login method linked to it, as getUser returns it.',
  // Whatever field leads here, reading a user needs users:read or being that user. Checked once
  // per user (scope-auth's isTypeOf) rather than once per field: a refused user is null, with one
  // error. The root fields check the same rule first, with a clearer error.
  ...userNeedsPermissionOrSelf(USERS_READ),
  runScopesOnType: true,
  fields: (t) => ({
    id: t.exposeID('id', { description: "The user's id as the SDK shows it: its external id when it has one, else supertokensUserId." }),
    supertokensUserId: t.exposeID('supertokensUserId', { description: 'The SuperTokens id of the primary (or only) login method.' }),
    isPrimaryUser: t.exposeBoolean('isPrimaryUser'),
    email: t.exposeString('email', {
      ...personal,
      description: 'The email of the earliest login method that has one; null when none has (a phone-only user).',
    }),
    emails: t.exposeStringList('emails', { ...personal, description: "Every login method's email, distinct and sorted." }),
    phoneNumbers: t.exposeStringList('phoneNumbers', { ...personal, description: 'Distinct and sorted.' }),
    thirdParty: t.field({
      ...personal,
      ...cost({ listSize: { assumedSize: 1 } }),
      type: [ThirdPartyIdentityType],
      description: 'Sorted by provider, then user id.',
      resolve: (user) => user.thirdParty,
    }),
    loginMethods: t.field({
      ...personal,
      ...cost({ listSize: { assumedSize: 2 } }),
      type: [LoginMethodType],
      description: 'Earliest first (timeJoined, then SuperTokens id).',
      resolve: (user) => user.loginMethods,
    }),
    tenantIds: t.exposeStringList('tenantIds', { description: "The union of the login methods' tenants, sorted." }),
    timeJoined: t.field({
      type: 'DateTime',
      description: "The earliest of the login methods' timeJoined.",
      resolve: (user) => user.timeJoined,
    }),
    lastActive: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When SuperTokens last saw a session of this user; null if never.',
      resolve: (user) => user.lastActive,
    }),
    roles: t.exposeStringList('roles', { description: 'Distinct role names over every tenant, sorted.' }),
    rolesByTenant: t.field({
      ...cost({ listSize: { assumedSize: 2 } }),
      type: [TenantRolesType],
      description: 'The tenants in which the user holds roles, sorted by tenant.',
      resolve: (user) => user.rolesByTenant,
    }),
    permissions: t.exposeStringList('permissions', { description: "What the user's roles grant, distinct and sorted." }),
    metadata: t.field({
      type: 'JSONObject',
      ...personal,
      description: "SuperTokens user metadata: always an object, {} when none.",
      resolve: (user) => user.metadata,
    }),
  }),
});

const PageInfoType = builder.objectRef<UserPage>('PageInfo').implement({
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage'),
    hasPreviousPage: t.exposeBoolean('hasPreviousPage'),
    startCursor: t.string({ nullable: true, resolve: (page) => cursorOf(page.users[0]) }),
    endCursor: t.string({ nullable: true, resolve: (page) => cursorOf(page.users.at(-1)) }),
  }),
});

const UserEdgeType = builder.objectRef<User>('UserEdge').implement({
  fields: (t) => ({
    cursor: t.string({ resolve: (user) => encodeCursor(user) }),
    node: t.field({ type: UserType, resolve: (user) => user }),
  }),
});

const UserConnectionType = builder.objectRef<UserPage>('UserConnection').implement({
  fields: (t) => ({
    edges: t.field({ type: [UserEdgeType], resolve: (page) => page.users }),
    nodes: t.field({ type: [UserType], resolve: (page) => page.users }),
    pageInfo: t.field({ type: PageInfoType, resolve: (page) => page }),
    totalCount: t.exposeInt('totalCount', { description: 'Users matching the filter, over all pages.' }),
  }),
});

builder.queryFields((t) => ({
  user: t.field({
    type: UserType,
    nullable: true,
    description: "The user this id names: its id, its SuperTokens id, or any login method's SuperTokens or external id; null when none.",
    args: { id: t.arg.id({ required: true }).validate(userId) },
    ...needsPermissionOrSelf(USERS_READ, (args: { id: string }) => ({ self: args.id })),
    resolve: (_root, { id }, { loaders }) => loaders.userById(id),
  }),

  usersByIds: t.field({
    type: [UserType],
    nullable: { list: false, items: true },
    description: `The users these ids name (as user(id) reads an id), in the order asked: null for an id that names nobody. At most ${MAX_USERS_BY_IDS} ids.`,
    args: { ids: t.arg.idList({ required: true }).validate(userIds) },
    ...needsPermission(USERS_READ),
    // One user per id: the answer is as long as the list.
    ...cost({ listSize: { slicingArguments: ['ids'], assumedSize: 0 } }),
    resolve: (_root, { ids }, { loaders }) => loaders.usersByIds(ids),
  }),

  userByEmail: t.field({
    type: UserType,
    nullable: true,
    description:
      'The user holding this email (trimmed and lower-cased first) through a login method in this tenant: the primary user, else the oldest.',
    args: {
      email: t.arg.string({ required: true }).validate(email),
      tenantId: t.arg.string({ required: true, defaultValue: 'public' }).validate(tenantId),
    },
    ...needsPermissionOrSelf(USERS_READ, (args: { email: string }) => ({ selfEmail: args.email })),
    resolve: (_root, args, { loaders }) => loaders.userByEmail(args.email, args.tenantId),
  }),

  usersByEmail: t.field({
    ...cost({ listSize: { assumedSize: 2 } }),
    type: [UserType],
    description: 'Every user holding this email (trimmed and lower-cased first) through any login method, in any tenant; oldest first.',
    args: { email: t.arg.string({ required: true }).validate(email) },
    ...needsPermissionOrSelf(USERS_READ, (args: { email: string }) => ({ selfEmail: args.email })),
    resolve: (_root, args, { loaders }) => loaders.usersByEmail(args.email),
  }),

  users: t.field({
    type: UserConnectionType,
    description: `Users, newest first (timeJoined, then id, descending). first: at most ${MAX_PAGE_SIZE}.`,
    args: {
      first: t.arg.int({ defaultValue: DEFAULT_PAGE_SIZE, validate: pageSize.nullish() }),
      after: t.arg.string().validate(cursor.nullish()),
      role: t.arg.string({ description: 'Only users holding this role (in tenantId, when given).' }).validate(name('role').nullish()),
      tenantId: t.arg.string({ description: 'Only users with a login method in this tenant.' }).validate(tenantId.nullish()),
    },
    ...needsPermission(USERS_READ),
    ...cost({ listSize: { slicingArguments: ['first'], sizedFields: ['edges', 'nodes'], assumedSize: DEFAULT_PAGE_SIZE } }),
    resolve: (_root, args, { loaders }) =>
      loaders.listUsers({
        first: args.first ?? DEFAULT_PAGE_SIZE,
        after: args.after ?? undefined,
        role: args.role ?? undefined,
        tenantId: args.tenantId ?? undefined,
      }),
  }),
}));

function cursorOf(user: User | undefined): string | null {
  return user ? encodeCursor(user) : null;
}
