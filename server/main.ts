/**
 * `npm start`: the demo server. Configuration comes from environment variables
 * with flask_jwt_extended's names (JWT_SECRET_KEY, JWT_TOKEN_LOCATION, …), plus
 * PORT (default 5000), HOST (default 127.0.0.1) and MAX_CONTENT_LENGTH (bytes,
 * default 65536). A bad value stops the server before it listens.
 */
import { randomBytes } from 'node:crypto';
import { createHttpServer } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { configFromEnv } from './env.js';
import { createDemo } from './demo.js';

function fail(message: string): never {
  process.stderr.write(`plainjwt: ${message}\n`);
  process.exit(1);
}

function start(): void {
  const env = process.env;
  const overrides = configFromEnv(env);
  if (overrides.JWT_SECRET_KEY === undefined || overrides.JWT_SECRET_KEY === null) {
    overrides.JWT_SECRET_KEY = randomBytes(32).toString('base64url');
    process.stderr.write(
      'plainjwt: JWT_SECRET_KEY is not set; using a random 32-byte key for this run.\n' +
        '          Tokens will not survive a restart. Set JWT_SECRET_KEY (32+ random bytes) to keep them.\n',
    );
  }
  const port = Number(env['PORT'] ?? 5000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`PORT must be a port number, got ${JSON.stringify(env['PORT'])}`);
  const host = env['HOST'] ?? '127.0.0.1';
  const maxBodyBytes = Number(env['MAX_CONTENT_LENGTH'] ?? 65536);
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) fail('MAX_CONTENT_LENGTH must be a positive number of bytes');

  let demo;
  try {
    demo = createDemo({ config: loadConfig(overrides), maxBodyBytes });
  } catch (error) {
    if (error instanceof ConfigError) fail(`configuration error: ${error.message}`);
    throw error;
  }
  const server = createHttpServer(demo.listener);
  server.on('error', (error) => fail(`cannot listen on ${host}:${port}: ${error.message}`));
  server.listen(port, host, () => {
    const address = server.address();
    const actual = typeof address === 'object' && address !== null ? address.port : port;
    process.stdout.write(`plainjwt demo server listening on http://${host}:${actual}\n`);
    process.stdout.write(`open http://${host}:${actual}/ for the token inspector and the guided tour\n`);
  });

  // Graceful shutdown: stop accepting, let in-flight requests finish, then exit.
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`plainjwt: ${signal} received, shutting down\n`);
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

start();
