/**
 * The guided tour: the whole login → protected call → refresh → logout cycle
 * against this server, one step at a time, each showing the exact request and
 * response and what it teaches. A cookie variant shows the CSRF double submit
 * when the server reads tokens from cookies.
 */
import { el, byId } from './dom.js';
import type { Inspector } from './inspector.js';

interface Request {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly json?: unknown;
}

interface Step {
  readonly title: string;
  readonly concept: string;
  request(): Request;
  /** What happened, given the response; may keep tokens for later steps. */
  explain(status: number, body: Record<string, unknown>): string;
  /** Tokens from the response worth inspecting, by label. */
  tokens?(body: Record<string, unknown>): Array<[string, string]>;
}

interface State {
  username: string;
  password: string;
  access: string;
  refresh: string;
  refreshed: string;
  /** The rotation chapter's tokens: the first refresh token of the session, and the latest pair. */
  firstRefresh: string;
  latestRefresh: string;
  latestAccess: string;
}

const bearer = (token: string): Record<string, string> => ({ Authorization: `Bearer ${token}` });
const json = { 'Content-Type': 'application/json' };

function mainSteps(state: State): Step[] {
  const credentials = (): Request => ({ method: 'POST', path: '/login', headers: json, json: { username: state.username, password: state.password } });
  return [
    {
      title: 'Register a user',
      concept: 'flask_jwt_extended does not store users: the application does (here, in the server\'s store, with scrypt password hashes).',
      request: () => ({ ...credentials(), path: '/register' }),
      explain: (status) => (status === 201 ? 'The server stored the user. No token yet: a token is what you get for proving who you are.' : 'The user exists already; the tour carries on with it.'),
    },
    {
      title: 'Log in',
      concept: 'create_access_token(identity, fresh=True) and create_refresh_token(identity)',
      request: credentials,
      explain: (status, body) => {
        state.access = String(body['access_token'] ?? '');
        state.refresh = String(body['refresh_token'] ?? '');
        return status === 200
          ? 'Two tokens: a short-lived access token (15 minutes) for calling the API, marked "fresh": true because it comes straight from a password, and a long-lived refresh token (30 days) that can only buy new access tokens. Inspect them: same header, different "type" and "exp".'
          : 'The login failed.';
      },
      tokens: (body) => [['access token', String(body['access_token'] ?? '')], ['refresh token', String(body['refresh_token'] ?? '')]],
    },
    ...(publicKeyServer()
      ? [
          {
            title: "Fetch the server's public key",
            concept: 'beyond flask_jwt_extended: a JWK Set (RFC 7517) at /.well-known/jwks.json',
            request: (): Request => ({ method: 'GET', path: '/.well-known/jwks.json', headers: {} }),
            explain: (): string =>
              `This server signs with ${document.body.dataset['algorithm'] ?? ''}: its private key signs, and this public key verifies. Anyone may fetch it, so anyone can verify; only the server can sign. The "kid" here is the "kid" in the tokens' header. Inspect the access token: the page checks its signature with this key, in your browser.`,
            tokens: (): Array<[string, string]> => [['access token (checked with the public key)', state.access]],
          },
        ]
      : []),
    {
      title: 'Call a protected route',
      concept: '@jwt_required(): the token goes in the Authorization header as "Bearer <token>"',
      request: () => ({ method: 'GET', path: '/protected', headers: bearer(state.access) }),
      explain: () => 'The server checked the signature with its secret, then exp, nbf and the token type, looked the jti up in the blocklist and loaded the user. The identity comes from the "sub" claim.',
    },
    {
      title: 'Call a route that needs a fresh token',
      concept: '@jwt_required(fresh=True): for sensitive actions, only a token that comes straight from a password',
      request: () => ({ method: 'POST', path: '/fresh', headers: bearer(state.access) }),
      explain: () => 'Accepted: this access token is fresh.',
    },
    {
      title: 'Refresh the access token',
      concept: '@jwt_required(refresh=True), then create_access_token(identity, fresh=False)',
      request: () => ({ method: 'POST', path: '/refresh', headers: bearer(state.refresh) }),
      explain: (status, body) => {
        state.refreshed = String(body['access_token'] ?? '');
        return status === 200
          ? 'A new access token, without typing the password again. It is not fresh: inspect it and compare "fresh": false here with "fresh": true in the first one.'
          : 'The refresh failed.';
      },
      tokens: (body) => [['new access token', String(body['access_token'] ?? '')]],
    },
    {
      title: 'The fresh-only route with the refreshed token',
      concept: 'needs_fresh_token_loader: 401 "Fresh token required"',
      request: () => ({ method: 'POST', path: '/fresh', headers: bearer(state.refreshed) }),
      explain: () => 'Refused: a refreshed token proves the user logged in once, not that they are here now. The client should ask for the password again.',
    },
    {
      title: 'Log out: revoke the access token',
      concept: 'token_in_blocklist_loader: the token\'s jti goes on a blocklist until it would have expired',
      request: () => ({ method: 'DELETE', path: '/logout', headers: bearer(state.access) }),
      explain: () =>
        'A JWT cannot be "deleted": it stays valid, signature and all, until its exp, unless the server remembers that it was revoked. So the server puts its id (jti) on a blocklist, and checks every token against it.',
    },
    {
      title: 'Call the protected route again',
      concept: 'revoked_token_loader: 401 "Token has been revoked"',
      request: () => ({ method: 'GET', path: '/protected', headers: bearer(state.access) }),
      explain: () => 'The signature is still valid and the token has not expired, but the blocklist says it was revoked. Logged out? Not yet: see the next step.',
    },
    {
      title: 'The refresh token still works',
      concept: 'revoking one token revokes only that token',
      request: () => ({ method: 'POST', path: '/refresh', headers: bearer(state.refresh) }),
      explain: (status) =>
        status === 200
          ? 'The refresh token is a token of its own, valid for 30 days, and it has just bought a new access token. Whoever holds it is still logged in. flask_jwt_extended\'s documentation therefore recommends revoking the refresh token at logout too.'
          : rotation()
            ? 'Refused: this server runs with refresh-token rotation, where logging out ends the whole session, so the refresh token went with the access token. With flask_jwt_extended\'s behaviour (rotation off) it would still work: see the rotation chapter below.'
            : 'The refresh was refused.',
      tokens: (body) => [['access token bought after "logout"', String(body['access_token'] ?? '')]],
    },
    {
      title: 'Revoke the refresh token too',
      concept: 'DELETE /logout with the refresh token: jwt_required(verify_type=False) accepts either type',
      request: () => ({ method: 'DELETE', path: '/logout', headers: bearer(state.refresh) }),
      explain: (status) =>
        status === 200
          ? 'Now the refresh token is on the blocklist as well. A real client revokes every token it holds at logout (the access token the refresh token just bought included), then forgets them.'
          : 'Already revoked, with its session, by the first logout.',
    },
    {
      title: 'Try to refresh again',
      concept: 'revoked_token_loader, for the refresh token',
      request: () => ({ method: 'POST', path: '/refresh', headers: bearer(state.refresh) }),
      explain: () => 'Refused: no new access tokens for this login. This is what logging out means with JWTs: every token of the session revoked, each remembered by the server until it would have expired. That is the end of the tour.',
    },
  ];
}

