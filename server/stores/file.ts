/**
 * The file store (`STORE_URL=file:<dir>`, the default): the memory store's
 * Maps, with every change written to an append-only log (filelog.ts) and
 * synced to disk before the request that made it is answered. At start the log
 * is replayed; from time to time it is compacted to a snapshot of what still
 * matters. For one process: a second one opening the same directory is refused.
 *
 * Each change is applied to memory and handed to the log in the same
 * synchronous step, so the log's order is the order in which changes happened,
 * and a snapshot never misses or repeats one.
 */
import { MemoryBlocklist, type BlocklistStore } from './blocklist.js';
import { openLog, type AppendLog } from './filelog.js';
import type { LogRecord } from './logrecords.js';
import { MemoryUserRecords } from './memory.js';
import type { Change } from './filechanges.js';
import { fileSessions } from './filesessions.js';
import { MemorySessionStore, type SessionStore } from './sessions.js';
import { StoreSetupError, type Store, type UserRecords } from './store.js';

/** While running: look every this many writes, and compact when the log holds this many more records than the live state. */
const COMPACT_SLACK = 1000;

export interface FileStoreOptions {
  readonly now?: () => number;
  /** Warnings found while reading the log back (a dropped torn record). Default: stderr. */
  readonly warn?: (message: string) => void;
}

export class FileStore implements Store {
  readonly kind = 'file';
  readonly shared = false;
  readonly description: string;
  readonly users: UserRecords;
  readonly blocklist: BlocklistStore;
  readonly sessions: SessionStore;
  readonly #memoryUsers = new MemoryUserRecords();
  readonly #memoryBlocklist: MemoryBlocklist;
  readonly #memorySessions: MemorySessionStore;
  readonly #log: AppendLog;
  #compacting: Promise<void> | undefined;
  #writesSinceLook = 0;

  private constructor(directory: string, log: AppendLog, now: () => number) {
    this.description = `the file store in ${directory}: users and revocations survive restarts (one process; for several, use Redis)`;
    this.#log = log;
    this.#memoryBlocklist = new MemoryBlocklist(now);
    this.#memorySessions = new MemorySessionStore((sid, until) => void this.#memoryBlocklist.revokeSession(sid, until), now);
    this.users = this.#userRecords();
    this.blocklist = this.#blocklistStore();
    this.sessions = fileSessions(this.#memorySessions, (change) => this.#record(change), (read) => this.#whenWritable(read));
  }

  /** Opens the store in `directory`: locks it, replays the log, compacts it if worthwhile. */
  static async open(directory: string, options: FileStoreOptions = {}): Promise<FileStore> {
    const { log, records, warnings } = await openLog(directory);
    const store = new FileStore(directory, log, options.now ?? (() => Date.now() / 1000));
    const warn = options.warn ?? ((message: string) => process.stderr.write(`plainjwt: ${message}\n`));
    for (const message of warnings) warn(message);
    try {
      records.forEach((record, index) => store.#replay(record, index + 1, directory));
      await store.#compactIfWorthwhile(0);
    } catch (error) {
      await log.close();
      throw error;
    }
    return store;
  }

  #replay(record: LogRecord, line: number, directory: string): void {
    const change = record as Change;
    const users = this.#memoryUsers;
    const blocklist = this.#memoryBlocklist;
    switch (change.op) {
      case 'user':
        users.deleteNow(change.name);
        users.createNow(change.name, change.hash);
        return;
      case 'unuser':
        users.deleteNow(change.name);
        return;
      case 'token':
        void blocklist.add(change.jti, change.until ?? undefined);
        return;
      case 'subject':
        void blocklist.revokeSubject(change.subject, change.upTo, change.until ?? undefined);
        return;
      case 'session':
        this.#memorySessions.put(change.session);
        return;
      case 'unsession':
        this.#memorySessions.remove(change.id);
        return;
      case 'sid':
        void blocklist.revokeSession(change.sid, change.until ?? undefined);
        return;
      default:
        throw new StoreSetupError(`${directory}/store.log line ${line} holds a record this server does not know (${JSON.stringify(record).slice(0, 80)}): written by a newer version?`);
    }
  }

  /** Memory changed now, the record on disk before the promise resolves. */
  #record(change: Change): Promise<void> {
    const written = this.#log.append(change);
    if (++this.#writesSinceLook >= COMPACT_SLACK) {
      this.#writesSinceLook = 0;
      void this.#compactIfWorthwhile(COMPACT_SLACK).catch(() => undefined); // a failed compaction marks the log broken: later writes say so
    }
    return written;
  }

