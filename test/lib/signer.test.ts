import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSigner, decodeUnverified, sign, signBytes, verify } from '../../lib/index.js';
import type { JwtPayload } from '../../lib/index.js';
import { clockAt, KEY32, KEY64, NOW } from '../helpers.js';

describe('sign', () => {
  it('makes header.payload.signature with {"alg":"HS256","typ":"JWT"} and an iat', () => {
    const token = sign({ sub: 'alice' }, KEY32, { now: clockAt(NOW) });
    const [header, payload] = token.split('.');
    assert.equal(Buffer.from(header ?? '', 'base64url').toString(), '{"alg":"HS256","typ":"JWT"}');
    assert.equal(Buffer.from(payload ?? '', 'base64url').toString(), `{"sub":"alice","iat":${NOW}}`);
  });

  it('floors a fractional clock for iat', () => {
    assert.equal(decodeUnverified(sign({}, KEY32, { now: clockAt(NOW + 0.9) })).payload.iat, NOW);
  });

  it('sets exp, nbf, aud, iss, sub and jti from options', () => {
    const token = sign({ role: 'admin' }, KEY32, {
      now: clockAt(NOW),
      expiresIn: 900,
      notBefore: 5,
      audience: ['api', 'web'],
      issuer: 'https://issuer.example',
      subject: 'alice',
      jwtId: 'id-1',
    });
    assert.deepEqual(decodeUnverified(token).payload, {
      role: 'admin',
      iat: NOW,
      nbf: NOW + 5,
      exp: NOW + 900,
      aud: ['api', 'web'],
      iss: 'https://issuer.example',
      sub: 'alice',
      jti: 'id-1',
    });
  });

  it('counts relative times from the payload iat when it has one', () => {
    const token = sign({ iat: 1000 }, KEY32, { expiresIn: 60, now: clockAt(NOW) });
    assert.deepEqual(decodeUnverified(token).payload, { iat: 1000, exp: 1060 });
  });

  it('leaves iat out with noTimestamp', () => {
    assert.deepEqual(decodeUnverified(sign({ a: 1 }, KEY32, { noTimestamp: true })).payload, { a: 1 });
  });

  it('adds extra header parameters and keeps alg from the algorithm', () => {
    const token = sign({}, KEY64, { algorithm: 'HS512', header: { kid: 'k1', typ: 'at+jwt' } });
    assert.deepEqual(decodeUnverified(token).header, { alg: 'HS512', typ: 'at+jwt', kid: 'k1' });
    assert.equal(decodeUnverified(token).signature.length, 64);
  });

  it('signs with each algorithm of the table', () => {
    for (const algorithm of ['HS256', 'HS384', 'HS512'] as const) {
      const token = sign({ n: 1 }, KEY64, { algorithm });
      assert.equal(verify(token, KEY64, { algorithms: [algorithm] }).payload['n'], 1);
    }
  });

  it('refuses a header that contradicts the algorithm, or asks for crit or b64', () => {
    assert.throws(() => createSigner({ key: KEY32, header: { alg: 'none' } }), { code: 'ERR_JWT_INVALID_OPTIONS' });
    assert.throws(() => createSigner({ key: KEY32, header: { crit: ['exp'], exp: 1 } }), { code: 'ERR_JWT_INVALID_OPTIONS' });
    assert.throws(() => createSigner({ key: KEY32, header: { b64: false } }), { code: 'ERR_JWT_INVALID_OPTIONS' });
    assert.throws(() => createSigner({ key: KEY32, header: [] as unknown as { [k: string]: unknown } }), { code: 'ERR_JWT_INVALID_OPTIONS' });
  });

  it('refuses unknown algorithms and none', () => {
    for (const algorithm of ['none', 'ES256K', 'hs256']) {
      assert.throws(() => createSigner({ key: KEY32, algorithm: algorithm as 'HS256' }), { code: 'ERR_JWT_ALG_UNSUPPORTED' });
    }
  });

  it('refuses bad durations', () => {
    for (const value of [-1, Number.NaN, Number.POSITIVE_INFINITY, '60' as unknown as number]) {
      assert.throws(() => createSigner({ key: KEY32, expiresIn: value }), { code: 'ERR_JWT_INVALID_OPTIONS' });
      assert.throws(() => createSigner({ key: KEY32, notBefore: value }), { code: 'ERR_JWT_INVALID_OPTIONS' });
    }
  });

  it('refuses options of the wrong claim type', () => {
    assert.throws(() => createSigner({ key: KEY32, subject: 42 as unknown as string }), { code: 'ERR_JWT_CLAIM_TYPE', claim: 'sub' });
    assert.throws(() => createSigner({ key: KEY32, audience: [1] as unknown as string[] }), { code: 'ERR_JWT_CLAIM_TYPE', claim: 'aud' });
  });

  it('refuses a claim set both in the payload and by an option', () => {
    assert.throws(() => sign({ exp: 5 }, KEY32, { expiresIn: 60 }), { code: 'ERR_JWT_PAYLOAD_INVALID', message: /"exp"/ });
    assert.throws(() => sign({ sub: 'a' }, KEY32, { subject: 'b' }), { code: 'ERR_JWT_PAYLOAD_INVALID' });
    assert.doesNotThrow(() => sign({ sub: 'a' }, KEY32, { subject: 'a' }));
  });

  it('refuses payloads that are not plain JSON objects (RFC 7519 §7.1)', () => {
    for (const payload of [null, [], 'text', 42, new Date(), new Map(), Buffer.from('x')]) {
      assert.throws(() => sign(payload as unknown as JwtPayload, KEY32), { code: 'ERR_JWT_PAYLOAD_INVALID' });
    }
    assert.doesNotThrow(() => sign(Object.create(null) as JwtPayload, KEY32));
  });

  it('refuses values JSON would drop or change, instead of losing them silently', () => {
    const cyclic: { [k: string]: unknown } = {};
    cyclic['self'] = cyclic;
    const cases: Array<[JwtPayload, RegExp]> = [
      [{ a: undefined }, /payload\.a is undefined/],
      [{ a: () => 1 }, /a function/],
      [{ a: Symbol('s') }, /a symbol/],
      [{ a: 1n }, /a bigint/],
      [{ a: Number.NaN }, /NaN/],
      [{ a: { b: [1, Number.POSITIVE_INFINITY] } }, /payload\.a\.b\[1\] is Infinity/],
      [{ a: new Date(0) }, /a Date/],
      [{ a: new Map() }, /not a plain object/],
      [{ a: [1, , 3] }, /payload\.a\[1\] is undefined/],
      [cyclic, /refer back to itself/],
    ];
    for (const [payload, message] of cases) {
      assert.throws(() => sign(payload, KEY32), { code: 'ERR_JWT_PAYLOAD_INVALID', message });
    }
  });

  it('accepts repeated (not cyclic) references', () => {
    const shared = { x: 1 };
    assert.doesNotThrow(() => sign({ a: shared, b: shared }, KEY32));
  });

  it('refuses registered claims of the wrong type (RFC 7519 §4.1)', () => {
    const cases: Array<[object, string]> = [
      [{ exp: '1700000000' }, 'exp'],
      [{ nbf: true }, 'nbf'],
      [{ iat: null }, 'iat'],
      [{ iss: 1 }, 'iss'],
      [{ sub: 12345 }, 'sub'],
      [{ jti: {} }, 'jti'],
      [{ aud: 7 }, 'aud'],
      [{ aud: ['a', 2] }, 'aud'],
    ];
    for (const [payload, claim] of cases) {
      assert.throws(() => sign(payload as JwtPayload, KEY32, { noTimestamp: true }), { code: 'ERR_JWT_CLAIM_TYPE', claim });
    }
  });
});

