import assert from 'node:assert/strict';
import { createSecretKey, generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { importHmacSecret } from '../../lib/keys.js';
import { createSigner, createVerifier, sign, verify, WeakKeyError } from '../../lib/index.js';
import { KEY32 } from '../helpers.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });

describe('HMAC keys', () => {
  it('accepts a string, bytes or a secret KeyObject, all meaning the same key', () => {
    const text = 'k'.repeat(32);
    const tokens = [text, Buffer.from(text), new Uint8Array(Buffer.from(text)), createSecretKey(Buffer.from(text))].map(
      (key) => sign({ sub: 'a' }, key, { noTimestamp: true }),
    );
    assert.equal(new Set(tokens).size, 1);
  });

  it('uses a string key as its UTF-8 bytes', () => {
    const text = 'é'.repeat(16); // 16 characters, 32 bytes
    assert.equal(importHmacSecret(text, 'HS256', 32, {}).length, 32);
  });

  it('refuses an empty key, even with the short-key opt-in', () => {
    for (const key of ['', new Uint8Array(0)]) {
      assert.throws(() => importHmacSecret(key, 'HS256', 32, { allowInsecureShortKey: true }), { code: 'ERR_JWT_KEY_INVALID' });
    }
  });

  it('refuses a key shorter than the hash output (RFC 7518 §3.2) and says how to make one', () => {
    const cases = [['HS256', 32], ['HS384', 48], ['HS512', 64]] as const;
    for (const [algorithm, bytes] of cases) {
      assert.doesNotThrow(() => createSigner({ key: Buffer.alloc(bytes, 1), algorithm }));
      assert.throws(() => createSigner({ key: Buffer.alloc(bytes - 1, 1), algorithm }), (error: unknown) => {
        assert.ok(error instanceof WeakKeyError);
        assert.equal(error.code, 'ERR_JWT_KEY_WEAK');
        assert.equal(error.minimumBytes, bytes);
        assert.equal(error.actualBytes, bytes - 1);
        assert.match(error.message, new RegExp(`randomBytes\\(${bytes}\\)`));
        return true;
      });
    }
  });

  it('accepts a short key only with allowInsecureShortKey', () => {
    const token = sign({ a: 1 }, 'secret', { allowInsecureShortKey: true });
    assert.equal(verify(token, 'secret', { allowInsecureShortKey: true }).payload['a'], 1);
    assert.throws(() => verify(token, 'secret'), { code: 'ERR_JWT_KEY_WEAK' });
  });

  it('checks the key against every algorithm a verifier allows', () => {
    assert.throws(() => createVerifier({ key: KEY32, algorithms: ['HS256', 'HS512'] }), { code: 'ERR_JWT_KEY_WEAK' });
  });

  it('never lets a message or error carry the key', () => {
    try {
      sign({}, 'short-secret-value');
      assert.fail('expected a weak key error');
    } catch (error) {
      assert.ok(error instanceof Error);
      assert.doesNotMatch(error.message, /short-secret-value/);
    }
  });
});

describe('key confusion (RFC 8725 §2.1): public-key material is not an HMAC secret', () => {
  const pems = {
    'RSA public PEM (SPKI)': rsa.publicKey.export({ type: 'spki', format: 'pem' }),
    'RSA public PEM (PKCS#1)': rsa.publicKey.export({ type: 'pkcs1', format: 'pem' }),
    'RSA private PEM': rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }),
    'EC public PEM': ec.publicKey.export({ type: 'spki', format: 'pem' }),
    'certificate-like PEM': '-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----\n',
  };
  for (const [label, pem] of Object.entries(pems)) {
    it(`refuses ${label} as a string and as bytes`, () => {
      assert.throws(() => createVerifier({ key: String(pem) }), { code: 'ERR_JWT_KEY_INVALID', message: /PEM/ });
      assert.throws(() => createVerifier({ key: Buffer.from(String(pem)) }), { code: 'ERR_JWT_KEY_INVALID' });
    });
  }

  it('refuses DER-encoded keys', () => {
    const ders = [
      rsa.publicKey.export({ type: 'spki', format: 'der' }),
      rsa.publicKey.export({ type: 'pkcs1', format: 'der' }),
      rsa.privateKey.export({ type: 'pkcs8', format: 'der' }),
      rsa.privateKey.export({ type: 'pkcs1', format: 'der' }),
      ec.publicKey.export({ type: 'spki', format: 'der' }),
      ec.privateKey.export({ type: 'sec1', format: 'der' }),
    ];
    for (const der of ders) assert.throws(() => createVerifier({ key: der }), { code: 'ERR_JWT_KEY_INVALID', message: /DER/ });
  });

  it('refuses asymmetric KeyObjects', () => {
    for (const key of [rsa.publicKey, rsa.privateKey, ec.publicKey]) {
      assert.throws(() => createVerifier({ key }), { code: 'ERR_JWT_KEY_INVALID', message: /key confusion/ });
    }
  });

  it('refuses SSH public keys and JWK text', () => {
    assert.throws(() => createVerifier({ key: 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 user@host' }), { code: 'ERR_JWT_KEY_INVALID', message: /SSH/ });
    assert.throws(() => createVerifier({ key: '{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ"}' }), { code: 'ERR_JWT_KEY_INVALID', message: /JWK/ });
  });

  it('accepts random bytes that merely start with a DER SEQUENCE tag', () => {
    const key = Buffer.alloc(32, 0x11);
    key[0] = 0x30;
    assert.doesNotThrow(() => createVerifier({ key }));
  });

  it('refuses things that are not keys', () => {
    assert.throws(() => createVerifier({ key: 42 as unknown as string }), { code: 'ERR_JWT_KEY_INVALID' });
  });

  it('copies byte keys, so later changes to the caller buffer do not change the key', () => {
    const key = Buffer.alloc(32, 7);
    const signer = createSigner({ key, noTimestamp: true });
    const before = signer({ a: 1 });
    key.fill(0);
    assert.equal(signer({ a: 1 }), before);
  });
});
