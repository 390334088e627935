/**
 * Public-key JWTs: the published vectors (RFC 7515 A.2–A.4, RFC 8037, RFC 7520
 * §4.1–4.3, JWK↔PEM pairs, RFC 7638 thumbprints, Project Wycheproof), every
 * refusal of a wrong key, key sets, and the attacks that come with public keys.
 */
import assert from 'node:assert/strict';
import { constants, createHmac, createPrivateKey, createPublicKey, createSecretKey, generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  createSigner,
  createVerifier,
  decodeUnverified,
  exportPublicJwk,
  generateKeyPair,
  JwtError,
  jwkThumbprint,
  sign,
  signBytes,
  verify,
  type AlgorithmName,
  type Jwk,
} from '../../lib/index.js';
import { getAlgorithm } from '../../lib/algorithms.js';
import { clockAt, KEY32, seededBytes } from '../helpers.js';
import { readVectors } from '../helpers.js';

interface RfcCase {
  id: string;
  alg: AlgorithmName;
  jwk: Jwk;
  jwk_private: Jwk;
  compact: string;
  signing_input: string;
  encoded_signature: string;
  reproducible: string;
  protected_header_utf8: string;
  payload_utf8: string;
  claims?: Record<string, unknown>;
  signature_der_hex?: string;
}
interface PemCase {
  id: string;
  jwk: Jwk;
  spki_pem: string;
  spki_der_hex: string;
  pkcs1_pem?: string;
}
interface ThumbprintCase {
  id: string;
  jwk: Jwk;
  canonical_json: string;
  thumbprint: string;
}
interface WycheproofGroup {
  jwk: Jwk;
  tests: Array<{ tcId: number; comment: string; msg_hex: string; sig_hex: string; result: string }>;
}
interface Asym {
  rfc: RfcCase[];
  jwk_pem: PemCase[];
  thumbprints: ThumbprintCase[];
  wycheproof: Array<{ id: string; alg: AlgorithmName; count: number; groups: WycheproofGroup[] }>;
}

const vectors = readVectors<Asym>('asym');
const BEFORE_EXP = clockAt(1300819379);
const AT_EXP = clockAt(1300819380);

/** Verifies only the signature of a JWS (its payload need not be a JWT). */
function signatureValid(alg: AlgorithmName, key: Jwk, compact: string): boolean {
  const algorithm = getAlgorithm(alg);
  const dot = compact.lastIndexOf('.');
  return algorithm.verify(algorithm.importKey(key, 'verify', {}), compact.slice(0, dot), Buffer.from(compact.slice(dot + 1), 'base64url'));
}

describe('public-key vectors: RFC 7515 A.2–A.4, RFC 8037 A, RFC 7520 §4.1–4.3', () => {
  for (const vector of vectors.rfc) {
    it(`${vector.id} (${vector.alg})`, () => {
      assert.equal(signatureValid(vector.alg, vector.jwk, vector.compact), true);
      if (vector.reproducible.startsWith('yes')) {
        const token = signBytes(Buffer.from(vector.protected_header_utf8), Buffer.from(vector.payload_utf8), vector.jwk_private);
        assert.equal(token, vector.compact, 'deterministic signature reproduced byte for byte');
      } else {
        // Randomised: a round trip with the private key, verified with the public one.
        const token = signBytes(Buffer.from(vector.protected_header_utf8), Buffer.from(vector.payload_utf8), vector.jwk_private);
        assert.equal(signatureValid(vector.alg, vector.jwk, token), true);
      }
      if (vector.claims !== undefined) {
        assert.deepEqual(verify(vector.compact, vector.jwk, { algorithms: [vector.alg], now: BEFORE_EXP }).payload, vector.claims);
        assert.throws(() => verify(vector.compact, vector.jwk, { algorithms: [vector.alg], now: AT_EXP }), { code: 'ERR_JWT_EXPIRED' });
        // An allow-list without the token's alg rejects it (for ES256 the key itself fits no other alg).
        if (vector.alg === 'RS256') {
          assert.throws(() => createVerifier({ key: vector.jwk, algorithms: ['RS384'], now: BEFORE_EXP })(vector.compact), { code: 'ERR_JWT_ALG_NOT_ALLOWED' });
        } else {
          assert.throws(() => createVerifier({ key: vector.jwk, algorithms: ['ES384'], now: BEFORE_EXP })(vector.compact), { code: 'ERR_JWT_KEY_INVALID' });
        }
      } else {
        // A valid JWS whose payload is text: a JWT verifier must refuse it (RFC 7519 §7.2 step 10).
        assert.throws(() => verify(vector.compact, vector.jwk, { algorithms: [vector.alg] }), { code: 'ERR_JWT_MALFORMED' });
      }
      if (vector.signature_der_hex !== undefined) {
        // The same signature in DER, as OpenSSL writes it: refused (JOSE is R ‖ S, RFC 7518 §3.4).
        const der = `${vector.compact.slice(0, vector.compact.lastIndexOf('.'))}.${Buffer.from(vector.signature_der_hex, 'hex').toString('base64url')}`;
        assert.equal(signatureValid(vector.alg, vector.jwk, der), false);
      }
    });
  }

  it('PS384 (RFC 7520 §4.2): the same octets do not verify as RS384', () => {
    const vector = vectors.rfc.find((candidate) => candidate.id === 'rfc7520-4.2');
    assert.ok(vector);
    assert.equal(signatureValid('RS384', vector.jwk, vector.compact), false);
  });
});

