/** Unit tests for the router, cookie serialisation, the stores and the JSON writer. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCookies, serializeCookie } from '../../server/http/cookies.js';
import { flaskJson } from '../../server/http/reply.js';
import { Router } from '../../server/http/router.js';
import { loadConfig } from '../../server/jwt/config.js';
import { tokenCookies, unsetTokenCookies } from '../../server/jwt/cookies.js';
import { MemoryBlocklist } from '../../server/stores/blocklist.js';
import { MemoryUserStore } from '../../server/stores/users.js';
import { SECRET } from './harness.js';

describe('Router', () => {
  const router = new Router<string>()
    .add('GET', '/users/:id', 'get user')
    .add('DELETE', '/users/:id', 'delete user')
    .add('post', '/login', 'login')
    .add('GET', '/a.b', 'dotted');

  it('finds a route and its parameters', () => {
    assert.deepEqual(router.find('GET', '/users/42'), { kind: 'found', handler: 'get user', params: { id: '42' } });
    assert.deepEqual(router.find('GET', '/users/a%20b'), { kind: 'found', handler: 'get user', params: { id: 'a b' } });
    assert.deepEqual(router.find('GET', '/users/%E0%A4%A'), { kind: 'found', handler: 'get user', params: { id: '%E0%A4%A' } });
    assert.deepEqual(router.find('POST', '/login'), { kind: 'found', handler: 'login', params: {} });
  });

  it('answers HEAD with the GET route', () => {
    assert.equal(router.find('HEAD', '/users/1').kind, 'found');
  });

  it('tells a missing path from a missing method, with the allowed methods', () => {
    assert.deepEqual(router.find('GET', '/nope'), { kind: 'not-found' });
    assert.deepEqual(router.find('GET', '/users'), { kind: 'not-found' });
    assert.deepEqual(router.find('GET', '/users/1/x'), { kind: 'not-found' });
    assert.deepEqual(router.find('PUT', '/users/1'), { kind: 'method-not-allowed', allowed: ['DELETE', 'GET', 'HEAD', 'OPTIONS'] });
    assert.deepEqual(router.find('GET', '/login'), { kind: 'method-not-allowed', allowed: ['OPTIONS', 'POST'] });
  });

  it('treats literal segments literally', () => {
    assert.equal(router.find('GET', '/a.b').kind, 'found');
    assert.equal(router.find('GET', '/aXb').kind, 'not-found');
    assert.throws(() => new Router<string>().add('GET', 'relative', 'x'), TypeError);
  });
});

describe('cookies', () => {
  it('parses a Cookie header: first name wins, quotes and percent-encoding removed', () => {
    const jar = parseCookies('a=1; b="two"; a=3; c=%20x; junk; d=%zz; =e');
    assert.deepEqual([...jar], [['a', '1'], ['b', 'two'], ['c', ' x'], ['d', '%zz']]);
    assert.equal(parseCookies(undefined).size, 0);
  });

  it('serialises attributes in Werkzeug order', () => {
    assert.equal(serializeCookie('n', 'v', { path: '/', httpOnly: true }), 'n=v; HttpOnly; Path=/');
    const full = serializeCookie('n', 'v', { domain: 'x.test', maxAge: 60, secure: true, httpOnly: true, path: '/p', sameSite: 'Lax' });
    assert.match(full, /^n=v; Domain=x\.test; Expires=[^;]+ GMT; Max-Age=60; Secure; HttpOnly; Path=\/p; SameSite=Lax$/);
    assert.equal(serializeCookie('n', '', { expires: new Date(0) }), 'n=; Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  });

  it('refuses names and values that would break the header', () => {
    assert.throws(() => serializeCookie('a b', 'v'), TypeError);
    assert.throws(() => serializeCookie('n', 'v; Path=/evil'), TypeError);
    assert.throws(() => serializeCookie('n', 'v\r\nX: y'), TypeError);
  });

  it('makes the JWT and CSRF cookies for access and refresh tokens, following the config', () => {
    const config = loadConfig({ JWT_SECRET_KEY: SECRET, JWT_TOKEN_LOCATION: ['cookies'], JWT_REFRESH_COOKIE_PATH: '/refresh', JWT_REFRESH_CSRF_COOKIE_PATH: '/refresh' });
    assert.deepEqual(tokenCookies(config, 'access', 'a.b.c', 'uuid'), ['access_token_cookie=a.b.c; HttpOnly; Path=/', 'csrf_access_token=uuid; Path=/']);
    assert.deepEqual(tokenCookies(config, 'refresh', 'a.b.c', 'uuid'), ['refresh_token_cookie=a.b.c; HttpOnly; Path=/refresh', 'csrf_refresh_token=uuid; Path=/refresh']);
    assert.match(tokenCookies(config, 'access', 't', 'u', { maxAge: 10, domain: 'd.test' })[0] ?? '', /Domain=d\.test; Expires=.*; Max-Age=10;/);
    // As in 4.7.1 (utils.py: `config.cookie_csrf_protect and config.csrf_in_cookies`), the CSRF cookies
    // depend on JWT_COOKIE_CSRF_PROTECT, not on JWT_TOKEN_LOCATION.
    const headersOnly = loadConfig({ JWT_SECRET_KEY: SECRET });
    assert.deepEqual(tokenCookies(headersOnly, 'access', 't', 'u'), ['access_token_cookie=t; HttpOnly; Path=/', 'csrf_access_token=u; Path=/']);
    assert.equal(unsetTokenCookies(headersOnly, 'access').length, 2);
    const unprotected = loadConfig({ JWT_SECRET_KEY: SECRET, JWT_COOKIE_CSRF_PROTECT: false });
    assert.deepEqual(tokenCookies(unprotected, 'access', 't', 'u'), ['access_token_cookie=t; HttpOnly; Path=/']);
    assert.equal(unsetTokenCookies(unprotected, 'access').length, 1);
    const noCsrfCookies = loadConfig({ JWT_SECRET_KEY: SECRET, JWT_TOKEN_LOCATION: ['cookies'], JWT_CSRF_IN_COOKIES: false });
    assert.deepEqual(tokenCookies(noCsrfCookies, 'access', 't', 'u'), ['access_token_cookie=t; HttpOnly; Path=/']);
    assert.deepEqual(unsetTokenCookies(noCsrfCookies, 'refresh'), ['refresh_token_cookie=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Path=/']);
  });
});

describe('MemoryBlocklist', () => {
  it('remembers a jti until its token would have expired, then forgets it', async () => {
    let now = 1000;
    const list = new MemoryBlocklist(() => now);
    await list.add('a', 1010);
    await list.add('forever', undefined);
    assert.equal(await list.has('a'), true);
    assert.equal(await list.has('b'), false);
    now = 1010;
    assert.equal(await list.has('a'), false);
    assert.equal(list.size, 1);
    assert.equal(await list.has('forever'), true);
  });

  it('sweeps expired entries as it grows, so memory stays bounded', async () => {
    let now = 0;
    const list = new MemoryBlocklist(() => now);
    for (let i = 0; i < 5000; i++) {
      now = i;
      await list.add(`jti-${i}`, i + 10);
    }
    assert.ok(list.size < 1100, `size ${list.size}`);
    assert.equal(await list.has('jti-4999'), true);
  });

  it('uses the real clock by default', async () => {
    const list = new MemoryBlocklist();
    await list.add('past', Date.now() / 1000 - 1);
    await list.add('future', Date.now() / 1000 + 60);
    list.sweep();
    assert.equal(list.size, 1);
    assert.equal(await list.has('future'), true);
  });
});

describe('MemoryUserStore', () => {
  it('creates users once, authenticates with the right password only, deletes', async () => {
    const users = new MemoryUserStore();
    assert.equal(await users.create('alice', 'pw'), true);
    assert.equal(await users.create('alice', 'other'), false);
    assert.deepEqual(await users.authenticate('alice', 'pw'), { username: 'alice' });
    assert.equal(await users.authenticate('alice', 'PW'), undefined);
    assert.equal(await users.authenticate('nobody', 'pw'), undefined);
    assert.deepEqual(await users.get('alice'), { username: 'alice' });
    assert.equal(await users.delete('alice'), true);
    assert.equal(await users.delete('alice'), false);
    assert.equal(await users.get('alice'), undefined);
  });

  it('handles two registrations of one name racing each other', async () => {
    const users = new MemoryUserStore();
    const results = await Promise.all([users.create('bob', 'a'), users.create('bob', 'b')]);
    assert.deepEqual(results.sort(), [false, true]);
  });
});

describe('flaskJson', () => {
  it('sorts keys and escapes non-ASCII as Python json.dumps(ensure_ascii) does', () => {
    assert.equal(flaskJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: 'é😀' } }), '{"a":{"c":"\\u00e9\\ud83d\\ude00","d":[{"y":2,"z":1}]},"b":1}');
    assert.equal(flaskJson(null), 'null');
  });

  it('gives the same text whether or not the object is already in order (the fast path)', () => {
    assert.equal(flaskJson({ a: 1, b: 'x' }), '{"a":1,"b":"x"}');
    assert.equal(flaskJson({ b: 'x', a: 1 }), '{"a":1,"b":"x"}');
    assert.equal(flaskJson({ a: 'é', b: null }), '{"a":"\\u00e9","b":null}');
    // In order, but a member is an object: still sorted inside.
    assert.equal(flaskJson({ a: { z: 1, y: 2 }, b: [{ d: 1, c: 2 }] }), '{"a":{"y":2,"z":1},"b":[{"c":2,"d":1}]}');
    // Equal keys cannot occur; keys that compare by code unit: "B" < "a".
    assert.equal(flaskJson({ a: 1, B: 2 }), '{"B":2,"a":1}');
    // Not a plain object: treated as before, by its own enumerable keys.
    class Point { y = 2; x = 1; }
    assert.equal(flaskJson(new Point()), '{"x":1,"y":2}');
    assert.equal(flaskJson(Object.assign(Object.create(null) as object, { b: 1, a: 2 })), '{"a":2,"b":1}');
  });

  it('writes sorted string members that need no escaping itself, and leaves everything else to JSON.stringify with the same result', () => {
    assert.equal(flaskJson({}), '{}');
    assert.equal(flaskJson({ logged_in_as: 'alice' }), '{"logged_in_as":"alice"}');
    assert.equal(flaskJson({ access_token: 'a.b.c', refresh_token: 'd.e.f' }), '{"access_token":"a.b.c","refresh_token":"d.e.f"}');
    assert.equal(flaskJson({ b: 'x', a: 'y' }), '{"a":"y","b":"x"}', 'out of order');
    assert.equal(flaskJson({ 10: 'a', 9: 'b' }), '{"10":"a","9":"b"}', 'integer-like keys, sorted as text');
    assert.equal(flaskJson({ a: 'say "hi" \\ there' }), '{"a":"say \\"hi\\" \\\\ there"}', 'a quote and a backslash');
    assert.equal(flaskJson({ 'k"y': 'v' }), '{"k\\"y":"v"}', 'a quote in a key');
    assert.equal(flaskJson({ a: 'line\nbreak\ttab' }), '{"a":"line\\nbreak\\ttab"}', 'control characters');
    assert.equal(flaskJson({ a: '\u007f', b: 'caf\u00e9', c: '\u2028' }), '{"a":"\u007f","b":"caf\\u00e9","c":"\\u2028"}', 'DEL as it is (ASCII), the rest escaped');
    assert.equal(flaskJson({ a: 'x', b: 1 }), '{"a":"x","b":1}', 'not only strings');
    assert.equal(flaskJson({ b: { 10: 1, 9: 2 }, a: [{ 2: 'x', 10: 'y' }] }), '{"a":[{"10":"y","2":"x"}],"b":{"10":1,"9":2}}', 'nested integer-like keys too');
    assert.equal(flaskJson({ a: undefined, b: [undefined, () => 1], c: new Date(0), d: new String('s') }), '{"b":[null,null],"c":"1970-01-01T00:00:00.000Z","d":"s"}', 'as JSON.stringify: left out, null, toJSON, unboxed');
    const inherited = Object.create({ hidden: 'no' }) as Record<string, string>;
    inherited['shown'] = 'yes';
    assert.equal(flaskJson(inherited), '{"shown":"yes"}', 'inherited members are not written');
  });
});
