/**
 * hasRole / hasPermission: role checks for other services, answered from the directory through
 * the request's loaders. Without tenantId: in any tenant. With it: the roles held in that tenant,
 * and what those roles grant.
 */
import {
  directoryHoldsInTenant,
  directoryPermissions,
  directoryRoles,
  directoryRolesInTenant,
} from '../auth/directory-grants.ts';
import { USERS_READ } from '../auth/permissions.ts';
import { whenReady } from '../maybe-promise.ts';
import { builder } from './builder.ts';
import { needsPermissionOrSelf } from './rules.ts';
import { name, tenantId, userId } from './inputs.ts';

builder.queryFields((t) => ({
  hasRole: t.boolean({
    description: 'Whether the user holds the role (in tenantId, or in any tenant when omitted); false for an unknown user.',
    args: {
      userId: t.arg.id({ required: true }).validate(userId),
      role: t.arg.string({ required: true }).validate(name('role')),
      tenantId: t.arg.string().validate(tenantId.nullish()),
    },
    ...needsPermissionOrSelf(USERS_READ, (args: { userId: string }) => ({ self: args.userId })),
    resolve: (_root, args, { loaders }) =>
      whenReady(loaders.userById(args.userId), (user) => {
        if (!user) return false;
        const roles = args.tenantId == null ? directoryRoles(user) : directoryRolesInTenant(user, args.tenantId);
        return roles.includes(args.role);
      }),
  }),

  hasPermission: t.boolean({
    description:
      "Whether the user holds the permission through their roles (in tenantId, or in any tenant when omitted); false for an unknown user.",
    args: {
      userId: t.arg.id({ required: true }).validate(userId),
      permission: t.arg.string({ required: true }).validate(name('permission')),
      tenantId: t.arg.string().validate(tenantId.nullish()),
    },
    ...needsPermissionOrSelf(USERS_READ, (args: { userId: string }) => ({ self: args.userId })),
    resolve: (_root, args, { loaders }) =>
      whenReady(loaders.userById(args.userId), (user) => {
        if (!user) return false;
        if (args.tenantId == null) return directoryPermissions(user).includes(args.permission);
        return directoryHoldsInTenant(user, args.permission, args.tenantId);
      }),
  }),
}));
