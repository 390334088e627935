/**
 * The server as people run it, as real processes: state that survives a
 * restart (file store and Redis), several processes sharing one Redis, a
 * SIGKILL in the middle of a burst of writes, Redis going away and coming
 * back, and WORKERS=N. Each test starts its own processes; Redis is a real
 * redis-server (skipped with the install command where there is none, never in CI).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { sign } from '../../lib/index.js';
import { runMain, waitFor } from './processes.js';
import { freePort, redisMissing, startRedis, type RedisServer } from './redis.js';

const SECRET = 'instances-test-secret-instances-test-secret!';
const skip = redisMissing();
let redis: RedisServer | undefined;
let prefixes = 0;
const dirs: string[] = [];
const children: ChildProcess[] = [];

before(async () => {
  if (skip === undefined) redis = await startRedis();
});
after(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await redis?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Running {
  readonly base: string;
  readonly child: ChildProcess;
  readonly output: () => string;
}

async function serve(env: Record<string, string>): Promise<Running> {
  const { child, output } = runMain({ JWT_SECRET_KEY: SECRET, ...env });
  children.push(child);
  const [, base] = await waitFor(output, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
  return { base: base ?? '', child, output };
}

async function stop(running: Running, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (running.child.exitCode !== null) return;
  const exited = once(running.child, 'exit');
  running.child.kill(signal);
  await exited;
}

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

async function call(base: string, method: string, path: string, options: { json?: unknown; token?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
  const response = await fetch(base + path, { method, headers, ...(options.json === undefined ? {} : { body: JSON.stringify(options.json) }) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

async function loginOn(base: string, username: string, password = 'pw'): Promise<{ access: string; refresh: string }> {
  const answer = await call(base, 'POST', '/login', { json: { username, password } });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return { access: String(answer.body['access_token']), refresh: String(answer.body['refresh_token']) };
}

/** An access token for `sub`, made the way the server makes them (for bursts that should not wait on scrypt). */
function accessToken(sub: string): string {
  const now = Math.floor(Date.now() / 1000);
  return sign({ sub, jti: randomUUID(), type: 'access', fresh: false, iat: now, nbf: now, exp: now + 900 }, SECRET);
}

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'plainjwt-instances-'));
  dirs.push(dir);
  return dir;
}

const redisUrl = (): string => redis?.url ?? '';
const redisEnv = (): Record<string, string> => ({ STORE_URL: redisUrl(), STORE_PREFIX: `run${++prefixes}:` });

/** The two durable stores, each as the environment a process gets. */
const durable: { name: string; skip?: string; env: () => Record<string, string> }[] = [
  { name: 'file', env: () => ({ STORE_URL: `file:${freshDir()}` }) },
  { name: 'redis', ...(skip === undefined ? {} : { skip }), env: redisEnv },
];

for (const store of durable) {
  describe(`a server on the ${store.name} store`, { ...(store.skip === undefined ? {} : { skip: store.skip }) }, () => {
    it('still refuses a revoked token after a restart, and still knows its users', async () => {
      const env = store.env();
      const first = await serve(env);
      assert.equal((await call(first.base, 'POST', '/register', { json: { username: 'ann', password: 'pw' } })).status, 201);
      const tokens = await loginOn(first.base, 'ann');
      assert.equal((await call(first.base, 'DELETE', '/logout', { token: tokens.access })).status, 200);
      await stop(first);

      const second = await serve(env);
      try {
        assert.match(second.output(), new RegExp(`store: the ${store.name === 'file' ? 'file store in' : 'Redis store at'}`));
        assert.deepEqual(await call(second.base, 'GET', '/protected', { token: tokens.access }), { status: 401, body: { msg: 'Token has been revoked' } });
        assert.equal((await call(second.base, 'POST', '/refresh', { token: tokens.refresh })).status, 200, 'the refresh token was not revoked');
        assert.equal((await call(second.base, 'POST', '/register', { json: { username: 'ann', password: 'x' } })).status, 409);
        await loginOn(second.base, 'ann');
      } finally {
        await stop(second);
      }
    });

    it('loses no acknowledged write when killed with SIGKILL in the middle of a burst', async () => {
      const env = store.env();
      const first = await serve(env);
      assert.equal((await call(first.base, 'POST', '/register', { json: { username: 'owner', password: 'pw' } })).status, 201);
      // A steady stream: eight clients, each sending the next write as soon as the last is answered,
      // until the server is gone, so the kill lands in the middle of the writes.
      const tokens = Array.from({ length: 5000 }, () => accessToken('owner'));
      const registered: string[] = [];
      const revoked: string[] = [];
      let next = 0;
      const client = async (id: number): Promise<void> => {
        for (let round = 0; next < tokens.length; round++) {
          try {
            if (id === 0) {
              const name = `burst${round}`;
              if ((await call(first.base, 'POST', '/register', { json: { username: name, password: 'pw' } })).status === 201) registered.push(name);
            } else {
              const token = tokens[next++] ?? '';
              if ((await call(first.base, 'DELETE', '/logout', { token })).status === 200) revoked.push(token);
            }
          } catch {
            return; // the connection died with the server
          }
        }
      };
      const clients = Array.from({ length: 8 }, (_, id) => client(id));
      for (let i = 0; i < 2000 && revoked.length < 100; i++) await new Promise((resolve) => setTimeout(resolve, 2));
      await stop(first, 'SIGKILL');
      await Promise.all(clients);
      assert.ok(revoked.length >= 100, `writes were acknowledged before the kill (${revoked.length})`);
      assert.ok(next < tokens.length, 'the clients were still sending when it died');

      const second = await serve(env);
      try {
        for (const name of registered) assert.equal((await call(second.base, 'POST', '/register', { json: { username: name, password: 'x' } })).status, 409, `${name} was acknowledged`);
        for (const token of revoked) assert.equal((await call(second.base, 'GET', '/protected', { token })).status, 401, 'an acknowledged logout');
      } finally {
        await stop(second);
      }
    });
  });
}

