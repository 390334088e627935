/**
 * Nothing a client sends can crash the server: garbage bytes, huge headers,
 * truncated and oversized bodies, and handlers that throw. After each burst the
 * server still answers.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createApp, type Handler } from '../../server/http/app.js';
import { HttpError, json } from '../../server/http/reply.js';
import { Router } from '../../server/http/router.js';
import { createHttpServer } from '../../server/http/server.js';
import { seededBytes } from '../helpers.js';
import { startDemo, type Harness } from './harness.js';

/** Writes raw bytes to the server and collects whatever comes back until it closes or 1 s passes. */
function raw(base: string, bytes: Uint8Array | string): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const done = (): void => {
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', done);
    socket.on('close', done);
    socket.setTimeout(1000, done);
    socket.write(bytes);
    socket.end();
  });
}

describe('robustness', () => {
  let h: Harness;
  before(async () => {
    h = await startDemo({}, 1024);
  });
  after(() => h.close());

  it('survives a burst of random bytes, malformed request lines and huge headers', async () => {
    const random = seededBytes(8725);
    const attempts: Array<Uint8Array | string> = [];
    for (let i = 0; i < 40; i++) attempts.push(random(1 + (i * 37) % 700));
    attempts.push('GET / HTTP/1.1\r\nHost: x\r\nX: ' + 'a'.repeat(70_000) + '\r\n\r\n');
    attempts.push('GET /protected HTTP/1.1\r\nAuthorization: Bearer ' + 'a.'.repeat(9000) + '\r\n\r\n');
    attempts.push('NOT-A-METHOD /\r\n\r\n', 'GET\r\n\r\n', 'GET /%ZZ HTTP/1.1\r\nHost: x\r\n\r\n', '\x00\x01\x02\r\n\r\n');
    const answers = await Promise.all(attempts.map((bytes) => raw(h.base, bytes)));
    for (const answer of answers) assert.ok(answer === '' || answer.startsWith('HTTP/1.1 '), answer.slice(0, 40));
    assert.match(answers[40] ?? '', /^HTTP\/1\.1 431/);
    const alive = await h.request('GET', '/optional');
    assert.deepEqual([alive.status, alive.body], [200, { logged_in_as: null }]);
  });

  it('answers 413 to bodies over the limit, declared or streamed', async () => {
    const declared = await h.request('POST', '/register', { body: 'x'.repeat(2000), headers: { 'content-type': 'application/json' } });
    assert.deepEqual([declared.status, declared.body], [413, { msg: 'Request body is larger than 1024 bytes' }]);
    const chunked = await raw(h.base, `POST /register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n${'y'.repeat(0x800)}\r\n0\r\n\r\n`);
    assert.match(chunked, /^HTTP\/1\.1 413/);
  });

  it('survives truncated bodies and clients that hang up', async () => {
    const truncated = await raw(h.base, 'POST /register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"user');
    // The client half-closed mid-body: the server may say 400 as it hangs up, never more.
    assert.ok(truncated === '' || truncated.startsWith('HTTP/1.1 400'), truncated);
    const alive = await h.request('GET', '/protected');
    assert.equal(alive.status, 401);
  });

  it('survives many bad tokens in a row', async () => {
    const random = seededBytes(7519);
    for (let i = 0; i < 100; i++) {
      const bytes = Buffer.from(random(40 + i)).toString('base64url');
      const token = `${bytes.slice(0, 20)}.${bytes.slice(20, 40)}.${bytes.slice(40)}`;
      const answer = await h.request('GET', '/protected', { headers: { Authorization: `Bearer ${token}` } });
      assert.ok([401, 422].includes(answer.status), `${answer.status} ${answer.text}`);
    }
  });
});

