/**
 * `npm start`: the demo server, wired from the top down: settings (from the
 * environment) → the store → manager and routes → the HTTP server, in one
 * process or, with WORKERS=N, in N worker processes sharing one port
 * (node:cluster) and one Redis.
 *
 * The JWT settings have flask_jwt_extended's names (jwt/settings.ts); the
 * server's own (PORT, HOST, STORE_URL, WORKERS, …) are in demo/settings.ts.
 * Any bad value stops the server before it listens, with one line that names it.
 */
import cluster from 'node:cluster';
import { createDemo } from './demo/routes.js';
import { loadOrCreateDevKey } from './demo/devkey.js';
import { createResourceServer } from './demo/resource.js';
import { serverConfigFromEnv, type ServerConfig } from './demo/settings.js';
import { createHttpServer } from './http/server.js';
import { ConfigError, configFromEnv, loadConfig, type JwtConfig } from './jwt/index.js';
import { openStore } from './stores/open.js';
import { StoreSetupError, type Store } from './stores/store.js';

// Log lines are best effort: when the terminal or the pipe that reads them goes
// away, writing to it fails (EPIPE), and that must lose the line, not the server.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

function fail(message: string): never {
  process.stderr.write(`plainjwt: ${message}\n`);
  process.exit(1);
}

/** Settings and configuration, or a one-line exit. */
function configure(): { settings: ServerConfig; config: JwtConfig; storeUrl: string } {
  try {
    const settings = serverConfigFromEnv(process.env);
    const storeUrl = settings.STORE_URL ?? `file:${settings.DATA_DIR}`;
    if (settings.WORKERS > 1 && !/^rediss?:\/\//.test(storeUrl)) {
      throw new ConfigError('WORKERS', `WORKERS=${settings.WORKERS} needs a store every worker shares: set STORE_URL=redis://host:6379 (the ${storeUrl.split(':')[0] ?? ''} store is for one process)`);
    }
    const overrides = configFromEnv(process.env);
    const publicKeyAlgorithm = typeof overrides.JWT_ALGORITHM === 'string' && !overrides.JWT_ALGORITHM.startsWith('HS');
    if (!publicKeyAlgorithm && (overrides.JWT_SECRET_KEY === undefined || overrides.JWT_SECRET_KEY === null || overrides.JWT_SECRET_KEY === '')) {
      // Kept with the file store's data, so tokens outlive a restart; elsewhere in DATA_DIR.
      overrides.JWT_SECRET_KEY = developmentKey(storeUrl.startsWith('file:') && !storeUrl.startsWith('file://') ? storeUrl.slice(5) : settings.DATA_DIR);
    }
    return { settings, config: loadConfig(overrides), storeUrl };
  } catch (error) {
    if (error instanceof ConfigError) fail(`configuration error: ${error.message}`);
    throw error;
  }
}