/**
 * The rotation chapter (JWT_REFRESH_TOKEN_ROTATION): every refresh returns a
 * new refresh token and consumes the old one, so a stolen copy is caught the
 * moment it is used after its owner used it, or the other way round.
 */
function rotationSteps(state: State): Step[] {
  const refreshWith = (token: () => string) => (): Request => ({ method: 'POST', path: '/refresh', headers: bearer(token()) });
  const keep = (body: Record<string, unknown>): void => {
    if (typeof body['refresh_token'] === 'string') state.latestRefresh = body['refresh_token'];
    if (typeof body['access_token'] === 'string') state.latestAccess = body['access_token'];
  };
  return [
    {
      title: 'Register (rotation chapter)',
      concept: 'a user of its own, for a session of its own',
      request: () => ({ method: 'POST', path: '/register', headers: json, json: { username: `${state.username}-r`, password: state.password } }),
      explain: (status) => (status === 201 ? 'User created.' : 'The user exists already.'),
    },
    {
      title: 'Log in: a session starts',
      concept: 'beyond flask_jwt_extended: each login is a session, and its tokens carry its id as "sid"',
      request: () => ({ method: 'POST', path: '/login', headers: json, json: { username: `${state.username}-r`, password: state.password } }),
      explain: (_status, body) => {
        keep(body);
        state.firstRefresh = state.latestRefresh;
        return 'Inspect the refresh token: besides "jti" it has "sid", the session. The server remembers one thing per session: which refresh token is its current one.';
      },
      tokens: (body) => [['first refresh token', String(body['refresh_token'] ?? '')]],
    },
    {
      title: 'Refresh: a new refresh token too',
      concept: 'rotation (RFC 9700 §4.14.2): the refresh token is used up, and its successor comes with the new access token',
      request: refreshWith(() => state.latestRefresh),
      explain: (_status, body) => {
        keep(body);
        return 'Two tokens back, not one. The refresh token just presented is now spent: its successor (another "jti", the same "sid") is the only one that works.';
      },
      tokens: (body) => [['second refresh token', String(body['refresh_token'] ?? '')]],
    },
    {
      title: 'Refresh again with the successor',
      concept: 'the chain goes on: each refresh token is good for exactly one refresh',
      request: refreshWith(() => state.latestRefresh),
      explain: (_status, body) => {
        keep(body);
        return 'A third refresh token. A client that keeps the latest one and forgets the others never notices rotation.';
      },
    },
    {
      title: 'Replay the first refresh token',
      concept: 'reuse detection: a spent refresh token that comes back revokes the whole session',
      request: refreshWith(() => state.firstRefresh),
      explain: () =>
        'Refused, and more than refused. Someone presented a refresh token that was already used: either a thief with a stolen copy, or the user after the thief. The server cannot tell which, so it ends the session: every token carrying this "sid". (The token used just before the current one gets a few seconds\' grace, for two tabs refreshing at once; older ones never do.)',
    },
    {
      title: 'The latest refresh token is refused too',
      concept: 'the whole family revoked: thief and user both have to log in again',
      request: refreshWith(() => state.latestRefresh),
      explain: () =>
        'The newest refresh token, perfectly valid a moment ago, is refused: "Token has been revoked". So is the newest access token. Without rotation a stolen refresh token works quietly for 30 days; with it, the theft shows the first time both parties use the token, and costs the thief the session. That is why refresh tokens rotate.',
    },
  ];
}

