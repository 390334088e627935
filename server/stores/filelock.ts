/**
 * One process per file store: a lock file holding the owner's pid. A second
 * process is refused while that pid is alive; a lock left by a process that
 * was killed (its pid gone) is taken over.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StoreSetupError } from './store.js';

const LOCK = 'store.lock';

export function lock(directory: string): void {
  const path = join(directory, LOCK);
  try {
    writeFileSync(path, String(process.pid), { flag: 'wx', mode: 0o600 });
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new StoreSetupError(`cannot lock the file store in ${directory}: ${(error as Error).message}`);
  }
  const owner = Number(readFileSync(path, 'utf8').trim());
  if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
    throw new StoreSetupError(
      `the file store in ${directory} is in use by process ${owner}: one process per file store. ` +
        'To run several server processes, share a Redis instead: STORE_URL=redis://host:6379',
    );
  }
  writeFileSync(path, String(process.pid), { mode: 0o600 }); // left by a process that is gone: take it over
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true; // this process has it open already
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

export function unlock(directory: string): void {
  rmSync(join(directory, LOCK), { force: true });
}
