/** The one Pothos builder. It declares no types: those live beside their entry points. */
import SchemaBuilder from '@pothos/core';
import DirectivesPlugin from '@pothos/plugin-directives';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ValidationPlugin from '@pothos/plugin-validation';
import { whenReady } from '../maybe-promise.ts';
import type { GraphQLContext } from './context.ts';
import { BadUserInputError, ForbiddenError, UnauthenticatedError } from './errors.ts';

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date | number };
    JSONObject: { Input: Record<string, unknown>; Output: Record<string, unknown> };
    JSON: { Input: unknown; Output: unknown };
  };
  // The rules (rules.ts) as scope-auth checks them; each is printed as a directive too.
  AuthScopes: {
    admin: boolean;
    /** The caller holds this permission (admins hold all). */
    permission: string;
    /** The caller is the signed-in user with this id. */
    self: string;
    /** The caller is the signed-in user whom the directory records with this email. */
    selfEmail: string;
  };
  Directives: {
    admin: { locations: 'FIELD_DEFINITION'; args: Record<string, never> };
    permission: { locations: 'FIELD_DEFINITION' | 'OBJECT'; args: { name: string; orSelf?: boolean } };
    personal: { locations: 'FIELD_DEFINITION'; args: Record<string, never> };
  };
}>({
  // Scope-auth first: no other plugin's wrapper (validation included) runs for a refused caller.
  plugins: [ScopeAuthPlugin, DirectivesPlugin, ValidationPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    // A refused subscriber is told when subscribing, not left waiting for refused events.
    authorizeOnSubscribe: true,
    // Resolved once per request (asynchronously only when the caller's own record must be
    // fetched), then every check is synchronous.
    authScopes: ({ access }) =>
      whenReady(access.grants(), (grants) => ({
        admin: grants.isAdmin,
        permission: (permission: string) => grants.holds(permission),
        self: (userId: string) => grants.isUser(userId),
        selfEmail: (email: string) => grants.isUserWithEmail(email),
      })),
    unauthorizedError: (_parent, { caller }, info) =>
      caller.kind === 'anonymous'
        ? new UnauthenticatedError(`${info.parentType.name}.${info.fieldName} needs credentials: send Authorization: Bearer <access token or API key>.`, info)
        : new ForbiddenError(`These credentials may not read ${info.parentType.name}.${info.fieldName}.`, info),
  },
  // graphql-tools (printer and getDirective) reads directives keyed by name.
  directives: { useGraphQLToolsUnorderedDirectives: true },
  validation: {
    validationError: (failure) =>
      new BadUserInputError(failure.issues.map((issue) => issue.message).join('; '), {
        issues: failure.issues.map((issue) => ({
          path: issue.path?.map((segment) => (typeof segment === 'object' ? segment.key : segment)),
          message: issue.message,
        })),
      }),
  },
});

builder.queryType({});
builder.mutationType({});
