/**
 * The Redis client: RESP both ways, URLs, AUTH and SELECT on a real
 * redis-server, and failing fast and bounded when Redis is down, silent or
 * speaking garbage.
 */
import assert from 'node:assert/strict';
import { createServer, Socket, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { RedisStore } from '../../server/stores/redis.js';
import { RedisClient } from '../../server/stores/redisclient.js';
import { parseRedisUrl } from '../../server/stores/redisurl.js';
import { encodeCommand, ProtocolError, ReplyError, ReplyParser } from '../../server/stores/resp.js';
import { StoreSetupError, StoreUnavailableError } from '../../server/stores/store.js';
import { freePort, redisMissing, startRedis, type RedisServer } from './redis.js';

describe('RESP', () => {
  it('writes a command as an array of bulk strings, lengths in bytes', () => {
    assert.equal(encodeCommand(['SET', 'k', 'né', 5]).toString(), '*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\nné\r\n$1\r\n5\r\n');
  });

  it('reads every reply type, however the bytes are cut', () => {
    const stream = Buffer.from('+OK\r\n-ERR no\r\n:42\r\n$4\r\nhé!\r\n$-1\r\n*3\r\n$1\r\na\r\n*-1\r\n*1\r\n:7\r\n$0\r\n\r\n');
    const expected = ['OK', 'ERR no', 42, 'hé!', null, ['a', null, [7]], ''];
    for (let cut = 1; cut < stream.length; cut++) {
      const parser = new ReplyParser();
      const replies = [...parser.push(stream.subarray(0, cut)), ...parser.push(stream.subarray(cut))];
      assert.deepEqual(replies.map((reply) => (reply instanceof ReplyError ? reply.message : reply)), expected, `cut at ${cut}`);
      assert.ok(replies[1] instanceof ReplyError);
    }
  });

  it('refuses what is not RESP', () => {
    for (const garbage of ['?x\r\n', ':12a\r\n', '$3\r\nabcd\r\n', '$99999999999\r\n', `*9\r\n${'*1\r\n'.repeat(9)}`, 'x'.repeat(70_000)]) {
      assert.throws(() => new ReplyParser().push(Buffer.from(garbage)), ProtocolError, JSON.stringify(garbage.slice(0, 20)));
    }
  });
});

describe('Redis URLs', () => {
  it('reads host, port, TLS, user, password and database', () => {
    assert.deepEqual(parseRedisUrl('redis://localhost', 100), { host: 'localhost', port: 6379, tls: false, db: 0, timeoutMs: 100 });
    assert.deepEqual(parseRedisUrl('rediss://me:p%40ss@cache.example:6380/3', 100), { host: 'cache.example', port: 6380, tls: true, username: 'me', password: 'p@ss', db: 3, timeoutMs: 100 });
    assert.deepEqual(parseRedisUrl('redis://:secret@[::1]:7000', 100), { host: '::1', port: 7000, tls: false, password: 'secret', db: 0, timeoutMs: 100 });
  });

  it('refuses malformed ones with a message', () => {
    for (const [url, pattern] of [['redis//x', /not a URL/], ['http://x', /not redis: or rediss:/], ['redis://x/db1', /database must be a number/], ['redis://x/1?tls=1', /no query/]] as const) {
      assert.throws(() => parseRedisUrl(url, 100), (error: Error) => error instanceof StoreSetupError && pattern.test(error.message), url);
    }
  });
});

/** A TCP server that accepts and then does `behave` with each connection. */
async function fakeRedis(behave: (socket: Socket) => void): Promise<{ port: number; server: Server }> {
  const server = createServer(behave);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { port: typeof address === 'object' && address !== null ? address.port : 0, server };
}

describe('the Redis client when Redis misbehaves', () => {
  it('gives up on a silent server within the timeout, with StoreUnavailableError', async () => {
    const { port, server } = await fakeRedis(() => undefined);
    const client = new RedisClient(parseRedisUrl(`redis://127.0.0.1:${port}`, 300));
    const started = Date.now();
    await assert.rejects(client.command('PING'), (error: Error) => error instanceof StoreUnavailableError && /did not answer within 300 ms/.test(error.message));
    assert.ok(Date.now() - started < 2000);
    await client.close();
    server.close();
  });

  it('drops a connection that speaks garbage', async () => {
    const { port, server } = await fakeRedis((socket) => socket.on('data', () => socket.write('?what\r\n')));
    const client = new RedisClient(parseRedisUrl(`redis://127.0.0.1:${port}`, 1000));
    await assert.rejects(client.command('PING'), StoreUnavailableError);
    await client.close();
    server.close();
  });

  it('fails at once while nothing listens, then backs off instead of hammering', async () => {
    const port = await freePort();
    const client = new RedisClient(parseRedisUrl(`redis://127.0.0.1:${port}`, 1000));
    await assert.rejects(client.command('PING'), /unreachable/);
    const started = Date.now();
    await assert.rejects(client.command('PING'), /unreachable .*retrying/);
    assert.ok(Date.now() - started < 50, 'refused without waiting');
    await client.close();
  });
});

const skip = redisMissing();

describe('the Redis client against redis-server', { ...(skip === undefined ? {} : { skip }) }, () => {
  let redis: RedisServer;
  before(async () => {
    redis = await startRedis(['--requirepass', 's3cret']);
  });
  after(() => redis.stop());

  it('authenticates and selects the database on every connection', async () => {
    const store = new RedisStore({ redis: parseRedisUrl(`redis://:s3cret@127.0.0.1:${redis.port}/2`, 2000), prefix: 'db2:' });
    const other = new RedisClient(parseRedisUrl(`redis://:s3cret@127.0.0.1:${redis.port}/0`, 2000));
    try {
      await store.ping();
      assert.equal(await store.users.create('ann', 'h'), true);
      assert.equal(await other.command('EXISTS', 'db2:user:ann'), 0, 'not in database 0');
      await other.command('SELECT', 2);
      assert.equal(await other.command('GET', 'db2:user:ann'), 'h');
    } finally {
      await store.close();
      await other.close();
    }
  });

  it('says so when the password is wrong, as an unavailable store', async () => {
    const store = new RedisStore({ redis: parseRedisUrl(`redis://:wrong@127.0.0.1:${redis.port}`, 2000) });
    await assert.rejects(store.ping(), (error: Error) => error instanceof StoreUnavailableError && /AUTH refused: WRONGPASS/.test(error.message));
    await store.close();
  });

  it('pipelines: many commands in flight on one connection get their own replies', async () => {
    const client = new RedisClient(parseRedisUrl(`redis://:s3cret@127.0.0.1:${redis.port}/1`, 2000));
    const replies = await Promise.all(Array.from({ length: 500 }, (_, i) => client.command('ECHO', `m${i}`)));
    assert.deepEqual(replies, Array.from({ length: 500 }, (_, i) => `m${i}`));
    await assert.rejects(client.command('NOSUCHCOMMAND'), ReplyError);
    assert.equal(await client.command('PING'), 'PONG', 'an error reply leaves the connection usable');
    await client.close();
  });

  it('sends the commands of one event-loop turn in one write, those of the next turn in another', async () => {
    const client = new RedisClient(parseRedisUrl(`redis://:s3cret@127.0.0.1:${redis.port}/1`, 2000));
    await client.command('PING');
    const prototype = Socket.prototype as unknown as Record<'_write' | '_writev', (...args: unknown[]) => unknown>;
    const [write, writev] = [prototype._write, prototype._writev];
    let writes = 0;
    prototype._write = function (this: Socket, ...args: unknown[]) { writes++; return write.apply(this, args); };
    prototype._writev = function (this: Socket, ...args: unknown[]) { writes++; return writev.apply(this, args); };
    try {
      const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => client.command('ECHO', `m${i}`)));
      assert.deepEqual(replies, Array.from({ length: 50 }, (_, i) => `m${i}`));
      assert.equal(writes, 1, '50 commands, one write');
      const first = client.command('ECHO', 'one');
      await new Promise((resolve) => setImmediate(resolve));
      const second = client.command('ECHO', 'two');
      assert.deepEqual(await Promise.all([first, second]), ['one', 'two']);
      assert.equal(writes, 3, 'two turns, two more writes');
    } finally {
      prototype._write = write;
      prototype._writev = writev;
      await client.close();
    }
  });

  it('reconnects by itself when Redis comes back', async () => {
    const client = new RedisClient(parseRedisUrl(`redis://:s3cret@127.0.0.1:${redis.port}`, 1000));
    assert.equal(await client.command('PING'), 'PONG');
    await redis.kill();
    await assert.rejects(client.command('PING'), StoreUnavailableError);
    await redis.start();
    let answer: unknown;
    for (let i = 0; i < 60 && answer !== 'PONG'; i++) {
      answer = await client.command('PING').catch(() => undefined);
      if (answer !== 'PONG') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(answer, 'PONG');
    await client.close();
  });
});
