/** What every resolver gets: who is calling, and this request's own loaders. */
import type { PubSub, YogaInitialContext } from 'graphql-yoga';
import type { Caller } from '../auth/caller.ts';
import type { Loaders } from '../directory/loaders.ts';
import type { ReloadResult, UserChangeEvent } from '../directory/user-cache.ts';

export type UserChangePubSub = PubSub<{ userChanged: [UserChangeEvent] }>;

/** What our context factory adds to yoga's own per-request context. */
export interface RequestContext {
  readonly caller: Caller;
  readonly loaders: Loaders;
  /** Reloads the whole directory (single-flight); rejects when the load fails. */
  readonly reloadUsers: () => Promise<ReloadResult>;
  /** Every change the directory sees, for subscriptions. */
  readonly userChanges: UserChangePubSub;
}

export type GraphQLContext = YogaInitialContext & RequestContext;
