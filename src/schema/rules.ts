/**
 * Who may see what. Each rule is one declaration that a field (or type) spreads into its options:
 * the scope-auth check that enforces it and the directive that prints it in schema.graphql come
 * together, so the printed schema says exactly what is enforced (test/unit/schema.test.ts checks).
 *
 *   @admin        ADMIN_ROLE in the caller's token or directory record, a key with the admin scope,
 *                 or ADMIN_API_KEY
 *   @permission   the caller holds the permission (admins hold all); with orSelf, or the caller is
 *                 the user in question
 *   @personal     on User: the user themself, an admin, or a holder of users:pii; others get null
 *                 and a FORBIDDEN error on that field
 */
import { DirectiveLocation, GraphQLBoolean, GraphQLDirective, GraphQLNonNull, GraphQLString } from 'graphql';
import { USERS_PII } from '../auth/permissions.ts';
import type { User } from '../directory/user.ts';

export const ruleDirectives: readonly GraphQLDirective[] = [
  new GraphQLDirective({
    name: 'admin',
    description:
      'Admins only: the ADMIN_ROLE in the caller\'s access token or directory record, an API key with the "admin" scope, or ADMIN_API_KEY.',
    locations: [DirectiveLocation.FIELD_DEFINITION],
  }),
  new GraphQLDirective({
    name: 'permission',
    description:
      'Needs this permission: a permission of the caller\'s SuperTokens roles (token "st-perm" or the directory), or an API key scope. Admins hold every permission. With orSelf, the signed-in user in question may too.',
    locations: [DirectiveLocation.FIELD_DEFINITION, DirectiveLocation.OBJECT],
    args: {
      name: { type: new GraphQLNonNull(GraphQLString) },
      orSelf: { type: GraphQLBoolean, defaultValue: false },
    },
  }),
  new GraphQLDirective({
    name: 'personal',
    description: `Personal data: visible to the user themself, admins and holders of "${USERS_PII}"; others get null and a FORBIDDEN error on this field.`,
    locations: [DirectiveLocation.FIELD_DEFINITION],
  }),
];

/** `@admin` */
export const adminOnly = {
  directives: { admin: {} },
  authScopes: { admin: true },
} as const;

/** `@permission(name)` */
export function needsPermission(permission: string) {
  return {
    directives: { permission: { name: permission } },
    authScopes: { permission },
  } as const;
}

/**
 * `@permission(name, orSelf: true)` on a root field: `self` names the user the arguments point
 * at (by id or by email).
 */
export function needsPermissionOrSelf<Args>(
  permission: string,
  self: (args: Args) => { readonly self: string } | { readonly selfEmail: string },
) {
  return {
    directives: { permission: { name: permission, orSelf: true } },
    authScopes: (_parent: unknown, args: Args) => ({ permission, ...self(args) }),
  } as const;
}

/** `@permission(name, orSelf: true)` on the User type: every field of every user, wherever reached. */
export function userNeedsPermissionOrSelf(permission: string) {
  return {
    directives: { permission: { name: permission, orSelf: true } },
    authScopes: (user: User) => ({ permission, self: user.id }),
  } as const;
}

/**
 * `@personal`, for a field of User: `email: t.exposeString('email', { ...personal })`. The field
 * becomes nullable, so a refusal nulls that field only, with its own FORBIDDEN error.
 */
export const personal = {
  nullable: true,
  directives: { personal: {} },
  authScopes: (user: User) => ({ self: user.id, admin: true, permission: USERS_PII }),
} as const;
