/**
 * The server with public-key algorithms, as flask_jwt_extended runs them:
 * JWT_ALGORITHM RS256/PS256/ES256/EdDSA, JWT_PRIVATE_KEY signs, JWT_PUBLIC_KEY
 * verifies; the attacks answered with PyJWT's messages; start-up refusals; the
 * JWKS endpoint.
 */
import assert from 'node:assert/strict';
import { constants, createHmac, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeUnverified, generateKeyPair, jwkThumbprint, sign, type AlgorithmName } from '../../lib/index.js';
import { loadConfig } from '../../server/jwt/config.js';
import { configFromEnv } from '../../server/jwt/env.js';
import { JwtManager } from '../../server/jwt/manager.js';
import { bearer, login, startDemo, type Harness } from './harness.js';

const pem = (key: KeyObject, type: 'spki' | 'pkcs8'): string => key.export({ type, format: 'pem' }).toString();
const b64 = (text: string): string => Buffer.from(text).toString('base64url');

for (const alg of ['RS256', 'PS256', 'ES256', 'EdDSA'] as const satisfies readonly AlgorithmName[]) {
  describe(`server with ${alg}`, () => {
    const { privateKey, publicKey } = generateKeyPair(alg);
    let h: Harness;
    before(async () => {
      h = await startDemo({ JWT_ALGORITHM: alg, JWT_PRIVATE_KEY: pem(privateKey, 'pkcs8'), JWT_PUBLIC_KEY: pem(publicKey, 'spki'), JWT_SECRET_KEY: null });
    });
    after(() => h.close());

    it('register, login, protected, refresh, logout: the normal flow, tokens carrying the kid of the JWKS', async () => {
      const { access, refresh } = await login(h, 'pk');
      const { header } = decodeUnverified(access);
      assert.equal(header.alg, alg);
      assert.equal(header.kid, jwkThumbprint(publicKey));
      assert.deepEqual((await h.request('GET', '/protected', { headers: bearer(access) })).body, { logged_in_as: 'pk' });
      const refreshed = await h.request('POST', '/refresh', { headers: bearer(refresh) });
      assert.equal(refreshed.status, 200);
      assert.equal((await h.request('DELETE', '/logout', { headers: bearer(access) })).status, 200);
      assert.deepEqual((await h.request('GET', '/protected', { headers: bearer(access) })).body, { msg: 'Token has been revoked' });
      const jwks = await h.request('GET', '/.well-known/jwks.json');
      assert.equal(jwks.status, 200);
      assert.equal(jwks.headers.get('cache-control'), 'public, max-age=300');
      const keys = jwks.body['keys'] as Array<Record<string, unknown>>;
      assert.equal(keys.length, 1);
      assert.equal(keys[0]?.['kid'], header.kid);
      assert.equal(keys[0]?.['alg'], alg);
      assert.equal(keys[0]?.['use'], 'sig');
      assert.equal(keys[0]?.['d'], undefined, 'never a private member');
    });

    it('answers the attacks as flask_jwt_extended with PyJWT does', async () => {
      const { access } = await login(h, 'pk2');
      const [head, payload, signature] = access.split('.') as [string, string, string];
      const other = generateKeyPair(alg);
      const cases: Array<[string, string, number, string]> = [
        ['signed by another key', sign({ sub: 'pk2', type: 'access' }, other.privateKey, { algorithm: alg }), 422, 'Signature verification failed'],
        ['tampered payload', `${head}.${b64('{"sub":"admin","type":"access"}')}.${signature}`, 422, 'Signature verification failed'],
        ['alg none', `${b64('{"alg":"none","typ":"JWT"}')}.${payload}.`, 422, 'The specified alg value is not allowed'],
        ['HS256 MACed with the public key PEM', (() => {
          const input = `${b64('{"alg":"HS256","typ":"JWT"}')}.${payload}`;
          return `${input}.${createHmac('sha256', pem(publicKey, 'spki')).update(input).digest('base64url')}`;
        })(), 422, 'The specified alg value is not allowed'],
        ['signature cut short', `${head}.${payload}.${Buffer.from(signature, 'base64url').subarray(1).toString('base64url')}`, 422, 'Signature verification failed'],
        ['signature one byte long', `${head}.${payload}.AA`, 422, 'Signature verification failed'],
      ];
      if (alg === 'RS256') cases.push(['PS256 when only RS256 is allowed', `${b64('{"alg":"PS256","typ":"JWT"}')}.${payload}.${signature}`, 422, 'The specified alg value is not allowed']);
      if (alg === 'ES256') {
        const input = `${head}.${payload}`;
        cases.push(['a DER signature', `${input}.${cryptoSign('sha256', Buffer.from(input), privateKey).toString('base64url')}`, 422, 'Signature verification failed']);
        cases.push(['r = s = 0', `${input}.${Buffer.alloc(64).toString('base64url')}`, 422, 'Signature verification failed']);
      }
      if (alg === 'PS256') {
        const input = `${head}.${payload}`;
        const salted = cryptoSign('sha256', Buffer.from(input), { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 20 });
        cases.push(['PSS with a 20-byte salt', `${input}.${salted.toString('base64url')}`, 422, 'Signature verification failed']);
      }
      for (const [label, token, status, msg] of cases) {
        const answer = await h.request('GET', '/protected', { headers: bearer(token) });
        assert.deepEqual([answer.status, answer.body], [status, { msg }], label);
      }
    });
  });
}