describe('JWK ↔ PEM pairs and RFC 7638 thumbprints', () => {
  for (const pair of vectors.jwk_pem) {
    it(`${pair.id}: the JWK, the SPKI PEM${pair.pkcs1_pem === undefined ? '' : ' and the PKCS#1 PEM'} are one key`, () => {
      const fromPem = createPublicKey(pair.spki_pem);
      assert.equal(jwkThumbprint(fromPem), jwkThumbprint(pair.jwk));
      const { kid: _kid, ...members } = exportPublicJwk(fromPem);
      for (const [name, value] of Object.entries(members)) if (name !== 'use') assert.equal(value, pair.jwk[name], name);
      if (pair.pkcs1_pem !== undefined) assert.equal(jwkThumbprint(createPublicKey(pair.pkcs1_pem)), jwkThumbprint(pair.jwk));
    });
  }
  for (const vector of vectors.thumbprints) {
    it(`${vector.id}: ${vector.thumbprint}`, () => {
      assert.equal(jwkThumbprint(vector.jwk), vector.thumbprint);
    });
  }
});

describe('Project Wycheproof: ECDSA P1363, RSASSA-PSS, Ed25519', () => {
  for (const suite of vectors.wycheproof) {
    it(`${suite.id}: ${suite.count} cases`, () => {
      const algorithm = getAlgorithm(suite.alg);
      let checked = 0;
      for (const group of suite.groups) {
        const { kid: _kid, ...jwk } = group.jwk;
        const key = algorithm.importKey(jwk as Jwk, 'verify', {});
        for (const test of group.tests) {
          const signature = Buffer.from(test.sig_hex, 'hex');
          const message = Buffer.from(test.msg_hex, 'hex');
          // As the verifier does: a signature of the wrong length is refused before any cryptography.
          const verdict = signature.length === algorithm.signatureLength(key) && algorithm.verify(key, message, signature);
          assert.equal(verdict, test.result === 'valid', `tcId ${test.tcId}: ${test.comment}`);
          checked++;
        }
      }
      assert.equal(checked, suite.count);
    });
  }
});

const ALGORITHMS: AlgorithmName[] = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const PAIRS = new Map<AlgorithmName, { privateKey: KeyObject; publicKey: KeyObject }>();
const pairFor = (alg: AlgorithmName): { privateKey: KeyObject; publicKey: KeyObject } => {
  const family = alg.startsWith('RS') || alg.startsWith('PS') ? 'RS256' : alg;
  let pair = PAIRS.get(family);
  if (pair === undefined) {
    pair = generateKeyPair(family);
    PAIRS.set(family, pair);
  }
  return pair;
};

