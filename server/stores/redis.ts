/**
 * The Redis store (`STORE_URL=redis://…` or `rediss://…`): users and
 * revocations in Redis (or Valkey), shared by any number of server processes.
 *
 * Keys, all under a prefix (STORE_PREFIX, default `plainjwt:`):
 *   <prefix>user:<name>     the password hash; created with SET NX (atomic: one of two racing registrations wins)
 *   <prefix>jti:<jti>       a revoked token; expires by itself (PXAT) when the token could no longer be accepted
 *   <prefix>sub:<name>      every token of an account issued up to this second is revoked; expires likewise
 *   <prefix>sid:<id>        a revoked login session (every token carrying that `sid`); expires likewise
 *   <prefix>sess:<id>, <prefix>sessions:<name>   login sessions (redissessions.ts)
 *
 * A request asks one question, `MGET jti-key sid-key sub-key`: one round trip, one
 * atomic read. Changes that read before they write run as Lua scripts, which
 * Redis executes atomically: merging a subject's revocation (never shortening
 * an earlier one) and deleting an account together with that revocation.
 *
 * Redis Cluster: the scripts and MGET touch two keys, which must live in one
 * hash slot. Put the prefix in braces (STORE_PREFIX={plainjwt}:) so that every
 * key hashes alike; cluster redirections (MOVED/ASK) are not followed by this
 * client, so point it at the node that owns that slot, or use one primary.
 */
import { RedisClient } from './redisclient.js';
import type { RedisOptions } from './redisurl.js';
import { ReplyError, type Reply } from './resp.js';
import type { BlocklistStore } from './blocklist.js';
import { redisSessions } from './redissessions.js';
import type { SessionStore } from './sessions.js';
import { StoreUnavailableError, type Store, type UserRecords } from './store.js';

/**
 * merge(key, upTo, untilMs): records "every token issued up to `upTo` (seconds)
 * is revoked", kept until `untilMs` (milliseconds, or "" for good), keeping the
 * later issued-up-to and the later expiry of what is there and what is new:
 * a revocation is never shortened.
 */
const MERGE = `
local function merge(key, upTo, untilMs)
  upTo = tonumber(upTo)
  local current = redis.call('GET', key)
  if current then
    if tonumber(current) > upTo then upTo = tonumber(current) end
    local ttl = redis.call('PTTL', key)
    if ttl == -1 then
      untilMs = ''
    elseif untilMs ~= '' and ttl > 0 then
      local t = redis.call('TIME')
      local existing = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + ttl
      if existing > tonumber(untilMs) then untilMs = string.format('%d', existing) end
    end
  end
  if untilMs == '' then
    redis.call('SET', key, string.format('%d', upTo))
  else
    redis.call('SET', key, string.format('%d', upTo), 'PXAT', untilMs)
  end
end
`;

/** KEYS[1] the subject's key; ARGV[1] issued-up-to, ARGV[2] kept-until. */
const REVOKE_SUBJECT = `${MERGE}
merge(KEYS[1], ARGV[1], ARGV[2])
return 1
`;

/** KEYS[1] the subject's key, KEYS[2] the user's key: the revocation, then the user deleted, as one step; 1 if the user existed. */
const DELETE_ACCOUNT = `${MERGE}
merge(KEYS[1], ARGV[1], ARGV[2])
return redis.call('DEL', KEYS[2])
`;

export interface RedisStoreOptions {
  readonly redis: RedisOptions;
  /** Key prefix, default `plainjwt:`. */
  readonly prefix?: string;
}

export class RedisStore implements Store {
  readonly kind = 'redis';
  readonly shared = true;
  readonly description: string;
  readonly users: UserRecords;
  readonly blocklist: BlocklistStore;
  readonly sessions: SessionStore;
  readonly #client: RedisClient;
  readonly #prefix: string;

