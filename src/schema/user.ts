/** The User type and the queries that return users. */
import { USERS_READ } from '../auth/permissions.ts';
import { whenReady, type MaybePromise } from '../maybe-promise.ts';
import type { MetadataCondition } from '../directory/user-filter.ts';
import { DEFAULT_ORDER, type UserOrder } from '../directory/user-order.ts';
import type { LoginMethod, TenantRoles, ThirdPartyIdentity, User } from '../directory/user.ts';
import type { UserPage } from '../directory/user-snapshot.ts';
import { builder } from './builder.ts';
import { cost } from './cost.ts';
import { encodeCursor } from './cursor.ts';
import {
  ARGS_AS_GIVEN,
  type ArgsAsGiven,
  cursor,
  DEFAULT_PAGE_SIZE,
  email,
  isPlainId,
  MAX_METADATA_CONDITIONS,
  MAX_PAGE_SIZE,
  MAX_USERS_BY_IDS,
  metadataConditions,
  name,
  pageSize,
  search,
  tenantId,
  userId,
  userIds,
  usersArguments,
} from './inputs.ts';
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
    thirdParty: t.expose('thirdParty', { type: ThirdPartyIdentityType, nullable: true }),
    tenantIds: t.exposeStringList('tenantIds', { description: 'Sorted.' }),
    timeJoined: t.expose('timeJoined', { type: 'DateTime' }),
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
  // A user object never changes (a changed user is a new object): the fast lane may keep its answer text.
  extensions: { immutable: true },
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
    thirdParty: t.expose('thirdParty', {
      ...personal,
      ...cost({ listSize: { assumedSize: 1 } }),
      type: [ThirdPartyIdentityType],
      description: 'Sorted by provider, then user id.',
    }),
    loginMethods: t.expose('loginMethods', {
      ...personal,
      ...cost({ listSize: { assumedSize: 2 } }),
      type: [LoginMethodType],
      description: 'Earliest first (timeJoined, then SuperTokens id).',
    }),
    tenantIds: t.exposeStringList('tenantIds', { description: "The union of the login methods' tenants, sorted." }),
    timeJoined: t.expose('timeJoined', {
      type: 'DateTime',
      description: "The earliest of the login methods' timeJoined.",
    }),
    lastActive: t.expose('lastActive', {
      type: 'DateTime',
      nullable: true,
      description: 'When SuperTokens last saw a session of this user; null if never.',
    }),
    roles: t.exposeStringList('roles', { description: 'Distinct role names over every tenant, sorted.' }),
    rolesByTenant: t.expose('rolesByTenant', {
      ...cost({ listSize: { assumedSize: 2 } }),
      type: [TenantRolesType],
      description: 'The tenants in which the user holds roles, sorted by tenant.',
    }),
    permissions: t.exposeStringList('permissions', { description: "What the user's roles grant, distinct and sorted." }),
    metadata: t.expose('metadata', {
      type: 'JSONObject',
      ...personal,
      description: "SuperTokens user metadata: always an object, {} when none.",
    }),
  }),
});

/** A page, with the order it was listed in: its cursors are places in that order. */
interface OrderedPage extends UserPage {
  readonly order: UserOrder;
}

const PageInfoType = builder.objectRef<OrderedPage>('PageInfo').implement({
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage', { description: 'A matching user comes after this page (after `after`, for an empty page).' }),
    hasPreviousPage: t.exposeBoolean('hasPreviousPage', { description: 'A matching user comes before this page (before `before`, for an empty page).' }),
    startCursor: t.string({ nullable: true, resolve: (page) => cursorOf(page.order, page.users[0]) }),
    endCursor: t.string({ nullable: true, resolve: (page) => cursorOf(page.order, page.users.at(-1)) }),
  }),
});

const UserEdgeType = builder.objectRef<{ readonly user: User; readonly order: UserOrder }>('UserEdge').implement({
  fields: (t) => ({
    cursor: t.string({ resolve: ({ user, order }) => encodeCursor(order, user) }),
    node: t.field({ type: UserType, resolve: ({ user }) => user }),
  }),
});

const UserConnectionType = builder.objectRef<OrderedPage>('UserConnection').implement({
  fields: (t) => ({
    edges: t.field({ type: [UserEdgeType], resolve: (page) => page.users.map((user) => ({ user, order: page.order })) }),
    nodes: t.field({ type: [UserType], resolve: (page) => page.users }),
    pageInfo: t.field({ type: PageInfoType, resolve: (page) => page }),
    totalCount: t.exposeInt('totalCount', { description: 'Users matching the filters, over all pages.' }),
  }),
});

const UserOrderType = builder.enumType('UserOrder', {
  description: 'How users are listed. Each is a total order: the id (in the same direction) breaks ties. Users never active, or without an email, come last both ways.',
  values: {
    JOINED_DESC: { description: 'Newest first (timeJoined, then id, descending): the default.' },
    JOINED_ASC: { description: 'Oldest first.' },
    LAST_ACTIVE_DESC: { description: 'Most recently active first; users never active last.' },
    LAST_ACTIVE_ASC: { description: 'Least recently active first; users never active last.' },
    EMAIL_ASC: { description: 'By email (User.email, by UTF-16 code unit); users without an email last.' },
    EMAIL_DESC: { description: 'By email, descending; users without an email last.' },
  } satisfies Record<UserOrder, unknown>,
});

