/**
 * One behaviour suite, three stores: memory, file and Redis (a real
 * redis-server). The same assertions, at the store's interface and over HTTP
 * through the demo, must hold for each.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Session } from '../../server/stores/sessions.js';
import type { Store } from '../../server/stores/store.js';
import { storeBackends } from './backends.js';
import { bearer, login, startDemo } from './harness.js';

const FAST_SCRYPT = { scrypt: { ln: 10, r: 8, p: 1 } } as const;
const backends = storeBackends();

const seconds = (): number => Date.now() / 1000;
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

for (const backend of backends) {
  describe(`the ${backend.name} store`, { ...(backend.skip === undefined ? {} : { skip: backend.skip }) }, () => {
    let store: Store;
    before(async () => {
      store = await backend.open();
    });
    after(() => store.close());

    it('creates a user once, even when registrations race, and forgets a deleted one', async () => {
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.users.create('ann', `hash-${i}`)));
      assert.equal(results.filter(Boolean).length, 1);
      const kept = await store.users.hash('ann');
      assert.ok(kept !== undefined && results[Number(kept.slice(5))] === true, 'the winner\'s hash is the one kept');
      assert.equal(await store.users.hash('nobody'), undefined);
      assert.equal(await store.users.delete('ann'), true);
      assert.equal(await store.users.delete('ann'), false);
      assert.equal(await store.users.hash('ann'), undefined);
      assert.equal(await store.users.create('ann', 'again'), true);
    });

    it('keeps names apart that differ only in case or in characters a key might mangle', async () => {
      for (const name of ['Bob', 'bob', 'bob:x', 'bob x', 'bøb', 'bob\\n']) assert.equal(await store.users.create(name, `h-${name}`), true, name);
      for (const name of ['Bob', 'bob', 'bob:x', 'bob x', 'bøb', 'bob\\n']) assert.equal(await store.users.hash(name), `h-${name}`);
    });

    it('revokes a token until its exp + leeway, and then lets it go', async () => {
      const now = seconds();
      await store.blocklist.add('short', now + 0.4);
      await store.blocklist.add('forever', undefined);
      assert.equal(await store.blocklist.isRevoked('short', 'carl', now), true);
      assert.equal(await store.blocklist.has('short'), true);
      assert.equal(await store.blocklist.isRevoked('other', 'carl', now), false);
      await pause(600);
      assert.equal(await store.blocklist.isRevoked('short', 'carl', now), false);
      assert.equal(await store.blocklist.has('forever'), true);
    });

    it('revokes a subject up to a second, and never shortens an earlier revocation', async () => {
      const now = Math.floor(seconds());
      await store.blocklist.revokeSubject('dana', now, now + 60);
      assert.equal(await store.blocklist.isRevoked('j1', 'dana', now), true, 'issued in that second');
      assert.equal(await store.blocklist.isRevoked('j1', 'dana', now + 1), false, 'issued after it');
      assert.equal(await store.blocklist.isRevoked('j1', 'dana', undefined), true, 'no iat: cannot show it came after');
      assert.equal(await store.blocklist.isRevoked(undefined, 'dana', now - 5), true, 'no jti: still the subject');
      assert.equal(await store.blocklist.isRevoked(undefined, undefined, now), false);
      await store.blocklist.revokeSubject('dana', now - 100, now + 1);
      assert.equal(await store.blocklist.subjectRevokedUpTo('dana'), now);
      await store.blocklist.revokeSubject('dana', now + 2, now + 0.5);
      assert.equal(await store.blocklist.subjectRevokedUpTo('dana'), now + 2, 'the later second wins');
      await pause(700);
      assert.equal(await store.blocklist.subjectRevokedUpTo('dana'), now + 2, 'kept until the later expiry (60 s), not the shorter new one');
      assert.equal(await store.blocklist.subjectRevokedUpTo('erin'), undefined);
    });

    it('deletes an account and revokes its tokens in one step', async () => {
      const now = Math.floor(seconds());
      await store.users.create('fay', 'hash');
      assert.equal(await store.deleteAccount('fay', now, now + 60), true);
      assert.equal(await store.users.hash('fay'), undefined);
      assert.equal(await store.blocklist.isRevoked('any', 'fay', now), true);
      assert.equal(await store.deleteAccount('fay', now, undefined), false, 'gone already (the revocation is recorded anyway)');
      assert.equal(await store.blocklist.isRevoked('any', 'fay', now + 1e6), false);
    });

    it('forgets a session once its last token has expired, by itself', async () => {
      const now = seconds();
      await store.sessions.start({ id: 'short', user: 'gil', created: now, refreshed: null, address: '', userAgent: '', current: 'r1', previous: null, until: now + 0.4 }, 100);
      assert.deepEqual((await store.sessions.list('gil')).map((session) => session.id), ['short']);
      await pause(600);
      assert.deepEqual(await store.sessions.list('gil'), []);
      assert.equal(await store.sessions.get('short'), undefined);
      assert.equal((await store.sessions.rotate({ id: 'short', presented: 'r1', next: { jti: 'r2', iat: 1 }, now: seconds(), grace: 10, until: null })).kind, 'unknown');
    });

    it('keeps at most so many sessions per user: a new login ends the oldest', async () => {
      const now = seconds();
      const session = (id: string, created: number): Session => ({ id, user: 'hal', created, refreshed: null, address: '', userAgent: '', current: `${id}-r`, previous: null, until: now + 60 });
      for (const [id, created] of [['h2', now + 2], ['h1', now + 1], ['h3', now + 3]] as const) await store.sessions.start(session(id, created), 2);
      assert.deepEqual((await store.sessions.list('hal')).map((s) => s.id), ['h2', 'h3'], 'the oldest (h1) went, whatever the order of the logins');
      assert.equal(await store.blocklist.isRevoked('any', 'hal', now, 'h1'), true, 'and its tokens are refused');
      assert.equal(await store.blocklist.isRevoked('any', 'hal', now, 'h2'), false);
      await store.sessions.start(session('h4', now + 4), 2);
      assert.deepEqual((await store.sessions.list('hal')).map((s) => s.id), ['h3', 'h4']);
    });

    it('answers a ping', async () => {
      await store.ping();
      assert.ok(store.description.length > 10);
    });
  });

  describe(`the demo over HTTP on the ${backend.name} store`, { ...(backend.skip === undefined ? {} : { skip: backend.skip }) }, () => {
    it('registers, logs in, revokes on logout, and keeps a deleted account\'s tokens out of its successor', async () => {
      const store = await backend.open();
      const h = await startDemo({}, undefined, { store, passwords: FAST_SCRYPT });
      try {
        const health = await h.request('GET', '/health');
        assert.deepEqual([health.status, health.body], [200, { status: 'ok', store: backend.name }]);
        const first = await login(h, 'gus', 'pw-gus');
        assert.equal((await h.request('GET', '/protected', { headers: bearer(first.access) })).status, 200);
        assert.equal((await h.request('POST', '/register', { json: { username: 'gus', password: 'other' } })).status, 409);
        const out = await h.request('DELETE', '/logout', { headers: bearer(first.access) });
        assert.deepEqual([out.status, out.body], [200, { msg: 'Access token successfully revoked' }]);
        const revoked = await h.request('GET', '/protected', { headers: bearer(first.access) });
        assert.deepEqual([revoked.status, revoked.body], [401, { msg: 'Token has been revoked' }]);

        const second = await login(h, 'gus', 'pw-gus');
        const fresh = await h.request('POST', '/login', { json: { username: 'gus', password: 'pw-gus' } });
        assert.equal((await h.request('DELETE', '/account', { headers: bearer(String(fresh.body['access_token'])) })).status, 200);
        h.now += 2; // the demo's clock (seconds): the successor's tokens are issued after the deletion
        assert.equal((await h.request('POST', '/register', { json: { username: 'gus', password: 'new-owner' } })).status, 201);
        for (const token of [second.access, second.refresh]) {
          const old = await h.request(token === second.refresh ? 'POST' : 'GET', token === second.refresh ? '/refresh' : '/protected', { headers: bearer(token) });
          assert.deepEqual([old.status, old.body], [401, { msg: 'Token has been revoked' }]);
        }
        const successor = await login(h, 'gus', 'new-owner');
        assert.equal((await h.request('GET', '/whoami', { headers: bearer(successor.access) })).status, 200);
      } finally {
        await h.close();
        await store.close();
      }
    });
  });
}
