import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createHmac } from 'node:crypto';
import { createVerifier, sign, signBytes, verify } from '../../lib/index.js';
import type { VerifyOptions } from '../../lib/index.js';
import { clockAt, KEY32, KEY64, NOW, segment } from '../helpers.js';

const at = { now: clockAt(NOW) };

/** Signs exact header and payload text with KEY32 (or another key). */
function forge(header: string | object, payload: string | object, key: Uint8Array = KEY32): string {
  const text = (value: string | object): Buffer => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
  return signBytes(text(header), text(payload), key, { allowInsecureShortKey: true });
}

/** A token whose signature is HMAC-SHA256 over header.payload, whatever the header claims. */
function hs256Over(headerSegment: string, payloadSegment: string, key: Uint8Array = KEY32): string {
  const input = `${headerSegment}.${payloadSegment}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
}

describe('verify: the happy path', () => {
  it('returns the header and the payload of a good token', () => {
    const token = sign({ sub: 'alice', admin: false }, KEY32, { ...at, expiresIn: 60 });
    assert.deepEqual(verify(token, KEY32, at), {
      header: { alg: 'HS256', typ: 'JWT' },
      payload: { sub: 'alice', admin: false, iat: NOW, exp: NOW + 60 },
    });
  });

  it('round-trips Unicode claims', () => {
    const token = sign({ name: 'Zoë 😀', quote: 'It’s' }, KEY32);
    assert.equal(verify(token, KEY32).payload['name'], 'Zoë 😀');
  });

  it('accepts non-integer NumericDates (RFC 7519 §2)', () => {
    const token = forge({ alg: 'HS256' }, { exp: NOW + 0.5, nbf: NOW - 0.5, iat: NOW - 0.25 });
    assert.equal(verify(token, KEY32, at).payload.exp, NOW + 0.5);
  });

  it('verifies a very large token when the limit is raised', () => {
    const token = sign({ blob: 'z'.repeat(100_000), name: 'Zoë' }, KEY32);
    assert.throws(() => verify(token, KEY32), { code: 'ERR_JWT_TOO_LARGE' });
    const { payload } = verify(token, KEY32, { maxTokenLength: 200_000 });
    assert.equal(String(payload['blob']).length, 100_000);
    assert.equal(payload['name'], 'Zoë');
  });

  it('returns a frozen header, the same one for the same header segment', () => {
    const verifier = createVerifier({ key: KEY32 });
    const first = verifier(sign({ a: 1 }, KEY32, { header: { kid: 'k', x: { y: [1] } } }));
    const second = verifier(sign({ a: 2 }, KEY32, { header: { kid: 'k', x: { y: [1] } } }));
    assert.equal(first.header, second.header);
    assert.ok(Object.isFrozen(first.header) && Object.isFrozen(first.header['x']));
    assert.throws(() => ((first.header['x'] as { y: number[] }).y as number[]).push(2), TypeError);
  });

  it('keeps verifying correctly while many different headers churn its header cache', () => {
    const verifier = createVerifier({ key: KEY32 });
    for (let i = 0; i < 40; i++) {
      const token = sign({ i }, KEY32, { header: { kid: `key-${i}` } });
      assert.equal(verifier(token).header['kid'], `key-${i}`);
      assert.equal(verifier(sign({ i }, KEY32)).payload['i'], i);
    }
    const deep = forge(`{"alg":"HS256","x":${'['.repeat(3000)}${']'.repeat(3000)}}`, {});
    assert.ok(Object.isFrozen(verifier(deep).header));
  });

  it('prepares once and verifies many tokens', () => {
    const verifier = createVerifier({ key: KEY32, ...at });
    for (let i = 0; i < 20; i++) assert.equal(verifier(sign({ i }, KEY32, at)).payload['i'], i);
  });
});

describe('verify: structure', () => {
  it('refuses anything but exactly three segments (RFC 7515 §7.1)', () => {
    const good = sign({}, KEY32);
    for (const token of ['', 'abc', 'a.b', `${good}.x`, 'a.b.c.d.e', '..', '...']) {
      const expected = token === '..' ? { code: 'ERR_JWT_MALFORMED', part: 'header' } : { code: 'ERR_JWT_MALFORMED', part: 'token' };
      assert.throws(() => verify(token, KEY32), expected, JSON.stringify(token));
    }
    assert.throws(() => verify('a.b.c.d.e', KEY32), { message: /JWE/ });
  });

  it('refuses a non-string token', () => {
    for (const token of [undefined, null, 42, {}, Buffer.from('a.b.c')]) {
      assert.throws(() => verify(token as unknown as string, KEY32), { code: 'ERR_JWT_MALFORMED', part: 'token' });
    }
  });

  it('refuses tokens longer than the limit before doing any work', () => {
    const big = 'a'.repeat(8193);
    assert.throws(() => verify(big, KEY32), { code: 'ERR_JWT_TOO_LARGE', limit: 8192, length: 8193 });
    const token = sign({ pad: 'x'.repeat(200) }, KEY32);
    assert.throws(() => verify(token, KEY32, { maxTokenLength: 100 }), { code: 'ERR_JWT_TOO_LARGE' });
    assert.doesNotThrow(() => verify(token, KEY32, { maxTokenLength: token.length }));
  });

  it('refuses whitespace anywhere in the token', () => {
    const token = sign({ a: 1 }, KEY32);
    const dot = token.indexOf('.');
    for (const bad of [` ${token}`, `${token} `, `${token}\n`, `${token.slice(0, dot)}\n.${token.slice(dot + 1)}`, `${token.slice(0, 5)} ${token.slice(5)}`]) {
      assert.throws(() => verify(bad, KEY32), { code: 'ERR_BASE64URL_INVALID', message: /whitespace/ });
    }
  });

  it('names the segment and position of a bad base64url character', () => {
    const token = sign({ a: 1 }, KEY32);
    const bad = `${token.slice(0, 3)}=${token.slice(4)}`;
    assert.throws(() => verify(bad, KEY32), { code: 'ERR_BASE64URL_INVALID', part: 'header', position: 3 });
    const [h, p, s] = token.split('.') as [string, string, string];
    assert.throws(() => verify(`${h}.${p}.${s.slice(0, -1)}+`, KEY32), { code: 'ERR_BASE64URL_INVALID', part: 'signature', position: token.length - 1 });
  });

  it('refuses padded segments', () => {
    const token = hs256Over(`${segment({ alg: 'HS256' })}=`, segment({}));
    assert.throws(() => verify(token, KEY32), { code: 'ERR_BASE64URL_INVALID', part: 'header' });
  });

  it('refuses a header that is not a JSON object', () => {
    for (const header of ['not json', '[]', '"HS256"', 'null', '{"alg":"HS256"']) {
      assert.throws(() => verify(hs256Over(segment(header), segment({})), KEY32), { code: 'ERR_JWT_MALFORMED', part: 'header' }, header);
    }
  });

  it('refuses a header with invalid UTF-8 or a byte-order mark', () => {
    const invalid = Buffer.from([0x7b, 0x22, 0x61, 0x6c, 0x67, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]).toString('base64url');
    assert.throws(() => verify(hs256Over(invalid, segment({})), KEY32), { code: 'ERR_JWT_MALFORMED', message: /UTF-8/ });
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"alg":"HS256"}')]).toString('base64url');
    assert.throws(() => verify(hs256Over(bom, segment({})), KEY32), { code: 'ERR_JWT_MALFORMED', message: /byte-order mark/ });
  });

  it('refuses duplicate header names, which could hide a second alg', () => {
    const token = hs256Over(segment('{"alg":"none","alg":"HS256"}'), segment({}));
    assert.throws(() => verify(token, KEY32), { code: 'ERR_JWT_MALFORMED', part: 'header', message: /duplicate/ });
  });

  it('refuses a payload that is not a JSON object, after checking its signature', () => {
    for (const payload of ['[]', '"text"', 'null', '42', '{"a":1', '']) {
      assert.throws(() => verify(forge({ alg: 'HS256' }, payload), KEY32), { code: 'ERR_JWT_MALFORMED', part: 'payload' }, payload);
    }
  });

  it('refuses duplicate claim names', () => {
    const token = forge({ alg: 'HS256' }, '{"sub":"alice","admin":false,"admin":true}');
    assert.throws(() => verify(token, KEY32), { code: 'ERR_JWT_MALFORMED', part: 'payload', message: /duplicate/ });
  });
});

describe('verify: algorithm (RFC 8725 §3.1)', () => {
  it('never accepts alg none, in any casing, with or without a signature', () => {
    for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
      const unsigned = `${segment({ alg, typ: 'JWT' })}.${segment({ sub: 'admin' })}.`;
      assert.throws(() => verify(unsigned, KEY32), { code: 'ERR_JWT_ALG_NOT_ALLOWED' }, alg);
      const signed = hs256Over(segment({ alg }), segment({ sub: 'admin' }));
      assert.throws(() => verify(signed, KEY32), { code: 'ERR_JWT_ALG_NOT_ALLOWED' }, alg);
    }
  });

  it('refuses none in the allow-list itself', () => {
    assert.throws(() => createVerifier({ key: KEY32, algorithms: ['none' as 'HS256'] }), { code: 'ERR_JWT_ALG_UNSUPPORTED' });
  });

  it('refuses an algorithm outside the allow-list, naming the list', () => {
    const token = sign({}, KEY64, { algorithm: 'HS512' });
    assert.throws(() => verify(token, KEY64), { code: 'ERR_JWT_ALG_NOT_ALLOWED', algorithm: 'HS512', allowed: ['HS256'], message: /allowed: HS256/ });
    assert.doesNotThrow(() => verify(token, KEY64, { algorithms: ['HS256', 'HS512'] }));
  });

  it('refuses a missing, non-string, or unknown alg', () => {
    for (const alg of [undefined, 256, null, ['HS256'], { name: 'HS256' }]) {
      const header = alg === undefined ? { typ: 'JWT' } : { alg };
      assert.throws(() => verify(hs256Over(segment(header), segment({})), KEY32), { code: 'ERR_JWT_HEADER_INVALID', parameter: 'alg' });
    }
    for (const alg of ['RS256', 'ES256', 'hs256', 'HS256 ', 'constructor', '__proto__']) {
      assert.throws(() => verify(hs256Over(segment({ alg }), segment({})), KEY32), { code: 'ERR_JWT_ALG_NOT_ALLOWED' }, alg);
    }
  });

  it('refuses bad verifier options at set-up time', () => {
    const bad: VerifyOptions[] = [
      { algorithms: [] },
      { algorithms: 'HS256' as unknown as ['HS256'] },
      { leeway: -1 },
      { maxAge: Number.NaN },
      { maxTokenLength: 0 },
      { maxTokenLength: 1.5 },
      { audience: 'a', skipAudienceCheck: true },
      { audience: 5 as unknown as string },
      { issuer: [1] as unknown as string[] },
      { requiredClaims: 'exp' as unknown as string[] },
      { subject: 1 as unknown as string },
      { typ: {} as unknown as string },
    ];
    for (const options of bad) {
      assert.throws(() => createVerifier({ key: KEY32, ...options }), { code: 'ERR_JWT_INVALID_OPTIONS' }, JSON.stringify(options));
    }
  });
});

describe('verify: header parameters', () => {
  it('refuses unknown critical extensions (RFC 7515 §4.1.11)', () => {
    const cases: Array<[object, RegExp]> = [
      [{ alg: 'HS256', crit: ['exp'], exp: 1 }, /unsupported critical extension "exp"/],
      [{ alg: 'HS256', crit: ['b64'], b64: true }, /unsupported critical extension/],
      [{ alg: 'HS256', crit: [] }, /non-empty array/],
      [{ alg: 'HS256', crit: 'exp' }, /non-empty array/],
      [{ alg: 'HS256', crit: [1] }, /must be strings/],
      [{ alg: 'HS256', crit: ['alg'] }, /registered parameter "alg"/],
      [{ alg: 'HS256', crit: ['x-missing'] }, /missing from the header/],
    ];
    for (const [header, message] of cases) {
      assert.throws(() => verify(forge(header, {}), KEY32), { code: 'ERR_JWT_HEADER_INVALID', parameter: 'crit', message });
    }
  });

  it('refuses typ, cty and kid that are not strings', () => {
    for (const parameter of ['typ', 'cty', 'kid']) {
      assert.throws(() => verify(forge({ alg: 'HS256', [parameter]: 1 }, {}), KEY32), { code: 'ERR_JWT_HEADER_INVALID', parameter });
    }
  });

  it('refuses b64: false (RFC 7797), which changes what is signed', () => {
    assert.throws(() => verify(forge({ alg: 'HS256', b64: false }, {}), KEY32), { code: 'ERR_JWT_HEADER_INVALID', parameter: 'b64' });
  });

  it('ignores keys embedded in the header (jwk, jku, x5u): the caller key decides', () => {
    const attackerKey = Buffer.alloc(32, 0x41);
    const header = { alg: 'HS256', jwk: { kty: 'oct', k: attackerKey.toString('base64url') }, jku: 'https://evil.example/keys' };
    const token = forge(header, { sub: 'admin' }, attackerKey);
    assert.throws(() => verify(token, KEY32), { code: 'ERR_JWT_SIGNATURE_INVALID' });
  });

  it('checks typ when asked, as a media type (RFC 7515 §4.1.9)', () => {
    const token = sign({}, KEY32, { header: { typ: 'at+jwt' } });
    for (const typ of ['at+jwt', 'AT+JWT', 'application/at+jwt']) assert.doesNotThrow(() => verify(token, KEY32, { typ }));
    assert.throws(() => verify(token, KEY32, { typ: 'JWT' }), { code: 'ERR_JWT_CLAIM_INVALID', claim: 'typ', reason: 'mismatch' });
    const untyped = forge({ alg: 'HS256' }, {});
    assert.throws(() => verify(untyped, KEY32, { typ: 'JWT' }), { code: 'ERR_JWT_CLAIM_INVALID', claim: 'typ', reason: 'missing' });
  });
});

describe('verify: signature', () => {
  const token = sign({ sub: 'alice' }, KEY32, at);
  const [h, p, s] = token.split('.') as [string, string, string];

  it('refuses every single-bit change in the last byte of the signature', () => {
    const mac = Buffer.from(s, 'base64url');
    for (let bit = 0; bit < 8; bit++) {
      const changed = Buffer.from(mac);
      changed[31] = (changed[31] ?? 0) ^ (1 << bit);
      assert.throws(() => verify(`${h}.${p}.${changed.toString('base64url')}`, KEY32, at), { code: 'ERR_JWT_SIGNATURE_INVALID' }, `bit ${bit}`);
    }
  });

  it('refuses a changed payload or header', () => {
    const admin = segment({ sub: 'admin', iat: NOW });
    assert.throws(() => verify(`${h}.${admin}.${s}`, KEY32, at), { code: 'ERR_JWT_SIGNATURE_INVALID' });
    const other = segment({ typ: 'JWT', alg: 'HS256' });
    assert.throws(() => verify(`${other}.${p}.${s}`, KEY32, at), { code: 'ERR_JWT_SIGNATURE_INVALID' });
  });

  it('refuses the wrong key', () => {
    assert.throws(() => verify(token, Buffer.alloc(32, 1), at), { code: 'ERR_JWT_SIGNATURE_INVALID' });
  });

  it('refuses an empty, truncated or extended signature', () => {
    const mac = Buffer.from(s, 'base64url');
    for (const bytes of [Buffer.alloc(0), mac.subarray(0, 16), mac.subarray(0, 31), Buffer.concat([mac, Buffer.from([0])])]) {
      assert.throws(() => verify(`${h}.${p}.${bytes.toString('base64url')}`, KEY32, at), { code: 'ERR_JWT_SIGNATURE_INVALID' });
    }
  });

  it('refuses a second spelling of the same signature (non-canonical last character)', () => {
    const last = s.charAt(s.length - 1);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = alphabet.charAt(alphabet.indexOf(last) + 1); // same top bits, non-zero unused bits
    assert.throws(() => verify(`${h}.${p}.${s.slice(0, -1)}${twin}`, KEY32, at), { code: 'ERR_BASE64URL_INVALID', part: 'signature' });
  });

  it('checks the signature before reading a single claim', () => {
    const expired = sign({ exp: NOW - 100 }, KEY32, at);
    assert.throws(() => verify(expired, Buffer.alloc(32, 2), at), { code: 'ERR_JWT_SIGNATURE_INVALID' });
    const garbage = `${h}.${segment('not json')}.${s}`;
    assert.throws(() => verify(garbage, KEY32, at), { code: 'ERR_JWT_SIGNATURE_INVALID' });
    const badBase64 = `${h}.${p.slice(0, -1)}!.${s}`;
    assert.throws(() => verify(badBase64, KEY32, at), { code: 'ERR_JWT_SIGNATURE_INVALID' });
  });

  it('does not accept a signature made with a non-ASCII lookalike of the signing input', () => {
    // 'Ł' is U+0141: a latin1 conversion would truncate it to 'A'.
    const lookalike = hs256Over(h, p.replace(/A/, 'Ł'));
    assert.throws(() => verify(lookalike, KEY32, at), { code: 'ERR_BASE64URL_INVALID', part: 'payload' });
  });
});

describe('verify: time claims (RFC 7519 §4.1.4-4.1.6)', () => {
  const verifyAt = (token: string, now: number, options: VerifyOptions = {}) => verify(token, KEY32, { ...options, now: clockAt(now) });

  it('accepts a token until exp and refuses it from exp on', () => {
    const token = forge({ alg: 'HS256' }, { exp: NOW });
    assert.doesNotThrow(() => verifyAt(token, NOW - 1));
    assert.doesNotThrow(() => verifyAt(token, NOW - 0.001));
    assert.throws(() => verifyAt(token, NOW), { code: 'ERR_JWT_EXPIRED', claim: 'exp' });
    assert.throws(() => verifyAt(token, NOW + 1), (error: unknown) => {
      assert.ok(error instanceof Error && 'expiredAt' in error);
      assert.deepEqual(error.expiredAt, new Date(NOW * 1000));
      return true;
    });
  });

  it('extends exp by the leeway, exactly', () => {
    const token = forge({ alg: 'HS256' }, { exp: NOW });
    assert.doesNotThrow(() => verifyAt(token, NOW + 29, { leeway: 30 }));
    assert.doesNotThrow(() => verifyAt(token, NOW + 29.999, { leeway: 30 }));
    assert.throws(() => verifyAt(token, NOW + 30, { leeway: 30 }), { code: 'ERR_JWT_EXPIRED' });
  });

  it('refuses a token before nbf, with leeway', () => {
    const token = forge({ alg: 'HS256' }, { nbf: NOW });
    assert.throws(() => verifyAt(token, NOW - 1), { code: 'ERR_JWT_NOT_YET_VALID', claim: 'nbf' });
    assert.doesNotThrow(() => verifyAt(token, NOW));
    assert.doesNotThrow(() => verifyAt(token, NOW - 10, { leeway: 10 }));
    assert.throws(() => verifyAt(token, NOW - 10.001, { leeway: 10 }), { code: 'ERR_JWT_NOT_YET_VALID' });
  });

  it('refuses a token issued in the future, with leeway', () => {
    const token = forge({ alg: 'HS256' }, { iat: NOW + 60 });
    assert.throws(() => verifyAt(token, NOW), { code: 'ERR_JWT_NOT_YET_VALID', claim: 'iat' });
    assert.doesNotThrow(() => verifyAt(token, NOW, { leeway: 60 }));
  });

  it('reports iat before nbf before exp when several are wrong (PyJWT order)', () => {
    const future = forge({ alg: 'HS256' }, { iat: NOW + 60, nbf: NOW + 60, exp: NOW - 1 });
    assert.throws(() => verifyAt(future, NOW), { code: 'ERR_JWT_NOT_YET_VALID', claim: 'iat' });
    const nbfAndExp = forge({ alg: 'HS256' }, { nbf: NOW + 60, exp: NOW - 1 });
    assert.throws(() => verifyAt(nbfAndExp, NOW), { code: 'ERR_JWT_NOT_YET_VALID', claim: 'nbf' });
  });

  it('ignores exp with ignoreExpiration, and nothing else', () => {
    const token = forge({ alg: 'HS256' }, { exp: NOW - 1000, aud: 'x' });
    assert.throws(() => verifyAt(token, NOW, { ignoreExpiration: true }), { code: 'ERR_JWT_CLAIM_INVALID', claim: 'aud' });
    assert.doesNotThrow(() => verifyAt(token, NOW, { ignoreExpiration: true, audience: 'x' }));
  });

  it('refuses time claims that are not finite numbers', () => {
    for (const claim of ['exp', 'nbf', 'iat']) {
      for (const value of ['1700000000', true, null, [NOW], { t: NOW }]) {
        assert.throws(() => verifyAt(forge({ alg: 'HS256' }, { [claim]: value }), NOW), { code: 'ERR_JWT_CLAIM_TYPE', claim });
      }
      assert.throws(() => verifyAt(forge({ alg: 'HS256' }, `{"${claim}":1e999}`), NOW), { code: 'ERR_JWT_CLAIM_TYPE', claim });
    }
  });

  it('bounds the age of a token with maxAge', () => {
    const token = forge({ alg: 'HS256' }, { iat: NOW - 100 });
    assert.doesNotThrow(() => verifyAt(token, NOW, { maxAge: 101 }));
    assert.throws(() => verifyAt(token, NOW, { maxAge: 100 }), { code: 'ERR_JWT_EXPIRED', claim: 'iat' });
    assert.doesNotThrow(() => verifyAt(token, NOW, { maxAge: 100, leeway: 1 }));
    assert.throws(() => verifyAt(forge({ alg: 'HS256' }, {}), NOW, { maxAge: 100 }), { code: 'ERR_JWT_CLAIM_INVALID', claim: 'iat', reason: 'missing' });
  });

  it('uses the real clock by default', () => {
    assert.throws(() => verify(forge({ alg: 'HS256' }, { exp: Math.floor(Date.now() / 1000) - 5 }), KEY32), { code: 'ERR_JWT_EXPIRED' });
    assert.doesNotThrow(() => verify(forge({ alg: 'HS256' }, { exp: Math.floor(Date.now() / 1000) + 60 }), KEY32));
  });
});

describe('verify: aud, iss, sub and required claims', () => {
  it('matches aud as a string, an array, or a RegExp (RFC 7519 §4.1.3)', () => {
    const single = sign({ aud: 'api' }, KEY32);
    const many = sign({ aud: ['web', 'api'] }, KEY32);
    for (const audience of ['api', ['x', 'api'], /^a/, [/^w/]]) {
      assert.doesNotThrow(() => verify(many, KEY32, { audience }));
    }
    assert.doesNotThrow(() => verify(single, KEY32, { audience: 'api' }));
    assert.throws(() => verify(single, KEY32, { audience: 'web' }), { code: 'ERR_JWT_CLAIM_INVALID', claim: 'aud', reason: 'mismatch' });
    assert.throws(() => verify(many, KEY32, { audience: ['other', /^z/] }), { code: 'ERR_JWT_CLAIM_INVALID', claim: 'aud' });
  });

  it('matches the same way on every call with a global RegExp', () => {
    const verifier = createVerifier({ key: KEY32, audience: /api/g });
    const token = sign({ aud: 'api' }, KEY32);
    for (let i = 0; i < 3; i++) assert.doesNotThrow(() => verifier(token));
  });

  it('refuses a missing aud when one is expected; an empty aud counts as missing', () => {
    assert.throws(() => verify(sign({}, KEY32), KEY32, { audience: 'api' }), { code: 'ERR_JWT_CLAIM_INVALID', claim: 'aud', reason: 'missing' });
    for (const aud of ['', []]) {
      const token = forge({ alg: 'HS256' }, { aud });
      assert.throws(() => verify(token, KEY32, { audience: 'api' }), { code: 'ERR_JWT_CLAIM_INVALID', claim: 'aud', reason: 'missing' });
      assert.doesNotThrow(() => verify(token, KEY32));
    }
  });

  it('refuses a token with aud when no audience is expected, unless told to skip the check', () => {
    const token = sign({ aud: 'someone-else' }, KEY32);
    assert.throws(() => verify(token, KEY32), { code: 'ERR_JWT_CLAIM_INVALID', claim: 'aud', reason: 'unexpected' });
    assert.doesNotThrow(() => verify(token, KEY32, { skipAudienceCheck: true }));
  });

  it('refuses an aud that is not a string or an array of strings', () => {
    for (const aud of [1, ['a', 1], { a: 1 }, null]) {
      assert.throws(() => verify(forge({ alg: 'HS256' }, { aud }), KEY32, { audience: 'a' }), { code: 'ERR_JWT_CLAIM_TYPE', claim: 'aud' });
    }
  });

  it('checks iss against one value or a list (RFC 7519 §4.1.1)', () => {
    const token = sign({ iss: 'https://a.example' }, KEY32);
    assert.doesNotThrow(() => verify(token, KEY32, { issuer: 'https://a.example' }));
    assert.doesNotThrow(() => verify(token, KEY32, { issuer: ['https://b.example', 'https://a.example'] }));
    assert.throws(() => verify(token, KEY32, { issuer: 'https://b.example' }), { code: 'ERR_JWT_CLAIM_INVALID', claim: 'iss', reason: 'mismatch' });
    assert.throws(() => verify(sign({}, KEY32), KEY32, { issuer: 'x' }), { code: 'ERR_JWT_CLAIM_INVALID', claim: 'iss', reason: 'missing' });
  });

  it('checks sub when asked', () => {
    const token = sign({ sub: 'alice' }, KEY32);
    assert.doesNotThrow(() => verify(token, KEY32, { subject: 'alice' }));
    assert.throws(() => verify(token, KEY32, { subject: 'bob' }), { code: 'ERR_JWT_CLAIM_INVALID', claim: 'sub', reason: 'mismatch' });
    assert.throws(() => verify(sign({}, KEY32), KEY32, { subject: 'bob' }), { code: 'ERR_JWT_CLAIM_INVALID', claim: 'sub', reason: 'missing' });
  });

  it('refuses iss, sub and jti that are not strings, even when not asked to check them', () => {
    for (const claim of ['iss', 'sub', 'jti']) {
      assert.throws(() => verify(forge({ alg: 'HS256' }, { [claim]: 12345 }), KEY32), { code: 'ERR_JWT_CLAIM_TYPE', claim });
    }
  });

  it('requires the claims listed in requiredClaims', () => {
    const token = sign({ sub: 'a' }, KEY32, { noTimestamp: true });
    assert.doesNotThrow(() => verify(token, KEY32, { requiredClaims: ['sub'] }));
    assert.throws(() => verify(token, KEY32, { requiredClaims: ['sub', 'exp'] }), { code: 'ERR_JWT_CLAIM_INVALID', claim: 'exp', reason: 'missing' });
  });
});
