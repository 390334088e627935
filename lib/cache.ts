/**
 * A verified-token cache (off by default): remembers what `verify` returned for
 * a token, so that the same token presented again (every request of a session
 * carries it) skips the base64url, JSON and signature work.
 *
 * What makes it safe:
 *   - only tokens that passed every check are remembered; a failure is never
 *     stored, so a flood of bad tokens cannot push good ones out;
 *   - only the whole token text, character for character, finds its entry: a
 *     token that differs in one character is verified from scratch (see `get`
 *     for how entries are looked up);
 *   - on every hit the clock-dependent claims (iat, nbf, exp, maxAge, with the
 *     leeway) are checked again, so a cached token expires exactly when an
 *     uncached one would;
 *   - it is bounded: least recently used entries leave first (a Map keeps
 *     insertion order; a hit moves its entry to the end, see `get`);
 *   - what it returns is frozen, as the same object is handed out again.
 * Revocation is not the verifier's business: a server still checks its
 * blocklist on every request.
 */
import { InvalidOptionsError } from './errors.js';
import type { VerifiedJwt } from './types.js';

export interface CacheOptions {
  /** How many verified tokens to remember. */
  readonly max: number;
}

/**
 * Entries are found by a number computed from the token's last characters, a
 * slice of its signature. Every request brings its token as a new string, and
 * a new string used as a Map key is hashed by V8 in C++, character by
 * character (0.6 µs for a 300-character token, in a scratch loop, against
 * 0.2 µs for the rest of a hit); a 22-character slice still meant a new string
 * and a call into C++ for its hash, where a small integer is hashed in place
 * (a hit's lookup 0.18 → 0.10 µs). The number is FNV-1a over 22 characters
 * (132 bits of signature), kept to 30 bits so that V8 holds it unboxed. Two
 * tokens share a key about once in 2^30 pairs: the newer one then takes the
 * entry, and the older is verified from scratch when it comes back. A shared
 * key never gives a wrong answer, as a hit needs the whole text to match, and
 * only tokens that passed verification get an entry at all.
 */
const KEY_LENGTH = 22;

function keyOf(token: string): number {
  let hash = 0x811c9dc5;
  for (let i = Math.max(0, token.length - KEY_LENGTH); i < token.length; i++) hash = Math.imul(hash ^ token.charCodeAt(i), 0x01000193);
  return hash & 0x3fffffff;
}

/** A remembered result, its token, and its place in the order: the insertion count when it last went to the young end. */
interface Entry {
  readonly token: string;
  readonly result: VerifiedJwt;
  place: number;
}

export class VerifiedCache {
  readonly #entries = new Map<number, Entry>();
  readonly #max: number;
  /** How many times an entry has gone to the young end (inserted or moved): the next entry's place. */
  #placed = 0;

  constructor(options: CacheOptions) {
    if (typeof options !== 'object' || options === null || !Number.isSafeInteger(options.max) || options.max < 1) {
      throw new InvalidOptionsError('cache must be { max: a positive integer }');
    }
    this.#max = options.max;
  }

  /**
   * The remembered result; undefined on a miss. A hit in the older half of the
   * order moves to the young end; one in the younger half stays where it is,
   * as it is safe there already: at least ⌊max/2⌋ entries are older, so it
   * outlives that many more insertions, by which time a hit moves it. (Moving is a
   * Map delete and set, which costs more than the lookup: a token sent with
   * every request would pay it every time.)
   */
  get(token: string): VerifiedJwt | undefined {
    const key = keyOf(token);
    const hit = this.#entries.get(key);
    // Another token ending in the same characters (a signature pasted onto
    // another payload, say) is a miss: it will be verified, and refused.
    if (hit === undefined || hit.token !== token) return undefined;
    if (this.#placed - hit.place >= this.#max / 2) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      hit.place = this.#placed++;
    }
    return hit.result;
  }

  /** Remembers a verified result, dropping the least recently used entry when full. */
  set(token: string, result: VerifiedJwt): void {
    const key = keyOf(token);
    // Replacing an entry moves it to the young end, as a new one goes there.
    if (!this.#entries.delete(key) && this.#entries.size >= this.#max) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { token, result, place: this.#placed++ });
  }

  /** Forgets a token (a verify of it failed on the clock checks). */
  delete(token: string): void {
    const key = keyOf(token);
    if (this.#entries.get(key)?.token === token) this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}
