/**
 * The request `Context`: everything a handler knows about its request, parsed
 * lazily (query, cookies, JSON body), so a request that never looks pays nothing.
 */
import type { IncomingMessage } from 'node:http';
import { parseCookies } from './cookies.js';
import type { Params } from './router.js';

/** The parsed JSON body, parsed at most once per request. */
export type JsonBody =
  | { readonly kind: 'ok'; readonly value: unknown }
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'not-json' };

/**
 * Everything a handler knows about its request. Handlers and guards receive it
 * explicitly (where Flask uses its request-global `g`): explicit is easier to
 * read and test, and costs nothing, where AsyncLocalStorage would add a lookup
 * per access and hide where the state comes from.
 */
export class Context {
  readonly method: string;
  readonly path: string;
  readonly params: Params;
  readonly body: Buffer;
  /** Set-Cookie values to send with the response (cookie helpers append here). */
  readonly setCookies: string[] = [];
  /** Per-request state that guards attach (see context.ts). */
  state: unknown = undefined;
  readonly #req: IncomingMessage;
  readonly #search: string;
  #query: URLSearchParams | undefined;
  #cookies: Map<string, string> | undefined;
  #json: JsonBody | undefined;

  constructor(req: IncomingMessage, path: string, search: string, params: Params, body: Buffer) {
    this.#req = req;
    this.method = req.method ?? 'GET';
    this.path = path;
    this.#search = search;
    this.params = params;
    this.body = body;
  }

  /** The query string's parameters (parsed on first use: most requests never look). */
  get query(): URLSearchParams {
    this.#query ??= new URLSearchParams(this.#search);
    return this.#query;
  }

  /**
   * A request header, by case-insensitive name; the first one when it was sent
   * several times (as Werkzeug's `headers.get`). Node's `req.headers` would join
   * repeated headers with commas, so the raw list is searched instead.
   */
  header(name: string): string | undefined {
    const raw = this.#req.rawHeaders;
    const wanted = name.toLowerCase();
    for (let i = 0; i < raw.length; i += 2) {
      const field = raw[i];
      if (field !== undefined && field.length === wanted.length && field.toLowerCase() === wanted) return raw[i + 1];
    }
    return undefined;
  }

  /** The client's address, as the socket sees it (no X-Forwarded-For: a client could write anything there). */
  get clientAddress(): string {
    return this.#req.socket.remoteAddress ?? '';
  }

  /** The media type of the body, lower-cased, without parameters ("" when absent). */
  get contentType(): string {
    return (this.header('content-type') ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
  }

  /** Flask's `request.is_json`: application/json or any application/*+json. */
  get isJson(): boolean {
    const type = this.contentType;
    return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
  }

  cookies(): ReadonlyMap<string, string> {
    this.#cookies ??= parseCookies(this.header('cookie'));
    return this.#cookies;
  }

  /** The body parsed as JSON (strict UTF-8), if the request says it is JSON. */
  json(): JsonBody {
    this.#json ??= parseJsonBody(this);
    return this.#json;
  }

  /** Form fields of an application/x-www-form-urlencoded body. */
  form(): URLSearchParams {
    return this.contentType === 'application/x-www-form-urlencoded' ? new URLSearchParams(this.body.toString('utf8')) : new URLSearchParams();
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function parseJsonBody(ctx: Context): JsonBody {
  if (!ctx.isJson) return { kind: 'not-json' };
  try {
    return { kind: 'ok', value: JSON.parse(utf8.decode(ctx.body)) };
  } catch (error) {
    return { kind: 'invalid', message: error instanceof Error ? error.message : String(error) };
  }
}
