/**
 * A verified-token cache (off by default): remembers what `verify` returned for
 * a token, so that the same token presented again (every request of a session
 * carries it) skips the base64url, JSON and signature work.
 *
 * What makes it safe:
 *   - only tokens that passed every check are remembered; a failure is never
 *     stored, so a flood of bad tokens cannot push good ones out;
 *   - the key is the whole token text: a token that differs in one character
 *     is another entry, verified from scratch;
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

/** A remembered result, and its place in the order: the insertion count when it last went to the young end. */
interface Entry {
  readonly result: VerifiedJwt;
  place: number;
}

export class VerifiedCache {
  readonly #entries = new Map<string, Entry>();
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
    const hit = this.#entries.get(token);
    if (hit === undefined) return undefined;
    if (this.#placed - hit.place >= this.#max / 2) {
      this.#entries.delete(token);
      this.#entries.set(token, hit);
      hit.place = this.#placed++;
    }
    return hit.result;
  }

  /** Remembers a verified result, dropping the least recently used entry when full. */
  set(token: string, result: VerifiedJwt): void {
    if (this.#entries.size >= this.#max) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
    this.#entries.set(token, { result, place: this.#placed++ });
  }

  /** Forgets a token (a verify of it failed on the clock checks). */
  delete(token: string): void {
    this.#entries.delete(token);
  }

  get size(): number {
    return this.#entries.size;
  }
}
