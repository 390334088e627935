/**
 * The inspector: as you type a token, its three segments appear coloured, the
 * header and payload decoded, every claim explained, and, given the secret, the
 * HMAC checked with Web Crypto. Editing the payload shows the signature stop
 * matching; "Re-sign" makes the signature that would match.
 */
import { base64urlDecode, base64urlEncode, type Decoded, DecodeError, decodeToken, hmac, type Problem } from './decode.js';
import { byId, el, humanDuration } from './dom.js';

const CLAIMS: Record<string, string> = {
  iss: 'issuer: who made the token (RFC 7519 §4.1.1)',
  sub: 'subject: whom the token is about (RFC 7519 §4.1.2)',
  aud: 'audience: who the token is for (RFC 7519 §4.1.3)',
  exp: 'expiration time: not valid from then on (RFC 7519 §4.1.4)',
  nbf: 'not before: not valid until then (RFC 7519 §4.1.5)',
  iat: 'issued at: when it was made (RFC 7519 §4.1.6)',
  jti: 'JWT ID: unique id, used to revoke it (RFC 7519 §4.1.7)',
  fresh: 'fresh: made from a password login, not a refresh (flask_jwt_extended)',
  type: 'type: access or refresh token (flask_jwt_extended)',
  csrf: 'CSRF value: must come back in the X-CSRF-TOKEN header (flask_jwt_extended)',
};

export class Inspector {
  readonly #token = byId<HTMLTextAreaElement>('token');
  readonly #segments = byId('segments');
  readonly #problem = byId('problem');
  readonly #header = byId('header-json');
  readonly #payload = byId<HTMLTextAreaElement>('payload-json');
  readonly #claims = byId('claims');
  readonly #timeline = byId('timeline');
  readonly #secret = byId<HTMLInputElement>('secret');
  readonly #encoding = byId<HTMLSelectElement>('secret-encoding');
  readonly #status = byId('signature-status');
  #decoded: Decoded | undefined;
  /** The payload segment made from the edited payload, when it differs from the token's. */
  #editedPayload: string | undefined;
  /** Counts checks, so that a slow one cannot overwrite the answer of a newer one. */
  #generation = 0;

  constructor() {
    this.#token.addEventListener('input', () => this.render());
    this.#payload.addEventListener('input', () => this.#payloadEdited());
    this.#secret.addEventListener('input', () => void this.#checkSignature());
    this.#encoding.addEventListener('change', () => void this.#checkSignature());
    byId('resign').addEventListener('click', () => void this.#resign());
  }

  /** Shows `token` in the inspector and scrolls to it. */
  show(token: string): void {
    this.#token.value = token;
    this.render();
    this.#token.scrollIntoView({ behavior: 'smooth', block: 'start' });
    this.#token.focus();
  }

  render(): void {
    const token = this.#token.value.trim();
    this.#editedPayload = undefined;
    this.#decoded = undefined;
    this.#problem.hidden = true;
    this.#header.textContent = '';
    this.#payload.value = '';
    this.#claims.replaceChildren();
    this.#timeline.hidden = true;
    if (token === '') {
      this.#segments.replaceChildren();
      this.#setStatus('', '');
      return;
    }
    try {
      this.#decoded = decodeToken(token);
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      this.#showProblem(token, error.problem);
      return;
    }
    this.#segments.replaceChildren(...coloured(token, -1));
    this.#header.textContent = JSON.stringify(this.#decoded.header, null, 2);
    this.#payload.value = JSON.stringify(this.#decoded.payload, null, 2);
    this.#renderClaims(this.#decoded.payload);
    void this.#checkSignature();
  }

  #showProblem(token: string, problem: Problem): void {
    this.#segments.replaceChildren(...coloured(token, problem.position));
    this.#problem.textContent = `Malformed: ${problem.message}`;
    this.#problem.hidden = false;
    this.#setStatus('', '');
  }