  #userRecords(): UserRecords {
    const memory = this.#memoryUsers;
    return {
      create: async (name, hash) => {
        if (!memory.createNow(name, hash)) return false;
        try {
          await this.#record({ op: 'user', name, hash });
        } catch (error) {
          memory.deleteNow(name); // not on disk: not created
          throw error;
        }
        return true;
      },
      hash: (name) => this.#readNow(() => memory.hash(name)),
      delete: async (name) => {
        if (!memory.deleteNow(name)) return false;
        await this.#record({ op: 'unuser', name });
        return true;
      },
    };
  }

  #blocklistStore(): BlocklistStore {
    const memory = this.#memoryBlocklist;
    return {
      add: (jti, until) => {
        void memory.add(jti, until);
        return this.#record({ op: 'token', jti, until: until ?? null });
      },
      has: (jti) => memory.has(jti),
      revokeSubject: (subject, upTo, until) => {
        void memory.revokeSubject(subject, upTo, until);
        return this.#record({ op: 'subject', subject, upTo, until: until ?? null });
      },
      subjectRevokedUpTo: (subject) => memory.subjectRevokedUpTo(subject),
      revokeSession: (sid, until) => {
        void memory.revokeSession(sid, until);
        return this.#record({ op: 'sid', sid, until: until ?? null });
      },
      // A store whose writes fail may be missing a revocation: fail closed.
      isRevoked: (jti, subject, iat, sid) => this.#readNow(() => memory.isRevoked(jti, subject, iat, sid)),
    };
  }

  /** Answers from memory at once, only while the log still takes writes (else throws StoreUnavailableError). */
  #readNow<T>(read: () => T): T {
    this.#log.check();
    return read();
  }

  /** `#readNow` for the methods that answer with a promise: a refusal is a rejection, never a throw. */
  #whenWritable<T>(read: () => Promise<T>): Promise<T> {
    try {
      return this.#readNow(read);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  async deleteAccount(username: string, issuedUpTo: number, until: number | undefined): Promise<boolean> {
    // Both changes in one synchronous step, then synced together (one group commit).
    void this.#memoryBlocklist.revokeSubject(username, issuedUpTo, until);
    const revoked = this.#record({ op: 'subject', subject: username, upTo: issuedUpTo, until: until ?? null });
    const existed = this.#memoryUsers.deleteNow(username);
    const deleted = existed ? this.#record({ op: 'unuser', name: username }) : Promise.resolve();
    await Promise.all([revoked, deleted]);
    return existed;
  }

  /** Rewrites the log as a snapshot once it holds more than `slack` records beyond the live state. */
  #compactIfWorthwhile(slack: number): Promise<void> {
    if (this.#compacting !== undefined) return this.#compacting;
    this.#memoryBlocklist.sweep(); // expired revocations are not live
    const live = this.#memoryUsers.size + this.#memoryBlocklist.count + this.#memorySessions.all().length;
    if (this.#log.count <= live + slack) return Promise.resolve();
    this.#compacting = this.#log.compact(() => this.#snapshot()).finally(() => {
      this.#compacting = undefined;
    });
    return this.#compacting;
  }

  #snapshot(): Change[] {
    const { tokens, sessions, subjects } = this.#memoryBlocklist.snapshot();
    const never = (until: number): number | null => (until === Number.POSITIVE_INFINITY ? null : until);
    return [
      ...this.#memorySessions.all().map((session): Change => ({ op: 'session', session })),
      ...sessions.map(([sid, until]): Change => ({ op: 'sid', sid, until: never(until) })),
      ...[...this.#memoryUsers.entries()].map(([name, hash]): Change => ({ op: 'user', name, hash })),
      ...tokens.map(([jti, until]): Change => ({ op: 'token', jti, until: never(until) })),
      ...subjects.map(([subject, entry]): Change => ({ op: 'subject', subject, upTo: entry.issuedUpTo, until: never(entry.until) })),
    ];
  }

  ping(): Promise<void> {
    return this.#whenWritable(() => Promise.resolve());
  }

  async close(): Promise<void> {
    while (this.#compacting !== undefined) await this.#compacting;
    await this.#log.close();
  }
}