/** Whether the server rotates refresh tokens (a data attribute of the page). */
function rotation(): boolean {
  return document.body.dataset['rotation'] === 'true';
}

/** Whether this server signs with a key pair (the page learns its algorithm from a data attribute). */
function publicKeyServer(): boolean {
  return !(document.body.dataset['algorithm'] ?? 'HS256').startsWith('HS');
}

function csrfCookie(): string {
  const match = /(?:^|;\s*)csrf_access_token=([^;]*)/.exec(document.cookie);
  return decodeURIComponent(match?.[1] ?? '');
}

function cookieSteps(state: State): Step[] {
  return [
    {
      title: 'Register (cookie variant)',
      concept: 'the same user store',
      request: () => ({ method: 'POST', path: '/register', headers: json, json: { username: state.username, password: state.password } }),
      explain: (status) => (status === 201 ? 'User created.' : 'The user exists already.'),
    },
    {
      title: 'Log in with cookies',
      concept: 'set_access_cookies() and set_refresh_cookies(): the JWT in an HttpOnly cookie, its csrf claim in a readable one',
      request: () => ({ method: 'POST', path: '/login/cookies', headers: json, json: { username: state.username, password: state.password } }),
      explain: () =>
        `The browser stored the cookies; scripts cannot see Set-Cookie headers, nor the HttpOnly JWT cookies. What this page can read: document.cookie = "${document.cookie}". The csrf_access_token value equals the "csrf" claim inside the JWT cookie.`,
    },
    {
      title: 'A state-changing request with the cookie alone',
      concept: 'CSRF protection: POST, PUT, PATCH and DELETE need the double submit',
      request: () => ({ method: 'POST', path: '/fresh', headers: {} }),
      explain: () => 'Refused with "Missing CSRF token": the browser sent the cookie by itself, as it would for a request forged by another site. Such a site cannot read our cookies to copy the value into a header.',
    },
    {
      title: 'The same request with X-CSRF-TOKEN',
      concept: 'the double submit: the csrf cookie value, sent again in the X-CSRF-TOKEN header',
      request: () => ({ method: 'POST', path: '/fresh', headers: { 'X-CSRF-TOKEN': csrfCookie() } }),
      explain: () => 'Accepted: the header matches the "csrf" claim of the JWT in the cookie, which only a page of this site could have read.',
    },
    {
      title: 'Log out (cookies)',
      concept: 'unset_jwt_cookies(): every cookie expires',
      request: () => ({ method: 'POST', path: '/logout/cookies', headers: {} }),
      explain: () =>
        `The server told the browser to drop all four cookies; document.cookie is now "${document.cookie}". Note what did not happen: unset_jwt_cookies() only deletes cookies. The JWTs themselves stay valid until they expire, and a copy taken earlier still works, unless the server also remembers them as revoked (DELETE /logout, as in the main tour).`,
    },
  ];
}

