/**
 * The inspector: as you type a token, its three segments appear coloured, the
 * header and payload decoded, every claim explained, and, given the secret, the
 * HMAC checked with Web Crypto. Editing the payload shows the signature stop
 * matching; "Re-sign" makes the signature that would match.
 */
import { base64urlDecode, base64urlEncode, type Decoded, hmac, inspectToken, isPublicKeyAlg, jsonErrorText, MIN_KEY_BYTES, type Problem, verifyWithPublicKey } from './decode.js';
import { CLAIM_MEANINGS, humanDuration } from '../explain/claims.js';
import { byId, el } from './dom.js';

/**
 * The token the page opens with, so a first-time visitor sees a decoded token
 * at once. It is labelled as a sample, and its secret is shown with it: a
 * sample secret, long enough for HS256, used nowhere else.
 */
export const SAMPLE_SECRET = 'sample-secret-shown-on-this-page-only';
export const SAMPLE_TOKEN =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsIm5hbWUiOiJBbGljZSBMaWRkZWxsIiwiYWRtaW4iOmZhbHNlLCJpYXQiOjE3NjcyMjU2MDAsImV4cCI6MjA4Mjc1ODQwMH0.YqZL-peK2K656eSaYuuEXL-tMgbm6RbK0FPjkOUljw8';

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
  readonly #sampleNote = byId('sample-note');
  readonly #algWarning = byId('alg-warning');
  readonly #payloadProblem = byId('payload-problem');
  readonly #publicKey = byId<HTMLTextAreaElement>('public-key');
  readonly #publicKeyRow = byId('public-key-row');
  readonly #secretRow = byId('secret-row');
  #decoded: Decoded | undefined;
  /** The payload segment made from the edited payload, when it differs from the token's. */
  #editedPayload: string | undefined;
  /** Counts checks, so that a slow one cannot overwrite the answer of a newer one. */
  #generation = 0;

  constructor() {
    this.#token.addEventListener('input', () => {
      // The sample's secret belongs to the sample: a pasted token gets a clean slate.
      if (this.#secret.value === SAMPLE_SECRET && this.#token.value.trim() !== SAMPLE_TOKEN) this.#secret.value = '';
      this.render();
    });
    this.#payload.addEventListener('input', () => this.#payloadEdited());
    this.#secret.addEventListener('input', () => void this.#checkSignature());
    this.#publicKey.addEventListener('input', () => void this.#checkSignature());
    byId('use-jwks').addEventListener('click', () => void this.#useServerKeys(true));
    this.#encoding.addEventListener('change', () => void this.#checkSignature());
    byId('resign').addEventListener('click', () => void this.#resign());
  }

  /** Opens with the sample token decoded and its secret filled in, labelled as a sample. */
  showSample(): void {
    this.#token.value = SAMPLE_TOKEN;
    this.#secret.value = SAMPLE_SECRET;
    this.#encoding.value = 'utf8';
    this.render();
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
    this.#payloadProblem.hidden = true;
    this.#header.textContent = '';
    this.#payload.value = '';
    this.#claims.replaceChildren();
    this.#timeline.hidden = true;
    this.#sampleNote.hidden = token !== SAMPLE_TOKEN;
    this.#algWarning.hidden = true;
    if (token === '') {
      this.#segments.replaceChildren();
      this.#setStatus('', '');
      return;
    }
    // Every segment that decodes is shown, even when another one is broken.
    const inspected = inspectToken(token);
    this.#segments.replaceChildren(...coloured(token, inspected.problem?.position ?? -1));
    if (inspected.header !== undefined) {
      this.#header.textContent = JSON.stringify(inspected.header.value, null, 2);
      this.#warnAboutAlg(inspected.header.value['alg']);
    }
    if (inspected.payload !== undefined) {
      this.#payload.value = JSON.stringify(inspected.payload.value, null, 2);
      this.#renderClaims(inspected.payload.value);
    }
    if (inspected.problem !== undefined) {
      this.#showProblem(inspected.problem, inspected);
      return;
    }
    const [h = '', p = '', sig = ''] = inspected.segments;
    if (inspected.header !== undefined && inspected.payload !== undefined && inspected.signature !== undefined) {
      this.#decoded = {
        segments: [h, p, sig],
        headerText: inspected.header.text,
        payloadText: inspected.payload.text,
        header: inspected.header.value,
        payload: inspected.payload.value,
        signature: inspected.signature,
      };
    }
    void this.#checkSignature();
  }

  #showProblem(problem: Problem, inspected: { readonly header?: unknown; readonly payload?: unknown }): void {
    const shown = [inspected.header === undefined ? '' : 'header', inspected.payload === undefined ? '' : 'payload'].filter((part) => part !== '');
    const still = shown.length > 0 ? ` The ${shown.join(' and ')} decoded all the same, and ${shown.length === 1 ? 'is' : 'are'} shown below.` : '';
    this.#problem.textContent = `Malformed: ${problem.message}.${still}`;
    this.#problem.hidden = false;
    this.#setStatus('bad', `Cannot check the signature: the ${problem.part === 'token' ? 'token' : `${problem.part} segment`} is malformed.`);
  }

  /** RFC 8725 §3.1: "none" means no signature at all; and a page can only check HMAC tokens. */
  #warnAboutAlg(alg: unknown): void {
    if (typeof alg === 'string' && alg.toLowerCase() === 'none') {
      this.#algWarning.textContent =
        '⚠ "alg": "none" means this token has no signature: anyone can write one, with any claims. A verifier must refuse it, in every spelling (RFC 8725 §3.1); libraries that once accepted it let attackers log in as anyone.';
      this.#algWarning.hidden = false;
    }
  }

  #renderClaims(payload: Record<string, unknown>): void {
    const now = Date.now() / 1000;
    const items: HTMLElement[] = [];
    for (const [claim, { meaning, source }] of Object.entries(CLAIM_MEANINGS)) {
      if (!Object.hasOwn(payload, claim)) continue;
      const value = payload[claim];
      items.push(el('li', {}, el('code', {}, claim), ` ${meaning} (${source}): `, describe(claim, value, now)));
    }
    const others = Object.keys(payload).filter((claim) => !Object.hasOwn(CLAIM_MEANINGS, claim));
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
    const text = this.#payload.value;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.#payloadTrouble(`The payload is not valid JSON: ${jsonErrorText(error, text)}. No token can carry it.`);
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.#payloadTrouble('The payload must be a JSON object, {…} (RFC 7519 §7.2).');
      return;
    }
    this.#payloadProblem.hidden = true;
    this.#editedPayload = base64urlEncode(new TextEncoder().encode(JSON.stringify(value)));
    const [header, , signature] = decoded.segments;
    this.#segments.replaceChildren(...coloured(`${header}.${this.#editedPayload}.${signature}`, -1));
    this.#renderClaims(value as Record<string, unknown>);
    void this.#checkSignature();
  }

  /** An edited payload that no token can carry: said under the payload, and the stale claims cleared. */
  #payloadTrouble(message: string): void {
    this.#payloadProblem.textContent = message;
    this.#payloadProblem.hidden = false;
    this.#claims.replaceChildren(el('li', {}, 'The claims cannot be read until the payload is valid JSON again.'));
    this.#timeline.hidden = true;
    this.#setStatus('', '');
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
    const alg = decoded.header['alg'];
    if (typeof alg === 'string' && alg.toLowerCase() === 'none') {
      return this.#setStatus('bad', 'Nothing to check: "alg": "none" means the token carries no signature (see the warning above).');
    }
    const publicKey = isPublicKeyAlg(alg);
    this.#publicKeyRow.hidden = !publicKey;
    this.#secretRow.hidden = publicKey;
    if (publicKey) return this.#checkPublicKey(String(alg), generation, edited);
    const minimum = typeof alg === 'string' ? MIN_KEY_BYTES[alg] : undefined;
    if (minimum === undefined) {
      return this.#setStatus('bad', `Cannot check here: "alg" is ${JSON.stringify(alg)}; this page checks HMAC tokens (HS256, HS384, HS512), whose key is one shared secret.`);
    }
    const key = this.#secretBytes();
    if (key === undefined) {
      this.#setStatus('', edited ? 'The payload changed, so the old signature no longer matches. Enter the secret to see the new one.' : 'Enter the secret to check the signature.');
      return;
    }
    if (key.length === 0) return this.#setStatus('bad', 'The secret is not valid base64url.');
    let mac: Uint8Array | undefined;
    try {
      mac = await hmac(alg, key, `${header}.${this.#editedPayload ?? payload}`);
    } catch (error) {
      return this.#setStatus('bad', `Cannot check the signature here: ${(error as Error).message}.`);
    }
    if (generation !== this.#generation || mac === undefined) return;
    const expected = base64urlEncode(mac);
    const matches = expected === signature;
    if (key.length < minimum) {
      // RFC 7518 §3.2. The library and the CLI refuse such a key; so does the page.
      return this.#setStatus(
        'bad',
        `✘ Weak secret: ${key.length} bytes, and ${alg} needs at least ${minimum} (RFC 7518 §3.2). Anyone holding one token can try millions of guesses a second, offline, until one reproduces the signature: a short or word-like secret (jwt.io's sample "your-256-bit-secret" is 19 bytes) falls quickly. ${matches ? 'It does reproduce this signature, but a verifier must refuse it.' : 'It does not reproduce this signature either.'}`,
      );
    }
    if (matches) this.#setStatus('ok', '✔ Signature verified: this secret made this signature.');
    else if (edited) this.#setStatus('bad', '✘ Invalid signature: the payload changed, so the signature no longer matches. Re-sign to make the one that would.', expected, signature);
    else this.#setStatus('bad', '✘ Invalid signature: this secret did not make this signature, or the token was changed after signing.', expected, signature);
  }

  /**
   * Fills the public key from this server's JWK Set (/.well-known/jwks.json),
   * the key whose `kid` the token names: what any service verifying this
   * server's tokens does. Quietly does nothing when the server has no such key,
   * unless asked by the button.
   */
  async #useServerKeys(asked: boolean): Promise<void> {
    const kid = this.#decoded?.header['kid'];
    let set: { keys?: Array<Record<string, unknown>> };
    try {
      const response = await fetch('/.well-known/jwks.json');
      set = (await response.json()) as { keys?: Array<Record<string, unknown>> };
      if (!response.ok) throw new Error(String((set as { msg?: unknown }).msg ?? response.status));
    } catch (error) {
      if (asked) this.#setStatus('bad', `This server has no public keys to offer: ${(error as Error).message}`);
      return;
    }
    const key = set.keys?.find((candidate) => candidate['kid'] === kid) ?? (typeof kid === 'string' ? undefined : set.keys?.[0]);
    if (key === undefined) {
      if (asked) this.#setStatus('bad', `This server's JWK Set has no key with "kid" ${JSON.stringify(kid)}: this token was not signed by this server.`);
      return;
    }
    this.#publicKey.value = JSON.stringify(key, null, 2);
    await this.#checkSignature();
  }

  /** RS/PS/ES/EdDSA: the pasted public key checks the signature with Web Crypto. */
  async #checkPublicKey(alg: string, generation: number, edited: boolean): Promise<void> {
    const decoded = this.#decoded;
    if (decoded === undefined) return;
    let keyText = this.#publicKey.value;
    if (keyText.trim() === '') {
      // A server that signs with a key pair publishes it: take it from there.
      if ((document.body.dataset['algorithm'] ?? 'HS256').startsWith('HS')) return this.#setStatus('', `Paste the signer's public key (PEM or JWK) to check this ${alg} signature.`);
      return this.#useServerKeys(false);
    }
    // A JWK Set: the token's kid picks the key, as a verifier does (RFC 7517 §5).
    if (/"keys"\s*:/.test(keyText)) {
      try {
        const set = JSON.parse(keyText) as { keys: Array<Record<string, unknown>> };
        const picked = set.keys.find((candidate) => candidate['kid'] === decoded.header['kid']) ?? (set.keys.length === 1 ? set.keys[0] : undefined);
        if (picked === undefined) return this.#setStatus('bad', `The JWK Set has no key with "kid" ${JSON.stringify(decoded.header['kid'])}.`);
        keyText = JSON.stringify(picked);
      } catch {
        return this.#setStatus('bad', 'The JWK Set is not valid JSON.');
      }
    }
    const [header, payload] = decoded.segments;
    const verdict = await verifyWithPublicKey(alg, keyText, `${header}.${this.#editedPayload ?? payload}`, decoded.signature);
    if (generation !== this.#generation) return;
    if (typeof verdict === 'string') return this.#setStatus('bad', verdict);
    if (verdict) return this.#setStatus('ok', '✔ Signature verified with the public key: the holder of the matching private key signed this token.');
    this.#setStatus('bad', edited ? '✘ Invalid signature: the payload changed, and only the private key could sign the new one.' : '✘ Invalid signature: this public key does not match the key that signed the token, or the token was changed.');
  }

  async #resign(): Promise<void> {
    if (isPublicKeyAlg(this.#decoded?.header['alg'])) {
      this.#setStatus('bad', 'Re-signing a public-key token needs the private key, which belongs only where tokens are signed, never in a web page.');
      return;
    }
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

  /** The signature verdict; with a mismatch, the signature this secret gives next to the token's, in monospace. */
  #setStatus(kind: '' | 'ok' | 'bad', text: string, expected?: string, actual?: string): void {
    this.#status.className = `status ${kind}`;
    if (expected === undefined || actual === undefined) {
      this.#status.textContent = text;
      return;
    }
    this.#status.replaceChildren(
      text,
      el(
        'span',
        { class: 'signatures' },
        el('span', {}, 'with this secret: '),
        el('code', { class: 'seg-signature', id: 'expected-signature' }, expected),
        el('span', {}, 'in the token: '),
        el('code', { class: 'bad-signature', id: 'token-signature' }, actual),
      ),
    );
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
  const date = new Date(value * 1000);
  if (Number.isNaN(date.getTime())) return `${text} (beyond any calendar date)`;
  const local = date.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short' });
  const delta = value - now;
  if (claim === 'exp') return `${local} (${delta > 0 ? `expires in ${humanDuration(delta)}` : `expired ${humanDuration(delta)} ago`})`;
  if (claim === 'nbf') return `${local} (${delta > 0 ? `not valid for another ${humanDuration(delta)}` : `valid since ${humanDuration(delta)} ago`})`;
  if (claim === 'fresh') return `until ${local} (${delta > 0 ? `fresh for another ${humanDuration(delta)}` : 'no longer fresh'})`;
  return `${local} (${delta > 0 ? `${humanDuration(delta)} in the future!` : `${humanDuration(delta)} ago`})`;
}