describe('public-key configuration at start-up', () => {
  const rsa = generateKeyPair('RS256');
  const ec = generateKeyPair('ES256');
  const refused: Array<[Record<string, unknown>, string, RegExp]> = [
    [{ JWT_ALGORITHM: 'RS256', JWT_PUBLIC_KEY: pem(rsa.publicKey, 'spki') }, 'JWT_PRIVATE_KEY', /JWT_PRIVATE_KEY must be set to use asymmetric cryptography algorithm "RS256"/],
    [{ JWT_ALGORITHM: 'RS256', JWT_PRIVATE_KEY: pem(rsa.privateKey, 'pkcs8') }, 'JWT_PUBLIC_KEY', /JWT_PUBLIC_KEY must be set/],
    [{ JWT_ALGORITHM: 'RS256', JWT_PRIVATE_KEY: pem(rsa.privateKey, 'pkcs8'), JWT_PUBLIC_KEY: pem(generateKeyPair('RS256').publicKey, 'spki') }, 'JWT_PUBLIC_KEY', /does not match JWT_PRIVATE_KEY/],
    [{ JWT_ALGORITHM: 'RS256', JWT_PRIVATE_KEY: pem(ec.privateKey, 'pkcs8'), JWT_PUBLIC_KEY: pem(ec.publicKey, 'spki') }, 'JWT_PRIVATE_KEY', /RS256 needs an RSA key, not an EC key/],
    [{ JWT_ALGORITHM: 'RS256', JWT_DECODE_ALGORITHMS: ['RS256', 'HS256'], JWT_PRIVATE_KEY: pem(rsa.privateKey, 'pkcs8'), JWT_PUBLIC_KEY: pem(rsa.publicKey, 'spki') }, 'JWT_DECODE_ALGORITHMS', /mixes HMAC \(HS256\) and public-key \(RS256\) algorithms/],
    [{ JWT_ALGORITHM: 'ES256', JWT_PRIVATE_KEY: pem(ec.privateKey, 'pkcs8'), JWT_PUBLIC_KEY: pem(ec.privateKey, 'pkcs8') }, 'JWT_PUBLIC_KEY', /needs only the public key/],
  ];
  for (const [overrides, key, message] of refused) {
    it(`refuses ${Object.keys(overrides).join(', ')}: ${message.source.slice(0, 50)}`, () => {
      assert.throws(() => new JwtManager(loadConfig(overrides)), (error: unknown) => {
        assert.equal((error as { key?: string }).key, key);
        assert.match((error as Error).message, message);
        return true;
      });
    });
  }

  it('reads keys from @files and from one-line PEM with literal \\n', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plainjwt-keys-'));
    try {
      writeFileSync(join(dir, 'key.pem'), pem(ec.privateKey, 'pkcs8'));
      const env = { JWT_ALGORITHM: 'ES256', JWT_PRIVATE_KEY: `@${join(dir, 'key.pem')}`, JWT_PUBLIC_KEY: pem(ec.publicKey, 'spki').replace(/\n/g, '\\n') };
      const manager = new JwtManager(loadConfig(configFromEnv(env)));
      assert.equal(manager.decodeToken(manager.createAccessToken('x')).payload['sub'], 'x');
      assert.throws(() => configFromEnv({ JWT_PRIVATE_KEY: `@${join(dir, 'missing.pem')}` }), { key: 'JWT_PRIVATE_KEY', message: /cannot read/ });
      assert.throws(() => configFromEnv({ JWT_PUBLIC_KEY: 'not a key' }), { key: 'JWT_PUBLIC_KEY', message: /must be a PEM key/ });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has no JWKS to publish with an HMAC algorithm', async () => {
    const h = await startDemo();
    try {
      const answer = await h.request('GET', '/.well-known/jwks.json');
      assert.deepEqual([answer.status, answer.body], [404, { msg: 'This server signs with HS256, a shared secret: there is no public key to publish' }]);
    } finally {
      await h.close();
    }
  });
});

