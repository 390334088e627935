/**
 * Taking a token apart in the browser, as strictly as the server does: three
 * segments, strict base64url (RFC 4648 §5, no padding, canonical), strict
 * UTF-8, JSON objects. A problem names its segment and the character.
 */
import { pythonJsonError } from '../explain/pyjson.js';

export type Part = 'header' | 'payload' | 'signature';

export interface Problem {
  readonly part: Part | 'token';
  /** Index in the token of the offending character, or -1. */
  readonly position: number;
  readonly message: string;
}

export interface Decoded {
  readonly segments: readonly [string, string, string];
  readonly headerText: string;
  readonly payloadText: string;
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
  readonly signature: Uint8Array;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const utf8 = new TextDecoder('utf-8', { fatal: true });

export class DecodeError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.message);
    this.problem = problem;
  }
}

/** Strict base64url of `text`; `offset` is where `text` starts in the token, for error positions. */
export function base64urlDecode(text: string, part: Part, offset = 0): Uint8Array {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    const sextet = ALPHABET.indexOf(char);
    if (sextet === -1) {
      const why = char === '=' ? "'=' padding is not allowed" : /\s/.test(char) ? 'whitespace is not allowed' : char === '+' || char === '/' ? `'${char}' is standard base64, not base64url` : `'${char}' is not a base64url character`;
      throw new DecodeError({ part, position: offset + i, message: `${part} segment, character ${offset + i}: ${why}` });
    }
    value = (value << 6) | sextet;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >> bits) & 0xff);
    }
  }
  if (text.length % 4 === 1) throw new DecodeError({ part, position: offset + text.length - 1, message: `${part} segment: a length of ${text.length} cannot be base64url` });
  if ((value & ((1 << bits) - 1)) !== 0) {
    throw new DecodeError({ part, position: offset + text.length - 1, message: `${part} segment, character ${offset + text.length - 1}: not canonical (unused bits are not zero)` });
  }
  return Uint8Array.from(out);
}

export function base64urlEncode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.ceil(((Math.min(3, bytes.length - i)) * 8) / 6);
    for (let k = 0; k < chars; k++) out += ALPHABET.charAt((n >> (18 - 6 * k)) & 63);
  }
  return out;
}

function jsonObject(bytes: Uint8Array, part: Part, offset: number): [string, Record<string, unknown>] {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new DecodeError({ part, position: offset, message: `${part} segment: not valid UTF-8` });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DecodeError({ part, position: offset, message: `${part} segment: not JSON (${jsonErrorText(error, text)})` });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DecodeError({ part, position: offset, message: `${part} segment: must be a JSON object (RFC 7519 §7.2)` });
  }
  return [text, value as Record<string, unknown>];
}

export function decodeToken(token: string): Decoded {
  const inspected = inspectToken(token);
  if (inspected.problem !== undefined) throw new DecodeError(inspected.problem);
  const { header, payload, signature } = inspected;
  const [h = '', p = '', s = ''] = inspected.segments;
  if (header === undefined || payload === undefined || signature === undefined) throw new DecodeError({ part: 'token', position: -1, message: 'not a JWT' });
  return { segments: [h, p, s], headerText: header.text, payloadText: payload.text, header: header.value, payload: payload.value, signature };
}

/** A token taken apart as far as it goes: every segment that decodes, and the first problem, if any. */
export interface Inspected {
  readonly segments: readonly string[];
  readonly header?: { readonly text: string; readonly value: Record<string, unknown> };
  readonly payload?: { readonly text: string; readonly value: Record<string, unknown> };
  readonly signature?: Uint8Array;
  readonly problem?: Problem;
}

/**
 * Decodes each segment on its own, so that a token whose signature alone is
 * broken (or that has one dot too many) still shows its header and payload,
 * as a learner expects; the first problem found is reported with its place.
 */
export function inspectToken(token: string): Inspected {
  const parts = token.split('.');
  const problems: Problem[] = [];
  if (parts.length !== 3) {
    const dots = parts.length - 1;
    const position = dots > 2 ? token.split('.', 3).join('.').length : -1;
    const hint = dots < 2 ? ': it looks cut off' : '';
    problems.push({ part: 'token', position, message: `a JWT has exactly two dots (header.payload.signature); this one has ${dots}${hint}` });
  }
  const [h = '', p, s] = parts;
  const attempt = <T>(work: () => T): T | undefined => {
    try {
      return work();
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      problems.push(error.problem);
      return undefined;
    }
  };
  const header = attempt(() => toObject(jsonObject(base64urlDecode(h, 'header', 0), 'header', 0)));
  const payload = p === undefined ? undefined : attempt(() => toObject(jsonObject(base64urlDecode(p, 'payload', h.length + 1), 'payload', h.length + 1)));
  const signature = s === undefined || parts.length !== 3 ? undefined : attempt(() => base64urlDecode(s, 'signature', h.length + (p ?? '').length + 2));
  return {
    segments: parts,
    ...(header === undefined ? {} : { header }),
    ...(payload === undefined ? {} : { payload }),
    ...(signature === undefined ? {} : { signature }),
    ...(problems[0] === undefined ? {} : { problem: problems[0] }),
  };
}

function toObject([text, value]: [string, Record<string, unknown>]): { text: string; value: Record<string, unknown> } {
  return { text, value };
}

/** RFC 7518 §3.2: an HMAC key at least as long as the hash output. */
export const MIN_KEY_BYTES: Readonly<Record<string, number>> = { HS256: 32, HS384: 48, HS512: 64 };