  #renderClaims(payload: Record<string, unknown>): void {
    const now = Date.now() / 1000;
    const items: HTMLElement[] = [];
    for (const [claim, meaning] of Object.entries(CLAIMS)) {
      if (!Object.hasOwn(payload, claim)) continue;
      const value = payload[claim];
      items.push(el('li', {}, el('code', {}, claim), ` ${meaning}: `, describe(claim, value, now)));
    }
    const others = Object.keys(payload).filter((claim) => !Object.hasOwn(CLAIMS, claim));
    if (others.length > 0) items.push(el('li', {}, `Other claims (application-defined): ${others.join(', ')}`));
    this.#claims.replaceChildren(...items);
    this.#renderTimeline(payload, now);
  }

  /** A line with now, iat, nbf and exp placed on it. */
  #renderTimeline(payload: Record<string, unknown>, now: number): void {
    const points: Array<[string, number]> = [['now', now]];
    for (const claim of ['iat', 'nbf', 'exp']) {
      const value = payload[claim];
      if (typeof value === 'number' && Number.isFinite(value)) points.push([claim, value]);
    }
    if (points.length === 1) return;
    const times = points.map(([, time]) => time);
    const low = Math.min(...times);
    const span = Math.max(...times) - low || 1;
    // Points closer than 3% of the line share one mark ("iat nbf now"), so labels never overlap.
    const groups: Array<{ names: string[]; at: number; time: number }> = [];
    for (const [name, time] of [...points].sort((a, b) => a[1] - b[1])) {
      const at = 5 + (90 * (time - low)) / span;
      const last = groups[groups.length - 1];
      if (last !== undefined && at - last.at < 3) last.names.push(name);
      else groups.push({ names: [name], at, time });
    }
    const marks = groups.map(({ names, at, time }) => {
      const mark = el('div', { class: `mark ${names.join(' ')}`, title: new Date(time * 1000).toLocaleString() }, names.join(' · '));
      // CSSOM, not a style attribute: the page's CSP allows no inline styles.
      mark.style.left = `${at}%`;
      return mark;
    });
    this.#timeline.replaceChildren(...marks);
    this.#timeline.hidden = false;
  }

  #payloadEdited(): void {
    const decoded = this.#decoded;
    if (decoded === undefined) return;
    let value: unknown;
    try {
      value = JSON.parse(this.#payload.value);
    } catch {
      this.#setStatus('bad', 'The payload is not valid JSON: no token can carry it.');
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.#setStatus('bad', 'The payload must be a JSON object.');
      return;
    }
    this.#editedPayload = base64urlEncode(new TextEncoder().encode(JSON.stringify(value)));
    const [header, , signature] = decoded.segments;
    this.#segments.replaceChildren(...coloured(`${header}.${this.#editedPayload}.${signature}`, -1));
    this.#renderClaims(value as Record<string, unknown>);
    void this.#checkSignature();
  }

  #secretBytes(): Uint8Array | undefined {
    const text = this.#secret.value;
    if (text === '') return undefined;
    if (this.#encoding.value === 'utf8') return new TextEncoder().encode(text);
    try {
      return base64urlDecode(text.trim(), 'signature');
    } catch {
      return new Uint8Array(0);
    }
  }

  async #checkSignature(): Promise<void> {
    const decoded = this.#decoded;
    if (decoded === undefined) return;
    const generation = ++this.#generation;
    const [header, payload, signature] = decoded.segments;
    const edited = this.#editedPayload !== undefined && this.#editedPayload !== payload;
    const key = this.#secretBytes();
    if (key === undefined) {
      this.#setStatus('', edited ? 'The payload changed, so the old signature no longer matches. Enter the secret to see the new one.' : 'Enter the secret to check the signature.');
      return;
    }
    if (key.length === 0) return this.#setStatus('bad', 'The secret is not valid base64url.');
    let mac: Uint8Array | undefined;
    try {
      mac = await hmac(decoded.header['alg'], key, `${header}.${this.#editedPayload ?? payload}`);
    } catch (error) {
      return this.#setStatus('bad', `Cannot check the signature here: ${(error as Error).message}.`);
    }
    if (generation !== this.#generation) return;
    if (mac === undefined) return this.#setStatus('bad', `Cannot check: "alg" is ${JSON.stringify(decoded.header['alg'])}, not HS256, HS384 or HS512.`);
    const expected = base64urlEncode(mac);
    if (expected === signature) this.#setStatus('ok', '✔ Signature verified: this secret made this signature.');
    else if (edited) this.#setStatus('bad', `✘ Invalid signature: the payload changed, so the signature no longer matches. Re-sign to get ${expected}.`);
    else this.#setStatus('bad', '✘ Invalid signature: this secret did not make this signature (or the token was changed).');
  }

  async #resign(): Promise<void> {
    const decoded = this.#decoded;
    const key = this.#secretBytes();
    if (decoded === undefined || key === undefined || key.length === 0) {
      this.#setStatus('bad', 'Re-signing needs a token and its secret.');
      return;
    }
    const [header, payload] = decoded.segments;
    const signingInput = `${header}.${this.#editedPayload ?? payload}`;
    let mac: Uint8Array | undefined;
    try {
      mac = await hmac(decoded.header['alg'], key, signingInput);
    } catch (error) {
      return this.#setStatus('bad', `Cannot sign here: ${(error as Error).message}.`);
    }
    if (mac === undefined) return this.#setStatus('bad', `Cannot sign: "alg" is ${JSON.stringify(decoded.header['alg'])}, not HS256, HS384 or HS512.`);
    this.#token.value = `${signingInput}.${base64urlEncode(mac)}`;
    this.render();
  }

  #setStatus(kind: '' | 'ok' | 'bad', text: string): void {
    this.#status.className = `status ${kind}`;
    this.#status.textContent = text;
  }
}

