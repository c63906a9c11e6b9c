/**
 * kysely-ctl (`npm run migrate`, `npx kysely migrate:down`, …) against DATABASE_URL, with the
 * same migrator the service applies at startup: the migrations, then the SQL files in sql/.
 * Config is read through src/config/.
 * (New migrations are written by hand: migrations/<Date.now()>_<intent>.ts.)
 */
import type { Kysely } from 'kysely';
import { defineConfig } from 'kysely-ctl';
import { loadConfig } from './src/config/config.ts';
import { connectDatabase } from './src/db/connect.ts';
import { createMigrator } from './src/db/migrate.ts';

export default defineConfig({
  kysely: () => {
    const { database } = loadConfig();
    if (database.url === undefined) {
      throw new Error('Set DATABASE_URL: the embedded demo database migrates itself when the service starts.');
    }
    return connectDatabase({ url: database.url, poolSize: 1 });
  },
  // The service's own migrator: same files, same provider (which skips layout-specific ones), and
  // the SQL files applied after the migrations (removed before a down).
  migrations: {
    migrator: (db: Kysely<any>) =>
      createMigrator(db, {
        onSqlApplied: (files) => {
          for (const file of files) console.log(`[✓] sql/${file}`);
        },
      }),
  },
});
