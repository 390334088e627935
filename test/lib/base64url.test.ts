import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodePlain, encodePlain } from '../../lib/base64url.js';
import { decodeBase64Url, decodeBase64UrlTransient, encodeBase64Url, encodeBase64UrlString } from '../../lib/base64url-fast.js';
import { Base64UrlError } from '../../lib/errors.js';
import { readVectors, seededBytes } from '../helpers.js';

interface Base64Vectors {
  valid: Array<{ id: string; bytes_hex: string; encoded: string; ascii?: string; utf8?: string }>;
  reject: Array<{ id: string; encoded: string }>;
}
const vectors = readVectors<Base64Vectors>('base64url');

describe('base64url vectors (RFC 4648 §10, RFC 7515 Appendix C)', () => {
  for (const vector of vectors.valid) {
    it(`encodes and decodes ${vector.id}`, () => {
      const bytes = Buffer.from(vector.bytes_hex, 'hex');
      assert.equal(encodeBase64Url(bytes), vector.encoded);
      assert.deepEqual(Buffer.from(decodeBase64Url(vector.encoded)), bytes);
      const text = vector.utf8 ?? vector.ascii;
      if (text !== undefined) assert.equal(encodeBase64UrlString(text), vector.encoded);
    });
  }
  for (const vector of vectors.reject) {
    it(`rejects ${vector.id} (${JSON.stringify(vector.encoded)})`, () => {
      assert.throws(() => decodeBase64Url(vector.encoded), { name: 'Base64UrlError', code: 'ERR_BASE64URL_INVALID' });
    });
  }
});

describe('base64url against Buffer', () => {
  it('round-trips every length from 0 to 1,024 with seeded random bytes', () => {
    const random = seededBytes(7515);
    for (let length = 0; length <= 1024; length++) {
      const bytes = random(length);
      const ours = encodeBase64Url(bytes);
      assert.equal(ours, Buffer.from(bytes).toString('base64url'), `encode, length ${length}`);
      assert.deepEqual(Buffer.from(decodeBase64Url(ours)), Buffer.from(bytes), `decode, length ${length}`);
    }
  });

  it('encodes every byte value in every position of a 3-byte group', () => {
    for (let value = 0; value < 256; value++) {
      for (const bytes of [[value], [0, value], [0, 0, value], [value, 255, value]]) {
        const input = Uint8Array.from(bytes);
        assert.equal(encodeBase64Url(input), Buffer.from(input).toString('base64url'));
      }
    }
  });

  it('handles inputs larger than its scratch buffers, kept or used once', () => {
    const random = seededBytes(4648);
    for (const length of [20_000, 70_000, 1_500_000]) {
      assertRoundTrip(random(length));
      const text = 'é'.repeat(length / 2);
      assert.equal(encodeBase64UrlString(text), Buffer.from(text).toString('base64url'), `string ${length}`);
    }
    // And small ones still work afterwards.
    assert.equal(encodeBase64Url(Uint8Array.of(1, 2, 3)), 'AQID');
  });

  it('agrees with Buffer on both sides of the scratch size (64 KiB), where it hands over to the plain codec', () => {
    const random = seededBytes(4686);
    for (const length of [65_535, 65_536, 65_537]) assertRoundTrip(random(length));
    // Text: up to 21,845 UTF-16 units is sure to fit 64 KiB of UTF-8 (3 bytes each at most).
    for (const length of [21_845, 21_846]) {
      const text = '€'.repeat(length - 1) + 'x';
      assert.equal(encodeBase64UrlString(text), Buffer.from(text).toString('base64url'), `string ${length}`);
    }
    // Characters to decode: 65,536 fit, 65,540 go to the plain decoder, and both refuse what they must.
    for (const length of [65_536, 65_540]) {
      const encoded = 'QUJD'.repeat(length / 4);
      assert.equal(decodeBase64Url(encoded).length, (length / 4) * 3);
      const bad = `${encoded.slice(0, 30_001)}+${encoded.slice(30_002)}`;
      assert.throws(() => decodeBase64Url(bad), (error: unknown) => error instanceof Base64UrlError && error.position === 30_001);
      assert.throws(() => decodeBase64Url(`${encoded}Q`), /1 mod 4/);
    }
  });

  it('encodes strings as UTF-8', () => {
    for (const text of ['', 'ascii', 'é', '’', '😀', 'a\u0000b']) {
      assert.equal(encodeBase64UrlString(text), Buffer.from(text, 'utf8').toString('base64url'));
    }
  });
});

