/**
 * Mutation fuzzing, seeded so it repeats: thousands of damaged versions of good
 * tokens. Each must be refused with a JwtError (never another exception), and
 * none but the untouched token may verify.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createVerifier, decodeUnverified, JwtError, sign, signBytes } from '../../lib/index.js';
import { clockAt, KEY32, NOW, seededBytes } from '../helpers.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const NOISE = `${ALPHABET}.=+/ \t\n\u0000é€😀"{}[]:,\\`;

describe('mutation fuzzing', () => {
  it('refuses every damaged token with a JwtError, and accepts only the original', () => {
    const random = seededBytes(8725);
    const pick = (n: number): number => ((random(1)[0] ?? 0) * 256 + (random(1)[0] ?? 0)) % n;
    const verify = createVerifier({ key: KEY32, now: clockAt(NOW) });
    const originals = [
      sign({ sub: 'alice', admin: false, exp: NOW + 60 }, KEY32, { now: clockAt(NOW) }),
      sign({ sub: 'bob', roles: ['a', 'b'], nested: { x: [1, { y: 'z' }] } }, KEY32, { now: clockAt(NOW), header: { kid: 'k1' } }),
    ];
    let refused = 0;
    let unchanged = 0;
    for (const original of originals) {
      for (let round = 0; round < 1500; round++) {
        let token = original;
        const edits = 1 + pick(3);
        for (let e = 0; e < edits; e++) {
          const at = pick(token.length + 1);
          const char = NOISE.charAt(pick(NOISE.length));
          switch (pick(4)) {
            case 0:
              token = token.slice(0, at) + char + token.slice(at + 1); // replace
              break;
            case 1:
              token = token.slice(0, at) + char + token.slice(at); // insert
              break;
            case 2:
              token = token.slice(0, at) + token.slice(at + 1); // delete
              break;
            default: {
              const parts = token.split('.'); // swap two segments
              const [a, b] = [pick(parts.length), pick(parts.length)];
              [parts[a], parts[b]] = [parts[b] ?? '', parts[a] ?? ''];
              token = parts.join('.');
            }
          }
        }
        if (token === original) {
          // The edits cancelled out (a segment swapped with itself, a character replaced by itself).
          unchanged++;
          continue;
        }
        assert.throws(
          () => verify(token),
          (error: unknown) => {
            assert.ok(error instanceof JwtError, `not a JwtError for ${JSON.stringify(token)}: ${String(error)}`);
            return true;
          },
          `a damaged token verified: ${JSON.stringify(token)}`,
        );
        refused++;
        // The unverified decoder must fail just as cleanly.
        try {
          decodeUnverified(token);
        } catch (error) {
          assert.ok(error instanceof JwtError, `decodeUnverified threw ${String(error)}`);
        }
      }
    }
    assert.equal(refused + unchanged, 3000);
    assert.ok(unchanged < 300, `only ${refused} of 3000 mutations changed the token`);
  });
});

describe('claim fuzzing: correctly signed tokens with hostile claim values', () => {
  it('verify() answers each with a result or a JwtError, never a RangeError or TypeError', () => {
    const random = seededBytes(7519);
    const pick = (n: number): number => ((random(1)[0] ?? 0) * 256 + (random(1)[0] ?? 0)) % n;
    // Dates a JavaScript Date cannot hold (|ms| > 8.64e15), the edges around that, and the wrong types.
    const values: unknown[] = [
      9e12, -9e12, 8.64e12, 8.640000000001e12, -8.64e12, 1e308, -1e308, 1.7976931348623157e308, 5e-324,
      253402300800, -62167219201, 0, -1, NOW, NOW + 0.5, 2 ** 53, -(2 ** 53), '1700000000', null, true, [], {}, [NOW], 'x',
    ];
    const claims = ['iat', 'nbf', 'exp', 'aud', 'sub', 'jti', 'iss'];
    const header = Buffer.from('{"alg":"HS256","typ":"JWT"}');
    let accepted = 0;
    for (let round = 0; round < 4000; round++) {
      const payload: Record<string, unknown> = {};
      for (let n = 1 + pick(3); n > 0; n--) payload[claims[pick(claims.length)] ?? 'exp'] = values[pick(values.length)];
      const token = signBytes(header, Buffer.from(JSON.stringify(payload)), KEY32);
      for (const options of [{}, { leeway: 60 }, { maxAge: 3600 }, { skipAudienceCheck: true }]) {
        try {
          createVerifier({ key: KEY32, now: clockAt(NOW), ...options })(token);
          accepted++;
        } catch (error) {
          assert.ok(error instanceof JwtError, `${JSON.stringify(payload)} ${JSON.stringify(options)}: ${String(error)}`);
          assert.equal(typeof error.message, 'string');
        }
      }
    }
    assert.ok(accepted > 0, 'some tokens are valid');
  });

  it('reports far-future and far-past dates with their number of seconds', () => {
    const header = Buffer.from('{"alg":"HS256"}');
    const farNbf = signBytes(header, Buffer.from('{"nbf":9e15}'), KEY32);
    assert.throws(() => createVerifier({ key: KEY32, now: clockAt(NOW) })(farNbf), {
      code: 'ERR_JWT_NOT_YET_VALID',
      message: /9000000000000000 seconds since 1970 \(beyond any calendar date\)/,
    });
    const farExp = signBytes(header, Buffer.from('{"exp":-9e12}'), KEY32);
    assert.throws(() => createVerifier({ key: KEY32, now: clockAt(NOW) })(farExp), (error: unknown) => {
      assert.ok(error instanceof JwtError && error.code === 'ERR_JWT_EXPIRED');
      assert.equal((error as JwtError & { expiredAtSeconds: number }).expiredAtSeconds, -9e12);
      return true;
    });
  });
});
