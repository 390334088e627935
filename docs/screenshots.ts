/**
 * `npm run screenshots`: regenerates the README's pictures of the page
 * (docs/*.png), desktop and phone width, with Debian's Chromium driven by
 * playwright-core against the demo on an ephemeral port.
 */
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { createHttpServer } from '../server/http/server.js';
import { loadConfig } from '../server/jwt/index.js';
import { createDemo } from '../server/demo/routes.js';

const SECRET = 'change-me-to-32-or-more-random-bytes';

const demo = createDemo({ config: loadConfig({ JWT_SECRET_KEY: SECRET }) });
const server = createHttpServer(demo.listener);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const browser = await chromium.launch({
  executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const b64 = (text: string): string => Buffer.from(text).toString('base64url');
try {
  for (const [name, width, height] of [['desktop', 1280, 800], ['phone', 390, 844]] as const) {
    const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
    await page.goto(`${base}/`);
    // What a first visit shows: the sample token, decoded and verified, and the tour beside it.
    await page.waitForSelector('#signature-status.ok');
    await page.screenshot({ path: `docs/first-visit-${name}.png` });
    await page.locator('#inspector').screenshot({ path: `docs/inspector-${name}.png` });
    // A token whose signature alone is broken: header and payload still decoded.
    const sample = await page.inputValue('#token');
    await page.fill('#token', `${sample.slice(0, -4)}+${sample.slice(-3)}`);
    await page.locator('#inspector').screenshot({ path: `docs/broken-signature-${name}.png` });
    // The alg: none warning.
    await page.fill('#token', `${b64('{"alg":"none","typ":"JWT"}')}.${b64('{"sub":"admin","admin":true}')}.`);
    await page.locator('#inspector').screenshot({ path: `docs/alg-none-${name}.png` });
    // The tour, a few steps in, with its next action in view.
    for (let step = 0; step < 6; step++) {
      await page.click('#tour-next');
      await page.waitForSelector(`#tour-steps > li:nth-child(${step + 1})`);
      await page.waitForFunction("!document.getElementById('tour-next').disabled");
    }
    await page.waitForTimeout(700);
    await page.screenshot({ path: `docs/tour-${name}.png` });
    await page.close();
    process.stdout.write(`docs/{first-visit,inspector,broken-signature,alg-none,tour}-${name}.png\n`);
  }
} finally {
  await browser.close();
  server.closeAllConnections();
  server.close();
}