/** One sequence of steps, advanced by one button, shown in its own list. */
interface Track {
  readonly button: HTMLButtonElement;
  readonly list: HTMLElement;
  /** Requests of this track carry cookies, which the request view then shows. */
  readonly cookies: boolean;
  steps: Step[];
  position: number;
  readonly first: string;
  readonly next: (title: string) => string;
  readonly done: string;
}

export class Tour {
  readonly #inspector: Inspector;
  readonly #reset = byId<HTMLButtonElement>('tour-reset');
  readonly #main: Track;
  readonly #cookies: Track;
  readonly #rotation: Track;
  #state: State = freshState();

  constructor(inspector: Inspector, locations: readonly string[]) {
    this.#inspector = inspector;
    this.#main = { button: byId<HTMLButtonElement>('tour-next'), list: byId('tour-steps'), cookies: false, steps: [], position: 0, first: 'Start the tour', next: (title) => `Next step: ${title}`, done: 'Tour complete' };
    this.#cookies = { button: byId<HTMLButtonElement>('cookie-next'), list: byId('cookie-steps'), cookies: true, steps: [], position: 0, first: 'Cookie variant: first step', next: (title) => `Cookie variant: ${title}`, done: 'Cookie variant complete' };
    this.#rotation = { button: byId<HTMLButtonElement>('rotation-next'), list: byId('rotation-steps'), cookies: false, steps: [], position: 0, first: 'Rotation chapter: first step', next: (title) => `Rotation chapter: ${title}`, done: 'Rotation chapter complete' };
    this.#main.button.addEventListener('click', () => void this.#advance(this.#main));
    this.#cookies.button.addEventListener('click', () => void this.#advance(this.#cookies));
    this.#rotation.button.addEventListener('click', () => void this.#advance(this.#rotation));
    this.#reset.addEventListener('click', () => this.reset());
    byId('cookie-tour').hidden = !locations.includes('cookies');
    byId('rotation-off').hidden = rotation();
    this.reset();
  }

