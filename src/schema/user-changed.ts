/** The userChanged subscription (server-sent events): the directory's changes, as they happen. */
import { userKeys } from '../directory/user.ts';
import { SubscriberFellBehindError, type HubEvent } from '../directory/user-change-hub.ts';
import { USERS_READ } from '../auth/permissions.ts';
import { builder } from './builder.ts';
import { needsPermissionOrSelf } from './rules.ts';
import { SubscriberTooSlowError } from './errors.ts';
import { userId } from './inputs.ts';
import { UserType } from './user.ts';

const UserChangeKind = builder.enumType('UserChangeKind', {
  values: {
    UPSERT: { description: 'The user appeared or changed; `user` is the new state.' },
    DELETE: { description: 'The user is gone; `user` is its last known state.' },
    REFETCH: {
      description:
        'More changes at once than a subscriber may queue (a bulk write, a reload): refetch what you hold; `user` is null. Changes after it follow as usual.',
    },
  } as const,
});

const UserChangeType = builder.objectRef<HubEvent>('UserChange').implement({
  fields: (t) => ({
    kind: t.field({ type: UserChangeKind, resolve: (event) => event.kind }),
    user: t.field({
      type: UserType,
      nullable: true,
      description: 'The user after an UPSERT, as last known for a DELETE; null for REFETCH.',
      resolve: (event) => event.user,
    }),
    at: t.field({ type: 'DateTime', description: 'When the directory applied it.', resolve: (event) => event.at }),
  }),
});

builder.subscriptionType({});

builder.subscriptionField('userChanged', (t) =>
  t.field({
    type: UserChangeType,
    description: 'Every change to users (or to the one this id names), from the directory\'s own change feed.',
    args: { id: t.arg.id().validate(userId.nullish()) },
    // Watching one user: that user themself may. Watching everyone ('' names nobody): users:read.
    ...needsPermissionOrSelf(USERS_READ, (args: { id?: string | null }) => ({ self: args.id ?? '' })),
    subscribe: (_root, { id }, { userChanges }) =>
      explainFallingBehind(userChanges.subscribe(id ? (event) => userKeys(event.user).includes(id) : undefined)),
    resolve: (event) => event,
  }),
);

/** A subscriber that fell behind gets an error it can act on (resubscribe, then refetch). */
async function* explainFallingBehind(events: AsyncIterableIterator<HubEvent>): AsyncGenerator<HubEvent> {
  try {
    yield* events;
  } catch (error) {
    throw error instanceof SubscriberFellBehindError ? new SubscriberTooSlowError(error.limit) : error;
  }
}
