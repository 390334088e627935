/**
 * Where Redis is and how to log in: `redis://[user:password@]host[:port][/db]`,
 * or `rediss://…` for TLS (the IANA-registered schemes), percent-decoded.
 */
import { StoreSetupError } from './store.js';

export interface RedisOptions {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly username?: string;
  readonly password?: string;
  readonly db: number;
  /** Longest wait for any one command, connecting included. */
  readonly timeoutMs: number;
}

/** `redis://[user:password@]host[:port][/db]`, or `rediss://…` for TLS. Throws StoreSetupError when malformed. */
export function parseRedisUrl(text: string, timeoutMs: number): RedisOptions {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new StoreSetupError(`STORE_URL ${JSON.stringify(text)} is not a URL; expected redis://[user:password@]host[:port][/db]`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new StoreSetupError(`STORE_URL: ${url.protocol} is not redis: or rediss:`);
  if (url.hostname === '') throw new StoreSetupError('STORE_URL: the Redis URL has no host');
  const path = url.pathname.replace(/^\//, '');
  if (!/^\d{0,5}$/.test(path)) throw new StoreSetupError(`STORE_URL: the database must be a number (redis://host:6379/0), got ${JSON.stringify(path)}`);
  if (url.search !== '' || url.hash !== '') throw new StoreSetupError('STORE_URL: the Redis URL takes no query or fragment');
  const username = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? 6379 : Number(url.port),
    tls: url.protocol === 'rediss:',
    ...(username === '' ? {} : { username }),
    ...(password === '' ? {} : { password }),
    db: path === '' ? 0 : Number(path),
    timeoutMs,
  };
}
