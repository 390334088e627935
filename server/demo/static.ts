/**
 * The demo's web page: GET / and its assets under /static/. The page is plain
 * HTML, CSS and JavaScript compiled from page/*.ts, read once at start-up. The
 * scripts import the shared words of explain/ as ../explain/*.js, which a
 * browser resolves to /explain/*.js.
 *
 * Every answer carries a strict Content-Security-Policy: scripts and styles
 * only from this server, no inline script, nothing fetched from elsewhere, no
 * framing. The page renders token contents as text, never as HTML; the policy
 * is the second line of defence if that ever slips.
 */
import { readFileSync } from 'node:fs';
import type { Handler } from '../http/app.js';
import type { Reply } from '../http/reply.js';
import type { Router } from '../http/router.js';
import type { JwtConfig } from '../jwt/index.js';

const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** The page's source folder (HTML, CSS), its compiled scripts, and the shared words they import. */
const SOURCE = new URL('../../../page/', import.meta.url);
const COMPILED = new URL('../../browser/page/', import.meta.url);
const SHARED = new URL('../../browser/explain/', import.meta.url);

/** Adds GET / and GET /static/:file to `router`. */
export function addPageRoutes(router: Router<Handler>, config: JwtConfig, options: { readonly rotation?: boolean } = {}): void {
  const assets = new Map<string, Reply>();
  for (const file of ['style.css']) assets.set(file, asset(readFileSync(new URL(file, SOURCE)), file));
  for (const file of ['app.js', 'decode.js', 'inspector.js', 'tour.js', 'dom.js']) assets.set(file, asset(readFileSync(new URL(file, COMPILED)), file));
  const shared = new Map<string, Reply>();
  for (const file of ['pyjson.js', 'claims.js']) shared.set(file, asset(readFileSync(new URL(file, SHARED)), file));
  // The page learns where the server reads tokens from (for the cookie variant
  // of the tour) from a data attribute: no inline script is needed.
  const html = readFileSync(new URL('index.html', SOURCE), 'utf8')
    .replace('{{TOKEN_LOCATION}}', config.JWT_TOKEN_LOCATION.join(','))
    .replace('{{ALGORITHM}}', config.JWT_ALGORITHM)
    .replace('{{ROTATION}}', String(options.rotation === true));
  const page: Reply = {
    status: 200,
    raw: { type: 'text/html; charset=utf-8', content: html },
    headers: { ...SECURITY_HEADERS, 'Cache-Control': 'no-cache' },
  };
  router.add('GET', '/', () => page);
  router.add('GET', '/static/:file', (ctx) => assets.get(ctx.params['file'] ?? '') ?? { status: 404, body: { msg: 'Not Found' } });
  router.add('GET', '/explain/:file', (ctx) => shared.get(ctx.params['file'] ?? '') ?? { status: 404, body: { msg: 'Not Found' } });
}

function asset(content: Buffer, file: string): Reply {
  const type = TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream';
  return { status: 200, raw: { type, content }, headers: { ...SECURITY_HEADERS, 'Cache-Control': 'public, max-age=300' } };
}
