/**
 * The verify-only resource server: an issuer and a resource server, the second
 * checking the first's tokens with the keys from its JWKS, through rotation, a
 * flood of unknown kids, and an unreachable issuer.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { exportPublicJwk, generateKeyPair, sign } from '../../lib/index.js';
import { createResourceServer } from '../../server/demo/resource.js';
import { createHttpServer } from '../../server/http/server.js';
import { loadConfig } from '../../server/jwt/config.js';
import { bearer, login, startDemo } from './harness.js';
import { runMain, waitFor } from './processes.js';

const run = runMain;

async function listening(output: () => string): Promise<string> {
  return (await waitFor(output, /listening on (http:\/\/127\.0\.0\.1:\d+)/))[1] ?? '';
}

describe('a resource server verifying an issuer\'s tokens (two processes)', () => {
  it('accepts the issuer\'s tokens, refuses forged ones, sends logins to the issuer, and says when the issuer is unreachable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plainjwt-resource-'));
    const { privateKey, publicKey } = generateKeyPair('ES256');
    writeFileSync(join(dir, 'key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(join(dir, 'pub.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
    const issuer = run({ JWT_ALGORITHM: 'ES256', JWT_PRIVATE_KEY: `@${join(dir, 'key.pem')}`, JWT_PUBLIC_KEY: `@${join(dir, 'pub.pem')}`, DATA_DIR: dir });
    let resource: ReturnType<typeof run> | undefined;
    try {
      const issuerUrl = await listening(issuer.output);
      resource = run({ JWT_ALGORITHM: 'ES256', JWT_JWKS_URL: `${issuerUrl}/.well-known/jwks.json`, DATA_DIR: dir });
      const resourceUrl = await listening(resource.output);
      assert.match(resource.output(), /verify-only resource server/);
      const post = (path: string, body: object): Promise<Response> => fetch(`${issuerUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      await post('/register', { username: 'res', password: 'pw' });
      const { access_token: access } = (await (await post('/login', { username: 'res', password: 'pw' })).json()) as { access_token: string };
      const ok = await fetch(`${resourceUrl}/protected`, { headers: bearer(access) });
      assert.deepEqual([ok.status, await ok.json()], [200, { logged_in_as: 'res' }]);
      const forged = sign({ sub: 'res', type: 'access' }, generateKeyPair('ES256').privateKey, { algorithm: 'ES256', kid: 'made-up' });
      const refused = await fetch(`${resourceUrl}/protected`, { headers: bearer(forged) });
      assert.deepEqual([refused.status, await refused.json()], [422, { msg: 'no key with "kid" "made-up" can verify ES256 tokens' }]);
      const loginThere = await fetch(`${resourceUrl}/login`, { method: 'POST' });
      assert.equal(loginThere.status, 404);
      assert.match(((await loginThere.json()) as { msg: string }).msg, /verify-only resource server/);
    } finally {
      // Listen for both exits before either can happen (an 'exit' already emitted would never resolve).
      const children = [issuer.child, ...(resource === undefined ? [] : [resource.child])];
      const exits = children.map((child) => (child.exitCode === null ? once(child, 'exit') : Promise.resolve()));
      for (const child of children) child.kill('SIGTERM');
      await Promise.all(exits);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('fetching the issuer\'s JWKS', () => {
  /** A stand-in issuer JWKS that counts its fetches. */
  async function jwksServer(body: () => unknown): Promise<{ url: string; fetches: () => number; server: Server }> {
    let count = 0;
    const server = createServer((_req, res) => {
      count++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body()));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`, fetches: () => count, server };
  }

  it('follows a key rotation, but fetches at most once per cooldown however many unknown kids arrive', async () => {
    const first = generateKeyPair('EdDSA');
    const second = generateKeyPair('EdDSA');
    let keys = [exportPublicJwk(first.publicKey)];
    const issuer = await jwksServer(() => ({ keys }));
    const config = loadConfig({ JWT_ALGORITHM: 'EdDSA', JWT_JWKS_URL: issuer.url });
    const slow = createResourceServer(config, { cooldownMs: 60_000 });
    const fast = createResourceServer(config, { cooldownMs: 0 });
    const servers = [slow, fast].map((resource) => createHttpServer(resource.listener));
    try {
      const urls = await Promise.all(servers.map(async (server) => {
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      }));
      const [slowUrl = '', fastUrl = ''] = urls;
      const oldToken = sign({ sub: 'a', type: 'access' }, first.privateKey, { algorithm: 'EdDSA' });
      for (const url of urls) assert.equal((await fetch(`${url}/protected`, { headers: bearer(oldToken) })).status, 200);
      // Rotation: the issuer publishes the new key next to the old one.
      keys = [exportPublicJwk(second.publicKey), exportPublicJwk(first.publicKey)];
      const newToken = sign({ sub: 'b', type: 'access' }, second.privateKey, { algorithm: 'EdDSA' });
      const before = issuer.fetches();
      assert.equal((await fetch(`${fastUrl}/protected`, { headers: bearer(newToken) })).status, 200, 'an unknown kid is fetched');
      assert.equal((await fetch(`${fastUrl}/protected`, { headers: bearer(oldToken) })).status, 200, 'the old key still verifies');
      assert.equal(issuer.fetches(), before + 1);
      // A flood of made-up kids: the slow server (cooldown 60 s) does not fetch again.
      const flood = await Promise.all(Array.from({ length: 20 }, (_, i) => fetch(`${slowUrl}/protected`, { headers: bearer(sign({ sub: 'x', type: 'access' }, second.privateKey, { algorithm: 'EdDSA', kid: `kid-${i}` })) })));
      assert.ok(flood.every((answer) => answer.status === 422));
      assert.equal(issuer.fetches(), before + 1, 'no fetch within the cooldown');
    } finally {
      for (const server of servers) {
        server.closeAllConnections();
        server.close();
      }
      issuer.server.closeAllConnections();
      issuer.server.close();
    }
  });

  it('stops trusting a key the issuer withdraws, once the keys have aged', async () => {
    const first = generateKeyPair('ES256');
    let keys = [exportPublicJwk(first.publicKey)];
    const issuer = await jwksServer(() => ({ keys }));
    const resource = createResourceServer(loadConfig({ JWT_ALGORITHM: 'ES256', JWT_JWKS_URL: issuer.url }), { cooldownMs: 0, maxAgeMs: 0 });
    const server = createHttpServer(resource.listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/protected`;
      const token = sign({ sub: 'a', type: 'access' }, first.privateKey, { algorithm: 'ES256' });
      assert.equal((await fetch(url, { headers: bearer(token) })).status, 200);
      keys = [exportPublicJwk(generateKeyPair('ES256').publicKey)]; // the issuer withdraws the key
      await fetch(url, { headers: bearer(token) }); // served with the keys at hand, a background refresh starts
      await new Promise((resolve) => setTimeout(resolve, 200));
      const after = await fetch(url, { headers: bearer(token) });
      assert.equal(after.status, 422);
    } finally {
      server.closeAllConnections();
      server.close();
      issuer.server.closeAllConnections();
      issuer.server.close();
    }
  });

  it('answers 422 with a clear msg when the issuer is unreachable and no key is known, and refuses oversized or malformed sets', async () => {
    const unreachable = createResourceServer(loadConfig({ JWT_ALGORITHM: 'ES256', JWT_JWKS_URL: 'http://127.0.0.1:9/jwks.json' }), { cooldownMs: 0 });
    const one = exportPublicJwk(generateKeyPair('ES256').publicKey);
    const bigSet = { keys: Array.from({ length: 1000 }, (_, i) => ({ ...one, kid: `key-${i}` })) }; // about 200 KB
    const big = await jwksServer(() => bigSet);
    const bogus = await jwksServer(() => ['not', 'a', 'set']);
    const resources = [unreachable, createResourceServer(loadConfig({ JWT_ALGORITHM: 'ES256', JWT_JWKS_URL: big.url }), { cooldownMs: 0 }), createResourceServer(loadConfig({ JWT_ALGORITHM: 'ES256', JWT_JWKS_URL: bogus.url }), { cooldownMs: 0 })];
    const messages = [/could not be fetched from http:\/\/127\.0\.0\.1:9\/jwks\.json/, /larger than 65536 bytes/, /not a JWK Set/];
    const token = sign({ sub: 'a', type: 'access' }, generateKeyPair('ES256').privateKey, { algorithm: 'ES256' });
    try {
      for (const [index, resource] of resources.entries()) {
        const server = createHttpServer(resource.listener);
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        try {
          const answer = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/protected`, { headers: bearer(token) });
          assert.equal(answer.status, 422);
          assert.match(((await answer.json()) as { msg: string }).msg, messages[index] ?? /./);
        } finally {
          server.closeAllConnections();
          server.close();
        }
      }
    } finally {
      for (const stub of [big, bogus]) {
        stub.server.closeAllConnections();
        stub.server.close();
      }
    }
  });

  it('needs a public-key algorithm and a URL', async () => {
    assert.throws(() => loadConfig({ JWT_SECRET_KEY: 'x'.repeat(32), JWT_JWKS_URL: 'http://127.0.0.1/jwks.json' }), { key: 'JWT_JWKS_URL', message: /needs a public-key JWT_ALGORITHM/ });
    assert.throws(() => loadConfig({ JWT_ALGORITHM: 'ES256', JWT_JWKS_URL: 'file:///etc/passwd' }), { key: 'JWT_JWKS_URL', message: /http:\/\/ or https:\/\/ URL/ });
    const h = await startDemo();
    await login(h, 'unused');
    await h.close();
  });
});