describe('signing and verifying with every public-key algorithm', () => {
  for (const alg of ALGORITHMS) {
    it(`${alg}: private key signs, public key verifies (KeyObject, PEM and JWK), kid is the thumbprint`, () => {
      const { privateKey, publicKey } = pairFor(alg);
      const token = sign({ sub: 'alice' }, privateKey, { algorithm: alg });
      const { header } = decodeUnverified(token);
      assert.deepEqual(header, { alg, typ: 'JWT', kid: jwkThumbprint(publicKey) });
      const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
      for (const key of [publicKey, pem, exportPublicJwk(publicKey, { alg })]) {
        assert.equal(verify(token, key, { algorithms: [alg] }).payload['sub'], 'alice');
      }
      // PEM private keys sign too.
      const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      assert.equal(verify(sign({}, privatePem, { algorithm: alg, kid: 'k1' }), publicKey, { algorithms: [alg] }).header.kid, 'k1');
      // A changed payload or signature fails.
      const [h, , s] = token.split('.');
      assert.throws(() => verify(`${h}.${Buffer.from('{"sub":"mallory"}').toString('base64url')}.${s}`, publicKey, { algorithms: [alg] }), { code: 'ERR_JWT_SIGNATURE_INVALID' });
    });
  }

  it('reads PKCS#1 and SEC1 PEM as well as SPKI and PKCS#8', () => {
    const rsa = pairFor('RS256');
    const pkcs1 = rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const token = sign({}, pkcs1, { algorithm: 'RS256' });
    assert.ok(verify(token, rsa.publicKey.export({ type: 'pkcs1', format: 'pem' }).toString(), { algorithms: ['RS256'] }));
    const ec = pairFor('ES256');
    const sec1 = ec.privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    assert.ok(verify(sign({}, sec1, { algorithm: 'ES256' }), ec.publicKey, { algorithms: ['ES256'] }));
  });
});

