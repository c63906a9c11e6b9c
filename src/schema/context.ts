/** What every resolver gets: who is calling, what they may do, and this request's own loaders. */
import type { YogaInitialContext } from 'graphql-yoga';
import type { Access } from '../auth/access.ts';
import type { Caller } from '../auth/caller.ts';
import type { Loaders } from '../directory/loaders.ts';
import type { ReloadResult } from '../directory/user-directory.ts';
import type { UserChangeHub } from '../directory/user-change-hub.ts';

/** What our context factory adds to yoga's own per-request context. */
export interface RequestContext {
  readonly caller: Caller;
  /** The rules' questions about the caller, answered through `loaders`. */
  readonly access: Access;
  readonly loaders: Loaders;
  /** Reloads the whole directory (single-flight); rejects when the load fails. */
  readonly reloadUsers: () => Promise<ReloadResult>;
  /** Every change the directory sees, for subscriptions. */
  readonly userChanges: UserChangeHub;
}

export type GraphQLContext = YogaInitialContext & RequestContext;
