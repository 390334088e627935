import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeUtf8, parseJsonObject } from '../../lib/json.js';
import { seededBytes } from '../helpers.js';

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

  it('counts members by the ":" after their names, whatever the whitespace and the strings hold', () => {
    // Strings that start or end with ':' or '"', inside arrays and as values, with and without escapes.
    const accepted = [String.raw`{"a":[":x","y:",":"],"b":":"}`, '{"a" \t\n\r: ":", "b"\n:[ ":" , ' + String.raw`"\":"` + ' ]}', String.raw`{"\\":1,"\\\\":2}`, String.raw`{"a":"\\",":":":"}`];
    for (const text of accepted) assert.doesNotThrow(() => parseJsonObject(text, 'payload'), text);
    const duplicated = ['{"a" \t\n\r:1,"a"\n: 2}', String.raw`{"x":[":"],"x":1}`, String.raw`{"\\":1,"\\":2}`, String.raw`{"a":"\\","a":":"}`, String.raw`{"q\"":1,"q\"" :2}`];
    for (const text of duplicated) {
      assert.throws(() => parseJsonObject(text, 'payload'), { code: 'ERR_JWT_MALFORMED', message: /duplicate member name/ }, text);
    }
  });

  it('finds a repeated name in any serialisation of random objects, and only then', () => {
    const bytes = seededBytes(8259);
    const random = (): number => bytes(1)[0] ?? 0;
    const names = ['a', 'b', ':', '"', '\\', 'a:b', ' ', 'é', '"\\:', ''];
    const value = (depth: number): unknown => {
      const pick = random() % 6;
      if (depth > 3 || pick < 2) return names[random() % names.length];
      if (pick === 2) return random() % 1000;
      if (pick === 3) return Array.from({ length: random() % 4 }, () => value(depth + 1));
      const object: Record<string, unknown> = {};
      for (let i = random() % 4; i > 0; i--) object[names[random() % names.length] ?? 'a'] = value(depth + 1);
      return object;
    };
    for (let round = 0; round < 500; round++) {
      const object: Record<string, unknown> = { first: value(0), second: value(0) };
      const text = JSON.stringify(object, null, ['', ' ', '\t', '\n'][round % 4]);
      assert.deepEqual(parseJsonObject(text, 'payload'), object, text);
      // The same text with "second" renamed "first": one name twice at the top level.
      const twice = text.replace('"second"', '"first"');
      assert.throws(() => parseJsonObject(twice, 'payload'), { message: /duplicate member name/ }, twice);
    }
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