describe('base64url strict decoding', () => {
  function rejection(text: string): Base64UrlError {
    try {
      decodeBase64Url(text);
    } catch (error) {
      assert.ok(error instanceof Base64UrlError);
      return error;
    }
    assert.fail(`expected ${JSON.stringify(text)} to be rejected`);
  }

  it('names the position of the offending character', () => {
    assert.equal(rejection('Zm9vYmF=').position, 7);
    assert.equal(rejection('Zm9v YmFy').position, 4);
    assert.equal(rejection('Zm+v').position, 2);
    assert.equal(rejection('Zm9vY/').position, 5);
    assert.equal(rejection('Zm9vYmFyé').position, 8);
  });

  it('explains padding, the standard alphabet and whitespace', () => {
    assert.match(rejection('Zg==').message, /'=' padding is not allowed/);
    assert.match(rejection('Zm+v').message, /standard base64/);
    assert.match(rejection('Zm\tv').message, /whitespace \(U\+0009\)/);
    assert.match(rejection('Zm.v').message, /'\.' is not allowed/);
    assert.match(rejection('Zm9\u00e9').message, /U\+00E9 is not in the base64url alphabet/);
  });

  it('refuses a length of 1 mod 4 and points at the last character', () => {
    const error = rejection('Zm9vY');
    assert.equal(error.position, 4);
    assert.match(error.message, /1 mod 4/);
  });

  it('refuses non-zero unused bits in the last character (RFC 4648 §3.5)', () => {
    // 2-character groups: only A, Q, g, w leave the low 4 bits zero.
    for (const last of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_') {
      const ok = 'AQgw'.includes(last);
      if (ok) assert.doesNotThrow(() => decodeBase64Url(`Z${last}`));
      else assert.equal(rejection(`Z${last}`).position, 1);
    }
    // 3-character groups: the low 2 bits must be zero.
    for (const last of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_') {
      const ok = 'AEIMQUYcgkosw048'.includes(last);
      if (ok) assert.doesNotThrow(() => decodeBase64Url(`Zm${last}`));
      else assert.equal(rejection(`Zm${last}`).position, 2);
    }
  });

  it('decodes a range of a longer string, reporting positions in that string', () => {
    const text = 'xx.Zm9vYmFy.yy';
    assert.deepEqual(Buffer.from(decodeBase64Url(text, 3, 11)), Buffer.from('foobar'));
    assert.equal(rejectionIn(text, 2, 11).position, 2);
  });

  it('decodes the empty string to no bytes', () => {
    assert.equal(decodeBase64Url('').length, 0);
  });
});

/** Encodes like Buffer, and decodes back to the same bytes. */
function assertRoundTrip(bytes: Uint8Array): void {
  const encoded = encodeBase64Url(bytes);
  assert.equal(encoded, Buffer.from(bytes).toString('base64url'), `encode ${bytes.length}`);
  assert.ok(Buffer.from(decodeBase64Url(encoded)).equals(Buffer.from(bytes)), `decode ${bytes.length}`);
}

function rejectionIn(text: string, start: number, end: number): Base64UrlError {
  try {
    decodeBase64Url(text, start, end);
  } catch (error) {
    assert.ok(error instanceof Base64UrlError);
    return error;
  }
  assert.fail('expected a rejection');
}

/** What a decoder did with a text: its bytes, or its error's message, position and part. */
function outcome(decode: () => Uint8Array): string {
  try {
    return `ok ${Buffer.from(decode()).toString('hex')}`;
  } catch (error) {
    if (!(error instanceof Base64UrlError)) throw error;
    return `error ${error.message} @${String(error.position)} ${String(error.part)}`;
  }
}

describe('the fast codec against the plain one (base64url.ts is the oracle)', () => {
  it('encodes every length from 0 to 600 alike', () => {
    const random = seededBytes(4648);
    for (let length = 0; length <= 600; length++) {
      const bytes = random(length);
      assert.equal(encodeBase64Url(bytes), encodePlain(bytes), `length ${length}`);
    }
  });

  it('decodes 20,000 random texts, valid and invalid, to the same bytes or the same error', () => {
    // Mostly alphabet characters, with the ones that must be refused mixed in.
    const pool = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.repeat(6), '=', '+', '/', ' ', '\n', '.', 'é', '\u0000', '😀', '\u00ff'];
    const random = seededBytes(7515);
    let errors = 0;
    for (let n = 0; n < 20_000; n++) {
      const [length = 0, ...picks] = random(1 + 40);
      const text = Array.from({ length: length % 40 }, (_, i) => pool[(picks[i] ?? 0) % pool.length]).join('');
      const clean = n % 2 === 0 ? text.replace(/[^A-Za-z0-9_-]/g, 'A') : text; // half of them in the alphabet
      const plain = outcome(() => decodePlain(clean, 0, clean.length, 'payload'));
      assert.equal(outcome(() => decodeBase64Url(clean, 0, clean.length, 'payload')), plain, JSON.stringify(clean));
      assert.equal(outcome(() => decodeBase64UrlTransient(clean, 0, clean.length, 'payload')), plain, JSON.stringify(clean));
      if (plain.startsWith('error')) errors++;
    }
    assert.ok(errors > 5_000 && errors < 15_000, `both kinds were tried (${errors} errors)`);
  });

  it('decodes ranges of a longer text alike, with positions in that text', () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln+';
    for (const [start, end] of [[0, 20], [21, 36], [37, 42], [37, 41]] as const) {
      assert.equal(outcome(() => decodeBase64Url(token, start, end, 'signature')), outcome(() => decodePlain(token, start, end, 'signature')));
    }
  });
});