  constructor(options: RedisStoreOptions) {
    const { host, port, tls, db } = options.redis;
    this.#client = new RedisClient(options.redis);
    this.#prefix = options.prefix ?? 'plainjwt:';
    this.description = `the Redis store at ${tls ? 'rediss' : 'redis'}://${host}:${port}/${db} (keys under ${this.#prefix}): shared by every server process that uses it`;
    this.users = {
      create: async (name, hash) => (await this.#run('SET', this.#key('user', name), hash, 'NX')) === 'OK',
      hash: async (name) => text(await this.#run('GET', this.#key('user', name))),
      delete: async (name) => (await this.#run('DEL', this.#key('user', name))) === 1,
    };
    this.blocklist = {
      add: async (jti, until) => {
        const key = this.#key('jti', jti);
        await (until === undefined ? this.#run('SET', key, '1') : this.#run('SET', key, '1', 'PXAT', millis(until)));
      },
      has: async (jti) => (await this.#run('EXISTS', this.#key('jti', jti))) === 1,
      revokeSubject: async (subject, upTo, until) => {
        await this.#run('EVAL', REVOKE_SUBJECT, 1, this.#key('sub', subject), Math.floor(upTo), until === undefined ? '' : millis(until));
      },
      subjectRevokedUpTo: async (subject) => {
        const value = text(await this.#run('GET', this.#key('sub', subject)));
        return value === undefined ? undefined : Number(value);
      },
      revokeSession: async (sid, until) => {
        const key = this.#key('sid', sid);
        await (until === undefined ? this.#run('SET', key, '1') : this.#run('SET', key, '1', 'PXAT', millis(until)));
      },
      isRevoked: (jti, subject, iat, sid) => this.#isRevoked(jti, subject, iat, sid),
    };
    this.sessions = redisSessions((...args) => this.#run(...args), this.#prefix);
  }

  /** One MGET: the token's jti, its session and its subject. */
  async #isRevoked(jti: unknown, subject: unknown, iat: unknown, sid: unknown): Promise<boolean> {
    const keys = [
      ...(typeof jti === 'string' ? [this.#key('jti', jti)] : []),
      ...(typeof sid === 'string' ? [this.#key('sid', sid)] : []),
    ];
    const hasSubject = typeof subject === 'string';
    if (hasSubject) keys.push(this.#key('sub', subject));
    if (keys.length === 0) return false;
    const reply = await this.#run('MGET', ...keys);
    if (!Array.isArray(reply) || reply.length !== keys.length) throw new StoreUnavailableError('Redis answered MGET with something else than a list');
    const upTo = hasSubject ? reply.pop() : null;
    if (reply.some((value) => value !== null)) return true;
    if (upTo === null || upTo === undefined) return false;
    // A token without a numeric iat cannot show it came after the revocation.
    return typeof iat !== 'number' || iat <= Number(upTo);
  }

  async deleteAccount(username: string, issuedUpTo: number, until: number | undefined): Promise<boolean> {
    const reply = await this.#run('EVAL', DELETE_ACCOUNT, 2, this.#key('sub', username), this.#key('user', username), Math.floor(issuedUpTo), until === undefined ? '' : millis(until));
    return reply === 1;
  }

  async ping(): Promise<void> {
    const reply = await this.#run('PING');
    if (reply !== 'PONG') throw new StoreUnavailableError(`Redis answered PING with ${JSON.stringify(reply)}`);
  }

  close(): Promise<void> {
    return this.#client.close();
  }

  #key(kind: 'user' | 'jti' | 'sub' | 'sid', name: string): string {
    return `${this.#prefix}${kind}:${name}`;
  }

  /** A command; any refusal by Redis (out of memory, read-only replica, …) is the store being unavailable. */
  async #run(...args: (string | number)[]): Promise<Reply> {
    try {
      return await this.#client.command(...args);
    } catch (error) {
      if (error instanceof ReplyError) throw new StoreUnavailableError(`Redis refused ${String(args[0])}: ${error.message}`, { cause: error });
      throw error;
    }
  }
}

function text(reply: Reply): string | undefined {
  if (reply === null) return undefined;
  if (typeof reply !== 'string') throw new StoreUnavailableError('Redis answered GET with something else than a string');
  return reply;
}

/** A NumericDate (seconds) as a PXAT value (whole milliseconds, rounded up so a key never expires early). */
function millis(seconds: number): number {
  return Math.ceil(seconds * 1000);
}
