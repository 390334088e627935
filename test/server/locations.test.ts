/**
 * Token locations over HTTP: headers (custom name and type), cookies with the
 * CSRF double submit, query string, JSON body, their order, and the combined
 * "Missing JWT in …" message.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { json } from '../../server/http/reply.js';
import { bearer, login, startDemo, type Harness } from './harness.js';
import { jwtRequired } from '../../server/jwt/guards.js';

/** The name=value part of each Set-Cookie header, by name. */
function cookieJar(headers: Headers): Map<string, string> {
  const jar = new Map<string, string>();
  for (const line of headers.getSetCookie()) {
    const [pair] = line.split(';');
    const [name, ...value] = (pair ?? '').split('=');
    jar.set(name ?? '', value.join('='));
  }
  return jar;
}

const cookieHeader = (jar: Map<string, string>, ...names: string[]): string => names.map((name) => `${name}=${jar.get(name) ?? ''}`).join('; ');

describe('cookies with the CSRF double submit', () => {
  let h: Harness;
  let jar: Map<string, string>;
  let setCookies: string[];
  before(async () => {
    h = await startDemo({ JWT_TOKEN_LOCATION: ['headers', 'cookies'] });
    await h.request('POST', '/register', { json: { username: 'alice', password: 'pw' } });
    const answer = await h.request('POST', '/login/cookies', { json: { username: 'alice', password: 'pw' } });
    assert.deepEqual([answer.status, answer.body], [200, { msg: 'login successful' }]);
    jar = cookieJar(answer.headers);
    setCookies = answer.headers.getSetCookie();
  });
  after(() => h.close());

  it('sets the HttpOnly JWT cookies and the readable CSRF cookies, in the reference format', () => {
    assert.deepEqual([...jar.keys()], ['access_token_cookie', 'csrf_access_token', 'refresh_token_cookie', 'csrf_refresh_token']);
    assert.match(setCookies[0] ?? '', /^access_token_cookie=[\w-]+\.[\w-]+\.[\w-]+; HttpOnly; Path=\/$/);
    assert.match(setCookies[1] ?? '', /^csrf_access_token=[0-9a-f-]{36}; Path=\/$/);
    const claims = JSON.parse(Buffer.from((jar.get('access_token_cookie') ?? '').split('.')[1] ?? '', 'base64url').toString());
    assert.equal(claims.csrf, jar.get('csrf_access_token'));
    assert.equal(claims.fresh, true);
  });

  it('GET needs no CSRF value', async () => {
    const answer = await h.request('GET', '/protected', { headers: { Cookie: cookieHeader(jar, 'access_token_cookie') } });
    assert.deepEqual([answer.status, answer.body], [200, { logged_in_as: 'alice' }]);
  });

  it('POST needs the X-CSRF-TOKEN header to match the csrf claim', async () => {
    const cookie = cookieHeader(jar, 'access_token_cookie', 'csrf_access_token');
    const missing = await h.request('POST', '/fresh', { headers: { Cookie: cookie } });
    assert.deepEqual([missing.status, missing.body], [401, { msg: 'Missing CSRF token' }]);
    const wrong = await h.request('POST', '/fresh', { headers: { Cookie: cookie, 'X-CSRF-TOKEN': 'not-it' } });
    assert.deepEqual([wrong.status, wrong.body], [401, { msg: 'CSRF double submit tokens do not match' }]);
    const right = await h.request('POST', '/fresh', { headers: { Cookie: cookie, 'X-CSRF-TOKEN': jar.get('csrf_access_token') ?? '' } });
    assert.deepEqual([right.status, right.body], [200, { logged_in_as: 'alice' }]);
  });

  it('the refresh route reads the refresh cookie and compares with the refresh csrf', async () => {
    const cookie = cookieHeader(jar, 'refresh_token_cookie');
    const withAccessCsrf = await h.request('POST', '/refresh', { headers: { Cookie: cookie, 'X-CSRF-TOKEN': jar.get('csrf_access_token') ?? '' } });
    assert.deepEqual([withAccessCsrf.status, withAccessCsrf.body], [401, { msg: 'CSRF double submit tokens do not match' }]);
    const ok = await h.request('POST', '/refresh', { headers: { Cookie: cookie, 'X-CSRF-TOKEN': jar.get('csrf_refresh_token') ?? '' } });
    assert.equal(ok.status, 200);
  });

  it('a bad header token is not rescued by a good cookie: the first location that has a token decides', async () => {
    const answer = await h.request('GET', '/protected', { headers: { Cookie: cookieHeader(jar, 'access_token_cookie'), Authorization: 'Bearer x.y.z' } });
    assert.equal(answer.status, 422);
    const scheme = await h.request('GET', '/protected', { headers: { Cookie: cookieHeader(jar, 'access_token_cookie'), Authorization: 'Token x' } });
    assert.equal(scheme.status, 200, 'a header without the Bearer type counts as absent');
  });

  it('combines the missing messages of every location', async () => {
    const answer = await h.request('GET', '/protected');
    assert.deepEqual([answer.status, answer.body], [401, { msg: 'Missing JWT in headers or cookies (Missing Authorization Header; Missing cookie "access_token_cookie")' }]);
    const refresh = await h.request('POST', '/refresh');
    assert.deepEqual(refresh.body, { msg: 'Missing JWT in headers or cookies (Missing Authorization Header; Missing cookie "refresh_token_cookie")' });
  });

  it('POST /logout/cookies unsets all four cookies', async () => {
    const answer = await h.request('POST', '/logout/cookies');
    assert.deepEqual([answer.status, answer.body], [200, { msg: 'logout successful' }]);
    assert.deepEqual(answer.headers.getSetCookie(), [
      'access_token_cookie=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Path=/',
      'csrf_access_token=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/',
      'refresh_token_cookie=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Path=/',
      'csrf_refresh_token=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/',
    ]);
  });
});

