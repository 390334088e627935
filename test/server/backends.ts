/**
 * The three stores, as the behaviour suites run them: memory, file (a fresh
 * directory each) and Redis (one real redis-server per test file, a fresh key
 * prefix each). Call `storeBackends()` at the top of a test file: it registers
 * the file's before/after hooks. Declarations only: Node runs every file under
 * dist/test/ as a test file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { FileStore } from '../../server/stores/file.js';
import { MemoryStore } from '../../server/stores/memory.js';
import { RedisStore } from '../../server/stores/redis.js';
import { parseRedisUrl } from '../../server/stores/redisurl.js';
import type { Store } from '../../server/stores/store.js';
import { redisMissing, startRedis, type RedisServer } from './redis.js';

export interface Backend {
  readonly name: 'memory' | 'file' | 'redis';
  /** Why this store's tests are skipped (redis-server missing), if they are. */
  readonly skip?: string;
  open(): Promise<Store>;
}

export function storeBackends(): Backend[] {
  const redisSkip = redisMissing();
  let redis: RedisServer | undefined;
  const dirs: string[] = [];
  let prefixes = 0;
  before(async () => {
    if (redisSkip === undefined) redis = await startRedis();
  });
  after(async () => {
    await redis?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  return [
    { name: 'memory', open: () => Promise.resolve(new MemoryStore()) },
    {
      name: 'file',
      open: () => {
        const dir = mkdtempSync(join(tmpdir(), 'plainjwt-store-'));
        dirs.push(dir);
        return FileStore.open(dir);
      },
    },
    {
      name: 'redis',
      ...(redisSkip === undefined ? {} : { skip: redisSkip }),
      open: () => Promise.resolve(new RedisStore({ redis: parseRedisUrl(redis?.url ?? '', 2000), prefix: `test${++prefixes}:` })),
    },
  ];
}