  reset(): void {
    this.#state = freshState();
    this.#main.steps = mainSteps(this.#state);
    this.#cookies.steps = cookieSteps(this.#state);
    this.#rotation.steps = rotationSteps(this.#state);
    for (const track of [this.#main, this.#cookies, this.#rotation]) {
      track.position = 0;
      track.button.disabled = track === this.#rotation && !rotation();
      track.button.textContent = track.first;
      track.list.replaceChildren();
    }
    // Nothing to start over before anything started.
    this.#reset.hidden = true;
  }

  /** Runs the track's next step; the button is disabled while it runs and says what comes next. */
  async #advance(track: Track): Promise<void> {
    const step = track.steps[track.position++];
    if (step === undefined) return;
    track.button.disabled = true;
    this.#reset.hidden = false;
    await this.#run(step, track);
    const following = track.steps[track.position];
    track.button.disabled = following === undefined;
    track.button.textContent = following === undefined ? track.done : track.next(following.title);
  }

  async #run(step: Step, track: Track): Promise<void> {
    const request = step.request();
    // The browser adds the cookies itself; this page can show only the readable ones.
    const cookieLine = track.cookies ? `\nCookie: ${document.cookie === '' ? '' : `${document.cookie}; `}(+ the HttpOnly JWT cookies, which the browser sends and this page cannot read)` : '';
    const body = request.json === undefined ? undefined : JSON.stringify(request.json);
    let status = 0;
    let responseText = '';
    let parsed: Record<string, unknown> = {};
    let responseView: string;
    try {
      const response = await fetch(request.path, { method: request.method, headers: request.headers, credentials: 'same-origin', ...(body === undefined ? {} : { body }) });
      status = response.status;
      responseText = await response.text();
      try {
        parsed = JSON.parse(responseText) as Record<string, unknown>;
      } catch {
        parsed = {};
      }
      const headers = [...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n');
      responseView = `HTTP/1.1 ${status} ${response.statusText}\n${headers}\n\n${responseText}`;
    } catch (error) {
      responseView = `The request failed: ${(error as Error).message}`;
    }
    const headerLines = Object.entries(request.headers).map(([name, value]) => `\n${name}: ${value}`).join('');
    const requestView = `${request.method} ${request.path} HTTP/1.1${headerLines}${cookieLine}${body === undefined ? '' : `\n\n${body}`}`;
    const card = el(
      'li',
      { class: 'tour-step' },
      el('h3', {}, step.title),
      el('p', { class: 'concept' }, step.concept),
      el(
        'div',
        { class: 'exchange' },
        el('div', {}, el('h4', {}, 'Request'), el('pre', { class: 'request', tabindex: '0' }, requestView)),
        el('div', {}, el('h4', {}, 'Response ', el('span', { class: `http-status ${status >= 200 && status < 300 ? 'ok' : 'bad'}` }, String(status))), el('pre', { class: 'response', tabindex: '0' }, responseView)),
      ),
      el('p', { class: 'explanation' }, step.explain(status, parsed)),
    );
    for (const [label, token] of step.tokens?.(parsed) ?? []) {
      if (token === '') continue;
      const button = el('button', { type: 'button' }, `Inspect the ${label}`);
      button.addEventListener('click', () => this.#inspector.show(token));
      card.append(button, ' ');
    }
    track.list.append(card);
    // The new step comes into view; the next action is sticky (style.css), so it stays where the learner reads.
    card.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
  }
}

function freshState(): State {
  const random = crypto.getRandomValues(new Uint32Array(2));
  return { username: `learner-${random[0]?.toString(36) ?? '0'}`, password: `pw-${random[1]?.toString(36) ?? '0'}-${Date.now()}`, access: '', refresh: '', refreshed: '', firstRefresh: '', latestRefresh: '', latestAccess: '' };
}
