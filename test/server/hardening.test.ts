/**
 * What testing against the real flask_jwt_extended and attacking the demo
 * found: revocation that outlives the leeway, account deletion that revokes,
 * bounded and throttled logins, normalised usernames, stored scrypt
 * parameters, slow clients, OPTIONS, guard options and generated keys.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { AddressInfo } from 'node:net';
import { CredentialsError, normalizeUsername } from '../../server/demo/credentials.js';
import { LoginThrottle } from '../../server/demo/throttle.js';
import { json } from '../../server/http/reply.js';
import { createHttpServer } from '../../server/http/server.js';
import { loadConfig } from '../../server/jwt/config.js';
import { JwtManager } from '../../server/jwt/manager.js';
import { MemoryBlocklist } from '../../server/stores/blocklist.js';
import { DEFAULT_SCRYPT, hashPassword, parsePhc, verifyPassword } from '../../server/stores/passwords.js';
import { QueueFullError, WorkQueue } from '../../server/stores/workqueue.js';
import { signBytes } from '../../lib/index.js';
import { bearer, login, SECRET, startDemo, type Harness } from './harness.js';
import { jwtRequired, verifyJwtInRequest } from '../../server/jwt/guards.js';

describe('revocation outlives the decode leeway', () => {
  let h: Harness;
  before(async () => {
    h = await startDemo({ JWT_DECODE_LEEWAY: 60, JWT_ACCESS_TOKEN_EXPIRES: 100 });
  });
  after(() => h.close());

  it('a logged-out token stays refused while the leeway would still accept it', async () => {
    const { access } = await login(h, 'lee');
    const logout = await h.request('DELETE', '/logout', { headers: bearer(access) });
    assert.equal(logout.status, 200);
    const start = h.now;
    try {
      h.now = start + 100 + 30; // 30 s past exp, inside the 60 s leeway
      const during = await h.request('GET', '/protected', { headers: bearer(access) });
      assert.deepEqual([during.status, during.body], [401, { msg: 'Token has been revoked' }]);
      h.now = start + 100 + 61; // past exp + leeway: refused as expired, for that reason
      const afterwards = await h.request('GET', '/protected', { headers: bearer(access) });
      assert.deepEqual([afterwards.status, afterwards.body], [401, { msg: 'Token has expired' }]);
    } finally {
      h.now = start;
    }
  });
});

describe('MemoryBlocklist: one question per request', () => {
  it('answers for a jti, and for a subject revoked up to a second, until each could no longer be accepted', async () => {
    let now = 1000;
    const list = new MemoryBlocklist(() => now);
    assert.equal(await list.isRevoked('j1', 'ann', 990), false);
    await list.add('j1', 1100);
    assert.equal(await list.isRevoked('j1', 'ann', 990), true);
    await list.revokeSubject('ann', 1000, 2000);
    assert.equal(await list.isRevoked('j2', 'ann', 1000), true, 'issued in the second of the revocation');
    assert.equal(await list.isRevoked('j2', 'ann', 1001), false, 'issued after it');
    assert.equal(await list.isRevoked('j2', 'ann', undefined), true, 'no iat: cannot show it came after');
    assert.equal(await list.isRevoked('j2', 'bea', 900), false);
    assert.equal(await list.subjectRevokedUpTo('ann'), 1000);
    await list.revokeSubject('ann', 990, 1500); // an older revocation never shortens a newer one
    assert.equal(await list.subjectRevokedUpTo('ann'), 1000);
    now = 1100;
    assert.equal(await list.isRevoked('j1', 'zed', 990), false, 'the jti is forgotten once exp + leeway passed');
    now = 2000;
    assert.equal(await list.isRevoked('j3', 'ann', 999), false);
    assert.equal(await list.subjectRevokedUpTo('ann'), undefined);
    await list.revokeSubject('cy', 5, undefined); // no expiry configured: kept for good
    now = 1e12;
    assert.equal(await list.isRevoked('j4', 'cy', 5), true);
    list.sweep();
    assert.equal(await list.subjectRevokedUpTo('cy'), 5);
  });
});

describe('the verified-token cache in the server', () => {
  it('still checks revocation on every request, and expiry on every hit', async () => {
    const h = await startDemo({ JWT_ACCESS_TOKEN_EXPIRES: 60 }, undefined, { verifyCacheSize: 100 });
    try {
      const { access } = await login(h, 'cachy');
      for (let i = 0; i < 3; i++) assert.equal((await h.request('GET', '/protected', { headers: bearer(access) })).status, 200);
      const start = h.now;
      h.now = start + 60;
      assert.deepEqual((await h.request('GET', '/protected', { headers: bearer(access) })).body, { msg: 'Token has expired' });
      h.now = start;
      assert.equal((await h.request('DELETE', '/logout', { headers: bearer(access) })).status, 200);
      assert.deepEqual((await h.request('GET', '/protected', { headers: bearer(access) })).body, { msg: 'Token has been revoked' });
    } finally {
      await h.close();
    }
  });

  it('refuses a cached token once its account is deleted, and after the name is registered again', async () => {
    const h = await startDemo({}, undefined, { verifyCacheSize: 100 });
    try {
      const old = await login(h, 'cachet', 'first password');
      assert.equal((await h.request('GET', '/whoami', { headers: bearer(old.access) })).status, 200); // now cached
      assert.equal((await h.request('DELETE', '/account', { headers: bearer(old.access) })).status, 200);
      assert.deepEqual((await h.request('GET', '/protected', { headers: bearer(old.access) })).body, { msg: 'Token has been revoked' });
      h.now += 1;
      assert.equal((await h.request('POST', '/register', { json: { username: 'cachet', password: 'second password' } })).status, 201);
      assert.deepEqual((await h.request('GET', '/whoami', { headers: bearer(old.access) })).body, { msg: 'Token has been revoked' });
      const fresh = await login(h, 'cachet', 'second password');
      assert.deepEqual((await h.request('GET', '/whoami', { headers: bearer(fresh.access) })).body, { username: 'cachet' });
    } finally {
      await h.close();
    }
  });
});

describe('deleting an account revokes every token issued to it', () => {
  let h: Harness;
  before(async () => {
    h = await startDemo();
  });
  after(() => h.close());

  it('old access and refresh tokens are refused even after the name is registered again; new ones work', async () => {
    const old = await login(h, 'carol', 'first password');
    const deleted = await h.request('DELETE', '/account', { headers: bearer(old.access) });
    assert.deepEqual([deleted.status, deleted.body], [200, { msg: 'Account deleted' }]);
    h.now += 1; // the next second: the name is free again
    const again = await h.request('POST', '/register', { json: { username: 'carol', password: 'second password' } });
    assert.equal(again.status, 201);

    for (const [method, path, token] of [
      ['GET', '/protected', old.access],
      ['GET', '/whoami', old.access],
      ['DELETE', '/account', old.access],
      ['POST', '/refresh', old.refresh],
      ['DELETE', '/logout', old.refresh],
    ] as const) {
      const answer = await h.request(method, path, { headers: bearer(token) });
      assert.deepEqual([answer.status, answer.body], [401, { msg: 'Token has been revoked' }], `${method} ${path}`);
    }
    const fresh = await h.request('POST', '/login', { json: { username: 'carol', password: 'second password' } });
    const whoami = await h.request('GET', '/whoami', { headers: bearer(String(fresh.body['access_token'])) });
    assert.deepEqual([whoami.status, whoami.body], [200, { username: 'carol' }]);
    const refreshed = await h.request('POST', '/refresh', { headers: bearer(String(fresh.body['refresh_token'])) });
    assert.equal(refreshed.status, 200);
  });

  it('a valid token for a user that never existed still fails the user lookup, as in the reference', async () => {
    const ghost = h.demo.manager.createAccessToken('ghost');
    const answer = await h.request('GET', '/protected', { headers: bearer(ghost) });
    assert.deepEqual([answer.status, answer.body], [401, { msg: 'Error loading the user ghost' }]);
  });

  it('registering the name again within the same second waits for the next one, so its tokens are not caught', async () => {
    const old = await login(h, 'dora');
    assert.equal((await h.request('DELETE', '/account', { headers: bearer(old.access) })).status, 200);
    h.now += 0.25; // still the second of the deletion
    const started = Date.now();
    const again = await h.request('POST', '/register', { json: { username: 'dora', password: 'pw' } });
    assert.equal(again.status, 201);
    assert.ok(Date.now() - started >= 700, 'the registration waited for the next second');
  });
});

describe('out-of-range dates in a correctly signed token', () => {
  it('get the 4xx of their family, never a 500', async () => {
    const h = await startDemo();
    try {
      const header = Buffer.from('{"alg":"HS256","typ":"JWT"}');
      const token = (claims: object): string => signBytes(header, Buffer.from(JSON.stringify({ sub: 'x', type: 'access', ...claims })), SECRET);
      for (const [claims, status, msg] of [
        [{ nbf: 9e12 }, 422, 'The token is not yet valid (nbf)'],
        [{ iat: 9e15 }, 422, 'The token is not yet valid (iat)'],
        [{ exp: -9e12 }, 401, 'Token has expired'],
        [{ exp: 1e308 }, 401, 'Error loading the user x'],
      ] as const) {
        const answer = await h.request('GET', '/protected', { headers: bearer(token(claims)) });
        assert.deepEqual([answer.status, answer.body], [status, { msg }], JSON.stringify(claims));
      }
      assert.deepEqual(h.logs, []);
    } finally {
      await h.close();
    }
  });
});

describe('registration and login input', () => {
  let h: Harness;
  before(async () => {
    h = await startDemo();
  });
  after(() => h.close());

  it('caps usernames and passwords, with a 400 and a clear msg', async () => {
    const long = await h.request('POST', '/register', { json: { username: 'u'.repeat(60_000), password: 'pw' } });
    assert.deepEqual([long.status, long.body], [400, { msg: 'Username must be at most 64 characters' }]);
    const longPassword = await h.request('POST', '/login', { json: { username: 'eve', password: 'p'.repeat(1025) } });
    assert.deepEqual([longPassword.status, longPassword.body], [400, { msg: 'Password must be at most 1024 characters' }]);
    const edge = await h.request('POST', '/register', { json: { username: 'u'.repeat(64), password: 'p'.repeat(1024) } });
    assert.equal(edge.status, 201);
  });

  it('one visible name is one account: NFC, fullwidth folded, invisible characters refused', async () => {
    assert.equal((await h.request('POST', '/register', { json: { username: 'jos\u00e9', password: 'pw' } })).status, 201);
    const decomposed = await h.request('POST', '/register', { json: { username: 'jose\u0301', password: 'other' } });
    assert.deepEqual([decomposed.status, decomposed.body], [409, { msg: 'User already exists' }]);
    const login = await h.request('POST', '/login', { json: { username: 'jose\u0301', password: 'pw' } });
    assert.equal(login.status, 200);
    const who = await h.request('GET', '/whoami', { headers: bearer(String(login.body['access_token'])) });
    assert.deepEqual(who.body, { username: 'jos\u00e9' });

    assert.equal((await h.request('POST', '/register', { json: { username: 'alice', password: 'pw' } })).status, 201);
    const fullwidth = await h.request('POST', '/register', { json: { username: '\uff41lice', password: 'pw' } });
    assert.equal(fullwidth.status, 409);
    for (const [name, msg] of [
      ['al\u200bice', 'Username must not contain control or invisible characters'],
      ['al\u202eice', 'Username must not contain control or invisible characters'],
      ['a\u0000b', 'Username must not contain control or invisible characters'],
      [' alice', 'Username must not start or end with a space'],
      ['alice ', 'Username must not start or end with a space'],
      ['al  ice', 'Username must not contain two spaces in a row'],
      ['al\tice', 'Username must not contain control or invisible characters'],
      ['\u0301x', 'Username must not start with a combining mark'],
    ] as const) {
      const answer = await h.request('POST', '/register', { json: { username: name, password: 'pw' } });
      assert.deepEqual([answer.status, answer.body], [400, { msg }], JSON.stringify(name));
    }
  });

  it('normalizeUsername folds what looks alike and keeps case', () => {
    assert.equal(normalizeUsername('\uff21lice'), 'Alice');
    assert.equal(normalizeUsername('Alice'), 'Alice');
    assert.equal(normalizeUsername('a\u00a0b'), 'a b');
    assert.throws(() => normalizeUsername('a\u2028b'), CredentialsError);
  });
});

describe('password hashes', () => {
  it('are PHC strings with OWASP scrypt parameters, and verify with the parameters they carry', async () => {
    assert.deepEqual(DEFAULT_SCRYPT, { ln: 14, r: 8, p: 5 });
    const stored = await hashPassword('correct horse');
    assert.match(stored, /^\$scrypt\$ln=14,r=8,p=5\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    assert.equal(await verifyPassword('correct horse', stored), true);
    assert.equal(await verifyPassword('correct horse!', stored), false);
    // NFC: the same password typed with a combining accent.
    assert.equal(await verifyPassword('cafe\u0301', await hashPassword('caf\u00e9')), true);
    // A hash made with other (older, cheaper) parameters still verifies.
    const older = await hashPassword('pw', { ln: 10, r: 8, p: 1 });
    assert.deepEqual(parsePhc(older).parameters, { ln: 10, r: 8, p: 1 });
    assert.equal(await verifyPassword('pw', older), true);
    assert.throws(() => parsePhc('$2b$10$abc'), /not a \$scrypt\$ PHC string/);
  });

  it('two hashes of one password differ (random salt)', async () => {
    assert.notEqual(await hashPassword('pw', { ln: 10, r: 8, p: 1 }), await hashPassword('pw', { ln: 10, r: 8, p: 1 }));
  });
});

describe('bounded hashing', () => {
  it('the work queue runs at most N at once and refuses beyond its waiting room', async () => {
    const queue = new WorkQueue(2, 1);
    let running = 0;
    let peak = 0;
    const releases: Array<() => void> = [];
    const job = (): Promise<void> =>
      new Promise((resolve) => {
        running++;
        peak = Math.max(peak, running);
        releases.push(() => {
          running--;
          resolve();
        });
      });
    const a = queue.run(job);
    const b = queue.run(job);
    const c = queue.run(job); // waits
    await assert.rejects(queue.run(job), QueueFullError);
    assert.deepEqual([queue.running, queue.waiting], [2, 1]);
    releases.shift()?.();
    await a;
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(queue.waiting, 0);
    while (releases.length > 0) releases.shift()?.();
    await Promise.all([b, c]);
    assert.equal(peak, 2);
    assert.equal(queue.running, 0);
  });

  it('a full queue answers 503 with Retry-After and a JSON msg', async () => {
    const h = await startDemo({}, undefined, { passwords: { scrypt: { ln: 12, r: 8, p: 1 }, queue: new WorkQueue(1, 0) } });
    try {
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) => h.request('POST', '/register', { json: { username: `flood${i}`, password: 'pw' } })),
      );
      const busy = answers.filter((answer) => answer.status === 503);
      assert.ok(busy.length > 0, 'some registrations were refused');
      assert.ok(answers.some((answer) => answer.status === 201), 'and some went through');
      for (const answer of busy) {
        assert.deepEqual(answer.body, { msg: 'Too many logins in progress, try again shortly' });
        assert.equal(answer.headers.get('retry-after'), '1');
      }
    } finally {
      await h.close();
    }
  });
});

describe('login throttling', () => {
  it('answers 429 with Retry-After after five failures for a username, the same whether it exists or not', async () => {
    const h = await startDemo();
    try {
      await h.request('POST', '/register', { json: { username: 'frank', password: 'right' } });
      for (const username of ['frank', 'nobody']) {
        for (let i = 0; i < 5; i++) {
          const wrong = await h.request('POST', '/login', { json: { username, password: 'wrong' } });
          assert.deepEqual([wrong.status, wrong.body], [401, { msg: 'Bad username or password' }]);
        }
        const sixth = await h.request('POST', '/login', { json: { username, password: 'wrong' } });
        assert.equal(sixth.status, 401);
        const throttled = await h.request('POST', '/login', { json: { username, password: username === 'frank' ? 'right' : 'x' } });
        assert.deepEqual([throttled.status, throttled.body], [429, { msg: 'Too many failed login attempts. Try again in 1 seconds.' }], username);
        assert.equal(throttled.headers.get('retry-after'), '1');
      }
      // The wait grows, and is capped at a minute: a user is never locked out for long.
      h.now += 1;
      await h.request('POST', '/login', { json: { username: 'frank', password: 'wrong' } });
      const longer = await h.request('POST', '/login', { json: { username: 'frank', password: 'right' } });
      assert.equal(longer.headers.get('retry-after'), '2');
      h.now += 2;
      const ok = await h.request('POST', '/login', { json: { username: 'frank', password: 'right' } });
      assert.equal(ok.status, 200, 'the right password works once the wait is over');
      const afterSuccess = await h.request('POST', '/login', { json: { username: 'frank', password: 'wrong' } });
      assert.equal(afterSuccess.status, 401, 'a success starts the count afresh');
    } finally {
      await h.close();
    }
  });

  it('counts attempts from the moment they start, so a concurrent burst cannot slip through', () => {
    let now = 1000;
    const throttle = new LoginThrottle({ now: () => now, username: { free: 5, maxDelay: 60 }, address: { free: 20, maxDelay: 300 } });
    const outcomes = Array.from({ length: 64 }, () => throttle.begin('grace', '10.0.0.1'));
    assert.equal(outcomes.filter((outcome) => typeof outcome !== 'number').length, 6, 'five free, and the sixth sets the wait');
    // Per address: many usernames from one client.
    const many = Array.from({ length: 30 }, (_, i) => throttle.begin(`user${i}`, '10.0.0.2'));
    assert.equal(many.filter((outcome) => typeof outcome !== 'number').length, 21);
    const wait = throttle.begin('someone-else', '10.0.0.2');
    assert.equal(typeof wait, 'number');
    now += 1000; // forgotten after 15 minutes without failures
    assert.notEqual(typeof throttle.begin('grace', '10.0.0.1'), 'number');
    for (let i = 0; i < 40; i++) {
      now += 61;
      assert.notEqual(typeof throttle.begin('hal', `10.0.1.${i}`), 'number', 'after the wait, one more try');
    }
    const last = throttle.begin('hal', '10.0.0.99');
    assert.ok(typeof last === 'number' && last <= 60, 'the per-username wait never exceeds a minute');
  });

  it('gives back an attempt whose password was never checked (503), but not a failed one', () => {
    const throttle = new LoginThrottle({ now: () => 0 });
    for (let i = 0; i < 20; i++) {
      const attempt = throttle.begin('ivy', '10.0.2.1');
      assert.notEqual(typeof attempt, 'number', `attempt ${i}: a store outage is not a guess`);
      if (typeof attempt !== 'number') attempt.abandoned();
    }
    for (let i = 0; i < 5; i++) throttle.begin('ivy', '10.0.2.1'); // five real failures
    const sixth = throttle.begin('ivy', '10.0.2.1');
    assert.notEqual(typeof sixth, 'number');
    if (typeof sixth !== 'number') {
      sixth.abandoned();
      sixth.succeeded(); // settled once: the second call changes nothing
    }
    assert.notEqual(typeof throttle.begin('ivy', '10.0.2.1'), 'number', 'the abandoned sixth did not count');
    assert.equal(throttle.begin('ivy', '10.0.2.1'), 1, 'the seventh failure sets the wait');
  });

  it('stays bounded under a flood of made-up names', () => {
    const throttle = new LoginThrottle({ now: () => 0, maxEntries: 100 });
    for (let i = 0; i < 1000; i++) throttle.begin(`name${i}`, `addr${i}`);
    assert.ok(throttle.size <= 100);
  });
});

describe('slow clients', () => {
  it('are answered 408 within about a second of the configured timeouts', async () => {
    const server = createHttpServer((req, res) => {
      req.resume();
      req.on('end', () => res.end('ok'));
    }, { headers: 1, request: 2 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const probe = (chunks: string[]): Promise<{ seconds: number; status: string }> =>
      new Promise((resolve) => {
        const started = Date.now();
        const socket = connect(port, '127.0.0.1');
        let received = '';
        let next = 0;
        const timer = setInterval(() => {
          if (next < chunks.length) socket.write(chunks[next++] ?? '');
        }, 250);
        socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
        socket.on('error', () => undefined);
        socket.on('close', () => {
          clearInterval(timer);
          resolve({ seconds: (Date.now() - started) / 1000, status: received.split('\r\n')[0] ?? '' });
        });
      });
    try {
      const headers = await probe(['GET / HTTP/1.1\r\n', ...Array<string>(40).fill('X-Slow: 1\r\n')]);
      assert.equal(headers.status, 'HTTP/1.1 408 Request Timeout');
      assert.ok(headers.seconds >= 1 && headers.seconds < 3, `slow headers cut after ${headers.seconds} s`);
      const body = await probe(['POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n', ...Array<string>(40).fill('a')]);
      assert.equal(body.status, 'HTTP/1.1 408 Request Timeout');
      assert.ok(body.seconds >= 2 && body.seconds < 4, `slow body cut after ${body.seconds} s`);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('OPTIONS, as Flask answers it', () => {
  let h: Harness;
  before(async () => {
    h = await startDemo();
  });
  after(() => h.close());

  it('200, an empty body, and Allow with the route\'s methods, HEAD and OPTIONS', async () => {
    for (const [path, allow] of [
      ['/protected', 'GET, HEAD, OPTIONS'],
      ['/login', 'OPTIONS, POST'],
      ['/logout', 'DELETE, OPTIONS'],
      ['/', 'GET, HEAD, OPTIONS'],
    ] as const) {
      const answer = await h.request('OPTIONS', path);
      assert.deepEqual([answer.status, answer.text, answer.headers.get('allow')], [200, '', allow], path);
      assert.equal(answer.headers.get('content-type'), 'text/html; charset=utf-8');
    }
    assert.equal((await h.request('OPTIONS', '/nowhere')).status, 404);
  });
});

describe('guard options', () => {
  const manager = new JwtManager(loadConfig({ JWT_SECRET_KEY: SECRET }));

  it('are checked when the guard is made, with a clear error', () => {
    assert.throws(() => jwtRequired(manager, { locations: ['body' as 'json'] }), { name: 'TypeError', message: "'body' is not a valid location" });
    assert.throws(() => jwtRequired(manager, { fresh: 'yes' as unknown as boolean }), { name: 'TypeError', message: 'guard option "fresh" must be true or false' });
    assert.throws(() => jwtRequired(manager, { refesh: true } as never), { name: 'TypeError', message: 'unknown guard option "refesh"' });
  });

  it('an empty list of locations means the configured ones, as in the reference', async () => {
    const h = await startDemo();
    try {
      h.demo.router.add('GET', '/empty-locations', jwtRequired(h.demo.manager, { locations: [] })(() => json(200, { ok: true })));
      h.demo.router.add('GET', '/bad-location', async (ctx) => {
        await verifyJwtInRequest(h.demo.manager, ctx, { locations: ['nowhere' as 'json'] });
        return json(200, {});
      });
      const missing = await h.request('GET', '/empty-locations');
      assert.deepEqual([missing.status, missing.body], [401, { msg: 'Missing Authorization Header' }]);
      const { access } = await login(h, 'gina');
      assert.equal((await h.request('GET', '/empty-locations', { headers: bearer(access) })).status, 200);
      const bad = await h.request('GET', '/bad-location');
      assert.equal(bad.status, 500, 'a programming error, reported to the operator');
      assert.ok(h.logs.some((line) => line.includes("'nowhere' is not a valid location")));
    } finally {
      await h.close();
    }
  });
});
