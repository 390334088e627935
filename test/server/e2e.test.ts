/**
 * The demo over real HTTP: every route, and every row of flask_jwt_extended's
 * error table that the demo can reach, with the reference's status and msg.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sign } from '../../lib/index.js';
import { bearer, login, SECRET, startDemo, type Harness } from './harness.js';

/** Signs claims with the demo's key, as an attacker who somehow had it, or a test, would. */
function tokenWith(h: Harness, claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  return sign({ fresh: false, iat: h.now, jti: 'j-1', type: 'access', sub: 'alice', nbf: h.now, exp: h.now + 900, ...claims }, SECRET, { noTimestamp: true, header });
}

describe('demo routes', () => {
  let h: Harness;
  before(async () => {
    h = await startDemo();
  });
  after(() => h.close());

  it('POST /register creates a user once', async () => {
    const first = await h.request('POST', '/register', { json: { username: 'bob', password: 'pw' } });
    assert.equal(first.status, 201);
    assert.deepEqual(first.body, { msg: 'User created' });
    assert.equal(first.text, '{"msg":"User created"}\n');
    assert.equal(first.headers.get('content-type'), 'application/json');
    const again = await h.request('POST', '/register', { json: { username: 'bob', password: 'other' } });
    assert.equal(again.status, 409);
    assert.deepEqual(again.body, { msg: 'User already exists' });
  });

  it('refuses bodies that are not a JSON object of two non-empty strings', async () => {
    for (const path of ['/register', '/login', '/login/cookies']) {
      for (const json of [[], 'text', null, 42]) {
        const answer = await h.request('POST', path, { json });
        assert.equal(answer.status, 400, `${path} ${JSON.stringify(json)}`);
        assert.deepEqual(answer.body, { msg: 'Missing JSON in request' });
      }
      for (const json of [{}, { username: 'a' }, { password: 'b' }, { username: '', password: 'b' }, { username: 'a', password: 1 }, { username: ['a'], password: 'b' }]) {
        const answer = await h.request('POST', path, { json });
        assert.equal(answer.status, 400, `${path} ${JSON.stringify(json)}`);
        assert.deepEqual(answer.body, { msg: 'Missing username or password' });
      }
      // Malformed JSON, a form body and no body at all: the reference demo's 400 "Missing JSON in request".
      const invalid = await h.request('POST', path, { body: '{"username":', headers: { 'content-type': 'application/json' } });
      assert.deepEqual([invalid.status, invalid.body], [400, { msg: 'Missing JSON in request' }]);
      const wrongType = await h.request('POST', path, { body: 'username=a&password=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.deepEqual([wrongType.status, wrongType.body], [400, { msg: 'Missing JSON in request' }]);
      const noBody = await h.request('POST', path);
      assert.deepEqual([noBody.status, noBody.body], [400, { msg: 'Missing JSON in request' }]);
    }
  });

  it('POST /login gives a fresh access token and a refresh token; wrong passwords get 401', async () => {
    await h.request('POST', '/register', { json: { username: 'carol', password: 'secret' } });
    const ok = await h.request('POST', '/login', { json: { username: 'carol', password: 'secret' } });
    assert.equal(ok.status, 200);
    assert.deepEqual(Object.keys(ok.body).sort(), ['access_token', 'refresh_token']);
    const claims = JSON.parse(Buffer.from(String(ok.body['access_token']).split('.')[1] ?? '', 'base64url').toString());
    assert.equal(claims.fresh, true);
    assert.equal(claims.type, 'access');
    assert.equal(claims.sub, 'carol');
    for (const json of [{ username: 'carol', password: 'wrong' }, { username: 'nobody', password: 'secret' }]) {
      const bad = await h.request('POST', '/login', { json });
      assert.equal(bad.status, 401);
      assert.deepEqual(bad.body, { msg: 'Bad username or password' });
    }
  });

  it('GET /protected, /optional, /whoami and POST /fresh with a fresh access token', async () => {
    const { access } = await login(h, 'dave');
    assert.deepEqual((await h.request('GET', '/protected', { headers: bearer(access) })).body, { logged_in_as: 'dave' });
    assert.deepEqual((await h.request('GET', '/optional', { headers: bearer(access) })).body, { logged_in_as: 'dave' });
    assert.deepEqual((await h.request('GET', '/whoami', { headers: bearer(access) })).body, { username: 'dave' });
    assert.deepEqual((await h.request('POST', '/fresh', { headers: bearer(access) })).body, { logged_in_as: 'dave' });
  });

  it('GET /optional without a token runs with identity null, but an invalid token still fails', async () => {
    const none = await h.request('GET', '/optional');
    assert.equal(none.status, 200);
    assert.equal(none.text, '{"logged_in_as":null}\n');
    const bad = await h.request('GET', '/optional', { headers: bearer('not.a.token') });
    assert.equal(bad.status, 422);
    const badHeader = await h.request('GET', '/optional', { headers: { Authorization: 'Bearer a b' } });
    assert.equal(badHeader.status, 422);
    const wrongScheme = await h.request('GET', '/optional', { headers: { Authorization: 'Basic abc' } });
    assert.equal(wrongScheme.status, 200, 'a missing Bearer type counts as no token');
  });

  it('POST /refresh trades a refresh token for a non-fresh access token, which /fresh refuses', async () => {
    const { refresh } = await login(h, 'erin');
    const answer = await h.request('POST', '/refresh', { headers: bearer(refresh) });
    assert.equal(answer.status, 200);
    assert.deepEqual(Object.keys(answer.body), ['access_token']);
    const access = String(answer.body['access_token']);
    assert.equal((await h.request('GET', '/protected', { headers: bearer(access) })).status, 200);
    const fresh = await h.request('POST', '/fresh', { headers: bearer(access) });
    assert.equal(fresh.status, 401);
    assert.deepEqual(fresh.body, { msg: 'Fresh token required' });
    const deletion = await h.request('DELETE', '/account', { headers: bearer(access) });
    assert.deepEqual([deletion.status, deletion.body], [401, { msg: 'Fresh token required' }]);
  });

  it('wrong token type both ways is 422', async () => {
    const { access, refresh } = await login(h, 'frank');
    const refreshOnProtected = await h.request('GET', '/protected', { headers: bearer(refresh) });
    assert.deepEqual([refreshOnProtected.status, refreshOnProtected.body], [422, { msg: 'Only non-refresh tokens are allowed' }]);
    const accessOnRefresh = await h.request('POST', '/refresh', { headers: bearer(access) });
    assert.deepEqual([accessOnRefresh.status, accessOnRefresh.body], [422, { msg: 'Only refresh tokens are allowed' }]);
  });

  it('DELETE /logout revokes either token type, after which it is refused everywhere', async () => {
    const { access, refresh } = await login(h, 'grace');
    const out = await h.request('DELETE', '/logout', { headers: bearer(access) });
    assert.deepEqual([out.status, out.body], [200, { msg: 'Access token successfully revoked' }]);
    for (const [method, path] of [['GET', '/protected'], ['GET', '/whoami'], ['GET', '/optional'], ['DELETE', '/logout']] as const) {
      const answer = await h.request(method, path, { headers: bearer(access) });
      assert.deepEqual([answer.status, answer.body], [401, { msg: 'Token has been revoked' }], path);
    }
    const outRefresh = await h.request('DELETE', '/logout', { headers: bearer(refresh) });
    assert.deepEqual(outRefresh.body, { msg: 'Refresh token successfully revoked' });
    const reuse = await h.request('POST', '/refresh', { headers: bearer(refresh) });
    assert.deepEqual([reuse.status, reuse.body], [401, { msg: 'Token has been revoked' }]);
  });

  it('DELETE /account deletes the user and revokes its tokens on every route (the reference only fails the user lookup)', async () => {
    const { access, refresh } = await login(h, 'heidi');
    const gone = await h.request('DELETE', '/account', { headers: bearer(access) });
    assert.deepEqual([gone.status, gone.body], [200, { msg: 'Account deleted' }]);
    for (const [method, path, token] of [['GET', '/protected', access], ['GET', '/whoami', access], ['POST', '/refresh', refresh]] as const) {
      const answer = await h.request(method, path, { headers: bearer(token) });
      assert.deepEqual([answer.status, answer.body], [401, { msg: 'Token has been revoked' }], path);
    }
    const again = await h.request('POST', '/login', { json: { username: 'heidi', password: 'correct horse' } });
    assert.equal(again.status, 401);
  });

  it('answers 404 for unknown paths, 405 with Allow for unknown methods, and OPTIONS and HEAD as Flask does', async () => {
    const missing = await h.request('GET', '/nope');
    assert.deepEqual([missing.status, missing.body], [404, { msg: 'Not Found' }]);
    const wrong = await h.request('PUT', '/protected');
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'GET, HEAD, OPTIONS');
    const options = await h.request('OPTIONS', '/protected');
    assert.deepEqual([options.status, options.text, options.headers.get('allow')], [200, '', 'GET, HEAD, OPTIONS']);
    const head = await h.request('HEAD', '/protected');
    assert.equal(head.status, 401);
    assert.equal(head.text, '');
  });
});

describe('the error table: missing and malformed tokens', () => {
  let h: Harness;
  before(async () => {
    h = await startDemo();
    await login(h);
  });
  after(() => h.close());

  const cases: Array<[string, Record<string, string>, number, string]> = [
    ['no header', {}, 401, 'Missing Authorization Header'],
    ['empty header', { Authorization: '  ' }, 401, 'Missing Authorization Header'],
    ['only commas', { Authorization: ',,' }, 401, 'Missing Authorization Header'],
    ['wrong scheme', { Authorization: 'Token abc' }, 401, "Missing 'Bearer' type in 'Authorization' header. Expected 'Authorization: Bearer <JWT>'"],
    ['scheme is case-sensitive', { Authorization: 'bearer abc' }, 401, "Missing 'Bearer' type in 'Authorization' header. Expected 'Authorization: Bearer <JWT>'"],
    ['two Bearer credentials', { Authorization: 'Bearer a, Bearer b' }, 401, "Missing 'Bearer' type in 'Authorization' header. Expected 'Authorization: Bearer <JWT>'"],
    ['Bearer without token', { Authorization: 'Bearer' }, 422, "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'"],
    ['Bearer with two words', { Authorization: 'Bearer a b' }, 422, "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'"],
    // Whitespace in the token, as Python's str.split() finds it: a tab; a no-break space and NEL, which Node reads from bytes 0xA0 and 0x85.
    ['tab inside the token', { Authorization: 'Bearer a\tb' }, 422, "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'"],
    ['no-break space inside the token', { Authorization: 'Bearer a\u00a0b' }, 422, "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'"],
    ['NEL (byte 0x85) inside the token: whitespace to Python', { Authorization: 'Bearer a\u0085b' }, 422, "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'"],
    // A comma separates credentials: "Bearer a" is the one with our scheme.
    ['comma inside the token', { Authorization: 'Bearer a,b' }, 422, 'Not enough segments'],
    ['one segment', { Authorization: 'Bearer abc' }, 422, 'Not enough segments'],
    ['two segments', { Authorization: 'Bearer abc.def' }, 422, 'Not enough segments'],
    // PyJWT splits at the first and the last dot: extra dots land in the payload (after the header is decoded).
    ['four segments, bad header', { Authorization: 'Bearer a.b.c.d' }, 422, 'Invalid header padding'],
    ['four segments', { Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.e30.x' }, 422, 'Invalid payload padding'],
    ['five segments (a JWE)', { Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.a.b.c.d' }, 422, 'Invalid payload padding'],
    ['bad header base64url', { Authorization: 'Bearer a=.e30.x' }, 422, 'Invalid header padding'],
    ['header not an object', { Authorization: `Bearer ${Buffer.from('[1]').toString('base64url')}.e30.x` }, 422, 'Invalid header string: must be a json object'],
  ];
  for (const [label, headers, status, msg] of cases) {
    it(`${label} → ${status} ${msg}`, async () => {
      const answer = await h.request('GET', '/protected', { headers });
      assert.deepEqual([answer.status, answer.body], [status, { msg }]);
    });
  }

  it('reports JSON errors with PyJWT\'s prefix and Python\'s json error, position included', async () => {
    const b64 = (text: string): string => Buffer.from(text).toString('base64url');
    const header = b64('{"alg":"HS256","typ":"JWT"}');
    const cases: Array<[string, string]> = [
      ['..', 'Invalid header string: Expecting value: line 1 column 1 (char 0)'],
      [`${b64('nope')}.e30.x`, 'Invalid header string: Expecting value: line 1 column 1 (char 0)'],
      [`${b64("{'alg':'HS256'}")}.e30.x`, 'Invalid header string: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)'],
      [`${b64('{"alg":"HS256"} x')}.e30.x`, 'Invalid header string: Extra data: line 1 column 17 (char 16)'],
      [`${b64('{"alg":"HS256"')}.e30.x`, "Invalid header string: Expecting ',' delimiter: line 1 column 15 (char 14)"],
      [`${b64('{"alg" "HS256"}')}.e30.x`, "Invalid header string: Expecting ':' delimiter: line 1 column 8 (char 7)"],
      [`${b64('{"alg":"HS256')}.e30.x`, 'Invalid header string: Unterminated string starting at: line 1 column 8 (char 7)'],
      [`${b64('{"alg":"HS\n256"}')}.e30.x`, 'Invalid header string: Invalid control character at: line 1 column 11 (char 10)'],
      [`${header}.${b64('{"sub":}')}.c2ln`, 'Invalid payload string: Expecting value: line 1 column 8 (char 7)'],
      [`${header}.${b64('{"sub":"é",\n"x":tru}')}.c2ln`, 'Invalid payload string: Expecting value: line 2 column 5 (char 16)'],
    ];
    for (const [token, msg] of cases) {
      const answer = await h.request('GET', '/protected', { headers: bearer(token) });
      assert.deepEqual([answer.status, answer.body], [422, { msg }], token);
    }
  });

  it('skips empty comma-separated items and finds the Bearer credential among others', async () => {
    const { access } = await login(h, 'ivan');
    for (const value of [`Basic x,, Bearer ${access}`, `Basic x, Bearer ${access}`, `,Bearer ${access},`, `Bearer   ${access}`, `Bearer\t${access}`]) {
      const answer = await h.request('GET', '/protected', { headers: { Authorization: value } });
      assert.equal(answer.status, 200, value.slice(0, 20));
    }
  });

  it('reports token problems with PyJWT messages', async () => {
    const payloadGarbage = (token: string): string => token.replace(/\.[^.]+\./, `.${Buffer.from('nope').toString('base64url')}.`);
    const { access } = await login(h, 'judy');
    const [head, body, mac] = access.split('.') as [string, string, string];
    const other = sign({ sub: 'judy' }, 'another-secret-that-is-32-bytes-long!', { noTimestamp: true });
    const rows: Array<[string, string, number, string]> = [
      ['tampered payload', `${head}.${Buffer.from('{"sub":"admin"}').toString('base64url')}.${mac}`, 422, 'Signature verification failed'],
      ['payload not an object', `${head}.${Buffer.from('[]').toString('base64url')}.${mac}`, 422, 'Invalid payload string: must be a json object'],
      ['bad payload base64url', `${head}.${body}+.${mac}`, 422, 'Invalid payload padding'],
      ['bad signature base64url', `${head}.${body}.${mac.slice(0, -1)}=`, 422, 'Invalid crypto padding'],
      ['empty signature', `${head}.${body}.`, 422, 'Signature verification failed'],
      ['other key', other, 422, 'Signature verification failed'],
      ['alg none', `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${body}.`, 422, 'The specified alg value is not allowed'],
      ['alg NONE', `${Buffer.from('{"alg":"NONE"}').toString('base64url')}.${body}.`, 422, 'The specified alg value is not allowed'],
      ['alg HS512 not in list', sign({ sub: 'judy' }, SECRET.repeat(2), { algorithm: 'HS512' }), 422, 'The specified alg value is not allowed'],
      ['alg missing', `${Buffer.from('{"typ":"JWT"}').toString('base64url')}.${body}.${mac}`, 422, 'Algorithm not specified'],
      ['kid not a string', tokenWith(h, {}, { kid: 5 }), 422, 'Key ID header parameter must be a string'],
      ['unknown crit', tokenWith(h, {}).replace(/^[^.]+/, Buffer.from('{"alg":"HS256","crit":["exp"],"exp":1}').toString('base64url')), 422, 'Unsupported critical extension: exp'],
      ['duplicate claim', `${head}.${Buffer.from('{"sub":"a","sub":"b"}').toString('base64url')}.${mac}`, 422, 'Invalid payload string: payload has a duplicate member name (RFC 7515 §5.2, RFC 7519 §4)'],
    ];
    for (const [label, token, status, msg] of rows) {
      const answer = await h.request('GET', '/protected', { headers: bearer(token) });
      assert.deepEqual([answer.status, answer.body], [status, { msg }], label);
    }
    // A payload that is not JSON is reported before the (stale) signature, as PyJWT decodes first.
    const garbage = await h.request('GET', '/protected', { headers: bearer(payloadGarbage(access)) });
    assert.equal(garbage.status, 422);
    assert.match(String(garbage.body['msg']), /^Invalid payload string: /);
  });

  it('reports claim problems with PyJWT messages, and answers 422 where the reference would crash', async () => {
    const rows: Array<[string, Record<string, unknown>, number, string]> = [
      ['not yet valid (nbf)', { nbf: h.now + 60 }, 422, 'The token is not yet valid (nbf)'],
      ['issued in the future', { iat: h.now + 60, nbf: h.now + 60 }, 422, 'The token is not yet valid (iat)'],
      ['exp not a number', { exp: 'tomorrow' }, 422, 'Expiration Time claim (exp) must be an integer.'],
      ['exp a list', { exp: [1] }, 422, 'Expiration Time claim (exp) must be an integer.'],
      ['iat a dict', { iat: { a: 1 } }, 422, 'Issued At claim (iat) must be an integer.'],
      ['nbf a string', { nbf: 'now' }, 422, 'Not Before claim (nbf) must be an integer.'],
      ['sub not a string', { sub: 12345 }, 422, 'Subject must be a string'],
      ['jti not a string', { jti: 7 }, 422, 'JWT ID must be a string'],
      ['no sub', { sub: undefined }, 422, 'Missing claim: sub'],
      ['fresh malformed', { fresh: 'yes' }, 422, 'Invalid claim: fresh must be a boolean or a number'],
    ];
    for (const [label, claims, status, msg] of rows) {
      const payload = Object.fromEntries(Object.entries({ fresh: false, iat: h.now, jti: 'j', type: 'access', sub: 'alice', nbf: h.now, exp: h.now + 900, ...claims }).filter(([, v]) => v !== undefined));
      // Signed directly, bypassing sign()'s own type checks, to test the server's answers.
      const token = signRaw(payload);
      const path = label === 'fresh malformed' ? '/fresh' : '/protected';
      const answer = await h.request(path === '/fresh' ? 'POST' : 'GET', path, { headers: bearer(token) });
      assert.deepEqual([answer.status, answer.body], [status, { msg }], label);
    }
  });

  it('expired tokens get 401 Token has expired, unless another claim error wins, as in the reference', async () => {
    const expired = await h.request('GET', '/protected', { headers: bearer(tokenWith(h, { exp: h.now - 1 })) });
    assert.deepEqual([expired.status, expired.body], [401, { msg: 'Token has expired' }]);
    const expiredAndBadSub = await h.request('GET', '/protected', { headers: bearer(signRaw({ type: 'access', sub: 5, exp: h.now - 1 })) });
    assert.deepEqual([expiredAndBadSub.status, expiredAndBadSub.body], [422, { msg: 'Subject must be a string' }]);
    const expiredNoSub = await h.request('GET', '/protected', { headers: bearer(signRaw({ type: 'access', exp: h.now - 1 })) });
    assert.deepEqual([expiredNoSub.status, expiredNoSub.body], [422, { msg: 'Missing claim: sub' }]);
    const expiredBadSignature = await h.request('GET', '/protected', { headers: bearer(`${tokenWith(h, { exp: h.now - 1 }).slice(0, -4)}AAAA`) });
    assert.equal(expiredBadSignature.status, 422);
  });

  it('an access token expires with the clock', async () => {
    const { access } = await login(h, 'kim');
    assert.equal((await h.request('GET', '/protected', { headers: bearer(access) })).status, 200);
    h.now += 15 * 60;
    const later = await h.request('GET', '/protected', { headers: bearer(access) });
    h.now -= 15 * 60;
    assert.deepEqual([later.status, later.body], [401, { msg: 'Token has expired' }]);
  });

  /** Signs any JSON object with the demo's key, without sign()'s claim-type checks. */
  function signRaw(payload: Record<string, unknown>): string {
    const header = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url');
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    const input = `${header}.${body}`;
    return `${input}.${createHmacSignature(input)}`;
  }
});

import { createHmac } from 'node:crypto';
function createHmacSignature(input: string): string {
  return createHmac('sha256', SECRET).update(input).digest('base64url');
}
