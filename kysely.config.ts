/**
 * kysely-ctl (`npm run migrate`, `npx kysely migrate:down`, …) against DATABASE_URL, with the
 * same migrations the service applies at startup. Config is read through src/config.ts.
 */
import { defineConfig } from 'kysely-ctl';
import { loadConfig } from './src/config.ts';
import { connectDatabase } from './src/db/connect.ts';

export default defineConfig({
  kysely: () => {
    const { database } = loadConfig();
    if (database.url === undefined) {
      throw new Error('Set DATABASE_URL: the embedded demo database migrates itself when the service starts.');
    }
    return connectDatabase({ url: database.url, poolSize: 1 });
  },
  migrations: { migrationFolder: 'migrations' },
});
