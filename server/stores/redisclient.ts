/**
 * A small Redis client on node:net / node:tls: RESP (resp.ts), pipelining (the commands of one
 * turn of the event loop leave in one write), a timeout on every command, AUTH and SELECT on
 * every connection, and reconnection with backoff. Written for the store (redis.ts), not as a
 * general client: commands are arrays of strings, replies RESP values.
 *
 * Failure is fast and bounded. A command that cannot be answered (no connection, a timeout, the
 * connection dropped with the command in flight) rejects with StoreUnavailableError within
 * `timeoutMs`; while Redis is known to be down (a connection attempt failed less than the backoff
 * ago), commands are refused at once instead of waiting. The next attempt is made after 100 ms,
 * 200 ms, … up to 2 s; the first success resets it.
 */
import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { encodeCommand, ReplyError, ReplyParser, type Reply } from './resp.js';
import type { RedisOptions } from './redisurl.js';
import { StoreUnavailableError } from './store.js';

interface Waiting {
  readonly command: Buffer;
  readonly resolve: (reply: Reply) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 2000;

export class RedisClient {
  readonly #options: RedisOptions;
  readonly #where: string;
  #socket: Socket | undefined;
  #ready = false;
  #connecting = false;
  #closed = false;
  /** Sent, waiting for their replies, in order. */
  #inFlight: Waiting[] = [];
  /** Not yet sent: waiting for a connection. */
  #queued: Waiting[] = [];
  #backoffMs = FIRST_BACKOFF_MS;
  #downUntil = 0;
  #lastError = '';

  constructor(options: RedisOptions) {
    this.#options = options;
    this.#where = `Redis at ${options.tls ? 'rediss' : 'redis'}://${options.host}:${options.port}`;
  }

