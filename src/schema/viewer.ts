/** viewer: who is calling, as this service sees them (their user, roles and permissions). */
import type { Grants } from '../auth/access.ts';
import { builder } from './builder.ts';
import { UserType } from './user.ts';

const CallerKindType = builder.enumType('CallerKind', {
  values: {
    ANONYMOUS: { value: 'anonymous', description: 'No credentials were sent.' },
    USER: { value: 'user', description: 'A SuperTokens access token.' },
    SERVICE: { value: 'service', description: 'An API key from API_KEYS.' },
    ADMIN: { value: 'admin', description: 'ADMIN_API_KEY.' },
  } as const,
});

const ViewerType = builder.objectRef<Grants>('Viewer').implement({
  description: 'The caller of this request.',
  fields: (t) => ({
    kind: t.field({ type: CallerKindType, resolve: ({ caller }) => caller.kind }),
    userId: t.id({
      nullable: true,
      description: "A signed-in user's id (the token's subject); null for others.",
      resolve: ({ caller }) => (caller.kind === 'user' ? caller.userId : null),
    }),
    tenantId: t.string({
      nullable: true,
      description: "The session's tenant, when the token names one.",
      resolve: ({ caller }) => (caller.kind === 'user' ? (caller.tenantId ?? null) : null),
    }),
    serviceName: t.string({
      nullable: true,
      description: "An API key's name; null for others.",
      resolve: ({ caller }) => (caller.kind === 'service' ? caller.name : null),
    }),
    user: t.field({
      type: UserType,
      nullable: true,
      description: "The directory's record of the signed-in user; null for others, or when the directory has none.",
      resolve: (viewer) => viewer.user,
    }),
    roles: t.stringList({
      description: "A user's roles: the token's st-role together with the directory's record. Empty for keys.",
      resolve: (viewer) => [...viewer.roles],
    }),
    permissions: t.stringList({
      description: "A user's permissions (token st-perm and the directory's record), or a key's scopes.",
      resolve: (viewer) => [...viewer.permissions],
    }),
    isAdmin: t.boolean({ resolve: (viewer) => viewer.isAdmin }),
  }),
});

builder.queryField('viewer', (t) =>
  t.field({
    type: ViewerType,
    description: 'Who is calling: open to every caller, anonymous included; tells only about the caller.',
    resolve: (_root, _args, { access }) => access.grants(),
  }),
);