describe('the HTTP layer', () => {
  const logs: string[] = [];
  const router = new Router<Handler>()
    .add('GET', '/boom', () => {
      throw new Error('secret internals');
    })
    .add('GET', '/reject', async () => Promise.reject(new HttpError(418, "I'm a teapot", { 'X-Why': 'test' })))
    .add('GET', '/async-boom', async () => {
      await Promise.resolve();
      throw new Error('async internals');
    })
    .add('GET', '/sync-teapot', () => {
      throw new HttpError(418, 'short and stout');
    })
    .add('GET', '/thrown-string', () => {
      throw 'not an error object';
    })
    .add('GET', '/ok/:name', (ctx) => json(200, { hello: ctx.params['name'], q: ctx.query.get('q'), form: ctx.form().get('a') }))
    .add('POST', '/echo', (ctx) => json(200, { json: ctx.json(), type: ctx.contentType }));
  const server = createHttpServer(createApp(router, { log: (message) => logs.push(message) }));
  let base = '';
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('turns a throwing handler into a 500 without internals, logs it, and keeps serving', async () => {
    const boom = await fetch(`${base}/boom`);
    assert.equal(boom.status, 500);
    const text = await boom.text();
    assert.equal(text, '{"msg":"Internal Server Error"}\n');
    assert.ok(logs.some((line) => line.includes('secret internals')));
    const odd = await fetch(`${base}/thrown-string`);
    assert.equal(odd.status, 500);
    const ok = await fetch(`${base}/ok/x?q=1`);
    assert.deepEqual(await ok.json(), { hello: 'x', q: '1', form: null });
  });

  it('sends JSON as ASCII, its Content-Length the exact byte count, whatever the characters', async () => {
    const answer = await raw(base, 'GET /ok/jos%C3%A9%F0%9F%98%80 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    assert.equal(body, '{"form":null,"hello":"jos\\u00e9\\ud83d\\ude00","q":null}\n');
    assert.match(head, new RegExp(`\r\nContent-Length: ${Buffer.byteLength(body, 'latin1')}\r\n`, 'i'));
  });

  it('answers handlers that answer at once and handlers that answer with a promise alike', async () => {
    const later = await fetch(`${base}/async-boom`);
    assert.equal(later.status, 500);
    assert.equal(await later.text(), '{"msg":"Internal Server Error"}\n');
    assert.ok(logs.some((line) => line.includes('async internals')));
    const now = await fetch(`${base}/sync-teapot`);
    assert.equal(now.status, 418);
    assert.deepEqual(await now.json(), { msg: 'short and stout' });
  });

  it('lets handlers answer with an HttpError and extra headers', async () => {
    const answer = await fetch(`${base}/reject`);
    assert.equal(answer.status, 418);
    assert.equal(answer.headers.get('x-why'), 'test');
    assert.deepEqual(await answer.json(), { msg: "I'm a teapot" });
  });

  it('parses JSON bodies once, strictly, and only when the request says JSON', async () => {
    const post = (body: string, type?: string) => fetch(`${base}/echo`, { method: 'POST', body, headers: type === undefined ? {} : { 'content-type': type } }).then((r) => r.json());
    assert.deepEqual(await post('{"a":1}', 'application/json; charset=utf-8'), { json: { kind: 'ok', value: { a: 1 } }, type: 'application/json' });
    assert.deepEqual(await post('{"a":1}', 'application/merge-patch+json'), { json: { kind: 'ok', value: { a: 1 } }, type: 'application/merge-patch+json' });
    assert.deepEqual(await post('{"a":1}', 'text/plain'), { json: { kind: 'not-json' }, type: 'text/plain' });
    const invalid = (await post('{"a":', 'application/json')) as { json: { kind: string } };
    assert.equal(invalid.json.kind, 'invalid');
    const badUtf8 = await fetch(`${base}/echo`, { method: 'POST', body: Buffer.from([0x22, 0xff, 0x22]), headers: { 'content-type': 'application/json' } }).then((r) => r.json());
    assert.equal((badUtf8 as { json: { kind: string } }).json.kind, 'invalid');
  });
});
