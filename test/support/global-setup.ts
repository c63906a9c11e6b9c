/**
 * Once per test run: find a PostgreSQL server (TEST_DATABASE_URL, or an embedded one on a free
 * port), and build a template database holding SuperTokens' tables and our migrations. Each
 * test file then clones the template into a database of its own.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type RunningPostgres } from '../../src/db/embedded-postgres.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { createSuperTokensTables } from '../../src/db/supertokens.ts';
import { createLogger } from '../../src/logger.ts';
import { adminQuery, databaseUrl, openDatabase } from './postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Any database on the test server, for CREATE/DROP DATABASE. */
    serverUrl: string;
    /** A database with SuperTokens' tables and every migration applied. */
    templateDatabase: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let embedded: RunningPostgres | undefined;
  let embeddedDir: string | undefined;
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    embeddedDir = await mkdtemp(path.join(os.tmpdir(), 'usergraph-test-pg-'));
    await chmod(embeddedDir, 0o755); // as root, the cluster runs as the postgres user
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(embeddedDir, 'data'),
      port: 0,
      persistent: false,
      logger: createLogger('warn'),
    });
    serverUrl = embedded.url;
  }

  const templateDatabase = `usergraph_template_${process.pid}`;
  await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${templateDatabase} WITH (FORCE)`);
  await adminQuery(serverUrl, `CREATE DATABASE ${templateDatabase}`);
  const db = openDatabase(databaseUrl(serverUrl, templateDatabase));
  try {
    await createSuperTokensTables(db);
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${templateDatabase} WITH (FORCE)`);
    await embedded?.stop();
    throw error;
  }
  await db.destroy();

  project.provide('serverUrl', serverUrl);
  project.provide('templateDatabase', templateDatabase);

  return async () => {
    await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${templateDatabase} WITH (FORCE)`);
    await embedded?.stop();
    if (embeddedDir) await rm(embeddedDir, { recursive: true, force: true });
  };
}