const MetadataConditionType = builder.inputType('MetadataCondition', {
  description: "A condition on the user's metadata object, at a path of keys: give exactly one of equals and exists.",
  fields: (t) => ({
    path: t.stringList({ required: true, description: 'Keys of nested objects, outermost first: ["address", "city"].' }),
    equals: t.field({ type: 'JSON', description: 'The value there equals this JSON value (null included; objects whatever the order of their keys).' }),
    exists: t.boolean({ description: 'true: the path leads to a value (null included); false: it does not.' }),
  }),
});

builder.queryFields((t) => ({
  user: t.field({
    type: UserType,
    nullable: true,
    description: "The user this id names: its id, its SuperTokens id, or any login method's SuperTokens or external id; null when none.",
    args: { id: t.arg.id({ required: true }).validate(userId) },
    extensions: { [ARGS_AS_GIVEN]: { id: isPlainId } satisfies ArgsAsGiven },
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
    description: `Users matching every filter given, in an order (newest first by default), a page at a time: first (${DEFAULT_PAGE_SIZE} when neither is given, at most ${MAX_PAGE_SIZE}) after a cursor, or last before one.`,
    args: {
      first: t.arg.int({ description: `The first users after \`after\`: ${DEFAULT_PAGE_SIZE} when neither first nor last is given.` }).validate(pageSize('first').nullish()),
      after: t.arg.string({ description: 'A cursor from a page listed in the same order.' }).validate(cursor('after').nullish()),
      last: t.arg.int({ description: 'The last users before `before`: a page backwards.' }).validate(pageSize('last').nullish()),
      before: t.arg.string({ description: 'A cursor from a page listed in the same order.' }).validate(cursor('before').nullish()),
      orderBy: t.arg({ type: UserOrderType, required: true, defaultValue: DEFAULT_ORDER }),
      search: t
        .arg.string({
          description:
            'Case-insensitive: an email starting with it, or whose domain does; a phone number starting with it (with or without its "+"); a third-party provider, or the user\'s id at one, starting with it; or any of the user\'s ids, exactly.',
        })
        .validate(search.nullish()),
      role: t.arg.string({ description: 'Holders of this role (in tenantId, when given).' }).validate(name('role').nullish()),
      permission: t.arg.string({ description: 'Holders of this permission through their roles (in tenantId, when given).' }).validate(name('permission').nullish()),
      tenantId: t.arg.string({ description: 'Users with a login method in this tenant.' }).validate(tenantId.nullish()),
      recipeId: t.arg
        .string({ description: 'Users with a login method of this recipe: "emailpassword", "thirdparty", "passwordless" or "webauthn".' })
        .validate(name('recipeId').nullish()),
      verified: t.arg.boolean({ description: 'true: every login method of the user is verified (see LoginMethod.verified); false: one is not.' }),
      isPrimaryUser: t.arg.boolean({ description: 'true: primary users (see User.isPrimaryUser); false: the others.' }),
      joinedAfter: t.arg({ type: 'DateTime', description: 'Joined strictly after this instant.' }),
      joinedBefore: t.arg({ type: 'DateTime', description: 'Joined strictly before this instant.' }),
      activeAfter: t.arg({ type: 'DateTime', description: 'Last active strictly after this instant (never: no).' }),
      activeBefore: t.arg({ type: 'DateTime', description: 'Last active strictly before this instant (never: no).' }),
      neverActive: t.arg.boolean({ description: 'true: never active; false: active at least once.' }),
      metadata: t
        .arg({ type: [MetadataConditionType], required: { list: false, items: true }, description: `Every condition holds (at most ${MAX_METADATA_CONDITIONS}).` })
        .validate(metadataConditions.nullish()),
    },
    validate: usersArguments,
    ...needsPermission(USERS_READ),
    ...cost({ listSize: { slicingArguments: ['first', 'last'], sizedFields: ['edges', 'nodes'], assumedSize: DEFAULT_PAGE_SIZE } }),
    resolve: (_root, args, { loaders }): MaybePromise<OrderedPage> => {
      const order = args.orderBy;
      const time = (date: Date | null | undefined) => (date == null ? undefined : date.getTime());
      const page = loaders.listUsers({
        orderBy: order,
        first: args.first ?? undefined,
        after: args.after?.position,
        last: args.last ?? undefined,
        before: args.before?.position,
        search: args.search ?? undefined,
        role: args.role ?? undefined,
        permission: args.permission ?? undefined,
        tenantId: args.tenantId ?? undefined,
        recipeId: args.recipeId ?? undefined,
        verified: args.verified ?? undefined,
        isPrimaryUser: args.isPrimaryUser ?? undefined,
        joinedAfter: time(args.joinedAfter),
        joinedBefore: time(args.joinedBefore),
        activeAfter: time(args.activeAfter),
        activeBefore: time(args.activeBefore),
        neverActive: args.neverActive ?? undefined,
        metadata: (args.metadata as readonly MetadataCondition[] | null | undefined) ?? undefined,
      });
      return whenReady(page, (answer) => ({ ...answer, order }));
    },
  }),
}));

function cursorOf(order: UserOrder, user: User | undefined): string | null {
  return user ? encodeCursor(order, user) : null;
}
