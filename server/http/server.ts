/**
 * The node:http server, with the limits a small JSON API needs against slow or
 * broken clients: header and request timeouts enforced to within a second,
 * and 400/408/431 answers to requests that never become requests.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

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