describe('several servers on one Redis', { ...(skip === undefined ? {} : { skip }) }, () => {
  it('share users and revocations at once: register on A, log in on B, log out on C, refused everywhere', async () => {
    const env = redisEnv();
    const [a, b, c] = await Promise.all([serve(env), serve(env), serve(env)]);
    assert.ok(a !== undefined && b !== undefined && c !== undefined);
    try {
      assert.equal((await call(a.base, 'POST', '/register', { json: { username: 'zoe', password: 'pw' } })).status, 201);
      assert.equal((await call(c.base, 'POST', '/register', { json: { username: 'zoe', password: 'pw' } })).status, 409);
      const tokens = await loginOn(b.base, 'zoe');
      assert.equal((await call(c.base, 'GET', '/whoami', { token: tokens.access })).status, 200);
      assert.equal((await call(c.base, 'DELETE', '/logout', { token: tokens.access })).status, 200);
      for (const server of [a, b, c]) {
        assert.deepEqual(await call(server.base, 'GET', '/protected', { token: tokens.access }), { status: 401, body: { msg: 'Token has been revoked' } });
      }
      // Deleting the account on one revokes every token of it on all.
      const fresh = await loginOn(a.base, 'zoe');
      assert.equal((await call(b.base, 'DELETE', '/account', { token: fresh.access })).status, 200);
      for (const server of [a, b, c]) assert.equal((await call(server.base, 'POST', '/refresh', { token: fresh.refresh })).status, 401);
    } finally {
      await Promise.all([a, b, c].map((server) => stop(server)));
    }
  });

  it('fails closed while Redis is down (503, never 200), and recovers by itself when it is back', async () => {
    const server = await serve({ ...redisEnv(), STORE_TIMEOUT_MS: '500' });
    try {
      assert.equal((await call(server.base, 'POST', '/register', { json: { username: 'yan', password: 'pw' } })).status, 201);
      const kept = await loginOn(server.base, 'yan');
      const dropped = await loginOn(server.base, 'yan');
      assert.equal((await call(server.base, 'DELETE', '/logout', { token: dropped.access })).status, 200);
      assert.deepEqual(await call(server.base, 'GET', '/health'), { status: 200, body: { status: 'ok', store: 'redis' } });

      await redis?.kill();
      for (const token of [kept.access, dropped.access]) {
        const started = Date.now();
        const answer = await call(server.base, 'GET', '/protected', { token });
        assert.deepEqual(answer, { status: 503, body: { msg: 'The redis store is unavailable; try again shortly' } });
        assert.ok(Date.now() - started < 3000, 'no longer than the command timeout');
      }
      assert.match(server.output(), /plainjwt: 503: Redis at redis:\/\/127\.0\.0\.1:\d+ (is unreachable|did not answer|: connection lost)/, 'the operator is told why');
      const response = await fetch(`${server.base}/health`);
      assert.equal(response.status, 503);
      assert.equal(response.headers.get('retry-after'), '1');
      assert.equal((await call(server.base, 'POST', '/login', { json: { username: 'yan', password: 'pw' } })).status, 503);
      assert.equal((await call(server.base, 'POST', '/register', { json: { username: 'new', password: 'pw' } })).status, 503);
      assert.equal((await call(server.base, 'DELETE', '/logout', { token: kept.access })).status, 503);

      await redis?.start();
      let health = 0;
      for (let i = 0; i < 100 && health !== 200; i++) {
        health = (await call(server.base, 'GET', '/health')).status;
        if (health !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(health, 200, 'recovered without a restart');
      assert.equal((await call(server.base, 'GET', '/protected', { token: kept.access })).status, 200);
      assert.deepEqual(await call(server.base, 'GET', '/protected', { token: dropped.access }), { status: 401, body: { msg: 'Token has been revoked' } });
    } finally {
      await stop(server);
    }
  });

  it('runs WORKERS=2 on one port', async () => {
    const server = await serve({ ...redisEnv(), WORKERS: '2' });
    try {
      await waitFor(server.output, /listening on .*\(worker \d+\)[\s\S]*listening on .*\(worker \d+\)/);
      assert.match(server.output(), /starting 2 workers\nstore: the Redis store at redis:\/\/127\.0\.0\.1:\d+\/?, shared by the 2 workers/);
      const port = /:(\d+) \(worker/.exec(server.output())?.[1];
      assert.equal(server.base.endsWith(`:${port ?? ''}`), true, 'both on the port the first one printed');
      assert.equal((await call(server.base, 'POST', '/register', { json: { username: 'wes', password: 'pw' } })).status, 201);
      const tokens = await loginOn(server.base, 'wes');
      assert.equal((await call(server.base, 'DELETE', '/logout', { token: tokens.access })).status, 200);
      for (let i = 0; i < 6; i++) assert.equal((await call(server.base, 'GET', '/protected', { token: tokens.access })).status, 401, 'whichever worker answers');
    } finally {
      await stop(server);
    }
  });
});

describe('refresh-token rotation across two servers on one Redis', { ...(skip === undefined ? {} : { skip }) }, () => {
  it('rotates once for two concurrent refreshes on two servers, catches reuse on the other one, and logs out everywhere', async () => {
    const env = { ...redisEnv(), JWT_REFRESH_TOKEN_ROTATION: 'true', JWT_REFRESH_REUSE_GRACE: '1' };
    const [a, b] = await Promise.all([serve(env), serve(env)]);
    assert.ok(a !== undefined && b !== undefined);
    try {
      assert.equal((await call(a.base, 'POST', '/register', { json: { username: 'rot', password: 'pw' } })).status, 201);
      const first = await loginOn(a.base, 'rot');
      const [onA, onB] = await Promise.all([call(a.base, 'POST', '/refresh', { token: first.refresh }), call(b.base, 'POST', '/refresh', { token: first.refresh })]);
      assert.deepEqual([onA.status, onB.status], [200, 200]);
      const jti = (token: unknown): unknown => JSON.parse(Buffer.from(String(token).split('.')[1] ?? '', 'base64url').toString()).jti;
      assert.equal(jti(onA.body['refresh_token']), jti(onB.body['refresh_token']), 'one successor, whichever server answered');

      await new Promise((resolve) => setTimeout(resolve, 1200)); // past the 1 s grace
      const replay = await call(b.base, 'POST', '/refresh', { token: first.refresh });
      assert.equal(replay.status, 401);
      assert.match(String(replay.body['msg']), /reuse detected/);
      for (const server of [a, b]) assert.equal((await call(server.base, 'GET', '/protected', { token: String(onA.body['access_token']) })).status, 401);

      const phone = await loginOn(a.base, 'rot');
      const laptop = await loginOn(b.base, 'rot');
      const listed = await call(a.base, 'GET', '/sessions', { token: phone.access });
      assert.equal((listed.body['sessions'] as unknown[]).length, 2, 'both sessions, wherever they started');
      assert.equal((await call(b.base, 'DELETE', '/sessions', { token: laptop.access })).status, 200);
      for (const server of [a, b]) {
        for (const token of [phone.access, laptop.access]) assert.equal((await call(server.base, 'GET', '/protected', { token })).status, 401);
        assert.equal((await call(server.base, 'POST', '/refresh', { token: phone.refresh })).status, 401);
      }
    } finally {
      await Promise.all([a, b].map((server) => stop(server)));
    }
  });
});

/** A certificate for 127.0.0.1 from openssl, or why there is none (never skipped in CI). */
function certificate(dir: string): string | undefined {
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
  if (made.status === 0) return undefined;
  const reason = 'openssl is not installed (apt-get install -y openssl)';
  if (process.env['CI'] !== undefined && process.env['CI'] !== '' && process.env['CI'] !== 'false') throw new Error(`${reason}: the TLS test must not be skipped in CI`);
  return reason;
}

describe('Redis over TLS (rediss://)', { ...(skip === undefined ? {} : { skip }) }, () => {
  it('works with a certificate the server trusts, and refuses (503) one it does not', async (t) => {
    const dir = freshDir();
    const missing = certificate(dir);
    if (missing !== undefined) return t.skip(missing);
    const port = await freePort();
    const tlsRedis = spawn('redis-server', ['--port', '0', '--tls-port', String(port), '--bind', '127.0.0.1', '--tls-cert-file', join(dir, 'cert.pem'), '--tls-key-file', join(dir, 'key.pem'), '--tls-ca-cert-file', join(dir, 'cert.pem'), '--tls-auth-clients', 'no', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let redisOutput = '';
    tlsRedis.stdout?.on('data', (chunk: Buffer) => (redisOutput += chunk.toString()));
    try {
      await waitFor(() => redisOutput, /Ready to accept connections/);
      const env = { STORE_URL: `rediss://127.0.0.1:${port}`, STORE_PREFIX: 'tls:' };
      const trusted = await serve({ ...env, NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') });
      try {
        assert.deepEqual(await call(trusted.base, 'GET', '/health'), { status: 200, body: { status: 'ok', store: 'redis' } });
        assert.match(trusted.output(), /store: the Redis store at rediss:\/\/127\.0\.0\.1:\d+\/0/);
        assert.equal((await call(trusted.base, 'POST', '/register', { json: { username: 'tls', password: 'pw' } })).status, 201);
        const tokens = await loginOn(trusted.base, 'tls');
        assert.equal((await call(trusted.base, 'DELETE', '/logout', { token: tokens.access })).status, 200);
        assert.equal((await call(trusted.base, 'GET', '/protected', { token: tokens.access })).status, 401);
      } finally {
        await stop(trusted);
      }
      const untrusted = await serve(env); // a self-signed certificate it has no reason to trust
      try {
        assert.equal((await call(untrusted.base, 'GET', '/health')).status, 503);
        assert.match(untrusted.output(), /self-signed certificate|unable to verify/);
      } finally {
        await stop(untrusted);
      }
    } finally {
      tlsRedis.kill('SIGKILL');
    }
  });
});

describe('the store settings at start-up', () => {
  it('refuses WORKERS=2 without Redis, a malformed STORE_URL and a locked file store, in one line each', async () => {
    const dir = freshDir();
    for (const [env, pattern] of [
      [{ WORKERS: '2', STORE_URL: `file:${dir}` }, /configuration error: WORKERS=2 needs a store every worker shares: set STORE_URL=redis:\/\/host:6379 \(the file store is for one process\)/],
      [{ WORKERS: '0' }, /WORKERS must be a positive whole number, got "0"/],
      [{ STORE_URL: 'mongodb://x' }, /store error: STORE_URL "mongodb:\/\/x" names no store/],
      [{ STORE_URL: 'redis://x/db' }, /store error: STORE_URL: the database must be a number/],
    ] as const) {
      const { child, output } = runMain({ JWT_SECRET_KEY: SECRET, ...env });
      const [code] = await once(child, 'exit');
      assert.equal(code, 1, JSON.stringify(env));
      assert.match(output(), pattern);
      assert.equal(output().trim().split('\n').length, 1, output());
    }
    const owner = await serve({ STORE_URL: `file:${dir}` });
    const second = runMain({ JWT_SECRET_KEY: SECRET, STORE_URL: `file:${dir}` });
    const [code] = await once(second.child, 'exit');
    assert.equal(code, 1);
    assert.match(second.output(), /the file store in .* is in use by process \d+: one process per file store\. To run several server processes, share a Redis instead/);
    await stop(owner);
  });

  it('says at start-up that the memory store keeps nothing', async () => {
    const server = await serve({ STORE_URL: 'memory:' });
    assert.match(server.output(), /store: the memory store: nothing survives a restart/);
    await stop(server);
  });
});
