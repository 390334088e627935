/**
 * The page in a real browser: Debian's Chromium, driven headless by
 * playwright-core, against the demo on an ephemeral port. Without Chromium the
 * suite is skipped with a message, except in CI (CI=true), where that fails.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { exportPublicJwk, generateKeyPair, sign } from '../../lib/index.js';
import { createDemo } from '../../server/demo/routes.js';
import { createHttpServer } from '../../server/http/server.js';
import { loadConfig } from '../../server/jwt/config.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env['CI'] === 'true') throw new Error(`Chromium is required in CI and was not found at ${CHROMIUM}`);
const SECRET = 'a-browser-test-secret-of-32-bytes-or-more';

/** The flags a headless Chromium needs here: no sandbox as root, and no calls home on a closed network. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('the inspector and tour page', { skip: available ? false : `Chromium not found at ${CHROMIUM} (apt-get install chromium)` }, () => {
  let browser: Browser;
  let base = '';
  /** A second server, with refresh-token rotation on, for the rotation chapter. */
  let rotating = '';
  let close: () => Promise<void> = () => Promise.resolve();

  before(async () => {
    const demo = createDemo({ config: loadConfig({ JWT_SECRET_KEY: SECRET, JWT_TOKEN_LOCATION: ['headers', 'cookies'] }) });
    const server = createHttpServer(demo.listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const withRotation = createHttpServer(createDemo({ config: loadConfig({ JWT_SECRET_KEY: SECRET }), rotation: { grace: 10 } }).listener);
    await new Promise<void>((resolve) => withRotation.listen(0, '127.0.0.1', resolve));
    rotating = `http://127.0.0.1:${(withRotation.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    close = async () => {
      await browser.close();
      for (const running of [server, withRotation]) {
        running.closeAllConnections();
        await new Promise((resolve) => running.close(resolve));
      }
    };
  });
  after(() => close());

  /** A fresh page that records console errors and uncaught exceptions. */
  async function open(at = base): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('console', (message) => {
      // The tour's refused requests (401) are reported by Chromium itself; they are the lesson, not a fault.
      if (message.type() === 'error' && !/status of 401 \(Unauthorized\)/.test(message.text())) errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`${at}/`);
    return { page, errors };
  }

  it('is served with a strict Content-Security-Policy and the right content types', async () => {
    const html = await fetch(`${base}/`);
    assert.equal(html.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(html.headers.get('content-security-policy') ?? '', /default-src 'none'; script-src 'self'; style-src 'self'/);
    assert.equal(html.headers.get('x-content-type-options'), 'nosniff');
    const script = await fetch(`${base}/static/app.js`);
    assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.match(script.headers.get('cache-control') ?? '', /max-age/);
    assert.equal((await fetch(`${base}/static/style.css`)).headers.get('content-type'), 'text/css; charset=utf-8');
    assert.equal((await fetch(`${base}/static/nope.js`)).status, 404);
    assert.doesNotMatch(await html.text(), /<script>|\son[a-z]+=/i, 'no inline script or handlers');
  });

  it('decodes a known token into coloured segments, header, payload and claims', async () => {
    const { page, errors } = await open();
    const token = sign({ sub: 'alice', role: 'reader' }, SECRET, { expiresIn: 900 });
    await page.fill('#token', token);
    const [h, p, s] = token.split('.');
    assert.equal(await page.textContent('#segments .seg-header'), h);
    assert.equal(await page.textContent('#segments .seg-payload'), p);
    assert.equal(await page.textContent('#segments .seg-signature'), s);
    assert.deepEqual(JSON.parse((await page.textContent('#header-json')) ?? ''), { alg: 'HS256', typ: 'JWT' });
    assert.deepEqual(JSON.parse(await page.inputValue('#payload-json')).sub, 'alice');
    const claims = (await page.textContent('#claims')) ?? '';
    assert.match(claims, /sub subject: whom the token is about \(RFC 7519 §4\.1\.2\): "alice"/);
    assert.match(claims, /exp expiration time.*\(expires in 1[45] min\)/);
    assert.match(claims, /Other claims \(application-defined\): role/);
    assert.equal(await page.isVisible('#timeline'), true);
    assert.match((await page.textContent('#timeline')) ?? '', /exp/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('explains a malformed token precisely: segment and character', async () => {
    const { page, errors } = await open();
    const token = sign({ sub: 'alice' }, SECRET);
    const broken = `${token.slice(0, 8)}=${token.slice(9)}`;
    await page.fill('#token', broken);
    assert.equal(await page.textContent('#problem'), "Malformed: header segment, character 8: '=' padding is not allowed. The payload decoded all the same, and is shown below.");
    assert.equal(await page.textContent('#segments mark.bad-char'), '=');
    assert.equal(JSON.parse(await page.inputValue('#payload-json')).sub, 'alice');
    await page.fill('#token', 'only.two');
    assert.match((await page.textContent('#problem')) ?? '', /exactly two dots .* this one has 1: it looks cut off/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('verifies the signature with the right secret, refuses it with a wrong one, and re-signs an edited payload', async () => {
    const { page, errors } = await open();
    const token = sign({ sub: 'alice', admin: false }, SECRET);
    await page.fill('#token', token);
    await page.fill('#secret', SECRET);
    await page.waitForSelector('#signature-status.ok');
    assert.match((await page.textContent('#signature-status')) ?? '', /Signature verified/);
    await page.fill('#secret', 'not-the-secret-not-the-secret-not-the-secret');
    await page.waitForSelector('#signature-status.bad');
    assert.match((await page.textContent('#signature-status')) ?? '', /Invalid signature/);
    await page.fill('#secret', SECRET);
    await page.waitForSelector('#signature-status.ok');
    await page.fill('#payload-json', JSON.stringify({ sub: 'alice', admin: true }));
    await page.waitForSelector('#signature-status.bad');
    assert.match((await page.textContent('#signature-status')) ?? '', /the payload changed, so the signature no longer matches/);
    await page.click('#resign');
    await page.waitForSelector('#signature-status.ok');
    const resigned = await page.inputValue('#token');
    assert.notEqual(resigned, token);
    assert.equal(JSON.parse(Buffer.from(resigned.split('.')[1] ?? '', 'base64url').toString()).admin, true);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('renders a claim full of markup as inert text', async () => {
    const { page, errors } = await open();
    const evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    await page.fill('#token', sign({ sub: evil, [evil]: evil }, SECRET, { header: { kid: evil } }));
    assert.match((await page.textContent('#claims')) ?? '', /<img src=x onerror=/);
    assert.match((await page.textContent('#header-json')) ?? '', /<script>/);
    assert.equal(await page.evaluate('window.__pwned'), undefined);
    assert.equal(await page.locator('#inspector img, #inspector script').count(), 0);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('runs the whole guided tour: the access token revoked, the refresh token still working, then revoked too', async () => {
    const { page, errors } = await open();
    for (let step = 0; step < 11; step++) {
      await page.click('#tour-next');
      await page.waitForSelector(`#tour-steps > li:nth-child(${step + 1})`);
    }
    const statuses = await page.locator('#tour-steps .http-status').allTextContents();
    assert.deepEqual(statuses, ['201', '200', '200', '200', '200', '401', '200', '401', '200', '200', '401']);
    const revoked = (await page.locator('#tour-steps > li').nth(7).textContent()) ?? '';
    assert.match(revoked, /Token has been revoked/);
    assert.match(revoked, /GET \/protected HTTP\/1\.1\nAuthorization: Bearer ey/);
    assert.match((await page.locator('#tour-steps > li').nth(8).textContent()) ?? '', /The refresh token is a token of its own/);
    assert.match((await page.locator('#tour-steps > li').nth(9).textContent()) ?? '', /Refresh token successfully revoked/);
    const last = (await page.locator('#tour-steps > li').last().textContent()) ?? '';
    assert.match(last, /POST \/refresh HTTP\/1\.1\nAuthorization: Bearer ey/);
    assert.match(last, /Token has been revoked/);
    assert.equal(await page.textContent('#tour-next'), 'Tour complete');
    // The refreshed token is not fresh: inspect it from the tour.
    await page.click('text=Inspect the new access token');
    assert.equal(JSON.parse(await page.inputValue('#payload-json')).fresh, false);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('shows the CSRF double submit in the cookie variant', async () => {
    const { page, errors } = await open();
    for (let step = 0; step < 5; step++) {
      await page.click('#cookie-next');
      await page.waitForSelector(`#cookie-steps > li:nth-child(${step + 1})`);
    }
    const statuses = await page.locator('#cookie-steps .http-status').allTextContents();
    assert.deepEqual(statuses, ['201', '200', '401', '200', '200']);
    assert.match((await page.locator('#cookie-steps > li').nth(2).textContent()) ?? '', /Missing CSRF token/);
    assert.match((await page.locator('#cookie-steps > li').nth(2).textContent()) ?? '', /POST \/fresh HTTP\/1\.1\nCookie: csrf_access_token=[0-9a-f-]{36}; csrf_refresh_token=[0-9a-f-]{36}; \(\+ the HttpOnly JWT cookies/);
    assert.match((await page.locator('#cookie-steps > li').nth(3).textContent()) ?? '', /X-CSRF-TOKEN: [0-9a-f-]{36}/);
    assert.match((await page.locator('#cookie-steps > li').nth(4).textContent()) ?? '', /The JWTs themselves stay valid until they expire/);
    assert.equal(await page.locator('#tour-steps > li').count(), 0, 'the cookie steps have their own list');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('runs the rotation chapter: a new refresh token each time, then a replayed one ends the whole session', async () => {
    const { page, errors } = await open(rotating);
    assert.equal(await page.isVisible('#rotation-off'), false);
    for (let step = 0; step < 6; step++) {
      await page.click('#rotation-next');
      await page.waitForSelector(`#rotation-steps > li:nth-child(${step + 1})`);
    }
    const statuses = await page.locator('#rotation-steps .http-status').allTextContents();
    assert.deepEqual(statuses, ['201', '200', '200', '200', '401', '401']);
    assert.match((await page.locator('#rotation-steps > li').nth(2).textContent()) ?? '', /"refresh_token":"eyJ/);
    assert.match((await page.locator('#rotation-steps > li').nth(4).textContent()) ?? '', /Refresh token reuse detected/);
    assert.match((await page.locator('#rotation-steps > li').nth(5).textContent()) ?? '', /Token has been revoked[\s\S]*That is why refresh tokens rotate/);
    assert.equal(await page.textContent('#rotation-next'), 'Rotation chapter complete');
    // The main tour on this server explains why its refresh token went with the logout.
    for (let step = 0; step < 9; step++) {
      await page.click('#tour-next');
      await page.waitForSelector(`#tour-steps > li:nth-child(${step + 1})`);
    }
    assert.match((await page.locator('#tour-steps > li').nth(8).textContent()) ?? '', /logging out ends the whole session/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('says how to turn rotation on when the server does not rotate', async () => {
    const { page } = await open();
    assert.equal(await page.isVisible('#rotation-off'), true);
    assert.match((await page.textContent('#rotation-off')) ?? '', /JWT_REFRESH_TOKEN_ROTATION=true npm start/);
    assert.equal(await page.isDisabled('#rotation-next'), true);
    await page.close();
  });

  it('fits a phone-width screen, works from the keyboard, and follows the colour scheme', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${base}/`);
    const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
    assert.ok(width <= 390, `no horizontal scrolling (scrollWidth ${width})`);
    await page.focus('#token');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type(sign({ sub: 'kb' }, SECRET));
    assert.equal(await page.textContent('#segments .seg-header'), 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9');
    await page.focus('#tour-next');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#tour-steps > li');
    // Light and dark colour schemes both apply.
    const background = (): Promise<unknown> => page.evaluate('getComputedStyle(document.body).backgroundColor');
    await page.emulateMedia({ colorScheme: 'light' });
    assert.equal(await background(), 'rgb(255, 255, 255)');
    await page.emulateMedia({ colorScheme: 'dark' });
    assert.equal(await background(), 'rgb(22, 22, 26)');
    await page.close();
  });

  it('opens with a sample token decoded and verified, labelled as a sample, and the tour in view at 1280×800', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`${base}/`);
    assert.equal(await page.isVisible('#sample-note'), true);
    assert.match((await page.textContent('#sample-note')) ?? '', /sample token/);
    await page.waitForSelector('#signature-status.ok');
    assert.equal(JSON.parse(await page.inputValue('#payload-json')).sub, 'alice');
    assert.match((await page.textContent('#claims')) ?? '', /expires in \d+ years/);
    assert.match((await page.textContent('#claims')) ?? '', /UTC|GMT/, 'times show their time zone');
    assert.equal(await page.locator('#tour-next').isVisible(), true);
    const box = await page.locator('#tour-next').boundingBox();
    assert.ok(box !== null && box.y + box.height <= 800, 'the tour can be started without scrolling');
    assert.equal(await page.isVisible('#tour-reset'), false, 'nothing to start over yet');
    // A pasted token does not keep the sample's secret.
    await page.fill('#token', sign({ sub: 'bob' }, SECRET));
    assert.equal(await page.inputValue('#secret'), '');
    assert.equal(await page.isVisible('#sample-note'), false);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('decodes header and payload of a token whose signature alone is broken, and marks the bad character', async () => {
    const { page, errors } = await open();
    const token = sign({ sub: 'carol' }, SECRET);
    await page.fill('#token', `${token.slice(0, -3)}!${token.slice(-2)}`);
    assert.match((await page.textContent('#problem')) ?? '', /signature segment, character \d+: '!' is not a base64url character\. The header and payload decoded all the same/);
    assert.equal(await page.textContent('#segments mark.bad-char'), '!');
    assert.deepEqual(JSON.parse((await page.textContent('#header-json')) ?? ''), { alg: 'HS256', typ: 'JWT' });
    assert.equal(JSON.parse(await page.inputValue('#payload-json')).sub, 'carol');
    assert.match((await page.textContent('#signature-status')) ?? '', /Cannot check the signature: the signature segment is malformed/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('warns about alg none and says why nothing can be checked', async () => {
    const { page, errors } = await open();
    await page.fill('#token', `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"admin"}').toString('base64url')}.`);
    assert.equal(await page.isVisible('#alg-warning'), true);
    assert.match((await page.textContent('#alg-warning')) ?? '', /"alg": "none" means this token has no signature.*RFC 8725 §3\.1/);
    assert.match((await page.textContent('#signature-status')) ?? '', /Nothing to check: "alg": "none"/);
    await page.fill('#token', `${Buffer.from('{"alg":"ES256K"}').toString('base64url')}.e30.c2ln`);
    assert.match((await page.textContent('#signature-status')) ?? '', /"alg" is "ES256K"; this page checks HMAC tokens/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('shows the expected signature next to the token\'s, in monospace, and refuses a weak secret as the CLI does', async () => {
    const { page, errors } = await open();
    const token = sign({ sub: 'dan' }, SECRET);
    await page.fill('#token', token);
    await page.fill('#secret', 'not-the-secret-not-the-secret-not-the-secret');
    await page.waitForSelector('#expected-signature');
    const expected = (await page.textContent('#expected-signature')) ?? '';
    assert.match(expected, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(expected, token.split('.')[2]);
    assert.equal(await page.textContent('#token-signature'), token.split('.')[2]);
    assert.match(await page.evaluate("getComputedStyle(document.getElementById('expected-signature')).fontFamily"), /mono/i);
    // jwt.io's sample secret: 19 bytes, refused even when it reproduces the signature.
    const weak = 'your-256-bit-secret';
    await page.fill('#token', sign({ sub: 'eve' }, weak, { allowInsecureShortKey: true }));
    await page.fill('#secret', weak);
    await page.waitForFunction("/Weak secret/.test(document.getElementById('signature-status').textContent)");
    const status = (await page.textContent('#signature-status')) ?? '';
    assert.match(status, /Weak secret: 19 bytes, and HS256 needs at least 32 \(RFC 7518 §3\.2\)/);
    assert.match(status, /It does reproduce this signature, but a verifier must refuse it/);
    assert.equal(await page.getAttribute('#signature-status', 'class'), 'status bad');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('says where an edited payload stops being JSON, under the payload, and clears the stale claims', async () => {
    const { page, errors } = await open();
    await page.fill('#payload-json', '{"sub": "alice",\n "admin": tru}');
    assert.equal(await page.isVisible('#payload-problem'), true);
    assert.match((await page.textContent('#payload-problem')) ?? '', /not valid JSON: Expecting value: line 2 column 11 \(char 27\)\. No token can carry it\./);
    assert.match((await page.textContent('#claims')) ?? '', /cannot be read until the payload is valid JSON again/);
    assert.doesNotMatch((await page.textContent('#signature-status')) ?? '', /JSON/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('keeps the next tour action in view as the steps pile up', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${base}/`);
    for (let step = 0; step < 5; step++) {
      await page.click('#tour-next');
      await page.waitForSelector(`#tour-steps > li:nth-child(${step + 1})`);
      await page.waitForFunction("!document.getElementById('tour-next').disabled");
    }
    await page.waitForTimeout(600); // the smooth scroll
    const inView = await page.evaluate(
      "(() => { const box = document.getElementById('tour-next').getBoundingClientRect(); return box.top >= 0 && box.bottom <= window.innerHeight; })()",
    );
    assert.equal(inView, true);
    assert.equal(await page.isVisible('#tour-reset'), true);
    await page.close();
  });

  it('verifies RS, PS, ES and EdDSA tokens with a pasted public key, and says which key it expected', async () => {
    const { page, errors } = await open();
    for (const alg of ['RS256', 'PS256', 'ES256', 'EdDSA'] as const) {
      const { privateKey, publicKey } = generateKeyPair(alg);
      await page.fill('#token', sign({ sub: 'alice' }, privateKey, { algorithm: alg }));
      assert.equal(await page.isVisible('#public-key'), true, alg);
      assert.equal(await page.isVisible('#secret'), false);
      const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
      await page.fill('#public-key', alg === 'EdDSA' ? JSON.stringify(exportPublicJwk(publicKey)) : pem);
      await page.waitForSelector('#signature-status.ok');
      assert.match((await page.textContent('#signature-status')) ?? '', /Signature verified with the public key/, alg);
      await page.fill('#payload-json', '{"sub":"mallory"}');
      await page.waitForSelector('#signature-status.bad');
    }
    const { privateKey } = generateKeyPair('ES256');
    await page.fill('#token', sign({}, privateKey, { algorithm: 'ES256' }));
    await page.fill('#public-key', generateKeyPair('RS256').publicKey.export({ type: 'spki', format: 'pem' }).toString());
    await page.waitForSelector('#signature-status.bad');
    assert.match((await page.textContent('#signature-status')) ?? '', /ES256 expects an EC public key on P-256/);
    await page.fill('#public-key', privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    await page.waitForFunction("/private key/.test(document.getElementById('signature-status').textContent)");
    assert.match((await page.textContent('#signature-status')) ?? '', /This is a private key\. Paste the public key/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('with a key pair, the tour fetches the JWKS and the inspector verifies the server\'s token with it, in the browser', async () => {
    const { privateKey, publicKey } = generateKeyPair('ES256');
    const demo = createDemo({
      config: loadConfig({ JWT_ALGORITHM: 'ES256', JWT_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), JWT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString() }),
    });
    const server = createHttpServer(demo.listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      for (let step = 0; step < 3; step++) {
        await page.click('#tour-next');
        await page.waitForSelector(`#tour-steps > li:nth-child(${step + 1})`);
        await page.waitForFunction("!document.getElementById('tour-next').disabled");
      }
      const jwksStep = (await page.locator('#tour-steps > li').nth(2).textContent()) ?? '';
      assert.match(jwksStep, /GET \/\.well-known\/jwks\.json/);
      assert.match(jwksStep, /anyone can verify; only the server can sign/);
      await page.click('text=Inspect the access token (checked with the public key)');
      await page.waitForSelector('#signature-status.ok');
      assert.match((await page.textContent('#signature-status')) ?? '', /Signature verified with the public key/);
      assert.match(await page.inputValue('#public-key'), /"kty": "EC"/);
    } finally {
      await page.close();
      server.closeAllConnections();
      server.close();
    }
    // On an HMAC server the button says there is nothing to fetch.
    const { page: hsPage } = await open();
    await hsPage.fill('#token', sign({}, generateKeyPair('ES256').privateKey, { algorithm: 'ES256' }));
    await hsPage.click('#use-jwks');
    await hsPage.waitForFunction("/no public keys to offer/.test(document.getElementById('signature-status').textContent)");
    await hsPage.close();
  });
});
