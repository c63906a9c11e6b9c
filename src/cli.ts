#!/usr/bin/env -S node --max-semi-space-size=64
/**
 * The `usergraph` command (package.json `bin`): serve, migrate, check, print-schema.
 * Node runs it directly (`npm start` and the container too): signals reach the server itself.
 */
import { loadConfig } from './config/config.ts';

const HELP = `usergraph: your SuperTokens users over GraphQL, served from memory

Usage: usergraph <command>

Commands:
  serve          run the service (configured by environment variables; see README)
  migrate        apply usergraph's migrations and SQL files to DATABASE_URL, then exit
  check          connect to DATABASE_URL and say what is there: SuperTokens' layout, the app and
                 its users, migrations, change triggers, LISTEN, privileges; exits 0 only when all is well
  print-schema   print the GraphQL schema (SDL, with its directives) to stdout
  help           this text (also --help, -h)

Without DATABASE_URL, serve starts an embedded PostgreSQL with demo users.
`;

async function run(command: string | undefined): Promise<number> {
  switch (command) {
    case 'serve': {
      const { main } = await import('./main.ts');
      await main();
      return -1; // keeps running until a signal
    }
    case 'migrate': {
      const config = loadConfig();
      if (config.database.url === undefined) {
        console.error('Set DATABASE_URL: the embedded demo database migrates itself when the service starts.');
        return 2;
      }
      const [{ connectDatabase }, { migrateToLatest }] = await Promise.all([import('./db/connect.ts'), import('./db/migrate.ts')]);
      const db = connectDatabase({ url: config.database.url, poolSize: 1 });
      try {
        const applied = await migrateToLatest(db);
        console.log(applied.length === 0 ? 'Nothing to apply: the schema is up to date.' : applied.map((name) => `applied ${name}`).join('\n'));
        return 0;
      } finally {
        await db.destroy();
      }
    }
    case 'check': {
      const { check } = await import('./cli/check.ts');
      return (await check(loadConfig(), (line) => console.log(line))) ? 0 : 1;
    }
    case 'print-schema': {
      const [{ schema }, { printSchemaSDL }] = await Promise.all([import('./schema/index.ts'), import('./schema/print.ts')]);
      process.stdout.write(printSchemaSDL(schema));
      return 0;
    }
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP);
      return 0;
    default:
      process.stderr.write(`${command === undefined ? 'No command given.' : `Unknown command "${command}".`}\n\n${HELP}`);
      return 2;
  }
}

run(process.argv[2]).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`usergraph ${process.argv[2] ?? ''} failed:`, error);
    process.exit(1);
  },
);
