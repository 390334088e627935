/**
 * The issuer's public keys, fetched from its JWKS URL (RFC 7517 §5), for a
 * verify-only resource server (beyond flask_jwt_extended): any number of API
 * servers verify tokens, only the issuer holds the private key.
 *
 * Fetched at start and again when a token names a `kid` the set does not have
 * (the issuer rotated its key), but at most once per `cooldown`, so that a
 * flood of made-up `kid`s cannot make this server hammer the issuer. Every
 * fetch has a timeout and a size limit, follows no redirect, and must answer
 * 200 with a JSON object holding a `keys` array. A failed fetch keeps the keys
 * already known. Keys older than five minutes are fetched again in the
 * background, so a key the issuer withdraws stops being trusted.
 */
import type { JwkSet } from '../../lib/index.js';

export interface RemoteJwksOptions {
  readonly url: string;
  /** Milliseconds a fetch may take. Default 3000. */
  readonly timeoutMs?: number;
  /** Largest JWKS accepted, in bytes. Default 64 KiB. */
  readonly maxBytes?: number;
  /** Least time between two fetches, in milliseconds. Default 10 s. */
  readonly cooldownMs?: number;
  /** After this long (ms) the keys are fetched again in the background, so a withdrawn key stops working. Default 5 min. */
  readonly maxAgeMs?: number;
}

export class RemoteJwks {
  readonly url: string;
  readonly #timeoutMs: number;
  readonly #maxBytes: number;
  readonly #cooldownMs: number;
  readonly #maxAgeMs: number;
  #fetchedAt = Number.NEGATIVE_INFINITY;
  #set: JwkSet | undefined;
  #version = 0;
  #lastAttempt = Number.NEGATIVE_INFINITY;
  #lastError: string | undefined;
  #inFlight: Promise<void> | undefined;

  constructor(options: RemoteJwksOptions) {
    this.url = options.url;
    this.#timeoutMs = options.timeoutMs ?? 3000;
    this.#maxBytes = options.maxBytes ?? 64 * 1024;
    this.#cooldownMs = options.cooldownMs ?? 10_000;
    this.#maxAgeMs = options.maxAgeMs ?? 300_000;
  }

  /** Whether the keys are older than maxAge (then a background refresh is due). */
  get stale(): boolean {
    return Date.now() - this.#fetchedAt > this.#maxAgeMs;
  }

  /** The keys known now (undefined before the first successful fetch), and a version that changes with them. */
  get current(): { readonly set: JwkSet | undefined; readonly version: number } {
    return { set: this.#set, version: this.#version };
  }

  /** Why the last fetch failed, if it did. */
  get lastError(): string | undefined {
    return this.#lastError;
  }

  /** Whether `kid` is in the set (a token without `kid` counts as known once any key is). */
  has(kid: unknown): boolean {
    if (this.#set === undefined) return false;
    if (typeof kid !== 'string') return true;
    return this.#set.keys.some((key) => key['kid'] === kid);
  }

  /** Fetches again unless a fetch is running (then waits for it) or the cooldown has not passed. */
  refresh(): Promise<void> {
    if (this.#inFlight !== undefined) return this.#inFlight;
    if (Date.now() - this.#lastAttempt < this.#cooldownMs) return Promise.resolve();
    this.#lastAttempt = Date.now();
    this.#inFlight = this.#fetch().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #fetch(): Promise<void> {
    try {
      const response = await fetch(this.url, { signal: AbortSignal.timeout(this.#timeoutMs), redirect: 'error', headers: { accept: 'application/json' } });
      if (response.status !== 200) throw new Error(`the issuer answered ${response.status}`);
      const text = await readLimited(response, this.#maxBytes);
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || !Array.isArray((parsed as { keys?: unknown }).keys)) throw new Error('not a JWK Set (no "keys" array)');
      this.#set = parsed as JwkSet;
      this.#fetchedAt = Date.now();
      this.#version++;
      this.#lastError = undefined;
    } catch (error) {
      this.#lastError = error instanceof Error ? error.message : String(error);
    }
  }
}

/** The body as text, or an error as soon as it passes `limit` bytes. */
async function readLimited(response: Response, limit: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > limit) throw new Error(`the JWKS is larger than ${limit} bytes`);
  const reader = response.body?.getReader();
  if (reader === undefined) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw new Error(`the JWKS is larger than ${limit} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
