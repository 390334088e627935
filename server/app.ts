/**
 * The HTTP layer on node:http: parse the request line once, read the body with
 * a size cap, route, run the handler, and turn whatever it returns or throws
 * into a JSON response. No request, however malformed, can take the process
 * down: every failure ends as a 4xx or a 500 JSON body, never an uncaught error.
 *
 * Responses are JSON as Flask's `jsonify` writes it (sorted keys, non-ASCII
 * escaped, a trailing newline), so byte-level comparisons with a Flask app hold.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { parseCookies } from './cookies.js';
import { Router, type Params } from './router.js';

/** What a handler returns: a JSON `body`, or a `raw` body of a given content type (the demo page). */
export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly raw?: { readonly type: string; readonly content: string | Buffer };
  readonly headers?: Readonly<Record<string, string>>;
}

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
    for (let i = 0; i < raw.length; i += 2) {
      if (raw[i]?.length === name.length && raw[i]?.toLowerCase() === name.toLowerCase()) return raw[i + 1];
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

export type Handler = (ctx: Context) => Reply | Promise<Reply>;

/** Turns an error into a response, or returns undefined to leave it to the next handler (in the end, a 500). */
export type ErrorHandler = (error: unknown, ctx: Context) => Reply | undefined;

export interface AppOptions {
  /** Largest request body accepted, in bytes (Flask's MAX_CONTENT_LENGTH). Default 64 KiB. */
  readonly maxBodyBytes?: number;
  readonly errorHandlers?: readonly ErrorHandler[];
  /** Where unexpected errors are reported. Default: stderr. */
  readonly log?: (message: string) => void;
}

/** Replies that handlers and the app itself use. */
export function json(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return headers === undefined ? { status, body } : { status, body, headers };
}

/** An error a handler throws to answer with a given status and `msg`. */
export class HttpError extends Error {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(status: number, message: string, headers?: Record<string, string>) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.headers = headers;
  }
}

/** Builds the request listener for `router`. */
export function createApp(router: Router<Handler>, options: AppOptions = {}): (req: IncomingMessage, res: ServerResponse) => void {
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  const errorHandlers = options.errorHandlers ?? [];
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));

  function toReply(error: unknown, ctx: Context): Reply {
    if (error instanceof HttpError) return { status: error.status, body: { msg: error.message }, ...(error.headers && { headers: error.headers }) };
    for (const handle of errorHandlers) {
      const reply = handle(error, ctx);
      if (reply !== undefined) return reply;
    }
    // A bug, not a client error: log it for the operator, tell the client nothing more.
    log(`500 on ${ctx.method} ${ctx.path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return json(500, { msg: 'Internal Server Error' });
  }

  async function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const url = req.url ?? '/';
    const mark = url.indexOf('?');
    const path = mark === -1 ? url : url.slice(0, mark);
    const method = req.method ?? 'GET';
    const match = router.find(method, path);
    const ctx = new Context(req, path, mark === -1 ? '' : url.slice(mark + 1), match.kind === 'found' ? match.params : {}, body);
    let reply: Reply;
    if (match.kind === 'found') {
      try {
        reply = await match.handler(ctx);
      } catch (error) {
        reply = toReply(error, ctx);
      }
    } else if (match.kind === 'method-not-allowed') {
      const allow = match.allowed.join(', ');
      // Flask answers OPTIONS itself (`make_default_options_response`): 200, an
      // empty text/html body, and the route's methods with HEAD and OPTIONS in Allow.
      reply =
        method === 'OPTIONS'
          ? { status: 200, raw: { type: 'text/html; charset=utf-8', content: '' }, headers: { Allow: allow } }
          : json(405, { msg: 'Method Not Allowed' }, { Allow: allow });
    } else {
      reply = json(404, { msg: 'Not Found' });
    }
    send(res, method, reply, ctx.setCookies);
  }

  const fail = (res: ServerResponse) => (error: unknown): void => {
    log(`response failed: ${String(error)}`);
    if (!res.headersSent) send(res, 'GET', json(500, { msg: 'Internal Server Error' }), []);
    else res.destroy();
  };

  return function listener(req, res) {
    // No Content-Length and no Transfer-Encoding: HTTP/1.1 says there is no body
    // (RFC 9112 §6.3), so the request is handled at once, without waiting for one.
    if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) {
      req.resume();
      handle(req, res, EMPTY).catch(fail(res));
      return;
    }
    readBody(req, maxBodyBytes).then(
      (body) => {
        if (body === undefined) {
          send(res, req.method ?? 'GET', json(413, { msg: `Request body is larger than ${maxBodyBytes} bytes` }, { Connection: 'close' }), []);
          return;
        }
        handle(req, res, body).catch(fail(res));
      },
      () => res.destroy(), // the client went away mid-body: nobody to answer
    );
  };
}

const EMPTY = Buffer.alloc(0);

/** Reads the whole body, or resolves undefined as soon as it exceeds `limit`. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume(); // drain what comes, without keeping it
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        req.removeAllListeners('data');
        req.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks, size)));
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('request aborted')));
  });
}

/** Writes a reply as Flask's jsonify would: compact, sorted keys, ASCII only, trailing newline. */
function send(res: ServerResponse, method: string, reply: Reply, cookies: readonly string[]): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string | string[]> = { ...reply.headers };
  let payload: string | Buffer = '';
  if (reply.raw !== undefined) {
    payload = reply.raw.content;
    headers['Content-Type'] = reply.raw.type;
  } else if (reply.body !== undefined) {
    payload = `${flaskJson(reply.body)}\n`;
    headers['Content-Type'] = 'application/json';
  }
  headers['Content-Length'] = String(Buffer.byteLength(payload));
  if (cookies.length > 0) headers['Set-Cookie'] = [...cookies];
  res.writeHead(reply.status, headers);
  res.end(method === 'HEAD' ? undefined : payload);
}

/** JSON with sorted object keys and non-ASCII escaped (Python's json.dumps with sort_keys and ensure_ascii). */
export function flaskJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)).replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  return sorted;
}

export interface ServerTimeouts {
  /** Seconds a client has to send the request line and headers. Default 10. */
  readonly headers?: number;
  /** Seconds a client has to send the whole request, body included. Default 30. */
  readonly request?: number;
}

/**
 * Starts an HTTP server for `listener` with timeouts suited to a small JSON API.
 * Node checks them only every `connectionsCheckingInterval` (30 s by default,
 * so a 10 s limit really meant up to 40 s): checking twice a second makes them
 * hold to within a second.
 */
export function createHttpServer(listener: (req: IncomingMessage, res: ServerResponse) => void, timeouts: ServerTimeouts = {}): Server {
  const headersTimeout = (timeouts.headers ?? 10) * 1000;
  const requestTimeout = Math.max((timeouts.request ?? 30) * 1000, headersTimeout);
  const server = createServer({ requestTimeout, headersTimeout, connectionsCheckingInterval: Math.min(500, headersTimeout) }, listener);
  server.keepAliveTimeout = 5_000;
  // A malformed request line or oversized headers: answer 400/431 and close; a
  // client too slow with its headers or body: 408 (RFC 9110 §15.5.9). Never throw.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const status =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? '431 Request Header Fields Too Large'
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? '408 Request Timeout'
          : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    return undefined;
  });
  return server;
}
