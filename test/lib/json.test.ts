import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeUtf8, parseJsonObject } from '../../lib/json.js';

describe('decodeUtf8', () => {
  it('decodes valid UTF-8, including multi-byte characters', () => {
    assert.equal(decodeUtf8(Buffer.from('{"q":"It’s 😀"}'), 'payload'), '{"q":"It’s 😀"}');
  });

  it('refuses invalid UTF-8 instead of repairing it', () => {
    for (const bytes of [[0x7b, 0xff, 0x7d], [0xc3], [0xed, 0xa0, 0x80] /* surrogate */, [0xc0, 0xaf] /* overlong '/' */]) {
      assert.throws(() => decodeUtf8(Uint8Array.from(bytes), 'header'), {
        code: 'ERR_JWT_MALFORMED',
        part: 'header',
        message: /not valid UTF-8/,
      });
    }
  });

  it('refuses a byte-order mark', () => {
    assert.throws(() => decodeUtf8(Uint8Array.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), 'payload'), {
      code: 'ERR_JWT_MALFORMED',
      message: /byte-order mark/,
    });
  });
});

describe('parseJsonObject', () => {
  it('returns a JSON object', () => {
    assert.deepEqual(parseJsonObject('{"a":1,"b":{"c":[1,{"d":null}]}}', 'payload'), { a: 1, b: { c: [1, { d: null }] } });
  });

  it('accepts insignificant whitespace, as in RFC 7515 A.1', () => {
    assert.deepEqual(parseJsonObject('{"typ":"JWT",\r\n "alg":"HS256"}', 'header'), { typ: 'JWT', alg: 'HS256' });
  });

  it('refuses text that is not JSON, naming the part', () => {
    assert.throws(() => parseJsonObject('{"a":', 'header'), { code: 'ERR_JWT_MALFORMED', part: 'header', message: /header is not valid JSON/ });
    assert.throws(() => parseJsonObject('', 'payload'), { code: 'ERR_JWT_MALFORMED', part: 'payload' });
  });

  it('refuses JSON that is not an object', () => {
    for (const text of ['[]', '[{"a":1}]', '"text"', '42', 'null', 'true']) {
      assert.throws(() => parseJsonObject(text, 'payload'), { code: 'ERR_JWT_MALFORMED', message: /must be a JSON object/ });
    }
  });

  it('refuses duplicate member names at any depth', () => {
    for (const text of [
      '{"alg":"HS256","alg":"none"}',
      '{"a":1,"b":{"x":1,"x":2}}',
      '{"a":[{"x":1,"x":1}]}',
      '{"__proto__":1,"__proto__":2}',
      '{"a":1, "a" :1}',
    ]) {
      assert.throws(() => parseJsonObject(text, 'header'), { code: 'ERR_JWT_MALFORMED', message: /duplicate member name/ }, text);
    }
  });

  it('does not mistake colons, quotes and escapes inside strings for members', () => {
    const text = '{"url":"http://x:80/","q":"a\\"b:c","e":"\\\\","k\\"ey:":{"z":"::"}}';
    assert.deepEqual(parseJsonObject(text, 'payload'), { url: 'http://x:80/', q: 'a"b:c', e: '\\', 'k"ey:': { z: '::' } });
  });

  it('keeps "__proto__" as an ordinary member without touching the prototype', () => {
    const value = parseJsonObject('{"__proto__":{"admin":true}}', 'payload');
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.equal(({} as { admin?: boolean }).admin, undefined);
    assert.deepEqual(Object.keys(value), ['__proto__']);
  });

  it('handles deep nesting without recursion', () => {
    const depth = 5000;
    const text = '{"a":' + '['.repeat(depth) + ']'.repeat(depth) + '}';
    assert.equal(Object.keys(parseJsonObject(text, 'payload')).length, 1);
  });
});
