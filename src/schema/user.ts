/** The User type and the queries that return users. */
import { z } from 'zod';
import { USERS_READ } from '../auth/permissions.ts';
import type { User } from '../directory/user.ts';
import type { UserPage } from '../directory/user-snapshot.ts';
import { builder } from './builder.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { needsPermission, needsPermissionOrSelf, personal, userNeedsPermissionOrSelf } from './rules.ts';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export const userIdInput = z
  .string()
  .trim()
  .min(1, 'id must not be empty')
  .max(128, 'id must be at most 128 characters')
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'id must not contain control characters');

const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(256, 'email must be at most 256 characters')
  .regex(/^[^\s@]+@[^\s@]+$/, 'email is malformed');

const pageSize = z
  .number()
  .int()
  .min(0, 'first must be at least 0')
  .max(MAX_PAGE_SIZE, `first must be at most ${MAX_PAGE_SIZE}`)
  .nullish();

const cursor = z
  .string()
  .refine((value) => decodeCursor(value) !== null, 'after is not a cursor issued by this service')
  .transform((value) => decodeCursor(value)!)
  .nullish();

const roleName = z.string().trim().min(1, 'role must not be empty').max(255, 'role must be at most 255 characters').nullish();

export const UserType = builder.objectRef<User>('User').implement({
  description: 'A SuperTokens user of the configured app.',
  // Whatever field leads here, reading a user needs users:read or being that user. Checked once
  // per user (scope-auth's isTypeOf) rather than once per field: a refused user is null, with one
  // error. The root fields check the same rule first, with a clearer error.
  ...userNeedsPermissionOrSelf(USERS_READ),
  runScopesOnType: true,
  fields: (t) => ({
    id: t.exposeID('id'),
    email: t.exposeString('email', { ...personal }),
    timeJoined: t.field({ type: 'DateTime', resolve: (user) => user.timeJoined }),
    lastActive: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When SuperTokens last saw a session of this user; null if never.',
      resolve: (user) => user.lastActive,
    }),
    roles: t.exposeStringList('roles', { description: 'Distinct role names, sorted.' }),
    metadata: t.field({
      type: 'JSON',
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
    description: 'The user with this id; null when there is none.',
    args: { id: t.arg.id({ required: true }).validate(userIdInput) },
    ...needsPermissionOrSelf(USERS_READ, (args: { id: string }) => ({ self: args.id })),
    resolve: (_root, { id }, { loaders }) => loaders.userById.load(id),
  }),

  userByEmail: t.field({
    type: UserType,
    nullable: true,
    description: 'The user holding this email (trimmed and lower-cased first); the oldest if several do.',
    args: { email: t.arg.string({ required: true }).validate(email) },
    ...needsPermissionOrSelf(USERS_READ, (args: { email: string }) => ({ selfEmail: args.email })),
    resolve: (_root, args, { loaders }) => loaders.userByEmail.load(args.email),
  }),

  users: t.field({
    type: UserConnectionType,
    description: `Users, newest first (timeJoined, then id, descending). first: at most ${MAX_PAGE_SIZE}.`,
    args: {
      first: t.arg.int({ defaultValue: DEFAULT_PAGE_SIZE, validate: pageSize }),
      after: t.arg.string().validate(cursor),
      role: t.arg.string({ description: 'Only users holding this role.' }).validate(roleName),
    },
    ...needsPermission(USERS_READ),
    resolve: (_root, args, { loaders }) =>
      loaders.listUsers({
        first: args.first ?? DEFAULT_PAGE_SIZE,
        after: args.after ?? undefined,
        role: args.role ?? undefined,
      }),
  }),
}));

function cursorOf(user: User | undefined): string | null {
  return user ? encodeCursor(user) : null;
}
