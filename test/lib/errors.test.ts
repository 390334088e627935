import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as jwt from '../../lib/index.js';
import { JwtError } from '../../lib/index.js';
import { KEY32, KEY64, NOW, clockAt, segment } from '../helpers.js';

/** One way to provoke each error kind, and what it must be. */
const provocations: Array<[string, string, () => unknown]> = [
  ['InvalidOptionsError', 'ERR_JWT_INVALID_OPTIONS', () => jwt.createVerifier({ key: KEY32, algorithms: [] })],
  ['InvalidKeyError', 'ERR_JWT_KEY_INVALID', () => jwt.sign({}, '')],
  ['WeakKeyError', 'ERR_JWT_KEY_WEAK', () => jwt.sign({}, 'short')],
  ['InvalidPayloadError', 'ERR_JWT_PAYLOAD_INVALID', () => jwt.sign([] as unknown as jwt.JwtPayload, KEY32)],
  ['TokenTooLargeError', 'ERR_JWT_TOO_LARGE', () => jwt.verify('a'.repeat(10000), KEY32)],
  ['MalformedTokenError', 'ERR_JWT_MALFORMED', () => jwt.verify('a.b', KEY32)],
  ['Base64UrlError', 'ERR_BASE64URL_INVALID', () => jwt.verify('a=.b.c', KEY32)],
  ['InvalidHeaderError', 'ERR_JWT_HEADER_INVALID', () => jwt.verify(`${segment({ typ: 'JWT' })}.e30.`, KEY32)],
  ['UnsupportedAlgorithmError', 'ERR_JWT_ALG_UNSUPPORTED', () => jwt.sign({}, KEY32, { algorithm: 'ES256K' as 'HS256' })],
  ['KeyNotFoundError', 'ERR_JWT_KEY_NOT_FOUND', () => jwt.createVerifier({ keys: [KEY32], algorithms: ['HS256'] })(jwt.sign({}, KEY32, { kid: 'elsewhere' }))],
  ['AlgorithmNotAllowedError', 'ERR_JWT_ALG_NOT_ALLOWED', () => jwt.verify(jwt.sign({}, KEY64, { algorithm: 'HS384' }), KEY64)],
  ['SignatureInvalidError', 'ERR_JWT_SIGNATURE_INVALID', () => jwt.verify(jwt.sign({}, KEY32), KEY64)],
  ['ClaimTypeError', 'ERR_JWT_CLAIM_TYPE', () => jwt.sign({ exp: 'soon' } as unknown as jwt.JwtPayload, KEY32)],
  ['TokenExpiredError', 'ERR_JWT_EXPIRED', () => jwt.verify(jwt.sign({ exp: NOW }, KEY32, { noTimestamp: true }), KEY32, { now: clockAt(NOW) })],
  ['NotYetValidError', 'ERR_JWT_NOT_YET_VALID', () => jwt.verify(jwt.sign({ nbf: NOW + 1 }, KEY32, { noTimestamp: true }), KEY32, { now: clockAt(NOW) })],
  ['ClaimValidationError', 'ERR_JWT_CLAIM_INVALID', () => jwt.verify(jwt.sign({ iss: 'a' }, KEY32), KEY32, { issuer: 'b' })],
];

describe('errors', () => {
  for (const [name, code, provoke] of provocations) {
    it(`${name} has code ${code}, extends JwtError and Error`, () => {
      assert.throws(provoke, (error: unknown) => {
        assert.ok(error instanceof JwtError);
        assert.ok(error instanceof Error);
        assert.ok(error instanceof (jwt as unknown as Record<string, new () => Error>)[name]!);
        assert.equal(error.name, name);
        assert.equal(error.code, code);
        assert.ok(error.message.length > 10);
        return true;
      });
    });
  }

  it('covers every error class the public API exports', () => {
    const exported = Object.entries(jwt)
      .filter(([name, value]) => typeof value === 'function' && value.prototype instanceof JwtError && name !== 'TokenError')
      .map(([name]) => name);
    assert.deepEqual(exported.sort(), provocations.map(([name]) => name).sort());
  });

  it('creates token rejections without a stack trace, and keeps it for programming mistakes', () => {
    const rejections = ['KeyNotFoundError', 'TokenTooLargeError', 'MalformedTokenError', 'Base64UrlError', 'InvalidHeaderError', 'AlgorithmNotAllowedError', 'SignatureInvalidError', 'ClaimTypeError', 'TokenExpiredError', 'NotYetValidError', 'ClaimValidationError'];
    for (const [name, , provoke] of provocations) {
      try {
        provoke();
      } catch (error) {
        assert.ok(error instanceof Error);
        const frames = (error.stack ?? '').split('\n').filter((line) => line.trim().startsWith('at '));
        if (rejections.includes(name)) {
          assert.ok(error instanceof jwt.TokenError, name);
          assert.equal(frames.length, 0, name);
        } else {
          assert.ok(!(error instanceof jwt.TokenError), name);
          assert.ok(frames.length > 0, name);
        }
      }
    }
    assert.ok(Error.stackTraceLimit > 0, 'the global limit is restored');
  });

  it('never puts the token or the key in a message', () => {
    const token = jwt.sign({ sub: 'secret-subject' }, KEY32);
    for (const tamper of [token.slice(0, -2), `${token}x`, token.replace(/\.[^.]*$/, '.AAAA')]) {
      try {
        jwt.verify(tamper, KEY32, { subject: 'other' });
      } catch (error) {
        assert.ok(error instanceof Error);
        assert.ok(!error.message.includes(token.slice(0, 20)), error.message);
        assert.ok(!error.message.includes('secret-subject'), error.message);
      }
    }
  });

  it('keeps the original error as cause', () => {
    assert.throws(() => jwt.verify(`${segment('{bad')}.e30.`, KEY32), (error: unknown) => {
      assert.ok(error instanceof jwt.MalformedTokenError);
      assert.ok(error.cause instanceof SyntaxError);
      return true;
    });
  });
});
