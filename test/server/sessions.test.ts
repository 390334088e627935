/**
 * Refresh-token rotation with reuse detection, logout of a session, logout
 * everywhere and the session list (JWT_REFRESH_TOKEN_ROTATION), over HTTP, on
 * the memory, file and Redis stores.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeUnverified } from '../../lib/index.js';
import { REUSE_MESSAGE } from '../../server/demo/sessions.js';
import type { Store } from '../../server/stores/store.js';
import { storeBackends } from './backends.js';
import { bearer, startDemo, type Harness } from './harness.js';

const backends = storeBackends();

interface Pair {
  readonly access: string;
  readonly refresh: string;
}

const jtiOf = (token: string): unknown => decodeUnverified(token).payload.jti;

async function loginAs(h: Harness, username: string, agent = 'test-agent'): Promise<Pair> {
  const answer = await h.request('POST', '/login', { json: { username, password: 'pw' }, headers: { 'User-Agent': agent } });
  assert.equal(answer.status, 200, answer.text);
  return { access: String(answer.body['access_token']), refresh: String(answer.body['refresh_token']) };
}

async function refresh(h: Harness, token: string): Promise<{ status: number; body: Record<string, unknown>; pair?: Pair }> {
  const answer = await h.request('POST', '/refresh', { headers: bearer(token) });
  if (answer.status !== 200) return { status: answer.status, body: answer.body };
  return { status: 200, body: answer.body, pair: { access: String(answer.body['access_token']), refresh: String(answer.body['refresh_token']) } };
}

const protectedStatus = async (h: Harness, token: string): Promise<number> => (await h.request('GET', '/protected', { headers: bearer(token) })).status;

for (const backend of backends) {
  describe(`refresh-token rotation on the ${backend.name} store`, { ...(backend.skip === undefined ? {} : { skip: backend.skip }) }, () => {
    let h: Harness;
    let store: Store;
    before(async () => {
      store = await backend.open();
      h = await startDemo({}, undefined, { store, rotation: { grace: 10 }, passwords: { scrypt: { ln: 10, r: 8, p: 1 } } });
      for (const name of ['ann', 'bob', 'cy', 'dee', 'eve', 'fox']) await h.request('POST', '/register', { json: { username: name, password: 'pw' } });
    });
    after(async () => {
      await h.close();
      await store.close();
    });

    it('gives a new refresh token with every refresh, each carrying the session id', async () => {
      const first = await loginAs(h, 'ann');
      const sid = decodeUnverified(first.refresh).payload['sid'];
      assert.equal(typeof sid, 'string');
      assert.equal(decodeUnverified(first.access).payload['sid'], sid);
      const second = await refresh(h, first.refresh);
      assert.equal(second.status, 200);
      assert.ok(second.pair !== undefined);
      assert.notEqual(jtiOf(second.pair.refresh), jtiOf(first.refresh));
      assert.equal(decodeUnverified(second.pair.refresh).payload['sid'], sid);
      assert.equal(decodeUnverified(second.pair.access).payload['fresh'], false);
      assert.equal(await protectedStatus(h, second.pair.access), 200);
      h.now += 1;
      const third = await refresh(h, second.pair.refresh);
      assert.equal(third.status, 200, 'the successor rotates in turn');
    });

    it('revokes the whole session when a replaced refresh token comes back: the attacker first', async () => {
      const user = await loginAs(h, 'bob');
      const stolen = user.refresh;
      const attacker = await refresh(h, stolen); // the thief refreshes first
      assert.ok(attacker.pair !== undefined);
      h.now += 11; // past the grace period
      const honest = await refresh(h, stolen); // then the user, with the token the thief already used
      assert.deepEqual([honest.status, honest.body], [401, { msg: REUSE_MESSAGE }]);
      for (const token of [attacker.pair.access, user.access]) assert.equal(await protectedStatus(h, token), 401);
      assert.deepEqual((await refresh(h, attacker.pair.refresh)).body, { msg: 'Token has been revoked' });
    });

    it('revokes the whole session when a replaced refresh token comes back: the user first', async () => {
      const user = await loginAs(h, 'cy');
      const stolen = user.refresh;
      const rotated = await refresh(h, user.refresh);
      assert.ok(rotated.pair !== undefined);
      h.now += 11;
      assert.deepEqual((await refresh(h, stolen)).body, { msg: REUSE_MESSAGE });
      assert.equal(await protectedStatus(h, rotated.pair.access), 401, 'the user has to log in again too');
      assert.equal((await refresh(h, rotated.pair.refresh)).status, 401);
      const again = await loginAs(h, 'cy');
      assert.equal(await protectedStatus(h, again.access), 200, 'a new login is a new session');
    });

    it('gives two concurrent refreshes with one token the same successor: nobody logged out, no second chain', async () => {
      const user = await loginAs(h, 'dee');
      const [tabA, tabB] = await Promise.all([refresh(h, user.refresh), refresh(h, user.refresh)]);
      assert.equal(tabA.status, 200);
      assert.equal(tabB.status, 200);
      assert.ok(tabA.pair !== undefined && tabB.pair !== undefined);
      assert.equal(jtiOf(tabA.pair.refresh), jtiOf(tabB.pair.refresh), 'one successor');
      const listed = await h.request('GET', '/sessions', { headers: bearer(tabA.pair.access) });
      assert.equal((listed.body['sessions'] as unknown[]).length, 1, 'one session');
      h.now += 1;
      const onward = await refresh(h, tabB.pair.refresh);
      assert.equal(onward.status, 200, 'either copy of the successor rotates');
      assert.equal(await protectedStatus(h, tabA.pair.access), 200);
      h.now += 11;
      assert.deepEqual((await refresh(h, tabA.pair.refresh)).body, { msg: REUSE_MESSAGE }, 'a copy presented after the grace period is reuse');
    });

    it('only the token just replaced gets the grace, not older ones', async () => {
      const r1 = (await loginAs(h, 'eve')).refresh;
      const r2 = (await refresh(h, r1)).pair?.refresh ?? '';
      const r3 = (await refresh(h, r2)).pair;
      assert.ok(r3 !== undefined);
      assert.deepEqual((await refresh(h, r1)).body, { msg: REUSE_MESSAGE }, 'two generations back, within seconds');
      assert.equal(await protectedStatus(h, r3.access), 401);
    });

    it('logs out the whole session: access and refresh token alike', async () => {
      const pair = await loginAs(h, 'fox');
      const out = await h.request('DELETE', '/logout', { headers: bearer(pair.access) });
      assert.deepEqual([out.status, out.body], [200, { msg: 'Logged out: every token of this session is revoked' }]);
      assert.equal(await protectedStatus(h, pair.access), 401);
      assert.deepEqual((await refresh(h, pair.refresh)).body, { msg: 'Token has been revoked' });
    });

    it('lists the sessions, ends one, and ends them all', async () => {
      const phone = await loginAs(h, 'ann', 'phone');
      h.now += 1; // listed oldest first
      const laptop = await loginAs(h, 'ann', 'laptop');
      const listed = await h.request('GET', '/sessions', { headers: bearer(laptop.access) });
      const sessions = listed.body['sessions'] as { id: string; user_agent: string; current: boolean; address: string; created: number; last_refreshed: unknown }[];
      const mine = sessions.filter((session) => session.user_agent === 'phone' || session.user_agent === 'laptop');
      assert.deepEqual(mine.map((session) => [session.user_agent, session.current]), [['phone', false], ['laptop', true]]);
      assert.equal(mine[0]?.address, '127.0.0.1');
      assert.equal(mine[0]?.last_refreshed, null);
      const phoneId = String(decodeUnverified(phone.access).payload['sid']);
      assert.equal(mine[0]?.id, phoneId);

      const other = await loginAs(h, 'bob');
      assert.deepEqual((await h.request('DELETE', `/sessions/${phoneId}`, { headers: bearer(other.access) })).body, { msg: 'No such session' }, "not another user's");
      assert.equal((await h.request('DELETE', '/sessions/no-such-id', { headers: bearer(laptop.access) })).status, 404);
      assert.deepEqual((await h.request('DELETE', `/sessions/${phoneId}`, { headers: bearer(laptop.access) })).body, { msg: 'Session revoked' });
      assert.equal(await protectedStatus(h, phone.access), 401);
      assert.equal(await protectedStatus(h, laptop.access), 200);

      const tablet = await loginAs(h, 'ann', 'tablet');
      const notFresh = (await refresh(h, tablet.refresh)).pair?.access ?? '';
      assert.deepEqual((await h.request('DELETE', '/sessions', { headers: bearer(notFresh) })).body, { msg: 'Fresh token required' });
      const everywhere = await h.request('DELETE', '/sessions', { headers: bearer(laptop.access) });
      assert.equal(everywhere.status, 200);
      assert.ok(Number(everywhere.body['revoked']) >= 2);
      for (const token of [laptop.access, tablet.access, notFresh]) assert.equal(await protectedStatus(h, token), 401);
      assert.equal(await protectedStatus(h, other.access), 200, "another user's sessions are untouched");
    });
  });
}

describe('rotation with cookies', () => {
  it('rotates the refresh cookie, and /logout/cookies ends the session as well as unsetting the cookies', async () => {
    const h = await startDemo({ JWT_TOKEN_LOCATION: ['headers', 'cookies'] }, undefined, { rotation: { grace: 10 }, passwords: { scrypt: { ln: 10, r: 8, p: 1 } } });
    try {
      await h.request('POST', '/register', { json: { username: 'kim', password: 'pw' } });
      const login = await h.request('POST', '/login/cookies', { json: { username: 'kim', password: 'pw' } });
      const cookies = new Map(login.headers.getSetCookie().map((line) => line.split(';')[0]?.split('=') as [string, string]));
      const access = cookies.get('access_token_cookie') ?? '';
      const refreshCookie = cookies.get('refresh_token_cookie') ?? '';
      const csrf = cookies.get('csrf_refresh_token') ?? '';
      const rotated = await h.request('POST', '/refresh', { headers: { Cookie: `refresh_token_cookie=${refreshCookie}`, 'X-CSRF-TOKEN': csrf } });
      assert.deepEqual([rotated.status, rotated.body], [200, { msg: 'refresh successful' }]);
      const next = rotated.headers.getSetCookie().find((line) => line.startsWith('refresh_token_cookie='))?.split(';')[0]?.slice('refresh_token_cookie='.length) ?? '';
      assert.notEqual(jtiOf(next), jtiOf(refreshCookie));
      const out = await h.request('POST', '/logout/cookies', { headers: { Cookie: `access_token_cookie=${access}; refresh_token_cookie=${next}` } });
      assert.deepEqual([out.status, out.body], [200, { msg: 'logout successful' }]);
      assert.ok(out.headers.getSetCookie().some((line) => line.startsWith('access_token_cookie=;')));
      assert.equal(await protectedStatus(h, access), 401, 'the cookie tokens were revoked, not only unset');
      assert.equal((await refresh(h, next)).status, 401);
    } finally {
      await h.close();
    }
  });
});

describe('with JWT_REFRESH_TOKEN_ROTATION off', () => {
  it('answers as flask_jwt_extended: /refresh gives an access token only, no sid, no /sessions', async () => {
    const h = await startDemo({}, undefined, { passwords: { scrypt: { ln: 10, r: 8, p: 1 } } });
    try {
      await h.request('POST', '/register', { json: { username: 'lee', password: 'pw' } });
      const pair = await loginAs(h, 'lee');
      assert.equal(decodeUnverified(pair.refresh).payload['sid'], undefined);
      const answer = await h.request('POST', '/refresh', { headers: bearer(pair.refresh) });
      assert.deepEqual(Object.keys(answer.body), ['access_token']);
      assert.equal((await h.request('POST', '/refresh', { headers: bearer(pair.refresh) })).status, 200, 'a refresh token can be used again');
      assert.equal((await h.request('GET', '/sessions', { headers: bearer(pair.access) })).status, 404);
      assert.deepEqual((await h.request('DELETE', '/logout', { headers: bearer(pair.access) })).body, { msg: 'Access token successfully revoked' });
      assert.equal((await h.request('POST', '/refresh', { headers: bearer(pair.refresh) })).status, 200, 'logging out the access token leaves the refresh token');
    } finally {
      await h.close();
    }
  });
});
