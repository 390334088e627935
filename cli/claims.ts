/**
 * One line per claim, saying what it is, which section defines it, and for the
 * time claims what it means right now. The registered claims come from
 * RFC 7519 §4.1; fresh, type and csrf are flask_jwt_extended's.
 */
import { humanDuration, isoTime } from './output.js';

export interface ClaimLine {
  readonly claim: string;
  readonly value: unknown;
  readonly meaning: string;
  readonly source: string;
  /** For time claims: what the value means at `now`. */
  readonly note?: string;
}

const MEANINGS: Record<string, readonly [string, string]> = {
  iss: ['issuer: who made the token', 'RFC 7519 §4.1.1'],
  sub: ['subject: whom the token is about', 'RFC 7519 §4.1.2'],
  aud: ['audience: who the token is for', 'RFC 7519 §4.1.3'],
  exp: ['expiration time: not valid from then on', 'RFC 7519 §4.1.4'],
  nbf: ['not before: not valid until then', 'RFC 7519 §4.1.5'],
  iat: ['issued at: when it was made', 'RFC 7519 §4.1.6'],
  jti: ['JWT ID: unique id, used to revoke it', 'RFC 7519 §4.1.7'],
  fresh: ['fresh: made from a password login, not a refresh', 'flask_jwt_extended'],
  type: ['type: access or refresh token', 'flask_jwt_extended'],
  csrf: ['CSRF value: must come back in the X-CSRF-TOKEN header', 'flask_jwt_extended'],
};

export function explainClaims(payload: Record<string, unknown>, now: number): ClaimLine[] {
  const lines: ClaimLine[] = [];
  for (const [claim, [meaning, source]] of Object.entries(MEANINGS)) {
    if (!Object.hasOwn(payload, claim)) continue;
    const value = payload[claim];
    const note = timeNote(claim, value, now);
    lines.push(note === undefined ? { claim, value, meaning, source } : { claim, value, meaning, source, note });
  }
  return lines;
}

function timeNote(claim: string, value: unknown, now: number): string | undefined {
  if (claim === 'fresh' && typeof value === 'number') return relative(`fresh until ${isoTime(value)}`, value - now, 'for another', 'no longer, since');
  if (claim !== 'exp' && claim !== 'nbf' && claim !== 'iat') return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'not a NumericDate: a verifier refuses this token';
  const delta = value - now;
  if (claim === 'exp') return delta > 0 ? `${isoTime(value)}, expires in ${humanDuration(delta)}` : `${isoTime(value)}, expired ${humanDuration(delta)} ago`;
  if (claim === 'nbf') return delta > 0 ? `${isoTime(value)}, not valid for another ${humanDuration(delta)}` : `${isoTime(value)}, valid since ${humanDuration(delta)} ago`;
  return delta > 0 ? `${isoTime(value)}, ${humanDuration(delta)} in the future (a verifier refuses it)` : `${isoTime(value)}, ${humanDuration(delta)} ago`;
}

function relative(prefix: string, delta: number, ahead: string, behind: string): string {
  return delta > 0 ? `${prefix}, ${ahead} ${humanDuration(delta)}` : `${prefix}, ${behind} ${humanDuration(delta)} ago`;
}
