/** `npm start`'s entry point as a real process: start-up, configuration errors, graceful shutdown. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain, waitFor } from './processes.js';
import { freePort } from './redis.js';

const run = runMain;

/** WORKERS=2 without a Redis to reach: the workers start all the same (requests that need the store answer 503). */
const UNREACHABLE_REDIS = { JWT_SECRET_KEY: 'x'.repeat(32), WORKERS: '2', STORE_URL: 'redis://127.0.0.1:1' };

describe('server/main', () => {
  it('starts without JWT_SECRET_KEY on a kept development key, says where it is, serves, and stops on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'plainjwt-main-'));
    try {
      const { child, output } = run({ JWT_SECRET_KEY: '', SECRET_KEY: '', DATA_DIR: dataDir });
      const [, url] = await waitFor(output, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
      const keyFile = join(dataDir, 'jwt-secret.key');
      assert.match(output(), /JWT_SECRET_KEY is not set; using the development key just created in .*jwt-secret\.key \(owner-only\)/);
      assert.ok(output().includes(`export JWT_SECRET_KEY="$(cat ${keyFile})"`));
      assert.equal(statSync(keyFile).mode & 0o777, 0o600);
      assert.equal(statSync(dataDir).mode & 0o777, 0o700);
      const key = readFileSync(keyFile, 'utf8').trim();
      assert.ok(key.length >= 86, 'long enough for HS512');
      const answer = await fetch(`${url ?? ''}/protected`);
      assert.equal(answer.status, 401);
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      assert.equal(code, 0);
      assert.match(output(), /SIGTERM received, shutting down/);

      // The next start reuses the key, so tokens survive a restart and the CLI can read it.
      const again = run({ JWT_SECRET_KEY: '', SECRET_KEY: '', DATA_DIR: dataDir, JWT_DECODE_ALGORITHMS: 'HS256,HS512' });
      await waitFor(again.output, /listening on/);
      assert.match(again.output(), /using the development key kept in/);
      assert.equal(readFileSync(keyFile, 'utf8').trim(), key);
      again.child.kill('SIGTERM');
      await once(again.child, 'exit');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('accepts durations with units and reports a bad one in one line, without a stack trace', async () => {
    const good = run({ JWT_SECRET_KEY: 'x'.repeat(32), JWT_ACCESS_TOKEN_EXPIRES: '15m', JWT_REFRESH_TOKEN_EXPIRES: '30d' });
    await waitFor(good.output, /listening on/);
    good.child.kill('SIGTERM');
    await once(good.child, 'exit');
    const bad = run({ JWT_SECRET_KEY: 'x'.repeat(32), JWT_ACCESS_TOKEN_EXPIRES: 'soon' });
    const [code] = await once(bad.child, 'exit');
    assert.equal(code, 1);
    assert.equal(
      bad.output(),
      'plainjwt: configuration error: JWT_ACCESS_TOKEN_EXPIRES: must be a number of seconds or false, or a duration such as 90s, 15m, 1h or 30d, got "soon"\n',
    );
  });

  it('uses the configured secret and stops on SIGINT', async () => {
    const { child, output } = run({ JWT_SECRET_KEY: 'x'.repeat(32), HOST: '127.0.0.1' });
    await waitFor(output, /listening on/);
    assert.doesNotMatch(output(), /development key/);
    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
  });

  for (const [env, message] of [
    [{ JWT_SECRET_KEY: 'short' }, /configuration error: JWT_SECRET_KEY: HS256 needs a key of at least 32 bytes/],
    [{ JWT_TOKEN_LOCATION: 'headers,nowhere' }, /configuration error: JWT_TOKEN_LOCATION/],
    [{ JWT_ACCESS_TOKEN_EXPIRES: '-1' }, /configuration error: JWT_ACCESS_TOKEN_EXPIRES/],
    [{ PORT: 'eighty' }, /PORT must be a port number/],
    [{ MAX_CONTENT_LENGTH: '0' }, /MAX_CONTENT_LENGTH must be a positive number/],
  ] as const) {
    it(`refuses to start with ${JSON.stringify(env)}`, async () => {
      const { child, output } = run(Object.assign({ JWT_SECRET_KEY: 'x'.repeat(32) }, env));
      const [code] = await once(child, 'exit');
      assert.equal(code, 1);
      assert.match(output(), message);
    });
  }

  it('reports a port it cannot listen on', async () => {
    const first = run({ JWT_SECRET_KEY: 'x'.repeat(32) });
    const [, port] = await waitFor(first.output, /listening on http:\/\/127\.0\.0\.1:(\d+)/);
    const second = run({ JWT_SECRET_KEY: 'x'.repeat(32), PORT: port ?? '' });
    const [code] = await once(second.child, 'exit');
    assert.equal(code, 1);
    assert.match(second.output(), /cannot listen on/);
    first.child.kill('SIGTERM');
    await once(first.child, 'exit');
  });

  it('WORKERS=2 stops with exit code 1 when its workers cannot listen, instead of replacing them forever', async () => {
    const first = run({ JWT_SECRET_KEY: 'x'.repeat(32) });
    const [, port] = await waitFor(first.output, /listening on http:\/\/127\.0\.0\.1:(\d+)/);
    const cluster = run({ ...UNREACHABLE_REDIS, PORT: port ?? '' });
    try {
      const exited = once(cluster.child, 'exit');
      const [code] = await Promise.race([exited, new Promise<[string]>((resolve) => setTimeout(() => resolve(['still running after 10 s']), 10_000))]);
      assert.equal(code, 1);
      assert.match(cluster.output(), /cannot listen on 127\.0\.0\.1:\d+: bind EADDRINUSE/);
      assert.match(cluster.output(), /plainjwt: worker \d+ exited \(1\) before it could listen; stopping\n/);
      assert.doesNotMatch(cluster.output(), /starting another/);
    } finally {
      cluster.child.kill('SIGKILL');
      first.child.kill('SIGTERM');
      await once(first.child, 'exit');
    }
  });

  it('WORKERS=2 replaces a worker that dies at once, and waits before replacing its replacement when that dies soon after', async () => {
    const { child, output } = run(UNREACHABLE_REDIS);
    const workers = (): string[] => [...output().matchAll(/\(worker (\d+)\)/g)].map((match) => match[1] ?? '');
    await waitFor(output, /listening on .*\(worker \d+\)[\s\S]*listening on .*\(worker \d+\)/);
    const [first] = workers();
    process.kill(Number(first), 'SIGKILL');
    await waitFor(output, new RegExp(`worker ${first ?? ''} exited \\(SIGKILL\\); starting another\n`));
    await waitFor(output, /(listening on .*\(worker \d+\)[\s\S]*){3}/);
    const replacement = workers()[2];
    assert.ok(replacement !== undefined && replacement !== first);
    process.kill(Number(replacement), 'SIGKILL');
    await waitFor(output, new RegExp(`worker ${replacement} exited \\(SIGKILL\\); starting another in 1 s\n`));
    await waitFor(output, /(listening on .*\(worker \d+\)[\s\S]*){4}/);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
  });

  it('loses log lines, not the server, when whatever reads its output goes away', async () => {
    // One process: stdout and stderr closed after start-up; shutting down writes to stderr.
    const single = run({ JWT_SECRET_KEY: 'x'.repeat(32) });
    const [, url] = await waitFor(single.output, /open (http:\/\/127\.0\.0\.1:\d+)\//);
    single.child.stdout?.destroy();
    single.child.stderr?.destroy();
    assert.equal((await fetch(`${url ?? ''}/protected`)).status, 401);
    single.child.kill('SIGTERM');
    const [code] = await once(single.child, 'exit');
    assert.equal(code, 0, 'a clean exit, not an EPIPE crash');

    // WORKERS=2: stdout closed before the workers print that they listen.
    const port = await freePort();
    const cluster = run({ ...UNREACHABLE_REDIS, PORT: String(port) });
    await waitFor(cluster.output, /starting 2 workers/);
    cluster.child.stdout?.destroy();
    let status = 0;
    for (let i = 0; i < 100 && status === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = await fetch(`http://127.0.0.1:${port}/protected`).then((answer) => answer.status, () => 0);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(status, 401, 'the workers serve');
    assert.doesNotMatch(cluster.output(), /exited/, 'no worker died on its "listening" line');
    cluster.child.kill('SIGTERM');
    const [clusterCode] = await once(cluster.child, 'exit');
    assert.equal(clusterCode, 0);
  });
});
