/**
 * `npm run bench:handler`: what the demo's request path costs in JavaScript,
 * without the network: the route's handler called in a loop with a prepared
 * request, and its answer turned into the JSON a client would get. The floor
 * is the same work for a route with no guard (the HTTP layer's own share).
 * Rows: a valid token (verified, and from the verified-token cache), and the
 * answers attackers and lost clients get: no token, a bad signature, an
 * expired token, a revoked one.
 *
 * Flags: --quick, --rounds N, --ms N, --markdown. `npm run bench:http` measures
 * the same route over real HTTP.
 */
import type { IncomingMessage } from 'node:http';
import { cpus } from 'node:os';
import { createDemo } from '../server/demo/routes.js';
import { Context } from '../server/http/context.js';
import { flaskJson, json, type Reply } from '../server/http/reply.js';
import { loadConfig } from '../server/jwt/config.js';
import { jwtErrorHandler } from '../server/jwt/responses.js';
import { parseFlags } from './flags.js';
import { measureGroup, type Contestant, type Result } from './measure.js';
import { machine, markdown, noiseWarning, table } from './report.js';

const flags = parseFlags(
  { quick: { type: 'boolean', default: false }, rounds: { type: 'string' }, ms: { type: 'string' }, markdown: { type: 'boolean', default: false } },
  'bench:handler [--quick] [--rounds N] [--ms N] [--markdown]',
);
const rounds = Number(flags.rounds ?? (flags.quick ? 3 : 7));
const ms = Number(flags.ms ?? (flags.quick ? 60 : 150));

const SECRET = 'bench-secret-bench-secret-bench-secret!!';
const now = Math.floor(Date.now() / 1000);
const scrypt = { scrypt: { ln: 10, r: 8, p: 1 } } as const;
const plain = createDemo({ config: loadConfig({ JWT_SECRET_KEY: SECRET }), now: () => now, passwords: scrypt });
const cached = createDemo({ config: loadConfig({ JWT_SECRET_KEY: SECRET }), now: () => now, verifyCacheSize: 10_000, passwords: scrypt });
for (const demo of [plain, cached]) {
  await demo.users.create('alice', 'pw');
  demo.router.add('GET', '/floor', () => json(200, { logged_in_as: 'alice' }));
}
const token = plain.manager.createAccessToken('alice', { fresh: true });
const expired = plain.manager.createAccessToken('alice', { expiresDelta: 1, additionalClaims: { iat: now - 100, nbf: now - 100, exp: now - 99 } });
const badSignature = `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
const revoked = plain.manager.createAccessToken('alice');
await plain.blocklist.add(String(plain.manager.decodeToken(revoked).payload['jti']), now + 900);

/** One request through a demo's route: handler, error callbacks, JSON text. */
function request(name: string, demo: typeof plain, path: string, authorization?: string): Contestant {
  const match = demo.router.find('GET', path);
  if (match.kind !== 'found') throw new Error(`no route ${path}`);
  const handler = match.handler;
  const errors = jwtErrorHandler(demo.manager);
  const raw = authorization === undefined ? ['Host', 'bench'] : ['Host', 'bench', 'Authorization', `Bearer ${authorization}`];
  const req = { method: 'GET', rawHeaders: raw, headers: {}, socket: { remoteAddress: '127.0.0.1' } } as unknown as IncomingMessage;
  const answer = (reply: Reply | undefined): string => flaskJson(reply?.body);
  return {
    name,
    async: true,
    run: async () => {
      const ctx = new Context(req, path, '', {}, Buffer.alloc(0));
      try {
        return answer(await handler(ctx));
      } catch (error) {
        return answer(errors(error, ctx));
      }
    },
  };
}

const group = {
  name: 'GET /protected, handler only (memory store)',
  contestants: [
    request('route without a guard (floor)', plain, '/floor'),
    request('valid token', plain, '/protected', token),
    request('valid token, verified-token cache', cached, '/protected', token),
    request('no token (401)', plain, '/protected'),
    request('no token, optional route (200)', plain, '/optional'),
    request('bad signature (422)', plain, '/protected', badSignature),
    request('expired (401)', plain, '/protected', expired),
    request('revoked (401)', plain, '/protected', revoked),
  ],
};
const results: Result[] = await measureGroup(group, { rounds, ms }, (round) => process.stderr.write(`\rround ${round}/${rounds}   `));
process.stderr.write('\n');
const heading = `${machine()}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}; ${rounds} rounds × ${ms} ms, medians`;
process.stdout.write(`${heading}\n\n${flags.markdown ? markdown(results) : table(results)}\n\n${noiseWarning(results)}\n`);