describe('key rotation with JWT_DECODE_KEYS', () => {
  it('old tokens verify until their key is retired, new tokens carry the new kid, the JWKS lists both', async () => {
    const first = generateKeyPair('ES256');
    const second = generateKeyPair('ES256');
    const keys = (pair: { privateKey: KeyObject; publicKey: KeyObject }): Record<string, unknown> => ({ JWT_ALGORITHM: 'ES256', JWT_PRIVATE_KEY: pem(pair.privateKey, 'pkcs8'), JWT_PUBLIC_KEY: pem(pair.publicKey, 'spki'), JWT_SECRET_KEY: null });
    const dir = mkdtempSync(join(tmpdir(), 'plainjwt-rotation-'));
    const before = await startDemo(keys(first));
    let oldToken: string;
    try {
      oldToken = (await login(before, 'rot')).access;
    } finally {
      await before.close();
    }
    try {
      writeFileSync(join(dir, 'first.pem'), pem(first.publicKey, 'spki'));
      const rotated = await startDemo({ ...keys(second), ...configFromEnv({ JWT_DECODE_KEYS: `@${dir}` }) });
      try {
        await rotated.request('POST', '/register', { json: { username: 'rot', password: 'correct horse' } });
        assert.deepEqual((await rotated.request('GET', '/protected', { headers: bearer(oldToken) })).body, { logged_in_as: 'rot' });
        const newToken = (await login(rotated, 'rot')).access;
        assert.equal(decodeUnverified(newToken).header.kid, jwkThumbprint(second.publicKey));
        const jwks = (await rotated.request('GET', '/.well-known/jwks.json')).body['keys'] as Array<{ kid: string }>;
        assert.deepEqual(jwks.map((key) => key.kid), [jwkThumbprint(second.publicKey), jwkThumbprint(first.publicKey)]);
      } finally {
        await rotated.close();
      }
      const retired = await startDemo({ ...keys(second), JWT_DECODE_KEYS: [] });
      try {
        await retired.request('POST', '/register', { json: { username: 'rot', password: 'correct horse' } });
        const answer = await retired.request('GET', '/protected', { headers: bearer(oldToken) });
        assert.deepEqual([answer.status, answer.body], [422, { msg: `no key with "kid" "${jwkThumbprint(first.publicKey)}" can verify ES256 tokens` }]);
      } finally {
        await retired.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes a JWK Set file too, and needs a public-key algorithm', () => {
    const pair = generateKeyPair('RS256');
    const dir = mkdtempSync(join(tmpdir(), 'plainjwt-jwks-'));
    try {
      writeFileSync(join(dir, 'old.jwks.json'), JSON.stringify({ keys: [{ ...pair.publicKey.export({ format: 'jwk' }), kid: 'old-1' }] }));
      const config = loadConfig({ JWT_ALGORITHM: 'RS256', JWT_PRIVATE_KEY: pem(pair.privateKey, 'pkcs8'), JWT_PUBLIC_KEY: pem(pair.publicKey, 'spki'), ...configFromEnv({ JWT_DECODE_KEYS: `@${join(dir, 'old.jwks.json')}` }) });
      assert.equal(config.JWT_DECODE_KEYS?.length, 1);
      assert.throws(() => loadConfig({ JWT_SECRET_KEY: 'x'.repeat(32), JWT_DECODE_KEYS: [] }), { key: 'JWT_DECODE_KEYS', message: /needs a public-key JWT_ALGORITHM/ });
      assert.throws(() => loadConfig({ JWT_DECODE_KEYS: ['not a key'] }), { key: 'JWT_DECODE_KEYS' });
      assert.throws(() => configFromEnv({ JWT_DECODE_KEYS: '{nope' }), { key: 'JWT_DECODE_KEYS' });
      assert.throws(() => configFromEnv({ JWT_DECODE_KEYS: `@${join(dir, 'missing')}` }), { key: 'JWT_DECODE_KEYS', message: /cannot read/ });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('encode and decode key loaders work with public keys, as in flask_jwt_extended', () => {
    const pair = generateKeyPair('EdDSA');
    const other = generateKeyPair('EdDSA');
    const manager = new JwtManager(loadConfig({ JWT_ALGORITHM: 'EdDSA', JWT_PRIVATE_KEY: pem(pair.privateKey, 'pkcs8'), JWT_PUBLIC_KEY: pem(pair.publicKey, 'spki') }));
    manager.encodeKeyLoader((identity) => (identity === 'tenant-b' ? pem(other.privateKey, 'pkcs8') : pem(pair.privateKey, 'pkcs8')));
    manager.decodeKeyLoader((_header, payload) => (payload.sub === 'tenant-b' ? pem(other.publicKey, 'spki') : pem(pair.publicKey, 'spki')));
    assert.equal(manager.decodeToken(manager.createAccessToken('tenant-a')).payload.sub, 'tenant-a');
    assert.equal(manager.decodeToken(manager.createAccessToken('tenant-b')).payload.sub, 'tenant-b');
    const forged = sign({ sub: 'tenant-b', type: 'access' }, pair.privateKey, { algorithm: 'EdDSA' });
    assert.throws(() => manager.decodeToken(forged), { message: 'Signature verification failed' });
  });
});