describe('cookies when JWT_TOKEN_LOCATION does not include them (the default): CSRF still applies', () => {
  let h: Harness;
  before(async () => {
    h = await startDemo();
  });
  after(() => h.close());

  it('sets and unsets the CSRF cookies too: since 4.6.0 they depend on JWT_COOKIE_CSRF_PROTECT alone', async () => {
    await h.request('POST', '/register', { json: { username: 'plain', password: 'pw' } });
    const login = await h.request('POST', '/login/cookies', { json: { username: 'plain', password: 'pw' } });
    assert.deepEqual([...cookieJar(login.headers).keys()], ['access_token_cookie', 'csrf_access_token', 'refresh_token_cookie', 'csrf_refresh_token']);
    const logout = await h.request('POST', '/logout/cookies');
    assert.deepEqual(logout.headers.getSetCookie(), [
      'access_token_cookie=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Path=/',
      'csrf_access_token=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/',
      'refresh_token_cookie=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Path=/',
      'csrf_refresh_token=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/',
    ]);
  });

  it('a route that reads cookies itself checks the CSRF value, even though the app reads headers (4.6.0, PR #538)', async () => {
    h.demo.router.add('POST', '/cookie-only', jwtRequired(h.demo.manager, { locations: ['cookies'] })(() => json(200, { ok: true })));
    h.demo.router.add('GET', '/cookie-only', jwtRequired(h.demo.manager, { locations: ['cookies'] })(() => json(200, { ok: true })));
    const login = await h.request('POST', '/login/cookies', { json: { username: 'plain', password: 'pw' } });
    const jar = cookieJar(login.headers);
    const cookie = cookieHeader(jar, 'access_token_cookie');
    const missing = await h.request('POST', '/cookie-only', { headers: { Cookie: cookie } });
    assert.deepEqual([missing.status, missing.body], [401, { msg: 'Missing CSRF token' }]);
    const wrong = await h.request('POST', '/cookie-only', { headers: { Cookie: cookie, 'X-CSRF-TOKEN': 'forged' } });
    assert.deepEqual([wrong.status, wrong.body], [401, { msg: 'CSRF double submit tokens do not match' }]);
    const right = await h.request('POST', '/cookie-only', { headers: { Cookie: cookie, 'X-CSRF-TOKEN': jar.get('csrf_access_token') ?? '' } });
    assert.deepEqual([right.status, right.body], [200, { ok: true }]);
    const read = await h.request('GET', '/cookie-only', { headers: { Cookie: cookie } });
    assert.deepEqual([read.status, read.body], [200, { ok: true }], 'GET is not a CSRF method');
  });

  it('with JWT_COOKIE_CSRF_PROTECT=false there are no CSRF cookies and no check', async () => {
    const off = await startDemo({ JWT_COOKIE_CSRF_PROTECT: false });
    try {
      off.demo.router.add('POST', '/cookie-only', jwtRequired(off.demo.manager, { locations: ['cookies'] })(() => json(200, { ok: true })));
      await off.request('POST', '/register', { json: { username: 'plain', password: 'pw' } });
      const login = await off.request('POST', '/login/cookies', { json: { username: 'plain', password: 'pw' } });
      const jar = cookieJar(login.headers);
      assert.deepEqual([...jar.keys()], ['access_token_cookie', 'refresh_token_cookie']);
      const answer = await off.request('POST', '/cookie-only', { headers: { Cookie: cookieHeader(jar, 'access_token_cookie') } });
      assert.deepEqual([answer.status, answer.body], [200, { ok: true }]);
    } finally {
      await off.close();
    }
  });
});

