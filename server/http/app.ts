/**
 * The request listener: parse the request line once, read the body with a size
 * cap, route, run the handler, and turn whatever it returns or throws into a
 * response. No request, however malformed, can take the process down: every
 * failure ends as a 4xx or a 500 JSON body, never an uncaught error.
 *
 * This layer knows nothing of JWTs: the JWT layer hands it an error handler
 * (jwt/responses.ts) that turns its exceptions into the callbacks' replies.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Context } from './context.js';
import { flaskJson, HttpError, json, type Reply } from './reply.js';
import type { Match, Router } from './router.js';

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

  /**
   * Routes the request and answers it. A handler that answers at once is
   * answered at once; only a promise is waited for (each await is a trip
   * through the microtask queue, and most requests need none).
   */
  function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const url = req.url ?? '/';
    const mark = url.indexOf('?');
    const path = mark === -1 ? url : url.slice(0, mark);
    const method = req.method ?? 'GET';
    const match = router.find(method, path);
    const ctx = new Context(req, path, mark === -1 ? '' : url.slice(mark + 1), match.kind === 'found' ? match.params : {}, body);
    if (match.kind !== 'found') {
      send(res, method, unrouted(match, method), ctx.setCookies);
      return;
    }
    let answer: Reply | Promise<Reply>;
    try {
      answer = match.handler(ctx);
    } catch (error) {
      answer = toReply(error, ctx);
    }
    if (!(answer instanceof Promise)) {
      send(res, method, answer, ctx.setCookies);
      return;
    }
    answer
      .then(
        (reply) => send(res, method, reply, ctx.setCookies),
        (error: unknown) => send(res, method, toReply(error, ctx), ctx.setCookies),
      )
      .catch((error: unknown) => fail(res, error));
  }

  /** A failure while writing the response itself (a bug): a 500 if nothing was sent yet. */
  function fail(res: ServerResponse, error: unknown): void {
    log(`response failed: ${String(error)}`);
    if (!res.headersSent) send(res, 'GET', json(500, { msg: 'Internal Server Error' }), []);
    else res.destroy();
  }

  /** Guarded so that a bug in handle's synchronous part is a 500, not an uncaught exception. */
  function handleSafely(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    try {
      handle(req, res, body);
    } catch (error) {
      fail(res, error);
    }
  }

  return function listener(req, res) {
    // No Content-Length and no Transfer-Encoding: HTTP/1.1 says there is no body
    // (RFC 9112 §6.3), so the request is handled at once, without waiting for one.
    // (Nothing to drain either: node:http finishes reading the request itself
    // once the response is sent; resuming it here made it read again, earlier.)
    if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) {
      handleSafely(req, res, EMPTY);
      return;
    }
    readBody(req, maxBodyBytes).then(
      (body) => {
        if (body === undefined) {
          send(res, req.method ?? 'GET', json(413, { msg: `Request body is larger than ${maxBodyBytes} bytes` }, { Connection: 'close' }), []);
          return;
        }
        handleSafely(req, res, body);
      },
      () => res.destroy(), // the client went away mid-body: nobody to answer
    );
  };
}

const EMPTY = Buffer.alloc(0);

/** No route for the path (404), or none for the method (405; Flask answers OPTIONS itself). */
function unrouted(match: Exclude<Match<Handler>, { kind: 'found' }>, method: string): Reply {
  if (match.kind === 'not-found') return json(404, { msg: 'Not Found' });
  const allow = match.allowed.join(', ');
  // Flask answers OPTIONS itself (`make_default_options_response`): 200, an
  // empty text/html body, and the route's methods with HEAD and OPTIONS in Allow.
  return method === 'OPTIONS'
    ? { status: 200, raw: { type: 'text/html; charset=utf-8', content: '' }, headers: { Allow: allow } }
    : json(405, { msg: 'Method Not Allowed' }, { Allow: allow });
}

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
  const headers: Record<string, string | string[]> = reply.headers === undefined ? {} : { ...reply.headers };
  let payload: string | Buffer = '';
  let length = 0;
  if (reply.raw !== undefined) {
    payload = reply.raw.content;
    length = Buffer.byteLength(payload);
    headers['Content-Type'] = reply.raw.type;
  } else if (reply.body !== undefined) {
    payload = `${flaskJson(reply.body)}\n`;
    length = payload.length; // flaskJson escapes everything beyond ASCII: one byte per character
    headers['Content-Type'] = 'application/json';
  }
  headers['Content-Length'] = String(length);
  if (cookies.length > 0) headers['Set-Cookie'] = [...cookies];
  res.writeHead(reply.status, headers);
  res.end(method === 'HEAD' ? undefined : payload);
}