  /** Sends one command; resolves with its reply, rejects with ReplyError (Redis said no) or StoreUnavailableError. */
  command(...args: (string | number)[]): Promise<Reply> {
    if (this.#closed) return Promise.reject(new StoreUnavailableError(`${this.#where}: the client is closed`));
    if (!this.#ready && !this.#connecting && Date.now() < this.#downUntil) {
      return Promise.reject(new StoreUnavailableError(`${this.#where} is unreachable (${this.#lastError}); retrying`));
    }
    return new Promise<Reply>((resolve, reject) => {
      const entry: Waiting = { command: encodeCommand(args), resolve, reject, timer: setTimeout(() => this.#timedOut(entry), this.#options.timeoutMs) };
      if (this.#ready && this.#socket !== undefined) {
        this.#inFlight.push(entry);
        this.#send(this.#socket, entry.command);
      } else {
        this.#queued.push(entry);
        this.#connect();
      }
    });
  }

  /**
   * Writes a command. The commands of one turn of the event loop (several requests handled
   * together) leave in one system call: corked at the first, uncorked by `setImmediate` once
   * this turn's callbacks have run. Redis answers them together too, in order (pipelining).
   */
  #send(socket: Socket, command: Buffer): void {
    if (socket.writableCorked === 0) {
      socket.cork();
      setImmediate(() => socket.uncork());
    }
    socket.write(command);
  }

  /** A command that took too long: refused, and if it was sent, the connection is suspect and replaced. */
  #timedOut(entry: Waiting): void {
    const error = new StoreUnavailableError(`${this.#where} did not answer within ${this.#options.timeoutMs} ms`);
    const queued = this.#queued.indexOf(entry);
    if (queued !== -1) {
      this.#queued.splice(queued, 1);
      entry.reject(error);
      return;
    }
    if (this.#inFlight.includes(entry)) this.#drop(error.message);
  }

  #connect(): void {
    // Callers never come here within a backoff: `command` refuses at once then, and a dropped
    // live connection leaves no backoff behind. The next command after it is the next attempt.
    if (this.#connecting || this.#ready || this.#closed) return;
    this.#connecting = true;
    const { host, port, tls, timeoutMs } = this.#options;
    // TLS checks the certificate against the host name (or IP address); SNI carries names only (RFC 6066 §3).
    const socket = tls ? connectTls({ host, port, ...(isIP(host) === 0 ? { servername: host } : {}) }) : connectTcp({ host, port });
    this.#socket = socket;
    const parser = new ReplyParser();
    const giveUp = setTimeout(() => socket.destroy(new Error(`no connection within ${timeoutMs} ms`)), timeoutMs);
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 10_000);
    socket.once(tls ? 'secureConnect' : 'connect', () => {
      clearTimeout(giveUp);
      this.#handshake(socket).then(
        () => this.#opened(socket),
        (error: Error) => socket.destroy(error),
      );
    });
    socket.on('data', (chunk: Buffer) => {
      let replies: Reply[];
      try {
        replies = parser.push(chunk);
      } catch (error) {
        socket.destroy(error as Error);
        return;
      }
      for (const reply of replies) {
        const entry = this.#inFlight.shift();
        if (entry === undefined) {
          socket.destroy(new Error('a reply to no command'));
          return;
        }
        clearTimeout(entry.timer);
        if (reply instanceof ReplyError) entry.reject(reply);
        else entry.resolve(reply);
      }
    });
    socket.on('error', (error) => {
      this.#lastError = error.message;
    });
    socket.on('close', () => {
      clearTimeout(giveUp);
      if (this.#socket === socket) this.#closedSocket();
    });
  }

  /** AUTH and SELECT, before anything else goes out on a new connection. */
  async #handshake(socket: Socket): Promise<void> {
    const { username, password, db } = this.#options;
    const steps: (string | number)[][] = [];
    if (password !== undefined) steps.push(username === undefined ? ['AUTH', password] : ['AUTH', username, password]);
    if (db !== 0) steps.push(['SELECT', db]);
    for (const step of steps) {
      const reply = await new Promise<Reply>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${String(step[0])} got no answer`)), this.#options.timeoutMs);
        this.#inFlight.push({ command: encodeCommand(step), resolve, reject, timer });
        socket.write(encodeCommand(step));
      }).catch((error: Error) => {
        throw new Error(`${String(step[0])} refused: ${error.message}`);
      });
      if (reply instanceof ReplyError) throw new Error(`${String(step[0])} refused: ${reply.message}`);
    }
  }

  #opened(socket: Socket): void {
    if (this.#socket !== socket) return;
    this.#connecting = false;
    this.#ready = true;
    this.#backoffMs = FIRST_BACKOFF_MS;
    this.#downUntil = 0;
    for (const entry of this.#queued.splice(0)) {
      this.#inFlight.push(entry);
      this.#send(socket, entry.command);
    }
  }

  /** The connection is gone: everything in flight fails, queued commands wait for the next attempt. */
  #closedSocket(): void {
    this.#socket = undefined;
    const wasReady = this.#ready;
    this.#ready = false;
    this.#connecting = false;
    const error = new StoreUnavailableError(`${this.#where}: connection lost${this.#lastError === '' ? '' : ` (${this.#lastError})`}`);
    for (const entry of this.#inFlight.splice(0)) {
      clearTimeout(entry.timer);
      entry.reject(error);
    }
    if (this.#closed) return;
    if (!wasReady) {
      // The attempt failed: back off before the next one, and refuse commands meanwhile.
      this.#downUntil = Date.now() + this.#backoffMs;
      this.#backoffMs = Math.min(this.#backoffMs * 2, MAX_BACKOFF_MS);
      for (const entry of this.#queued.splice(0)) {
        clearTimeout(entry.timer);
        entry.reject(new StoreUnavailableError(`${this.#where} is unreachable (${this.#lastError})`));
      }
      return;
    }
    if (this.#queued.length > 0) this.#connect();
  }

  /** Drops the connection (a timeout or a protocol error): in-flight commands fail, the next command reconnects. */
  #drop(reason: string): void {
    this.#lastError = reason;
    this.#socket?.destroy();
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const entry of this.#queued.splice(0)) {
      clearTimeout(entry.timer);
      entry.reject(new StoreUnavailableError(`${this.#where}: the client is closed`));
    }
    const socket = this.#socket;
    if (socket === undefined) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      if (this.#ready) socket.end(encodeCommand(['QUIT']));
      else socket.destroy();
      setTimeout(() => socket.destroy(), 500).unref();
    });
  }
}
