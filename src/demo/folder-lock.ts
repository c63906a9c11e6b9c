/**
 * One usergraph per demo folder. The embedded database's folder belongs to the process that
 * started it: a second start beside a running one must neither stop that database (as a server
 * left behind by a dead process would be) nor share it. The owner's pid is kept in a file,
 * created exclusively; a file whose process is gone is a leftover and is taken over.
 */
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

export class FolderInUseError extends Error {
  constructor(
    readonly folder: string,
    readonly pid: number,
  ) {
    super(`${folder} is in use by another usergraph (pid ${pid}); stop it first, or give this one its own EMBEDDED_PG_DIR`);
    this.name = 'FolderInUseError';
  }
}

/** Takes the folder for this process; the returned function gives it back. Throws FolderInUseError. */
export async function lockFolder(folder: string): Promise<() => Promise<void>> {
  await mkdir(folder, { recursive: true });
  const file = path.join(folder, 'usergraph.pid');
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(file, 'wx', 0o644);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return async () => {
        if ((await ownerOf(file)) === process.pid) await rm(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const owner = await ownerOf(file);
      if (owner !== undefined && owner !== process.pid && isAlive(owner)) throw new FolderInUseError(folder, owner);
      await rm(file, { force: true }); // left by a process that is gone: take it over (once; a racer that wins keeps it)
    }
  }
}

async function ownerOf(file: string): Promise<number | undefined> {
  const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