async function start(): Promise<void> {
  const { settings, config, storeUrl } = configure();
  if (cluster.isPrimary && settings.WORKERS > 1) return supervise(settings.WORKERS, storeUrl);
  const { PORT: port, HOST: host, MAX_CONTENT_LENGTH: maxBodyBytes, VERIFY_CACHE_SIZE: verifyCacheSize } = settings;

  let store: Store | undefined;
  let listener;
  try {
    if (config.JWT_JWKS_URL === null) {
      store = await open(storeUrl, settings);
      const rotation = settings.JWT_REFRESH_TOKEN_ROTATION ? { rotation: { grace: settings.JWT_REFRESH_REUSE_GRACE } } : {};
      listener = createDemo({ config, store, maxBodyBytes, verifyCacheSize, ...rotation }).listener;
    } else {
      listener = createResourceServer(config, { maxBodyBytes }).listener;
      process.stdout.write(`verify-only resource server: tokens are checked with the keys at ${config.JWT_JWKS_URL}\n`);
    }
  } catch (error) {
    // The keys are tried at start-up (jwt/keyring.ts): a weak or mismatched key stops here.
    if (error instanceof ConfigError) fail(`configuration error: ${error.message}`);
    throw error;
  }
  const server = createHttpServer(listener);
  server.on('error', (error) => fail(`cannot listen on ${host}:${port}: ${error.message}`));
  server.listen(port, host, () => {
    const address = server.address();
    const actual = typeof address === 'object' && address !== null ? address.port : port;
    process.stdout.write(`plainjwt demo server listening on http://${host}:${actual}${cluster.isWorker ? ` (worker ${process.pid})` : ''}\n`);
    if (!cluster.isWorker) process.stdout.write(`open http://${host}:${actual}/ for the token inspector and the guided tour\n`);
  });

  // Graceful shutdown: stop accepting, let in-flight requests finish, close the store, then exit.
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    if (!cluster.isWorker) process.stderr.write(`plainjwt: ${signal} received, shutting down\n`);
    server.close(() => {
      void (store?.close() ?? Promise.resolve()).finally(() => process.exit(0));
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** Opens the store (a one-line exit when it cannot be), and says what survives what. */
async function open(url: string, settings: ServerConfig): Promise<Store> {
  let store: Store;
  try {
    store = await openStore(url, { prefix: settings.STORE_PREFIX, timeoutMs: settings.STORE_TIMEOUT_MS });
  } catch (error) {
    if (error instanceof StoreSetupError) fail(`store error: ${error.message}`);
    throw error;
  }
  if (!cluster.isWorker) process.stdout.write(`store: ${store.description}\n`);
  try {
    await store.ping();
  } catch (error) {
    process.stderr.write(`plainjwt: the store does not answer yet (${(error as Error).message}); requests that need it answer 503 until it does\n`);
  }
  return store;
}

/**
 * WORKERS=N: N workers share the port; a signal stops them all. A worker that
 * dies before it listens could not start (the port is taken, say): replacing
 * it would fail the same way forever, so everything stops with exit code 1,
 * as one process would. One that dies later is replaced at once; if the
 * replacements die within a minute too, each waits twice as long as the last
 * (1 s, 2 s … 60 s), so a crash loop cannot spin the CPU.
 */
function supervise(count: number, storeUrl: string): void {
  const where = new URL(storeUrl);
  where.username = '';
  where.password = ''; // never print the Redis password
  process.stdout.write(`plainjwt: starting ${count} workers\nstore: the Redis store at ${where.href}, shared by the ${count} workers\n`);
  let stopping = false;
  let quickDeaths = 0;
  const listeningSince = new Map<number, number>();
  cluster.on('listening', (worker) => listeningSince.set(worker.id, Date.now()));
  for (let i = 0; i < count; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    const since = listeningSince.get(worker.id);
    listeningSince.delete(worker.id);
    if (stopping) return;
    const how = `worker ${worker.process.pid ?? '?'} exited (${signal ?? code})`;
    if (since === undefined) {
      process.stderr.write(`plainjwt: ${how} before it could listen; stopping\n`);
      stop('SIGTERM', 1);
      return;
    }
    quickDeaths = Date.now() - since < 60_000 ? quickDeaths + 1 : 0;
    const delay = quickDeaths < 2 ? 0 : Math.min(1000 * 2 ** (quickDeaths - 2), 60_000);
    process.stderr.write(`plainjwt: ${how}; starting another${delay > 0 ? ` in ${delay / 1000} s` : ''}\n`);
    setTimeout(() => stopping || cluster.fork(), delay);
  });
  /** Stops every worker with `signal`, then exits with `code` (1: a worker could not start). */
  function stop(signal: NodeJS.Signals, code = 0): void {
    if (stopping) return;
    stopping = true;
    process.exitCode = code;
    if (code === 0) process.stderr.write(`plainjwt: ${signal} received, shutting down ${count} workers\n`);
    const workers = Object.values(cluster.workers ?? {});
    for (const worker of workers) if (worker?.isDead() === false) worker.process.kill(signal);
    const exitWhenDone = (): void => {
      if (workers.every((worker) => worker === undefined || worker.isDead())) process.exit();
    };
    cluster.on('exit', exitWhenDone);
    exitWhenDone();
    setTimeout(() => process.exit(), 6000).unref();
  }
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
  if (!cluster.isWorker) {
    process.stderr.write(
      `plainjwt: JWT_SECRET_KEY is not set; using the development key ${dev.created ? 'just created in' : 'kept in'} ${dev.path} (owner-only).\n` +
        `          For the CLI and the page's signature check:  export JWT_SECRET_KEY="$(cat ${dev.path})"\n` +
        '          In production, set JWT_SECRET_KEY to 64 random bytes of your own (npm run -s jwt -- keygen).\n',
    );
  }
  return dev.key;
}

await start();
