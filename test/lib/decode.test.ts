import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeUnverified, sign } from '../../lib/index.js';
import { KEY32, segment } from '../helpers.js';

describe('decodeUnverified', () => {
  it('takes a token apart into segments, header, payload and signature bytes', () => {
    const token = sign({ sub: 'alice' }, KEY32, { noTimestamp: true });
    const [h, p, s] = token.split('.') as [string, string, string];
    const decoded = decodeUnverified(token);
    assert.deepEqual(decoded.segments, { header: h, payload: p, signature: s });
    assert.equal(decoded.signingInput, `${h}.${p}`);
    assert.deepEqual(decoded.header, { alg: 'HS256', typ: 'JWT' });
    assert.deepEqual(decoded.payload, { sub: 'alice' });
    assert.deepEqual(Buffer.from(decoded.signature), Buffer.from(s, 'base64url'));
  });

  it('decodes tokens it could never verify: alg none, any key', () => {
    const decoded = decodeUnverified(`${segment({ alg: 'none' })}.${segment({ sub: 'x' })}.`);
    assert.equal(decoded.header.alg, 'none');
    assert.equal(decoded.signature.length, 0);
  });

  it('is as strict as verify about the encoding', () => {
    assert.throws(() => decodeUnverified('a.b'), { code: 'ERR_JWT_MALFORMED' });
    assert.throws(() => decodeUnverified(`${segment({ alg: 'none' })}.${segment('[]')}.`), { code: 'ERR_JWT_MALFORMED', part: 'payload' });
    assert.throws(() => decodeUnverified(`${segment({ alg: 'none' })}.${segment({})}.a=`), { code: 'ERR_BASE64URL_INVALID', part: 'signature' });
    assert.throws(() => decodeUnverified(42 as unknown as string), { code: 'ERR_JWT_MALFORMED' });
  });

  it('has the same size limit, adjustable', () => {
    const token = sign({ pad: 'x'.repeat(100) }, KEY32);
    assert.throws(() => decodeUnverified(token, { maxTokenLength: 50 }), { code: 'ERR_JWT_TOO_LARGE' });
    assert.throws(() => decodeUnverified('a'.repeat(9000)), { code: 'ERR_JWT_TOO_LARGE' });
  });
});
