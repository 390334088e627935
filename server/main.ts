/**
 * `npm start`: the demo server. Configuration comes from environment variables
 * with flask_jwt_extended's names (JWT_SECRET_KEY, JWT_TOKEN_LOCATION, …), plus
 * PORT (default 5000), HOST (default 127.0.0.1), MAX_CONTENT_LENGTH (bytes,
 * default 65536), DATA_DIR (default ./data, where the development key is
 * kept) and VERIFY_CACHE_SIZE (verified tokens to remember; default 0, none). Any bad value stops the server before it listens, with one line that
 * names it.
 */
import { ConfigError, loadConfig } from './config.js';
import { createHttpServer } from './app.js';
import { createDemo } from './demo.js';
import { createResourceServer } from './resource.js';
import { loadOrCreateDevKey } from './devkey.js';
import { configFromEnv } from './env.js';

function fail(message: string): never {
  process.stderr.write(`plainjwt: ${message}\n`);
  process.exit(1);
}

function start(): void {
  const env = process.env;
  const port = Number(env['PORT'] ?? 5000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`PORT must be a port number, got ${JSON.stringify(env['PORT'])}`);
  const host = env['HOST'] ?? '127.0.0.1';
  const maxBodyBytes = Number(env['MAX_CONTENT_LENGTH'] ?? 65536);
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) fail('MAX_CONTENT_LENGTH must be a positive number of bytes');
  const verifyCacheSize = Number(env['VERIFY_CACHE_SIZE'] ?? 0);
  if (!Number.isSafeInteger(verifyCacheSize) || verifyCacheSize < 0) fail(`VERIFY_CACHE_SIZE must be a number of tokens (0: no cache), got ${JSON.stringify(env['VERIFY_CACHE_SIZE'])}`);

  let demo;
  try {
    const overrides = configFromEnv(env);
    const publicKeyAlgorithm = typeof overrides.JWT_ALGORITHM === 'string' && !overrides.JWT_ALGORITHM.startsWith('HS');
    if (!publicKeyAlgorithm && (overrides.JWT_SECRET_KEY === undefined || overrides.JWT_SECRET_KEY === null || overrides.JWT_SECRET_KEY === '')) {
      overrides.JWT_SECRET_KEY = developmentKey(env['DATA_DIR'] ?? 'data');
    }
    const config = loadConfig(overrides);
    demo = config.JWT_JWKS_URL === null ? createDemo({ config, maxBodyBytes, verifyCacheSize }) : createResourceServer(config, { maxBodyBytes });
    if (config.JWT_JWKS_URL !== null) process.stdout.write(`verify-only resource server: tokens are checked with the keys at ${config.JWT_JWKS_URL}\n`);
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

/** The kept development key, and a message saying where it is and how to use it. */
function developmentKey(directory: string): string {
  let dev;
  try {
    dev = loadOrCreateDevKey(directory);
  } catch (error) {
    fail(`JWT_SECRET_KEY is not set, and the development key cannot be kept: ${(error as Error).message}`);
  }
  process.stderr.write(
    `plainjwt: JWT_SECRET_KEY is not set; using the development key ${dev.created ? 'just created in' : 'kept in'} ${dev.path} (owner-only).\n` +
      `          For the CLI and the page's signature check:  export JWT_SECRET_KEY="$(cat ${dev.path})"\n` +
      '          In production, set JWT_SECRET_KEY to 64 random bytes of your own (npm run -s jwt -- keygen).\n',
  );
  return dev.key;
}

start();
