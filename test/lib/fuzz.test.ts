/**
 * Mutation fuzzing, seeded so it repeats: thousands of damaged versions of good
 * tokens. Each must be refused with a JwtError (never another exception), and
 * none but the untouched token may verify.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createVerifier, decodeUnverified, JwtError, sign } from '../../lib/index.js';
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
