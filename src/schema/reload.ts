/** The reloadUsers mutation: rebuild the directory from the database, admins only. */
import { builder } from './builder.ts';
import type { ReloadResult } from '../directory/user-directory.ts';
import { ReloadFailedError } from './errors.ts';
import { adminOnly } from './rules.ts';

const ReloadResultType = builder.objectRef<ReloadResult>('ReloadResult').implement({
  fields: (t) => ({
    count: t.exposeInt('count', { description: 'Users in the directory after the reload.' }),
    durationMs: t.exposeFloat('durationMs'),
    loadedAt: t.field({ type: 'DateTime', resolve: (result) => result.loadedAt }),
  }),
});

builder.mutationField('reloadUsers', (t) =>
  t.field({
    type: ReloadResultType,
    description: 'Reloads every user from the database and swaps the directory atomically.',
    ...adminOnly,
    resolve: async (_root, _args, { reloadUsers }) => {
      try {
        return await reloadUsers();
      } catch {
        throw new ReloadFailedError();
      }
    },
  }),
);
