/** The getters of the request's JWT state (get_jwt, get_jwt_header, …). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { json } from '../../server/http/reply.js';
import { getCurrentUser, getJwt, getJwtHeader, getJwtIdentity, getJwtRequestLocation } from '../../server/jwt/state.js';
import { bearer, login, SECRET, startDemo, type Harness } from './harness.js';
import { jwtRequired, verifyJwtInRequest } from '../../server/jwt/guards.js';
import { JwtManager } from '../../server/jwt/manager.js';
import { loadConfig } from '../../server/jwt/config.js';

describe('request JWT state', () => {
  let h: Harness;
  let access: string;
  before(async () => {
    h = await startDemo();
    ({ access } = await login(h));
    const m = h.demo.manager;
    h.demo.router
      .add('GET', '/state', jwtRequired(m, { optional: true })((ctx) =>
        json(200, { header: getJwtHeader(ctx), identity: getJwtIdentity(ctx), location: getJwtRequestLocation(ctx), user: getCurrentUser(ctx), type: getJwt(ctx)['type'] ?? null }),
      ))
      .add('GET', '/unguarded', (ctx) => json(200, { identity: getJwtIdentity(ctx) }))
      .add('GET', '/manual', async (ctx) => {
        const verified = await verifyJwtInRequest(m, ctx, { locations: 'headers' });
        return json(200, { sub: verified?.payload.sub ?? null });
      });
  });
  after(() => h.close());

  it('exposes header, identity, location and user after verification', async () => {
    const answer = await h.request('GET', '/state', { headers: bearer(access) });
    assert.deepEqual(answer.body, { header: { alg: 'HS256', typ: 'JWT' }, identity: 'alice', location: 'headers', user: { username: 'alice' }, type: 'access' });
  });

  it('is empty on an optional route without a token', async () => {
    const answer = await h.request('GET', '/state');
    assert.deepEqual(answer.body, { header: {}, identity: null, location: null, user: null, type: null });
  });

  it('refuses to be read before verification (a programming error: 500)', async () => {
    const answer = await h.request('GET', '/unguarded', { headers: bearer(access) });
    assert.equal(answer.status, 500);
    assert.ok(h.logs.some((line) => line.includes('You must call `jwtRequired()` or `verifyJwtInRequest()`')));
  });

  it('verifyJwtInRequest works inside a handler; its errors are answered by the manager', async () => {
    assert.deepEqual((await h.request('GET', '/manual', { headers: bearer(access) })).body, { sub: 'alice' });
    const missing = await h.request('GET', '/manual');
    assert.deepEqual([missing.status, missing.body], [401, { msg: 'Missing Authorization Header' }]);
  });

  it('getCurrentUser without a user-lookup callback is a programming error, as in the reference', async () => {
    const bare = await startDemo();
    try {
      const tokens = await login(bare);
      // A manager with the demo's key but no user-lookup callback (the demo's registers one).
      const withoutLookup = new JwtManager(loadConfig({ JWT_SECRET_KEY: SECRET }), { now: () => bare.now });
      bare.demo.router.add('GET', '/me', jwtRequired(withoutLookup)((ctx) => json(200, { user: getCurrentUser(ctx) })));
      const answer = await bare.request('GET', '/me', { headers: bearer(tokens.access) });
      assert.equal(answer.status, 500);
      assert.ok(bare.logs.some((line) => line.includes('You must provide a `userLookupLoader` callback')));
    } finally {
      await bare.close();
    }
  });

  it('refuses an unknown location when the guard is made', () => {
    assert.throws(() => jwtRequired(h.demo.manager, { locations: ['headers', 'body' as 'json'] }), { message: "'body' is not a valid location" });
  });

  it('lets OPTIONS through a guard without a token', async () => {
    const ctxRoute = await h.request('OPTIONS', '/manual');
    assert.equal(ctxRoute.status, 200);
  });
});
