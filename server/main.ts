/**
 * `npm start`: the demo server, wired from the top down: settings (from the
 * environment) → stores → manager and routes → the HTTP server.
 *
 * The JWT settings have flask_jwt_extended's names (jwt/settings.ts); the
 * server's own (PORT, HOST, MAX_CONTENT_LENGTH, DATA_DIR, VERIFY_CACHE_SIZE)
 * are in demo/settings.ts. Any bad value stops the server before it listens,
 * with one line that names it.
 */
import { createDemo } from './demo/routes.js';
import { loadOrCreateDevKey } from './demo/devkey.js';
import { createResourceServer } from './demo/resource.js';
import { serverConfigFromEnv } from './demo/settings.js';
import { createHttpServer } from './http/server.js';
import { ConfigError, configFromEnv, loadConfig } from './jwt/index.js';

function fail(message: string): never {
  process.stderr.write(`plainjwt: ${message}\n`);
  process.exit(1);
}

function start(): void {
  const env = process.env;
  let demo;
  let settings;
  try {
    settings = serverConfigFromEnv(env);
    const { MAX_CONTENT_LENGTH: maxBodyBytes, VERIFY_CACHE_SIZE: verifyCacheSize } = settings;
    const overrides = configFromEnv(env);
    const publicKeyAlgorithm = typeof overrides.JWT_ALGORITHM === 'string' && !overrides.JWT_ALGORITHM.startsWith('HS');
    if (!publicKeyAlgorithm && (overrides.JWT_SECRET_KEY === undefined || overrides.JWT_SECRET_KEY === null || overrides.JWT_SECRET_KEY === '')) {
      overrides.JWT_SECRET_KEY = developmentKey(settings.DATA_DIR);
    }
    const config = loadConfig(overrides);
    demo = config.JWT_JWKS_URL === null ? createDemo({ config, maxBodyBytes, verifyCacheSize }) : createResourceServer(config, { maxBodyBytes });
    if (config.JWT_JWKS_URL !== null) process.stdout.write(`verify-only resource server: tokens are checked with the keys at ${config.JWT_JWKS_URL}\n`);
  } catch (error) {
    if (error instanceof ConfigError) fail(`configuration error: ${error.message}`);
    throw error;
  }
  const { PORT: port, HOST: host } = settings;
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
