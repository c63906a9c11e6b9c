/**
 * Once per test run: find a PostgreSQL server (TEST_DATABASE_URL, or an embedded one on a free
 * port), and build a template database holding SuperTokens' tables and our migrations. Each
 * test file then clones the template into a database of its own.
 */
import type { TestProject } from 'vitest/node';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { createLogger } from '../../src/logger.ts';
import { createSuperTokensTables } from '../../supertokens-standin/writes.ts';
import { adminQuery, databaseUrl, openDatabase, usePostgresServer } from './postgres-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Any database on the test server, for CREATE/DROP DATABASE. */
    serverUrl: string;
    /** A database with SuperTokens' tables and every migration applied. */
    templateDatabase: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await usePostgresServer(process.env.TEST_DATABASE_URL, createLogger('warn'));
  const templateDatabase = `usergraph_template_${process.pid}`;
  const dropTemplate = () => adminQuery(server.url, `DROP DATABASE IF EXISTS ${templateDatabase} WITH (FORCE)`);
  try {
    await dropTemplate();
    await adminQuery(server.url, `CREATE DATABASE ${templateDatabase}`);
    const db = openDatabase(databaseUrl(server.url, templateDatabase));
    try {
      await createSuperTokensTables(db);
      await migrateToLatest(db);
    } finally {
      await db.destroy();
    }
  } catch (error) {
    await dropTemplate().catch(() => {});
    await server.stop();
    throw error;
  }

  project.provide('serverUrl', server.url);
  project.provide('templateDatabase', templateDatabase);

  return async () => {
    await dropTemplate();
    await server.stop();
  };
}
