/**
 * An append-only log of JSON records, durable before it answers: the file
 * store's disk (file.ts). The records' format, and how a torn or damaged one
 * is told apart when reading back, are in logrecords.ts.
 *
 * A write is acknowledged only after `fdatasync` has returned, so an answered
 * request survives a crash or a power cut. Records that arrive while a sync is running are written together by the
 * next one (group commit): many requests share one sync.
 *
 * `compact` replaces the log with a snapshot (written to a temporary file,
 * synced, then renamed over the log, which is atomic), so that records that no
 * longer matter (expired revocations, deleted users) do not pile up.
 *
 * One process at a time: see filelock.ts.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { lock, unlock } from './filelock.js';
import { frame, readRecords, type LogRecord } from './logrecords.js';
import { StoreSetupError, StoreUnavailableError } from './store.js';

interface Pending {
  readonly text: string;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

export interface OpenedLog {
  readonly log: AppendLog;
  /** Every record, in order. */
  readonly records: LogRecord[];
  /** What happened on the way, for the operator (a dropped torn record). */
  readonly warnings: string[];
}

const LOG = 'store.log';

/** Opens (or creates) the log in `directory`, owner-only, locked for this process, and reads it back. */
export async function openLog(directory: string): Promise<OpenedLog> {
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new StoreSetupError(`cannot create the store directory ${directory}: ${(error as Error).message}`);
  }
  lock(directory);
  try {
    const path = join(directory, LOG);
    rmSync(`${path}.tmp`, { force: true }); // a compaction that did not finish: the log itself is intact
    const warnings: string[] = [];
    const records = readRecords(path, warnings);
    const handle = await open(path, 'a', 0o600);
    return { log: new AppendLog(directory, handle, records.length), records, warnings };
  } catch (error) {
    unlock(directory);
    throw error;
  }
}

export class AppendLog {
  readonly #directory: string;
  #handle: FileHandle;
  #pending: Pending[] = [];
  #flushing: Promise<void> | undefined;
  /** Set by a failed write: the disk no longer holds what memory says, so nothing more is acknowledged. */
  #broken: Error | undefined;
  #closed = false;
  /** Records in the file, or on their way there (for deciding when to compact). */
  #count: number;

  constructor(directory: string, handle: FileHandle, count: number) {
    this.#directory = directory;
    this.#handle = handle;
    this.#count = count;
  }

  get count(): number {
    return this.#count;
  }

  /** Resolves once the record is on disk; rejects with StoreUnavailableError if it cannot be. */
  append(record: LogRecord): Promise<void> {
    if (this.#broken !== undefined || this.#closed) return Promise.reject(this.#unavailable());
    this.#count++;
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ text: frame(record), resolve, reject });
      this.#flushing ??= this.#flush();
    });
  }

  async #flush(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#pending;
      this.#pending = [];
      try {
        await this.#handle.write(batch.map((item) => item.text).join(''));
        await this.#handle.datasync();
        for (const item of batch) item.resolve();
      } catch (error) {
        this.#broken = error as Error;
        for (const item of [...batch, ...this.#pending]) item.reject(this.#unavailable());
        this.#pending = [];
      }
    }
    this.#flushing = undefined;
  }

  #unavailable(): StoreUnavailableError {
    const why = this.#broken === undefined ? 'it is closed' : `a write failed (${this.#broken.message}); restart the server once the disk is fixed`;
    return new StoreUnavailableError(`the file store in ${this.#directory} cannot record changes: ${why}`, { cause: this.#broken });
  }

  /** Throws when a write has failed (GET /health). */
  check(): void {
    if (this.#broken !== undefined || this.#closed) throw this.#unavailable();
  }

  /**
   * Replaces the log with `records` (a snapshot of the live state): written
   * to store.log.tmp, synced, renamed over store.log, the directory synced.
   * Waits for writes in progress; the caller takes the snapshot after that.
   */
  async compact(snapshot: () => LogRecord[]): Promise<void> {
    while (this.#flushing !== undefined) await this.#flushing;
    if (this.#broken !== undefined || this.#closed) return;
    // Holding #flushing keeps appends waiting in #pending until the new log is open.
    const rewrite = this.#rewrite(snapshot());
    this.#flushing = rewrite.catch((error: unknown) => {
      this.#broken = error as Error;
    });
    await this.#flushing;
    this.#flushing = undefined;
    if (this.#pending.length > 0) {
      if (this.#broken === undefined) this.#flushing = this.#flush();
      else for (const item of this.#pending.splice(0)) item.reject(this.#unavailable());
    }
  }

  async #rewrite(records: LogRecord[]): Promise<void> {
    const path = join(this.#directory, LOG);
    const fd = openSync(`${path}.tmp`, 'w', 0o600);
    try {
      writeSync(fd, records.map(frame).join(''));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(`${path}.tmp`, path);
    syncDirectory(this.#directory);
    await this.#handle.close();
    this.#handle = await open(path, 'a', 0o600);
    this.#count = records.length + this.#pending.length;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    while (this.#flushing !== undefined) await this.#flushing;
    this.#closed = true;
    await this.#handle.close();
    unlock(this.#directory);
  }

  /** The log's size in bytes (for tests and the start-up message). */
  size(): number {
    return statSync(join(this.#directory, LOG)).size;
  }
}

/** Makes a rename durable: the directory entry itself is synced. */
function syncDirectory(directory: string): void {
  const fd = openSync(directory, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
