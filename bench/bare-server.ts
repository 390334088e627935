/**
 * The HTTP floor: a bare node:http server answering every request with the same
 * JSON as the demo's GET /protected, and no auth at all. Prints its port.
 */
import { createServer } from 'node:http';

const body = '{"logged_in_as":"alice"}\n';
const server = createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(body);
});
server.keepAliveTimeout = 5_000;
server.listen(Number(process.env['PORT'] ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening on http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
