/**
 * STORE_URL → a store:
 *   file:<directory>   the default (file:data): durable, one process (file.ts)
 *   memory:            nothing survives a restart (memory.ts)
 *   redis://[user:password@]host[:port][/db], rediss://… (TLS): shared (redis.ts)
 */
import { fileURLToPath } from 'node:url';
import { FileStore } from './file.js';
import { MemoryStore } from './memory.js';
import { RedisStore } from './redis.js';
import { parseRedisUrl } from './redisurl.js';
import { StoreSetupError, type Store } from './store.js';

export interface OpenStoreOptions {
  readonly now?: () => number;
  /** Redis: key prefix. */
  readonly prefix?: string;
  /** Redis: longest wait for one command, in milliseconds. */
  readonly timeoutMs?: number;
  /** File store: where a dropped torn record is reported. */
  readonly warn?: (message: string) => void;
}

export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const now = options.now ?? (() => Date.now() / 1000);
  if (url === 'memory:') return new MemoryStore(now);
  if (url.startsWith('file:')) {
    const directory = url.startsWith('file://') ? fileURLToPath(url) : url.slice('file:'.length);
    if (directory === '') throw new StoreSetupError('STORE_URL file: needs a directory, as in file:data or file:/var/lib/plainjwt');
    return FileStore.open(directory, { now, ...(options.warn === undefined ? {} : { warn: options.warn }) });
  }
  if (url.startsWith('redis://') || url.startsWith('rediss://')) {
    return new RedisStore({ redis: parseRedisUrl(url, options.timeoutMs ?? 2000), ...(options.prefix === undefined ? {} : { prefix: options.prefix }) });
  }
  throw new StoreSetupError(`STORE_URL ${JSON.stringify(url)} names no store: use file:<directory>, memory:, redis://host:6379 or rediss://host:6380`);
}
