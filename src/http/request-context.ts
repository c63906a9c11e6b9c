/**
 * What every GraphQL request runs with (`RequestContext`): the caller, what they may do, and the
 * request's own loaders over the directory as it is now. yoga and the fast lane build it alike.
 */
import { createAccess } from '../auth/access.ts';
import { createCallerIdentifier, type Caller, type CallerIdentifier } from '../auth/caller.ts';
import { CredentialsRejected } from '../auth/credentials-rejected.ts';
import type { AuthConfig } from '../config/config.ts';
import { createLoaders, type MissingUserFetcher } from '../directory/loaders.ts';
import type { UserChangeHub } from '../directory/user-change-hub.ts';
import type { ReloadResult, UserDirectory } from '../directory/user-directory.ts';
import type { UserSnapshot } from '../directory/user-snapshot.ts';
import type { Logger } from '../logger.ts';
import type { RequestContext } from '../schema/context.ts';
import { InvalidCredentialsError } from '../schema/errors.ts';

export interface RequestContextDependencies {
  readonly auth: AuthConfig;
  /** The embedded demo's admin key, accepted like ADMIN_API_KEY when that is unset. */
  readonly demoAdminKey?: string | undefined;
  readonly directory: UserDirectory;
  /** The database fallback for directory misses. */
  readonly fetchMissing: MissingUserFetcher;
  readonly logger: Logger;
  readonly reloadUsers: () => Promise<ReloadResult>;
  readonly userChanges: UserChangeHub;
}

export interface RequestContexts {
  /** Who is calling; throws or rejects with `CredentialsRejected` (not logged: see `authenticate`). */
  readonly identifyCaller: CallerIdentifier;
  /** Refused credentials become the response's 401, and one log line. */
  authenticate(authorization: string | null): Promise<Caller>;
  /** `snapshot`: read this one rather than the directory's current one (an export reads one throughout). */
  contextFor(caller: Caller, snapshot?: UserSnapshot): RequestContext;
}

export function createRequestContexts(deps: RequestContextDependencies): RequestContexts {
  const { auth, directory, fetchMissing, logger, userChanges } = deps;
  const identifyCaller = createCallerIdentifier(auth, deps.demoAdminKey);

  const reloadUsers = async () => {
    try {
      return await deps.reloadUsers();
    } catch (error) {
      logger.error({ err: error }, 'reload failed; keeping the previous directory');
      throw error;
    }
  };

  return {
    identifyCaller,
    async authenticate(authorization) {
      try {
        return await identifyCaller(authorization);
      } catch (error) {
        if (!(error instanceof CredentialsRejected)) throw error;
        logger.info({ reason: error.reason }, 'credentials refused');
        throw new InvalidCredentialsError(error.reason);
      }
    },
    contextFor(caller, snapshot) {
      const loaders = createLoaders(directory, fetchMissing, snapshot);
      const access = createAccess(caller, { adminRole: auth.adminRole, userById: loaders.userById });
      return { caller, access, loaders, reloadUsers, userChanges };
    },
  };
}
