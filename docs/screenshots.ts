/**
 * `npm run screenshots`: regenerates the README's pictures of the page
 * (docs/*.png), desktop and phone width, with Debian's Chromium driven by
 * playwright-core against the demo on an ephemeral port.
 */
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { createHttpServer } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { createDemo } from '../server/demo.js';

const SECRET = 'change-me-to-32-or-more-random-bytes';
const demo = createDemo({ config: loadConfig({ JWT_SECRET_KEY: SECRET }) });
const server = createHttpServer(demo.listener);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const browser = await chromium.launch({
  executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  for (const [name, width, height] of [['desktop', 1280, 900], ['phone', 390, 844]] as const) {
    const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
    await page.goto(`${base}/`);
    // The tour first, so the inspector can show a real token from it.
    for (let step = 0; step < 8; step++) await page.click('#tour-next');
    await page.waitForSelector('#tour-steps > li:nth-child(8)');
    await page.click('text=Inspect the access token');
    await page.fill('#secret', SECRET);
    await page.waitForSelector('#signature-status.ok');
    await page.locator('#inspector').screenshot({ path: `docs/inspector-${name}.png` });
    await page.locator('#tour-steps > li').nth(4).screenshot({ path: `docs/tour-${name}.png` });
    await page.close();
    process.stdout.write(`docs/inspector-${name}.png, docs/tour-${name}.png\n`);
  }
} finally {
  await browser.close();
  server.closeAllConnections();
  server.close();
}