describe('cookie options and the CSRF form field', () => {
  let h: Harness;
  before(async () => {
    h = await startDemo({
      JWT_TOKEN_LOCATION: ['cookies'],
      JWT_SESSION_COOKIE: false,
      JWT_COOKIE_SECURE: true,
      JWT_COOKIE_SAMESITE: 'strict',
      JWT_COOKIE_DOMAIN: 'example.test',
      JWT_CSRF_CHECK_FORM: true,
    });
  });
  after(() => h.close());

  it('writes Domain, Expires, Max-Age, Secure, HttpOnly, Path and SameSite in Werkzeug order', async () => {
    await h.request('POST', '/register', { json: { username: 'al', password: 'pw' } });
    const answer = await h.request('POST', '/login/cookies', { json: { username: 'al', password: 'pw' } });
    const first = answer.headers.getSetCookie()[0] ?? '';
    assert.match(first, /^access_token_cookie=[^;]+; Domain=example\.test; Expires=\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT; Max-Age=31540000; Secure; HttpOnly; Path=\/; SameSite=Strict$/);
    const jar = cookieJar(answer.headers);
    const form = new URLSearchParams({ csrf_token: jar.get('csrf_access_token') ?? '' }).toString();
    const ok = await h.request('POST', '/fresh', {
      headers: { Cookie: cookieHeader(jar, 'access_token_cookie'), 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    assert.deepEqual([ok.status, ok.body], [200, { logged_in_as: 'al' }]);
    const single = await h.request('GET', '/protected');
    assert.deepEqual(single.body, { msg: 'Missing cookie "access_token_cookie"' });
  });
});

describe('query string and JSON body', () => {
  let h: Harness;
  let access: string;
  let refresh: string;
  before(async () => {
    h = await startDemo({ JWT_TOKEN_LOCATION: 'query_string,json'.split(','), JWT_QUERY_STRING_VALUE_PREFIX: 'Bearer ' });
    ({ access, refresh } = await login(h));
  });
  after(() => h.close());

  it('reads ?jwt= with the configured prefix', async () => {
    const ok = await h.request('GET', `/protected?jwt=${encodeURIComponent(`Bearer ${access}`)}`);
    assert.deepEqual([ok.status, ok.body], [200, { logged_in_as: 'alice' }]);
    const plus = await h.request('GET', `/protected?jwt=Bearer+${access}`);
    assert.equal(plus.status, 200, '+ is a space in a query string');
    const noPrefix = await h.request('GET', `/protected?jwt=${access}`);
    assert.deepEqual([noPrefix.status, noPrefix.body], [422, { msg: "Invalid value for query parameter 'jwt'. Expected the value to start with 'Bearer '" }]);
  });

  it('reads the access_token and refresh_token keys of a JSON body', async () => {
    const ok = await h.request('GET', '/protected', { json: { access_token: access } });
    assert.deepEqual([ok.status, ok.body], [200, { logged_in_as: 'alice' }]);
    const refreshed = await h.request('POST', '/refresh', { json: { refresh_token: refresh } });
    assert.equal(refreshed.status, 200);
  });

  it('combines both missing messages, and answers 401, not 500, for odd bodies', async () => {
    const none = await h.request('GET', '/protected');
    assert.deepEqual([none.status, none.body], [401, { msg: "Missing JWT in query_string or json (Missing 'jwt' query paramater; Invalid content-type. Must be application/json.)" }]);
    const expected = { msg: 'Missing JWT in query_string or json (Missing \'jwt\' query paramater; Missing "access_token" key in json data.)' };
    for (const body of ['[1,2]', '{"access_token": ""}', '{"access_token": []}', '{"other": 1}', '{not json', '']) {
      const answer = await h.request('GET', '/protected', { body, headers: { 'content-type': 'application/json' } });
      assert.deepEqual([answer.status, answer.body], [401, expected], body);
    }
    const number = await h.request('GET', '/protected', { json: { access_token: 5 } });
    assert.deepEqual([number.status, number.body], [422, { msg: "Invalid token type. Token must be a <class 'bytes'>" }]);
  });
});

describe('custom header name and empty header type', () => {
  let h: Harness;
  let access: string;
  before(async () => {
    h = await startDemo({ JWT_HEADER_NAME: 'X-Api-Token', JWT_HEADER_TYPE: '' });
    ({ access } = await login(h));
  });
  after(() => h.close());

  it('takes the bare token from the named header', async () => {
    assert.equal((await h.request('GET', '/protected', { headers: { 'X-Api-Token': access } })).status, 200);
    const missing = await h.request('GET', '/protected', { headers: bearer(access) });
    assert.deepEqual(missing.body, { msg: 'Missing X-Api-Token Header' });
    const two = await h.request('GET', '/protected', { headers: { 'X-Api-Token': `Bearer ${access}` } });
    assert.deepEqual([two.status, two.body], [422, { msg: "Bad X-Api-Token header. Expected 'X-Api-Token: <JWT>'" }]);
  });
});
