/**
 * A real redis-server for the tests, on a free port with its own temporary
 * directory, stopped (and the directory removed) when done. Durable as a
 * deployment should configure it (appendonly, fsync on every write), so a
 * Redis killed and started again still holds the revocations.
 *
 * Without redis-server the Redis tests are skipped with the install command,
 * except in CI (CI=true), where they fail: they must never skip there.
 * Declarations only: Node runs every file under dist/test/ as a test file.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BINARY = process.env['REDIS_SERVER'] ?? 'redis-server';
const INSTALL = 'apt-get install -y redis-server';

/** Whether redis-server can run here; undefined when it can, else the reason (with the install command). */
export function redisMissing(): string | undefined {
  const probe = spawnSync(BINARY, ['--version'], { encoding: 'utf8' });
  if (probe.status === 0) return undefined;
  const reason = `redis-server is not installed (${INSTALL})`;
  if (process.env['CI'] !== undefined && process.env['CI'] !== '' && process.env['CI'] !== 'false') {
    throw new Error(`${reason}: the Redis tests must not be skipped in CI`);
  }
  return reason;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** SIGKILL: gone at once, as in a crash. */
  kill(): Promise<void>;
  /** Starts it again on the same port and directory (after kill). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedis(extra: readonly string[] = []): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'plainjwt-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', ...extra];
  const launch = async (): Promise<void> => {
    const started = spawn(BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    let output = '';
    started.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    for (let i = 0; i < 200; i++) {
      if (output.includes('Ready to accept connections')) return;
      if (started.exitCode !== null) throw new Error(`redis-server exited: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`redis-server did not start: ${output}`);
  };
  const halt = async (signal: NodeJS.Signals): Promise<void> => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(signal);
    await exited;
  };
  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill: () => halt('SIGKILL'),
    start: launch,
    stop: async () => {
      await halt('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