/** The token as three coloured segments; the character at `bad` (if any) is highlighted. */
function coloured(token: string, bad: number): Node[] {
  const classes = ['seg-header', 'seg-payload', 'seg-signature'];
  const nodes: Node[] = [];
  let start = 0;
  token.split('.').forEach((segment, index) => {
    if (index > 0) nodes.push(el('span', { class: 'seg-dot' }, '.'));
    const cls = classes[Math.min(index, 2)] ?? 'seg-signature';
    const end = start + segment.length;
    if (bad >= start && bad < end) {
      nodes.push(el('span', { class: cls }, segment.slice(0, bad - start), el('mark', { class: 'bad-char' }, segment.charAt(bad - start)), segment.slice(bad - start + 1)));
    } else {
      nodes.push(el('span', { class: cls }, segment));
    }
    start = end + 1;
  });
  return nodes;
}

function describe(claim: string, value: unknown, now: number): string {
  const text = JSON.stringify(value);
  if (!['exp', 'nbf', 'iat'].includes(claim) && !(claim === 'fresh' && typeof value === 'number')) return text;
  if (typeof value !== 'number' || !Number.isFinite(value)) return `${text} (not a NumericDate: a verifier refuses this token)`;
  const local = new Date(value * 1000).toLocaleString();
  const delta = value - now;
  if (claim === 'exp') return `${local} (${delta > 0 ? `expires in ${humanDuration(delta)}` : `expired ${humanDuration(delta)} ago`})`;
  if (claim === 'nbf') return `${local} (${delta > 0 ? `not valid for another ${humanDuration(delta)}` : `valid since ${humanDuration(delta)} ago`})`;
  if (claim === 'fresh') return `until ${local} (${delta > 0 ? `fresh for another ${humanDuration(delta)}` : 'no longer fresh'})`;
  return `${local} (${delta > 0 ? `${humanDuration(delta)} in the future!` : `${humanDuration(delta)} ago`})`;
}