describe('keys refused at createSigner / createVerifier time', () => {
  const rsa = pairFor('RS256');
  const p256 = pairFor('ES256');
  const p384 = pairFor('ES384');
  const ed = pairFor('EdDSA');
  const cases: Array<[string, () => unknown, string, RegExp]> = [
    ['an EC key for RS256', () => createVerifier({ key: p256.publicKey, algorithms: ['RS256'] }), 'ERR_JWT_KEY_INVALID', /RS256 needs an RSA key, not an EC key/],
    ['an RSA key for EdDSA', () => createVerifier({ key: rsa.publicKey, algorithms: ['EdDSA'] }), 'ERR_JWT_KEY_INVALID', /EdDSA needs an Ed25519 or Ed448 key, not an RSA key/],
    ['a P-384 key for ES256', () => createVerifier({ key: p384.publicKey, algorithms: ['ES256'] }), 'ERR_JWT_KEY_INVALID', /ES256 needs a key on P-256, not on P-384/],
    ['an Ed25519 key for ES256', () => createSigner({ key: ed.privateKey, algorithm: 'ES256' }), 'ERR_JWT_KEY_INVALID', /ES256 needs an EC P-256 key/],
    ['a public key for signing', () => createSigner({ key: rsa.publicKey, algorithm: 'RS256' }), 'ERR_JWT_KEY_INVALID', /needs the private key/],
    ['a private key for verifying', () => createVerifier({ key: rsa.privateKey, algorithms: ['RS256'] }), 'ERR_JWT_KEY_INVALID', /needs only the public key/],
    ['a private JWK for verifying', () => createVerifier({ key: rsa.privateKey.export({ format: 'jwk' }) as Jwk, algorithms: ['RS256'] }), 'ERR_JWT_KEY_INVALID', /holds the private key/],
    ['a shared secret for RS256', () => createVerifier({ key: 'a-shared-secret-a-shared-secret-!!', algorithms: ['RS256'] }), 'ERR_JWT_KEY_INVALID', /not PEM/],
    ['secret bytes for ES256', () => createVerifier({ key: KEY32, algorithms: ['ES256'] }), 'ERR_JWT_KEY_INVALID', /PEM text, a JWK object or a KeyObject/],
    ['an oct JWK for PS256', () => createVerifier({ key: { kty: 'oct', k: KEY32.toString('base64url') }, algorithms: ['PS256'] }), 'ERR_JWT_KEY_INVALID', /shared secret/],
    ['a public key as an HMAC secret', () => createVerifier({ key: rsa.publicKey, algorithms: ['HS256', 'RS256'] }), 'ERR_JWT_KEY_INVALID', /key confusion/],
    ['public PEM as an HMAC secret', () => createVerifier({ key: rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString(), algorithms: ['HS256'] }), 'ERR_JWT_KEY_INVALID', /PEM key cannot be an HMAC secret/],
    ['an RSA JWK as an HMAC secret', () => createVerifier({ key: exportPublicJwk(rsa.publicKey), algorithms: ['HS256'] }), 'ERR_JWT_KEY_INVALID', /cannot be an HMAC secret/],
    ['a JWK for another alg', () => createVerifier({ key: exportPublicJwk(rsa.publicKey, { alg: 'RS512' }), algorithms: ['RS256'] }), 'ERR_JWT_KEY_INVALID', /is for "alg" "RS512"/],
    ['a JWK for encryption', () => createVerifier({ key: { ...exportPublicJwk(rsa.publicKey), use: 'enc' }, algorithms: ['RS256'] }), 'ERR_JWT_KEY_INVALID', /"use" is "enc"/],
    ['a JWK without verify in key_ops', () => createVerifier({ key: { ...exportPublicJwk(rsa.publicKey), key_ops: ['sign'] }, algorithms: ['RS256'] }), 'ERR_JWT_KEY_INVALID', /key_ops/],
    ['a JWK with a missing member', () => createVerifier({ key: { kty: 'RSA', n: 'AQAB' }, algorithms: ['RS256'] }), 'ERR_JWT_KEY_INVALID', /needs "e"/],
    ['a JWK of unknown kty', () => createVerifier({ key: { kty: 'XYZ' }, algorithms: ['RS256'] }), 'ERR_JWT_KEY_INVALID', /is not RSA, EC, OKP or oct/],
    ['garbage PEM', () => createVerifier({ key: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----', algorithms: ['RS256'] }), 'ERR_JWT_KEY_INVALID', /not a key node:crypto can read/],
  ];
  for (const [label, attempt, code, message] of cases) {
    it(`refuses ${label}`, () => {
      assert.throws(attempt, (error: unknown) => {
        assert.ok(error instanceof JwtError, String(error));
        assert.equal(error.code, code);
        assert.match(error.message, message);
        return true;
      });
    });
  }

  it('refuses RSA keys under 2048 bits (RFC 7518 §3.3)', () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    assert.throws(() => createVerifier({ key: small.publicKey, algorithms: ['RS256'] }), { code: 'ERR_JWT_KEY_WEAK', message: /at least 2048 bits .* got 1024/ });
    assert.throws(() => createSigner({ key: small.privateKey, algorithm: 'PS256' }), { code: 'ERR_JWT_KEY_WEAK' });
  });

  it('no key pair for HMAC: a shared secret is made of random bytes', () => {
    assert.throws(() => generateKeyPair('HS256'), { code: 'ERR_JWT_INVALID_OPTIONS' });
  });
});

/** An HS256 token MACed with any bytes, as an attacker makes one (our signer would refuse a PEM key). */
function hmacToken(header: string, payload: string, key: string): string {
  const input = `${Buffer.from(header).toString('base64url')}.${Buffer.from(payload).toString('base64url')}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
}

describe('the attacks that come with public keys', () => {
  const rsa = pairFor('RS256');
  const publicPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();

  it('algorithm confusion: an HS256 token MACed with the public key PEM is refused by an RS256 verifier', () => {
    const forged = hmacToken('{"alg":"HS256","typ":"JWT"}', '{"sub":"admin"}', publicPem);
    assert.throws(() => verify(forged, publicPem, { algorithms: ['RS256'] }), { code: 'ERR_JWT_ALG_NOT_ALLOWED' });
    // And with both families allowed, the public key still never becomes an HMAC key: set-up fails.
    assert.throws(() => createVerifier({ key: publicPem, algorithms: ['RS256', 'HS256'] }), { code: 'ERR_JWT_KEY_INVALID' });
  });

  it('a key set offers HS256 only its secrets and RS256 only its RSA keys', () => {
    const secret = { kty: 'oct', k: KEY32.toString('base64url'), kid: 'hmac' };
    const verifier = createVerifier({ keys: { keys: [secret, exportPublicJwk(rsa.publicKey)] }, algorithms: ['HS256', 'RS256'] });
    assert.ok(verifier(sign({}, KEY32, { kid: 'hmac' })));
    assert.ok(verifier(sign({}, rsa.privateKey, { algorithm: 'RS256' })));
    const forged = hmacToken(`{"alg":"HS256","kid":"${jwkThumbprint(rsa.publicKey)}"}`, '{}', publicPem);
    assert.throws(() => verifier(forged), { code: 'ERR_JWT_KEY_NOT_FOUND' });
  });

  it('never takes a key from the token: jwk, jku, x5u and x5c in the header are ignored', () => {
    const attacker = generateKeyPair('RS256');
    const jwk = exportPublicJwk(attacker.publicKey);
    for (const header of [{ jwk }, { jku: 'https://attacker.example/jwks.json' }, { x5u: 'https://attacker.example/cert.pem' }, { x5c: ['MIIB'] }]) {
      const token = sign({ sub: 'admin' }, attacker.privateKey, { algorithm: 'RS256', header });
      assert.throws(() => verify(token, rsa.publicKey, { algorithms: ['RS256'] }), { code: 'ERR_JWT_SIGNATURE_INVALID' });
      assert.throws(() => createVerifier({ keys: [rsa.publicKey], algorithms: ['RS256'] })(token), { code: 'ERR_JWT_KEY_NOT_FOUND' });
    }
  });

  it('refuses RSA signatures of the wrong length before any cryptography', () => {
    const token = sign({}, rsa.privateKey, { algorithm: 'RS256' });
    const [h, p, s] = token.split('.');
    const bytes = Buffer.from(s ?? '', 'base64url');
    for (const signature of [bytes.subarray(1), Buffer.concat([Buffer.from([0]), bytes]), Buffer.alloc(0)]) {
      assert.throws(() => verify(`${h}.${p}.${signature.toString('base64url')}`, rsa.publicKey, { algorithms: ['RS256'] }), {
        code: 'ERR_JWT_SIGNATURE_INVALID',
        message: signature.length === 256 ? /./ : /RS256 signatures are 256 bytes/,
      });
    }
  });

  it('refuses PSS signatures whose salt is not as long as the hash (RFC 7518 §3.5)', () => {
    const signingInput = `${Buffer.from('{"alg":"PS256"}').toString('base64url')}.e30`;
    for (const saltLength of [0, 20, 64]) {
      const signature = cryptoSign('sha256', Buffer.from(signingInput), { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength });
      assert.throws(() => verify(`${signingInput}.${signature.toString('base64url')}`, rsa.publicKey, { algorithms: ['PS256'] }), { code: 'ERR_JWT_SIGNATURE_INVALID' }, `salt ${saltLength}`);
    }
    const right = cryptoSign('sha256', Buffer.from(signingInput), { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
    assert.ok(verify(`${signingInput}.${right.toString('base64url')}`, rsa.publicKey, { algorithms: ['PS256'] }));
  });

  it('refuses DER ECDSA signatures, wrong lengths and r = s = 0 (CVE-2022-21449)', () => {
    const { privateKey, publicKey } = pairFor('ES256');
    const signingInput = `${Buffer.from('{"alg":"ES256"}').toString('base64url')}.${Buffer.from('{"sub":"admin"}').toString('base64url')}`;
    const der = cryptoSign('sha256', Buffer.from(signingInput), privateKey);
    const p1363 = cryptoSign('sha256', Buffer.from(signingInput), { key: privateKey, dsaEncoding: 'ieee-p1363' });
    assert.ok(verify(`${signingInput}.${p1363.toString('base64url')}`, publicKey, { algorithms: ['ES256'] }));
    for (const signature of [der, Buffer.alloc(64), p1363.subarray(0, 63), Buffer.concat([p1363, Buffer.from([0])]), Buffer.concat([Buffer.alloc(32), p1363.subarray(32)])]) {
      assert.throws(() => verify(`${signingInput}.${signature.toString('base64url')}`, publicKey, { algorithms: ['ES256'] }), { code: 'ERR_JWT_SIGNATURE_INVALID' });
    }
  });
});

describe('key sets: the kid and the alg pick the key', () => {
  const first = generateKeyPair('ES256');
  const second = generateKeyPair('ES256');
  const rsa = pairFor('RS256');
  const set = { keys: [exportPublicJwk(first.publicKey, { alg: 'ES256' }), { ...exportPublicJwk(second.publicKey), kid: 'second' }, exportPublicJwk(rsa.publicKey), { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', use: 'enc' }] };
  const verifier = createVerifier({ keys: set, algorithms: ['ES256', 'RS256'] });

  it('finds each key by its kid (the thumbprint by default)', () => {
    assert.ok(verifier(sign({ n: 1 }, first.privateKey, { algorithm: 'ES256' })));
    assert.ok(verifier(sign({ n: 2 }, second.privateKey, { algorithm: 'ES256', kid: 'second' })));
    assert.ok(verifier(sign({ n: 3 }, rsa.privateKey, { algorithm: 'RS256' })));
  });

  it('refuses a kid that names no key, and a kid that names a key of another alg', () => {
    assert.throws(() => verifier(sign({}, second.privateKey, { algorithm: 'ES256', kid: 'unknown' })), { code: 'ERR_JWT_KEY_NOT_FOUND', message: /no key with "kid" "unknown" can verify ES256 tokens/ });
    assert.throws(() => verifier(sign({}, second.privateKey, { algorithm: 'ES256', kid: jwkThumbprint(rsa.publicKey) })), { code: 'ERR_JWT_KEY_NOT_FOUND' });
    assert.throws(() => verifier(sign({}, second.privateKey, { algorithm: 'ES256', kid: '../../etc/passwd' })), { code: 'ERR_JWT_KEY_NOT_FOUND' });
  });

  it('refuses a token without a kid when several keys could verify it; takes the only one otherwise', () => {
    const withoutKid = `${Buffer.from('{"alg":"ES256","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}`;
    const signature = cryptoSign('sha256', Buffer.from(withoutKid), { key: first.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
    assert.throws(() => verifier(`${withoutKid}.${signature}`), { code: 'ERR_JWT_KEY_NOT_FOUND', message: /has no "kid", and 2 keys/ });
    assert.ok(createVerifier({ keys: [first.publicKey], algorithms: ['ES256'] })(`${withoutKid}.${signature}`));
  });

  it('refuses a set with no key for any allowed algorithm, and a weak key in a set', () => {
    assert.throws(() => createVerifier({ keys: { keys: [] }, algorithms: ['RS256'] }), { code: 'ERR_JWT_INVALID_OPTIONS' });
    assert.throws(() => createVerifier({ keys: [first.publicKey], algorithms: ['RS256'] }), { code: 'ERR_JWT_INVALID_OPTIONS' });
    assert.throws(() => createVerifier({ keys: [generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey], algorithms: ['RS256'] }), { code: 'ERR_JWT_KEY_WEAK' });
    assert.throws(() => createVerifier({ keys: 'nope' as never, algorithms: ['RS256'] }), { code: 'ERR_JWT_INVALID_OPTIONS' });
    assert.throws(() => createVerifier({ key: KEY32, keys: [KEY32] } as never), { code: 'ERR_JWT_INVALID_OPTIONS' });
  });

  it('a rotated set: old tokens verify until their key is removed', () => {
    const oldToken = sign({ v: 'old' }, first.privateKey, { algorithm: 'ES256' });
    const newToken = sign({ v: 'new' }, second.privateKey, { algorithm: 'ES256' });
    const both = createVerifier({ keys: [first.publicKey, second.publicKey], algorithms: ['ES256'] });
    assert.equal(both(oldToken).payload['v'], 'old');
    assert.equal(both(newToken).payload['v'], 'new');
    const retired = createVerifier({ keys: [second.publicKey], algorithms: ['ES256'] });
    assert.throws(() => retired(oldToken), { code: 'ERR_JWT_KEY_NOT_FOUND' });
  });
});

describe('mutation fuzzing of public-key tokens', () => {
  it('refuses every damaged token with a JwtError', () => {
    const random = seededBytes(8037);
    const pick = (n: number): number => ((random(1)[0] ?? 0) * 256 + (random(1)[0] ?? 0)) % n;
    const noise = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ';
    for (const alg of ['RS256', 'PS256', 'ES256', 'EdDSA'] as const) {
      const { privateKey, publicKey } = pairFor(alg);
      const original = sign({ sub: 'alice', exp: 4102444800 }, privateKey, { algorithm: alg });
      const verifier = createVerifier({ keys: [publicKey], algorithms: [alg] });
      let refused = 0;
      for (let round = 0; round < 300; round++) {
        let token = original;
        for (let e = 1 + pick(3); e > 0; e--) {
          const at = pick(token.length);
          const char = noise.charAt(pick(noise.length));
          token = pick(2) === 0 ? token.slice(0, at) + char + token.slice(at + 1) : token.slice(0, at) + token.slice(at + 1);
        }
        if (token === original) continue;
        assert.throws(() => verifier(token), (error: unknown) => error instanceof JwtError, `${alg}: ${token}`);
        refused++;
      }
      assert.ok(refused > 250);
    }
  });
});

describe('imports that do not go through PEM text', () => {
  it('a DER key as a KeyObject works; the thumbprint ignores optional members', () => {
    const { privateKey, publicKey } = pairFor('EdDSA');
    const der = createPublicKey({ key: publicKey.export({ type: 'spki', format: 'der' }), format: 'der', type: 'spki' });
    assert.ok(verify(sign({}, createPrivateKey(privateKey.export({ type: 'pkcs8', format: 'pem' })), { algorithm: 'EdDSA' }), der, { algorithms: ['EdDSA'] }));
    const jwk = exportPublicJwk(publicKey);
    assert.equal(jwkThumbprint({ ...jwk, kid: 'other', alg: 'EdDSA' }), jwkThumbprint(publicKey));
    assert.throws(() => jwkThumbprint(createSecretKey(KEY32)), { code: 'ERR_JWT_KEY_INVALID', message: /would publish a hash of the secret/ });
  });
});

describe('key sets of every shape', () => {
  const rsa = pairFor('RS256');
  const ed = pairFor('EdDSA');
  const rsaPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();

  it('takes PEM text, KeyObjects, JWKs and secrets side by side, each for its own family', () => {
    const verifier = createVerifier({ keys: [rsaPem, ed.publicKey, 'a-shared-secret-that-is-32-bytes!', KEY32, { kty: 'OKP', crv: 'X25519', x: 'abc' }, '-----BEGIN PUBLIC KEY-----\nAA==\n-----END PUBLIC KEY-----'], algorithms: ['RS256', 'EdDSA', 'HS256'] });
    assert.ok(verifier(sign({}, rsa.privateKey, { algorithm: 'RS256' })));
    assert.ok(verifier(sign({}, ed.privateKey, { algorithm: 'EdDSA' })));
    // Two secrets and no kid: which one? Refused rather than guessed.
    assert.throws(() => verifier(sign({}, KEY32)), { code: 'ERR_JWT_KEY_NOT_FOUND', message: /2 keys/ });
  });

  it('skips JWKs restricted to another alg, to encryption or to other operations', () => {
    const jwk = exportPublicJwk(rsa.publicKey);
    const only = (member: object): (() => unknown) => () => createVerifier({ keys: { keys: [{ ...jwk, ...member }] }, algorithms: ['RS256'] });
    assert.throws(only({ alg: 'PS256' }), { code: 'ERR_JWT_INVALID_OPTIONS' });
    assert.throws(only({ use: 'enc' }), { code: 'ERR_JWT_INVALID_OPTIONS' });
    assert.throws(only({ key_ops: ['encrypt'] }), { code: 'ERR_JWT_INVALID_OPTIONS' });
    assert.ok(only({ key_ops: ['verify'], use: 'sig', alg: 'RS256' })());
  });

  it('refuses a private key in a verifier\'s set', () => {
    const privatePem = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    assert.throws(() => createVerifier({ keys: [privatePem], algorithms: ['RS256'] }), { code: 'ERR_JWT_KEY_INVALID', message: /needs only the public key/ });
  });
});

const publicKeyEncoding = { type: 'spki', format: 'der' } as const;
const privateKeyEncoding = { type: 'pkcs8', format: 'der' } as const;

function imported(pair: { publicKey: Buffer; privateKey: Buffer }): { publicKey: KeyObject; privateKey: KeyObject } {
  return {
    publicKey: createPublicKey({ key: pair.publicKey, format: 'der', type: 'spki' }),
    privateKey: createPrivateKey({ key: pair.privateKey, format: 'der', type: 'pkcs8' }),
  };
}

describe('more key shapes', () => {
  it('Ed448 signs EdDSA with 114-byte signatures; RSA-PSS keys sign PS256 but not RS256', () => {
    // Generated as DER and imported, as generateKeyPair does: Node 20's keys straight from the
    // generator share a lock with the generation job, and the thumbprint's JWK export can
    // deadlock on it (lib/keypairs.ts).
    const ed448 = imported(generateKeyPairSync('ed448', { publicKeyEncoding, privateKeyEncoding }));
    const token = sign({}, ed448.privateKey, { algorithm: 'EdDSA' });
    assert.equal(Buffer.from(token.split('.')[2] ?? '', 'base64url').length, 114);
    assert.ok(verify(token, ed448.publicKey, { algorithms: ['EdDSA'] }));
    const pss = imported(generateKeyPairSync('rsa-pss', { modulusLength: 2048, publicKeyEncoding, privateKeyEncoding }));
    assert.ok(verify(sign({}, pss.privateKey, { algorithm: 'PS256' }), pss.publicKey, { algorithms: ['PS256'] }));
    assert.throws(() => createSigner({ key: pss.privateKey, algorithm: 'RS256' }), { code: 'ERR_JWT_KEY_INVALID', message: /not an RSA-PSS key/ });
    assert.throws(() => createSigner({ key: generateKeyPairSync('x25519').privateKey, algorithm: 'EdDSA' }), { code: 'ERR_JWT_KEY_INVALID', message: /not an X25519 key/ });
  });

  it('refuses an encrypted private key, a secret KeyObject and a JWK that node:crypto cannot read', () => {
    const encrypted = pairFor('ES256').privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString();
    assert.throws(() => createSigner({ key: encrypted, algorithm: 'ES256' }), { code: 'ERR_JWT_KEY_INVALID', message: /not a key node:crypto can read/ });
    assert.throws(() => createVerifier({ key: createSecretKey(KEY32), algorithms: ['ES256'] }), { code: 'ERR_JWT_KEY_INVALID', message: /shared secret is for HS256/ });
    assert.throws(() => createVerifier({ key: { kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA' }, algorithms: ['ES256'] }), { code: 'ERR_JWT_KEY_INVALID', message: /not a valid EC key/ });
    assert.throws(() => createVerifier({ key: 42 as never, algorithms: ['ES256'] }), { code: 'ERR_JWT_KEY_INVALID' });
    assert.throws(() => createSigner({ key: pairFor('ES256').privateKey, algorithm: 'ES256', kid: 7 as never }), { code: 'ERR_JWT_INVALID_OPTIONS' });
  });

  it('exports a public JWK from a private JWK, and an oct JWK works as an HMAC secret', () => {
    const { privateKey, publicKey } = pairFor('ES256');
    const fromPrivate = exportPublicJwk(privateKey.export({ format: 'jwk' }) as Jwk, { alg: 'ES256' });
    assert.deepEqual(fromPrivate, exportPublicJwk(publicKey, { alg: 'ES256' }));
    assert.equal(fromPrivate['d'], undefined);
    const oct = { kty: 'oct', k: KEY32.toString('base64url') };
    assert.ok(verify(sign({}, KEY32), oct));
    assert.throws(() => jwkThumbprint({ kty: 'oct' }), { code: 'ERR_JWT_KEY_INVALID', message: /needs "k"/ });
    assert.throws(() => exportPublicJwk(createSecretKey(KEY32)), { code: 'ERR_JWT_KEY_INVALID' });
  });
});

describe('algorithmsForKey: an allow-list from the key, never from the token', () => {
  it('names what each kind of key can serve', async () => {
    const { algorithmsForKey } = await import('../../lib/index.js');
    assert.deepEqual(algorithmsForKey(pairFor('RS256').publicKey), ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']);
    assert.deepEqual(algorithmsForKey(pairFor('ES256').publicKey.export({ type: 'spki', format: 'pem' }).toString()), ['ES256']);
    assert.deepEqual(algorithmsForKey(exportPublicJwk(pairFor('ES384').publicKey)), ['ES384']);
    assert.deepEqual(algorithmsForKey(exportPublicJwk(pairFor('RS256').publicKey, { alg: 'PS384' })), ['PS384']);
    assert.deepEqual(algorithmsForKey(exportPublicJwk(pairFor('EdDSA').publicKey)), ['EdDSA']);
    assert.deepEqual(algorithmsForKey(KEY32), ['HS256', 'HS384', 'HS512']);
    assert.deepEqual(algorithmsForKey({ kty: 'OKP', crv: 'X25519', x: 'AA' }), []);
  });
});