describe('sign: times are seconds', () => {
  it('refuses an iat that is not a NumericDate instead of replacing it with the clock', () => {
    for (const iat of ['now', null, true, {}]) {
      assert.throws(() => sign({ iat } as unknown as JwtPayload, KEY32, { now: clockAt(NOW) }), { code: 'ERR_JWT_CLAIM_TYPE', claim: 'iat' });
    }
    assert.throws(() => sign({ iat: 'x' } as unknown as JwtPayload, KEY32, { expiresIn: 60 }), { code: 'ERR_JWT_CLAIM_TYPE', claim: 'iat' });
  });

  it('refuses dates past the year 9999, with the milliseconds hint (RFC 7519 §2)', () => {
    const ms = NOW * 1000 + 1000;
    assert.throws(() => sign({ exp: ms }, KEY32, { now: clockAt(NOW) }), {
      code: 'ERR_JWT_PAYLOAD_INVALID',
      message: /"exp" is \d+, beyond the year 9999: JWT times are seconds since 1970, not milliseconds/,
    });
    assert.throws(() => sign({}, KEY32, { now: clockAt(NOW * 1000) }), { code: 'ERR_JWT_PAYLOAD_INVALID', message: /"iat"/ });
    assert.throws(() => sign({ nbf: -253402300800 }, KEY32), { code: 'ERR_JWT_PAYLOAD_INVALID', message: /"nbf"/ });
    // The last second of 9999 is still a date.
    assert.equal(decodeUnverified(sign({ exp: 253402300799 }, KEY32, { now: clockAt(NOW) })).payload.exp, 253402300799);
  });
});

describe('signBytes', () => {
  it('signs the exact bytes given, without re-serialising', () => {
    const header = Buffer.from('{"alg":"HS256" ,\n"typ":"JWT"}');
    const payload = Buffer.from('{"a" : 1}');
    const token = signBytes(header, payload, KEY32);
    const [h, p] = token.split('.');
    assert.deepEqual(Buffer.from(h ?? '', 'base64url'), header);
    assert.deepEqual(Buffer.from(p ?? '', 'base64url'), payload);
    assert.equal(verify(token, KEY32).payload['a'], 1);
  });

  it('needs a header with a supported alg that agrees with the options', () => {
    assert.throws(() => signBytes(Buffer.from('{"typ":"JWT"}'), Buffer.from('{}'), KEY32), { code: 'ERR_JWT_INVALID_OPTIONS' });
    assert.throws(() => signBytes(Buffer.from('{"alg":"none"}'), Buffer.from('{}'), KEY32), { code: 'ERR_JWT_ALG_UNSUPPORTED' });
    assert.throws(() => signBytes(Buffer.from('{"alg":"HS256"}'), Buffer.from('{}'), KEY64, { algorithm: 'HS512' }), { code: 'ERR_JWT_INVALID_OPTIONS' });
    assert.throws(() => signBytes(Buffer.from('[1]'), Buffer.from('{}'), KEY32), { code: 'ERR_JWT_MALFORMED' });
  });
});

describe('parseDuration', () => {
  it('reads seconds and durations with a unit, and nothing else', async () => {
    const { parseDuration } = await import('../../lib/index.js');
    assert.equal(parseDuration('900'), 900);
    assert.equal(parseDuration(' 1.5 '), 1.5);
    assert.equal(parseDuration('90s'), 90);
    assert.equal(parseDuration('15m'), 900);
    assert.equal(parseDuration('1 h'), 3600);
    assert.equal(parseDuration('30d'), 2592000);
    for (const bad of ['', '-5', '15 min', 'm', '1e3', '0x10', '15M']) assert.equal(parseDuration(bad), undefined, bad);
  });
});
