/**
 * One line per claim, saying what it is, which section defines it, and for the
 * time claims what it means right now. The registered claims come from
 * RFC 7519 §4.1; fresh, type and csrf are flask_jwt_extended's.
 */
import { CLAIM_MEANINGS, humanDuration } from '../explain/claims.js';
import { isoTime } from './output.js';

export interface ClaimLine {
  readonly claim: string;
  readonly value: unknown;
  readonly meaning: string;
  readonly source: string;
  /** For time claims: what the value means at `now`. */
  readonly note?: string;
}

export function explainClaims(payload: Record<string, unknown>, now: number): ClaimLine[] {
  const lines: ClaimLine[] = [];
  for (const [claim, { meaning, source }] of Object.entries(CLAIM_MEANINGS)) {
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
