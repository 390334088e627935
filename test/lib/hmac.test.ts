import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getAlgorithm, SUPPORTED_ALGORITHMS } from '../../lib/algorithms.js';
import { hmac, macEquals } from '../../lib/hmac.js';
import { KEY64, readVectors } from '../helpers.js';

interface HmacVectors {
  rfc4231: Array<Record<string, string | number> & { id: string; key_hex: string; data_hex: string; truncated_to_bits?: number }>;
  wycheproof: Array<{ algorithm: string; tests: Array<{ tcId: number; comment: string; key_hex: string; msg_hex: string; tag_hex: string; result: string }> }>;
}
const vectors = readVectors<HmacVectors>('hmac');
const HASHES = [['HMAC-SHA-256', 'sha256', 'HS256'], ['HMAC-SHA-384', 'sha384', 'HS384'], ['HMAC-SHA-512', 'sha512', 'HS512']] as const;

describe('HMAC known answers (RFC 4231 §4)', () => {
  for (const vector of vectors.rfc4231) {
    for (const [label, hash, alg] of HASHES) {
      it(`${vector.id} ${label}, through the ${alg} table entry`, () => {
        const expected = String(vector[label]);
        const key = Buffer.from(vector.key_hex, 'hex');
        const data = Buffer.from(vector.data_hex, 'hex');
        const prefix = vector.truncated_to_bits === undefined ? undefined : vector.truncated_to_bits / 4;
        const raw = hmac(hash, key, data).toString('hex');
        assert.equal(raw.slice(0, prefix), expected);
        // The table entry, with the key policy lifted (some RFC 4231 keys are short).
        const algorithm = getAlgorithm(alg);
        const imported = algorithm.importKey(key, 'verify', { allowInsecureShortKey: true });
        assert.equal(Buffer.from(algorithm.sign(imported, data)).toString('hex').slice(0, prefix), expected);
        if (prefix === undefined) assert.ok(algorithm.verify(imported, data, Buffer.from(expected, 'hex')));
      });
    }
  }
});

describe('HMAC Wycheproof cases (full-length tags)', () => {
  for (const group of vectors.wycheproof) {
    const alg = HASHES.find(([label]) => label === group.algorithm)?.[2];
    assert.ok(alg, group.algorithm);
    it(`${group.algorithm}: ${group.tests.length} cases, flipped-bit tags rejected`, () => {
      const algorithm = getAlgorithm(alg);
      for (const test of group.tests) {
        const key = algorithm.importKey(Buffer.from(test.key_hex, 'hex'), 'verify', { allowInsecureShortKey: true });
        const verdict = algorithm.verify(key, Buffer.from(test.msg_hex, 'hex'), Buffer.from(test.tag_hex, 'hex'));
        assert.equal(verdict, test.result === 'valid', `tcId ${test.tcId} (${test.comment})`);
      }
    });
  }
});

describe('macEquals', () => {
  it('is false for different lengths instead of throwing', () => {
    assert.equal(macEquals(new Uint8Array(32), new Uint8Array(31)), false);
    assert.equal(macEquals(new Uint8Array(0), new Uint8Array(1)), false);
  });
  it('compares contents', () => {
    assert.equal(macEquals(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 3)), true);
    assert.equal(macEquals(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 4)), false);
  });
});

describe('algorithm table', () => {
  it('holds the HMAC, RSA, PSS, ECDSA and EdDSA algorithms; HS256, HS384 and HS512 with their MAC lengths', () => {
    assert.deepEqual(SUPPORTED_ALGORITHMS, ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA']);
    assert.deepEqual(['HS256', 'HS384', 'HS512'].map((name) => getAlgorithm(name).signatureLength(KEY64)), [32, 48, 64]);
  });
  it('refuses names it does not implement, including none and lookalikes', () => {
    for (const name of ['none', 'None', 'hs256', 'HS256 ', 'ES256K', 'rs256', 'Ed25519', 'EDDSA', 'constructor', '__proto__', 'toString', '']) {
      assert.throws(() => getAlgorithm(name), { code: 'ERR_JWT_ALG_UNSUPPORTED' }, name);
    }
  });
  it('signs with the hash its name says', () => {
    const key = getAlgorithm('HS512').importKey(KEY64, 'sign', {});
    assert.equal(getAlgorithm('HS512').sign(key, 'abc').length, 64);
    assert.equal(Buffer.from(getAlgorithm('HS384').sign(key, 'abc')).toString('hex'), hmac('sha384', KEY64, 'abc').toString('hex'));
  });
});
