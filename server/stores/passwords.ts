/**
 * Password hashing with scrypt (RFC 7914), stored as a PHC string
 * (`$scrypt$ln=14,r=8,p=5$<salt>$<hash>`, the format of the Password Hashing
 * Competition's string spec): the parameters travel with each hash, so they can
 * be raised later and every existing hash still verifies with its own.
 *
 * The default is one of the parameter sets the OWASP Password Storage Cheat
 * Sheet lists as the scrypt minimum: N = 2^14, r = 8, p = 5 (16 MiB of memory,
 * five times the CPU of Node's default N = 2^14, r = 8, p = 1, which is below
 * that minimum). Of OWASP's sets it needs the least memory per hash, which
 * matters when several hashes run at once.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface ScryptParameters {
  /** log2 of N, the CPU/memory cost. */
  readonly ln: number;
  /** Block size. */
  readonly r: number;
  /** Parallelisation. */
  readonly p: number;
}

/** OWASP's scrypt minimum with the smallest memory: N = 2^14, r = 8, p = 5. */
export const DEFAULT_SCRYPT: ScryptParameters = Object.freeze({ ln: 14, r: 8, p: 5 });

const SALT_BYTES = 16;
const HASH_BYTES = 32;

/** Hashes `password` (NFC-normalised, RFC 8265 §4.2) with a fresh random salt; returns the PHC string. */
export async function hashPassword(password: string, parameters: ScryptParameters = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, parameters, HASH_BYTES);
  return `$scrypt$ln=${parameters.ln},r=${parameters.r},p=${parameters.p}$${b64(salt)}$${b64(hash)}`;
}

/** Whether `password` matches the PHC string `stored`, compared in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const { parameters, salt, hash } = parsePhc(stored);
  const candidate = await derive(password, salt, parameters, hash.length);
  return timingSafeEqual(candidate, hash);
}

/** The parameters a stored hash was made with (to see whether it needs rehashing). */
export function parsePhc(stored: string): { parameters: ScryptParameters; salt: Buffer; hash: Buffer } {
  const match = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,3}),p=(\d{1,3})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(stored);
  if (match === null) throw new Error('not a $scrypt$ PHC string');
  const [, ln, r, p, salt = '', hash = ''] = match;
  return { parameters: { ln: Number(ln), r: Number(r), p: Number(p) }, salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
}

function derive(password: string, salt: Buffer, { ln, r, p }: ScryptParameters, length: number): Promise<Buffer> {
  const N = 2 ** ln;
  // scrypt needs 128 * N * r bytes; Node refuses more than 32 MiB unless told.
  const maxmem = 256 * N * r + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, { N, r, p, maxmem }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** PHC strings use standard base64 without padding. */
function b64(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '');
}
