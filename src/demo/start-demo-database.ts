/**
 * The embedded default, whole: a PostgreSQL of its own (data kept in the demo folder), SuperTokens'
 * tables with the demo users on first start, and the demo admin key. main.ts calls this when no
 * DATABASE_URL is given; nothing else in the service knows the demo exists.
 */
import path from 'node:path';
import { connectDatabase } from '../db/connect.ts';
import type { Logger } from '../logger.ts';
import { readOrCreateDemoAdminKey } from './admin-key.ts';
import { seedDemoIfEmpty } from './demo-users.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { lockFolder } from './folder-lock.ts';

export interface DemoDatabaseOptions {
  /** Folder holding the cluster and the admin key; survives restarts. */
  readonly dataDir: string;
  /** 0: a free port. */
  readonly port: number;
  readonly logger: Logger;
}

export interface DemoDatabase {
  readonly url: string;
  /** Opens reloadUsers and every read; printed at startup so that a first-time user can try it. */
  readonly adminApiKey: string;
  stop(): Promise<void>;
}

export async function startDemoDatabase({ dataDir, port, logger }: DemoDatabaseOptions): Promise<DemoDatabase> {
  // Before anything else: a running usergraph's database is never touched (stopped as a leftover, or shared).
  const unlock = await lockFolder(dataDir);
  let postgres;
  try {
    postgres = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres'), port, persistent: true, logger });
  } catch (error) {
    await unlock();
    throw error;
  }
  const stop = async () => {
    try {
      await postgres.stop();
    } finally {
      await unlock();
    }
  };
  try {
    const db = connectDatabase({ url: postgres.url, poolSize: 1 });
    try {
      await seedDemoIfEmpty(db, logger);
    } finally {
      await db.destroy();
    }
    return { url: postgres.url, adminApiKey: await readOrCreateDemoAdminKey(dataDir), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
