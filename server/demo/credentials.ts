/**
 * One visible name, one account. Usernames are compared after normalisation, in
 * the spirit of RFC 8265's UsernameCasePreserved profile (PRECIS): width and
 * compatibility forms folded (NFKC: fullwidth "ａlice" is "alice"), composed
 * (NFC: "jose" + U+0301 is "josé"), and refused outright when they hold what a
 * reader cannot see: control and format characters (zero-width spaces, bidi
 * overrides), default-ignorable code points, unassigned or private-use code
 * points, leading, trailing or doubled spaces. Case is kept: "Alice" and
 * "alice" look different, and are different accounts.
 *
 * Lengths are capped: a 60 KB name would otherwise be stored, hashed against and
 * put into tokens that the server itself then refuses as too large.
 */
import type { Context } from '../http/context.js';
import { HttpError } from '../http/reply.js';

export const MAX_USERNAME_LENGTH = 64;
export const MAX_PASSWORD_LENGTH = 1024;

/** A username or password the server will not take; the message says why (400). */
export class CredentialsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialsError';
  }
}

const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;
const OTHER_SPACE = /[^\S ]/u;

/** The canonical form of a username, or a CredentialsError saying what is wrong with it. */
export function normalizeUsername(name: string): string {
  // Checked before normalising, so the work is bounded by the cap (NFKC can lengthen text).
  if ([...name].length > MAX_USERNAME_LENGTH) throw new CredentialsError(`Username must be at most ${MAX_USERNAME_LENGTH} characters`);
  const normal = name.normalize('NFKC');
  if (INVISIBLE.test(normal)) throw new CredentialsError('Username must not contain control or invisible characters');
  if (OTHER_SPACE.test(normal)) throw new CredentialsError('Username must not contain tabs, line breaks or special spaces');
  if (normal.startsWith(' ') || normal.endsWith(' ')) throw new CredentialsError('Username must not start or end with a space');
  if (normal.includes('  ')) throw new CredentialsError('Username must not contain two spaces in a row');
  if (/^\p{M}/u.test(normal)) throw new CredentialsError('Username must not start with a combining mark');
  if ([...normal].length > MAX_USERNAME_LENGTH) throw new CredentialsError(`Username must be at most ${MAX_USERNAME_LENGTH} characters`);
  return normal;
}

/** Refuses an over-long password before any hashing work is done. */
export function checkPassword(password: string): void {
  if (password.length > MAX_PASSWORD_LENGTH) throw new CredentialsError(`Password must be at most ${MAX_PASSWORD_LENGTH} characters`);
}

/**
 * The JSON body `{"username", "password"}` of the login routes, with the
 * username in canonical form. No body, another content type or malformed JSON
 * all get the reference demo's 400 "Missing JSON in request".
 */
export function credentials(ctx: Context): { username: string; password: string } {
  const body = ctx.json();
  const value = body.kind === 'ok' ? body.value : undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HttpError(400, 'Missing JSON in request');
  const { username, password } = value as { username?: unknown; password?: unknown };
  if (typeof username !== 'string' || username === '' || typeof password !== 'string' || password === '') {
    throw new HttpError(400, 'Missing username or password');
  }
  try {
    checkPassword(password);
    return { username: normalizeUsername(username), password };
  } catch (error) {
    if (error instanceof CredentialsError) throw new HttpError(400, error.message);
    throw error;
  }
}
