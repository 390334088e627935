/** JwtManager: the claims it writes, its callbacks, and decodeToken's checks. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeUnverified, sign } from '../../lib/index.js';
import { json } from '../../server/http/reply.js';
import { loadConfig } from '../../server/jwt/config.js';
import { CsrfError, ExpiredSignatureError, InvalidTokenError } from '../../server/jwt/exceptions.js';
import { JwtManager } from '../../server/jwt/manager.js';
import { bearer, login, SECRET, startDemo, type Harness } from './harness.js';

const NOW = 1_800_000_000;
const manager = (overrides: Record<string, unknown> = {}): JwtManager =>
  new JwtManager(loadConfig({ JWT_SECRET_KEY: SECRET, ...overrides }), { now: () => NOW });

describe('createAccessToken / createRefreshToken', () => {
  it('writes the reference claims in the reference order', () => {
    const token = manager().createAccessToken('alice');
    const { header, payload } = decodeUnverified(token);
    assert.deepEqual(header, { alg: 'HS256', typ: 'JWT' });
    assert.deepEqual(Object.keys(payload), ['fresh', 'iat', 'jti', 'type', 'sub', 'nbf', 'csrf', 'exp']);
    assert.equal(payload['fresh'], false);
    assert.equal(payload.iat, NOW);
    assert.equal(payload.nbf, NOW);
    assert.equal(payload.exp, NOW + 900);
    assert.equal(payload['type'], 'access');
    assert.match(String(payload.jti), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(payload['csrf'], payload.jti);
  });

  it('makes refresh tokens that are never fresh and last 30 days', () => {
    const { payload } = decodeUnverified(manager().createRefreshToken('alice'));
    assert.equal(payload['type'], 'refresh');
    assert.equal(payload['fresh'], false);
    assert.equal(payload.exp, NOW + 30 * 24 * 3600);
  });

  it('honours fresh, expiresDelta, the encode options and the identity claim name', () => {
    const m = manager({ JWT_ENCODE_AUDIENCE: ['api'], JWT_ENCODE_ISSUER: 'me', JWT_ENCODE_NBF: false, JWT_COOKIE_CSRF_PROTECT: false, JWT_IDENTITY_CLAIM: 'identity', JWT_DECODE_AUDIENCE: 'api' });
    const { payload } = decodeUnverified(m.createAccessToken('alice', { fresh: NOW + 60, expiresDelta: false }));
    assert.deepEqual(payload, { fresh: NOW + 60, iat: NOW, jti: payload.jti, type: 'access', identity: 'alice', aud: ['api'], iss: 'me' });
    assert.equal(decodeUnverified(m.createAccessToken('a', { expiresDelta: 5 })).payload.exp, NOW + 5);
  });

  it('merges additional claims and headers from loaders and arguments, arguments last', () => {
    const m = manager();
    m.additionalClaimsLoader((identity) => ({ role: 'user', who: identity, type: 'custom' }));
    m.additionalHeadersLoader(() => ({ kid: 'k1' }));
    m.userIdentityLoader((identity) => `user:${String(identity)}`);
    const token = m.createAccessToken('alice', { additionalClaims: { role: 'admin' }, additionalHeaders: { kid: 'k2' } });
    const { header, payload } = decodeUnverified(token);
    assert.equal(header['kid'], 'k2');
    assert.deepEqual([payload['role'], payload['who'], payload['type'], payload.sub], ['admin', 'alice', 'custom', 'user:alice']);
  });

  it('lets an alg header choose the algorithm, and an encode-key loader the key', () => {
    const key = 'k'.repeat(64);
    // Both allowed algorithms need a key long enough for them, HS512's 64 bytes included.
    assert.throws(() => manager({ JWT_DECODE_ALGORITHMS: ['HS512'] }), { key: 'JWT_SECRET_KEY', message: /64 bytes/ });
    const m = manager({ JWT_DECODE_ALGORITHMS: ['HS512'], JWT_SECRET_KEY: SECRET.repeat(2) });
    m.encodeKeyLoader(() => key);
    m.decodeKeyLoader(() => key);
    const token = m.createAccessToken('alice', { additionalHeaders: { alg: 'HS512' } });
    assert.equal(decodeUnverified(token).header.alg, 'HS512');
    assert.equal(m.decodeToken(token).payload.sub, 'alice');
  });
});

describe('decodeToken', () => {
  it('fills the reference defaults for type, fresh and jti', () => {
    const m = manager();
    const token = sign({ sub: 'a' }, SECRET, { now: () => NOW });
    assert.deepEqual(m.decodeToken(token).payload, { sub: 'a', iat: NOW, type: 'access', fresh: false, jti: null });
  });

  it('fills the defaults in a copy: a cached token is shared, frozen, and never changed', () => {
    const m = new JwtManager(loadConfig({ JWT_SECRET_KEY: SECRET }), { now: () => NOW, verifyCacheSize: 10 });
    const partial = sign({ sub: 'a' }, SECRET, { now: () => NOW });
    const first = m.decodeToken(partial).payload;
    assert.deepEqual(first, { sub: 'a', iat: NOW, type: 'access', fresh: false, jti: null });
    assert.deepEqual(m.decodeToken(partial).payload, first); // the cached claims did not get the defaults written into them
    // A token of ours has all three: the verified claims are handed out as they are, shared by every request.
    const complete = m.createAccessToken('alice');
    const claims = m.decodeToken(complete).payload;
    assert.equal(m.decodeToken(complete).payload, claims);
    assert.ok(Object.isFrozen(claims));
    assert.throws(() => {
      (claims as Record<string, unknown>)['sub'] = 'mallory';
    }, TypeError);
  });

  it('checks the CSRF value against the csrf claim, in constant time', () => {
    const m = manager();
    const token = m.createAccessToken('a');
    const csrf = String(decodeUnverified(token).payload['csrf']);
    assert.equal(m.decodeToken(token, csrf).payload.sub, 'a');
    assert.throws(() => m.decodeToken(token, `${csrf}x`), CsrfError);
    assert.throws(() => m.decodeToken(token, 'é'), CsrfError);
    const noClaim = sign({ sub: 'a' }, SECRET);
    assert.throws(() => m.decodeToken(noClaim, 'x'), { message: 'Missing claim: csrf' });
    const numeric = sign({ sub: 'a', csrf: 5 }, SECRET);
    assert.throws(() => m.decodeToken(numeric, '5'), CsrfError);
  });

  it('gives the expired callback the claims, or reports the error that wins over expiry', () => {
    const m = manager();
    const expired = sign({ sub: 'a', exp: NOW - 1 }, SECRET, { noTimestamp: true });
    assert.throws(() => m.decodeToken(expired), (error: unknown) => {
      assert.ok(error instanceof ExpiredSignatureError);
      assert.equal(error.payload.sub, 'a');
      assert.equal(error.payload['type'], 'access');
      return true;
    });
    assert.equal(m.decodeToken(expired, undefined, true).payload.sub, 'a');
    const expiredCsrf = sign({ sub: 'a', exp: NOW - 1, csrf: 'x' }, SECRET, { noTimestamp: true });
    assert.throws(() => m.decodeToken(expiredCsrf, 'y'), CsrfError);
  });

  it('checks aud and iss when configured, with PyJWT messages', () => {
    const m = manager({ JWT_DECODE_AUDIENCE: ['api', 'web'], JWT_DECODE_ISSUER: 'me' });
    const good = sign({ sub: 'a', aud: 'web', iss: 'me' }, SECRET);
    assert.equal(m.decodeToken(good).payload.sub, 'a');
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ sub: 'a', iss: 'me' }, 'Token is missing the "aud" claim'],
      [{ sub: 'a', aud: 'other', iss: 'me' }, "Audience doesn't match"],
      [{ sub: 'a', aud: 'api' }, 'Token is missing the "iss" claim'],
      [{ sub: 'a', aud: 'api', iss: 'you' }, 'Invalid issuer'],
    ];
    for (const [claims, message] of cases) {
      assert.throws(() => m.decodeToken(sign(claims, SECRET)), { name: 'InvalidTokenError', message });
    }
  });

  it('ignores aud when no decode audience is configured, as the reference does', () => {
    assert.equal(manager().decodeToken(sign({ sub: 'a', aud: 'anyone' }, SECRET)).payload.sub, 'a');
  });

  it('applies the decode leeway', () => {
    const token = sign({ sub: 'a', exp: NOW - 5 }, SECRET, { noTimestamp: true });
    assert.throws(() => manager().decodeToken(token), ExpiredSignatureError);
    assert.equal(manager({ JWT_DECODE_LEEWAY: 10 }).decodeToken(token).payload.sub, 'a');
  });

  it('refuses non-string tokens', () => {
    assert.throws(() => manager().decodeToken(42), InvalidTokenError);
  });

  it('reports crit and b64 header problems with PyJWT messages', () => {
    const m = manager();
    const headerOnly = (header: object): string => {
      const h = Buffer.from(JSON.stringify(header)).toString('base64url');
      const p = Buffer.from('{"sub":"a"}').toString('base64url');
      return `${h}.${p}.${'A'.repeat(43)}`;
    };
    const cases: Array<[object, string]> = [
      [{ alg: 'HS256', crit: [] }, "Invalid 'crit' header: must be a non-empty list"],
      [{ alg: 'HS256', crit: 'x' }, "Invalid 'crit' header: must be a non-empty list"],
      [{ alg: 'HS256', crit: ['x', 1] }, "Invalid 'crit' header: values must be strings"],
      [{ alg: 'HS256', crit: ['x'], x: 1 }, 'Unsupported critical extension: x'],
      [{ alg: 'HS256', b64: false }, 'It is required that you pass in a value for the "detached_payload" argument to decode a message having the b64 header set to false.'],
      [{ alg: 'HS256', typ: 5 }, 'Invalid header string: "typ" must be a string (RFC 7515 §4.1.9)'],
      [{ alg: 7 }, 'The specified alg value is not allowed'],
    ];
    for (const [header, message] of cases) assert.throws(() => m.decodeToken(headerOnly(header)), { message });
    assert.throws(() => m.decodeToken(`${'a'.repeat(9000)}.b.c`), { message: /^Token is too large/ });
  });
});

describe('callbacks replaced by the user change the response', () => {
  let h: Harness;
  let access: string;
  before(async () => {
    h = await startDemo({ JWT_ERROR_MESSAGE_KEY: 'error' });
    ({ access } = await login(h));
  });
  after(() => h.close());

  it('uses JWT_ERROR_MESSAGE_KEY for the default bodies', async () => {
    assert.deepEqual((await h.request('GET', '/protected')).body, { error: 'Missing Authorization Header' });
  });

  it('replaces each response callback', async () => {
    const m = h.demo.manager;
    m.unauthorizedLoader((reason) => json(499, { custom: reason }));
    m.invalidTokenLoader((reason) => json(498, { custom: reason }));
    m.expiredTokenLoader((_h, payload) => json(497, { expired_for: payload.sub }));
    m.needsFreshTokenLoader(() => json(496, { custom: 'fresh' }));
    m.revokedTokenLoader(() => json(495, { custom: 'revoked' }));
    m.tokenVerificationFailedLoader(() => json(494, { custom: 'claims' }));
    m.userLookupErrorLoader(() => json(493, { custom: 'lookup' }));
    assert.deepEqual((await h.request('GET', '/protected')).body, { custom: 'Missing Authorization Header' });
    assert.equal((await h.request('GET', '/protected', { headers: bearer('x.y.z') })).status, 498);
    const expired = await h.request('GET', '/protected', { headers: bearer(h.demo.manager.createAccessToken('alice', { expiresDelta: 1 })) });
    assert.equal(expired.status, 200);
    h.now += 5;
    const later = await h.request('GET', '/protected', { headers: bearer(h.demo.manager.createAccessToken('alice', { expiresDelta: 1 })) });
    h.now -= 5;
    assert.equal(later.status, 200);
    const stale = h.demo.manager.createAccessToken('alice', { expiresDelta: 1 });
    h.now += 5;
    const staleAnswer = await h.request('GET', '/protected', { headers: bearer(stale) });
    h.now -= 5;
    assert.deepEqual([staleAnswer.status, staleAnswer.body], [497, { expired_for: 'alice' }]);
    assert.equal((await h.request('POST', '/fresh', { headers: bearer(h.demo.manager.createAccessToken('alice')) })).status, 496);

    m.tokenVerificationLoader((_h, payload) => payload['role'] !== 'banned');
    const banned = h.demo.manager.createAccessToken('alice', { additionalClaims: { role: 'banned' } });
    assert.equal((await h.request('GET', '/protected', { headers: bearer(banned) })).status, 494);

    m.tokenInBlocklistLoader(() => true);
    assert.equal((await h.request('GET', '/protected', { headers: bearer(access) })).status, 495);
    m.tokenInBlocklistLoader(() => false);
    m.userLookupLoader(() => null);
    assert.equal((await h.request('GET', '/protected', { headers: bearer(access) })).status, 493);
  });

  it('the default verification-failed answer is 400', async () => {
    const fresh = await startDemo();
    try {
      const tokens = await login(fresh);
      fresh.demo.manager.tokenVerificationLoader(() => Promise.resolve(false));
      const answer = await fresh.request('GET', '/protected', { headers: bearer(tokens.access) });
      assert.deepEqual([answer.status, answer.body], [400, { msg: 'User claims verification failed' }]);
    } finally {
      await fresh.close();
    }
  });
});
