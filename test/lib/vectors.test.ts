/**
 * The published examples, end to end: RFC 7515 A.1 byte for byte, the RFC 7519
 * §3.1 verdicts at fixed times, the RFC 7519 §6.1 unsecured JWT, and RFC 7520 §4.4.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeBase64Url, decodeUnverified, signBytes, verify } from '../../lib/index.js';
import { readVectors } from '../helpers.js';

interface RfcVector {
  id: string;
  key_hex?: string;
  jwk?: { k: string };
  protected_header_octets?: number[];
  payload_octets?: number[];
  protected_header_utf8?: string;
  payload_utf8?: string;
  encoded_protected_header?: string;
  encoded_payload?: string;
  signing_input?: string;
  mac_octets?: number[];
  encoded_signature?: string;
  compact?: string;
  jwt?: string;
  claims?: Record<string, unknown>;
}
const { vectors } = readVectors<{ vectors: RfcVector[] }>('rfc');
const byId = (id: string): RfcVector => {
  const vector = vectors.find((candidate) => candidate.id === id);
  assert.ok(vector, id);
  return vector;
};

describe('RFC 7515 Appendix A.1: HS256 JWS', () => {
  const v = byId('rfc7515-A.1');
  const key = Buffer.from(v.key_hex ?? '', 'hex');

  it('the JWK k decodes to the key bytes', () => {
    assert.deepEqual(Buffer.from(decodeBase64Url(v.jwk?.k ?? '')), key);
  });

  it('is reproduced byte for byte from the exact header and payload octets', () => {
    const token = signBytes(Uint8Array.from(v.protected_header_octets ?? []), Uint8Array.from(v.payload_octets ?? []), key);
    assert.equal(token, v.compact);
    const decoded = decodeUnverified(token);
    assert.equal(decoded.segments.header, v.encoded_protected_header);
    assert.equal(decoded.segments.payload, v.encoded_payload);
    assert.equal(decoded.signingInput, v.signing_input);
    assert.deepEqual([...decoded.signature], v.mac_octets);
  });

  it('validates as the RFC says, with a clock before its exp', () => {
    const { payload, header } = verify(v.compact ?? '', key, { now: () => 1300819379 });
    assert.deepEqual(header, { typ: 'JWT', alg: 'HS256' });
    assert.deepEqual(payload, { iss: 'joe', exp: 1300819380, 'http://example.com/is_root': true });
  });
});

describe('RFC 7519 §3.1: example JWT', () => {
  const v = byId('rfc7519-3.1');
  const key = Buffer.from(v.key_hex ?? '', 'hex');
  const token = v.jwt ?? '';

  it('valid one second before exp', () => {
    assert.deepEqual(verify(token, key, { now: () => 1300819379 }).payload, v.claims);
  });
  it('rejected exactly at exp (the current time MUST be before exp)', () => {
    assert.throws(() => verify(token, key, { now: () => 1300819380 }), { code: 'ERR_JWT_EXPIRED' });
  });
  it('rejected by the real clock: it expired in 2011', () => {
    assert.throws(() => verify(token, key), { code: 'ERR_JWT_EXPIRED' });
  });
});

describe('RFC 7519 §6.1: unsecured JWT', () => {
  const v = byId('rfc7519-6.1-unsecured');
  it('is never accepted, whatever the key', () => {
    const key = Buffer.from(byId('rfc7515-A.1').key_hex ?? '', 'hex');
    assert.throws(() => verify(v.jwt ?? '', key, { now: () => 1300819379 }), { code: 'ERR_JWT_ALG_NOT_ALLOWED' });
  });
});

describe('RFC 7520 §4.4: HMAC-SHA2 integrity protection', () => {
  const v = byId('rfc7520-4.4');
  const key = Buffer.from(v.key_hex ?? '', 'hex');

  it('the JWS is reproduced byte for byte, UTF-8 payload included', () => {
    const token = signBytes(Buffer.from(v.protected_header_utf8 ?? ''), Buffer.from(v.payload_utf8 ?? ''), key);
    assert.equal(token, v.compact);
  });

  it('its MAC verifies, but it is no JWT: the payload is not a JSON object (RFC 7519 §7.2 step 10)', () => {
    assert.throws(() => verify(v.compact ?? '', key), { code: 'ERR_JWT_MALFORMED', part: 'payload' });
  });
});