const HASHES: Record<string, string> = { HS256: 'SHA-256', HS384: 'SHA-384', HS512: 'SHA-512' };

/** HMAC of `input` with Web Crypto, or undefined when `alg` is not an HMAC algorithm. */
export async function hmac(alg: unknown, key: Uint8Array, input: string): Promise<Uint8Array | undefined> {
  const hash = typeof alg === 'string' ? HASHES[alg] : undefined;
  if (hash === undefined || key.length === 0) return undefined;
  // Browsers offer Web Crypto only to secure pages: https://, or http:// on localhost / 127.0.0.1.
  if (globalThis.crypto?.subtle === undefined) throw new Error('Web Crypto is only available on https:// pages or on localhost');
  const imported = await crypto.subtle.importKey('raw', new Uint8Array(key), { name: 'HMAC', hash }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', imported, new TextEncoder().encode(input)));
}

/**
 * Where a text stops being JSON, in Python's words and positions ("Expecting
 * value: line 2 column 12 (char 27)"): the same words the server sends for a
 * token whose payload is not JSON, and a line and column a person can find.
 * Falls back to the browser's message for what Python would accept (NaN).
 */
export function jsonErrorText(error: unknown, text: string): string {
  return pythonJsonError(text) ?? (error instanceof Error ? error.message : String(error));
}

/** How Web Crypto names each public-key algorithm: import parameters and verify parameters. */
const PUBLIC: Readonly<Record<string, { readonly import: RsaHashedImportParams | EcKeyImportParams | Algorithm; readonly verify: AlgorithmIdentifier | RsaPssParams | EcdsaParams; readonly expects: string }>> = {
  RS256: { import: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, verify: 'RSASSA-PKCS1-v1_5', expects: 'an RSA public key' },
  RS384: { import: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' }, verify: 'RSASSA-PKCS1-v1_5', expects: 'an RSA public key' },
  RS512: { import: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' }, verify: 'RSASSA-PKCS1-v1_5', expects: 'an RSA public key' },
  PS256: { import: { name: 'RSA-PSS', hash: 'SHA-256' }, verify: { name: 'RSA-PSS', saltLength: 32 }, expects: 'an RSA public key' },
  PS384: { import: { name: 'RSA-PSS', hash: 'SHA-384' }, verify: { name: 'RSA-PSS', saltLength: 48 }, expects: 'an RSA public key' },
  PS512: { import: { name: 'RSA-PSS', hash: 'SHA-512' }, verify: { name: 'RSA-PSS', saltLength: 64 }, expects: 'an RSA public key' },
  ES256: { import: { name: 'ECDSA', namedCurve: 'P-256' }, verify: { name: 'ECDSA', hash: 'SHA-256' }, expects: 'an EC public key on P-256' },
  ES384: { import: { name: 'ECDSA', namedCurve: 'P-384' }, verify: { name: 'ECDSA', hash: 'SHA-384' }, expects: 'an EC public key on P-384' },
  ES512: { import: { name: 'ECDSA', namedCurve: 'P-521' }, verify: { name: 'ECDSA', hash: 'SHA-512' }, expects: 'an EC public key on P-521' },
  EdDSA: { import: { name: 'Ed25519' }, verify: { name: 'Ed25519' }, expects: 'an Ed25519 public key' },
};

export function isPublicKeyAlg(alg: unknown): boolean {
  return typeof alg === 'string' && Object.hasOwn(PUBLIC, alg);
}

/**
 * Checks a public-key signature in the browser with Web Crypto: the pasted key
 * (SPKI PEM or a JWK) verifies the signature over the signing input. Web Crypto
 * takes ECDSA signatures as R ‖ S, exactly the JOSE form. Returns true, false,
 * or a sentence saying which key shape was expected.
 */
export async function verifyWithPublicKey(alg: string, keyText: string, signingInput: string, signature: Uint8Array): Promise<boolean | string> {
  const params = PUBLIC[alg];
  if (params === undefined) return `"alg" is ${JSON.stringify(alg)}: not a public-key algorithm`;
  const shape = `${alg} expects ${params.expects}: PEM text beginning "-----BEGIN PUBLIC KEY-----", or a JWK`;
  const text = keyText.trim();
  if (/PRIVATE KEY-----/.test(text) || /"d"\s*:/.test(text)) return `This is a private key. Paste the public key: a private key belongs only where tokens are signed, never in a web page. ${shape}.`;
  if (globalThis.crypto?.subtle === undefined) return 'Web Crypto is only available on https:// pages or on localhost';
  let key: CryptoKey;
  try {
    if (text.startsWith('{')) {
      key = await crypto.subtle.importKey('jwk', JSON.parse(text) as JsonWebKey, params.import, false, ['verify']);
    } else {
      const match = /-----BEGIN PUBLIC KEY-----([\s\S]*?)-----END PUBLIC KEY-----/.exec(text);
      if (match === null) return `Not a key this page can read. ${shape} (a "BEGIN RSA PUBLIC KEY" PKCS#1 key must be converted to SPKI first).`;
      const der = Uint8Array.from(atob((match[1] ?? '').replace(/\s+/g, '')), (char) => char.charCodeAt(0));
      key = await crypto.subtle.importKey('spki', der, params.import, false, ['verify']);
    }
  } catch {
    return `This key does not fit. ${shape}.`;
  }
  return crypto.subtle.verify(params.verify, key, new Uint8Array(signature), new TextEncoder().encode(signingInput));
}
