/**
 * Words for people about a token's claims, shared by the CLI (`jwt explain`)
 * and the browser page: what each claim means and where it is defined, and a
 * duration in words. Plain TypeScript, without Node or DOM APIs, so both can
 * import it.
 */

/** A claim's meaning, and the document that defines it. */
export interface ClaimMeaning {
  readonly meaning: string;
  readonly source: string;
}

/** The registered claims (RFC 7519 §4.1) and flask_jwt_extended's own, in the order they are explained. */
export const CLAIM_MEANINGS: Readonly<Record<string, ClaimMeaning>> = {
  iss: { meaning: 'issuer: who made the token', source: 'RFC 7519 §4.1.1' },
  sub: { meaning: 'subject: whom the token is about', source: 'RFC 7519 §4.1.2' },
  aud: { meaning: 'audience: who the token is for', source: 'RFC 7519 §4.1.3' },
  exp: { meaning: 'expiration time: not valid from then on', source: 'RFC 7519 §4.1.4' },
  nbf: { meaning: 'not before: not valid until then', source: 'RFC 7519 §4.1.5' },
  iat: { meaning: 'issued at: when it was made', source: 'RFC 7519 §4.1.6' },
  jti: { meaning: 'JWT ID: unique id, used to revoke it', source: 'RFC 7519 §4.1.7' },
  fresh: { meaning: 'fresh: made from a password login, not a refresh', source: 'flask_jwt_extended' },
  type: { meaning: 'type: access or refresh token', source: 'flask_jwt_extended' },
  csrf: { meaning: 'CSRF value: must come back in the X-CSRF-TOKEN header', source: 'flask_jwt_extended' },
};

/** "14 min", "3 h", "2 days", "3 years": a duration in words, rounded down (the sign is ignored). */
export function humanDuration(seconds: number): string {
  const s = Math.abs(seconds);
  if (s < 60) return `${Math.floor(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h`;
  if (s < 2 * 365 * 86400) return `${Math.floor(s / 86400)} days`;
  return `${Math.floor(s / (365.25 * 86400))} years`;
}
