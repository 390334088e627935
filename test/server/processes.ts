/**
 * `npm start`'s entry point run as a real process, for the tests that need one
 * (main.test.ts, resource.test.ts). Declarations only: Node runs every file
 * under dist/test/ as a test file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../server/main.js', import.meta.url));

/**
 * Starts server/main.js with `env` over the current environment (PORT 0 unless
 * given); collects its output. Unless `env` says where its data goes, each
 * process gets a fresh DATA_DIR (its file store and development key), removed
 * when it exits.
 */
export function runMain(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const own = env['DATA_DIR'] === undefined && env['STORE_URL'] === undefined ? mkdtempSync(join(tmpdir(), 'plainjwt-main-')) : undefined;
  const child = spawn(process.execPath, [MAIN], { env: { ...process.env, PORT: '0', ...(own === undefined ? {} : { DATA_DIR: own }), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  if (own !== undefined) child.on('exit', () => rmSync(own, { recursive: true, force: true }));
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

/** Waits (up to 5 s) until the output matches `pattern`. */
export async function waitFor(output: () => string, pattern: RegExp): Promise<RegExpExecArray> {
  for (let i = 0; i < 200; i++) {
    const match = pattern.exec(output());
    if (match !== null) return match;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${pattern}: ${output()}`);
}
