/**
 * `npm run bench:http`: requests/s and latency of the demo's GET /protected with
 * a valid token, against a bare node:http server that returns the same JSON with
 * no auth at all (the floor). Each server runs in its own process; runs
 * alternate (bare, demo, bare, demo, …). Where `taskset` exists, the servers are
 * pinned to one CPU and the load generator to the other. The load comes from
 * `wrk` when it is installed, otherwise from bench/load.ts.
 *
 * Flags: --quick, --rounds N, --seconds N, --connections N, --no-wrk, --markdown.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from './measure.js';
import { machine } from './report.js';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    seconds: { type: 'string' },
    connections: { type: 'string' },
    'no-wrk': { type: 'boolean', default: false },
    markdown: { type: 'boolean', default: false },
  },
});
const rounds = Number(flags.rounds ?? (flags.quick ? 1 : 3));
const seconds = Number(flags.seconds ?? (flags.quick ? 2 : 5));
const connections = Number(flags.connections ?? 16);

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));
const has = (command: string): boolean => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
const pin = has('taskset') && cpus().length >= 2;
const wrk = !flags['no-wrk'] && has('wrk');
const pinned = (cpu: number, command: string, args: string[]): [string, string[]] => (pin ? ['taskset', ['-c', String(cpu), command, ...args]] : [command, args]);

/** Starts a server script; resolves with the process and its base URL once it listens. */
async function startServer(script: string, env: Record<string, string>): Promise<{ child: ChildProcess; base: string }> {
  const [command, args] = pinned(1, process.execPath, [script]);
  const child = spawn(command, args, { env: { ...process.env, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'ignore'] });
  let output = '';
  for await (const chunk of child.stdout ?? []) {
    output += String(chunk);
    const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(output);
    if (match?.[1] !== undefined) return { child, base: match[1] };
  }
  throw new Error(`${script} did not start`);
}

interface Load {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

function parseWrk(text: string): Load {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? 0);
  const ms = (label: string): number => {
    const match = new RegExp(`${label}%\\s+([\\d.]+)(us|ms|s)`).exec(text);
    if (match === null) return 0;
    const value = Number(match[1]);
    return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
  };
  const errors = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(text)?.[1] ?? 0);
  return { rps, p50: ms('50'), p99: ms('99'), errors };
}

async function load(url: string, token: string): Promise<Load> {
  const header = `Authorization: Bearer ${token}`;
  const [command, args] = wrk
    ? pinned(0, 'wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-H', header, url])
    : pinned(0, process.execPath, [here('./load.js'), url, String(connections), String(seconds), header]);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await once(child, 'exit');
  return wrk ? parseWrk(output) : (JSON.parse(output) as Load);
}

const demo = await startServer(here('../server/main.js'), { JWT_SECRET_KEY: 'bench-secret-bench-secret-bench-secret!!' });
const bare = await startServer(here('./bare-server.js'), {});
try {
  const json = { 'Content-Type': 'application/json' };
  const credentials = JSON.stringify({ username: 'bench', password: 'bench-password' });
  await fetch(`${demo.base}/register`, { method: 'POST', headers: json, body: credentials });
  const login = (await (await fetch(`${demo.base}/login`, { method: 'POST', headers: json, body: credentials })).json()) as { access_token: string };
  const token = login.access_token;
  const check = await fetch(`${demo.base}/protected`, { headers: { Authorization: `Bearer ${token}` } });
  if (check.status !== 200) throw new Error(`the demo refused the benchmark token: ${check.status}`);

  const runs: { bare: Load[]; demo: Load[] } = { bare: [], demo: [] };
  for (let round = 1; round <= rounds; round++) {
    process.stderr.write(`\rround ${round}/${rounds}: bare server   `);
    runs.bare.push(await load(`${bare.base}/protected`, token));
    process.stderr.write(`\rround ${round}/${rounds}: demo /protected`);
    runs.demo.push(await load(`${demo.base}/protected`, token));
  }
  process.stderr.write('\n');

  const summary = (name: string, list: Load[]): string[] => [
    name,
    Math.round(median(list.map((l) => l.rps))).toLocaleString('en-US'),
    median(list.map((l) => l.p50)).toFixed(2),
    median(list.map((l) => l.p99)).toFixed(2),
    String(list.reduce((sum, l) => sum + l.errors, 0)),
  ];
  const bareRps = median(runs.bare.map((l) => l.rps));
  const demoRps = median(runs.demo.map((l) => l.rps));
  const rows = [summary('bare node:http (floor)', runs.bare), summary('demo GET /protected (HS256 verify)', runs.demo)];
  const header = ['server', 'requests/s', 'p50 ms', 'p99 ms', 'errors'];
  const setup = `${machine()}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}; ${wrk ? 'wrk' : 'bench/load.ts'}, ${connections} connections, ${rounds} × ${seconds} s per server, alternating; ${pin ? 'servers pinned to CPU 1, load to CPU 0 (taskset)' : 'not pinned (no taskset or one CPU)'}`;
  process.stdout.write(`${setup}\n\n`);
  if (flags.markdown) {
    process.stdout.write(`| ${header.join(' | ')} |\n| --- | ---: | ---: | ---: | ---: |\n${rows.map((row) => `| ${row.join(' | ')} |`).join('\n')}\n`);
  } else {
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
    for (const row of [header, ...rows]) process.stdout.write(`${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ')}\n`);
  }
  process.stdout.write(`\nprotected / bare requests/s: ${(demoRps / bareRps).toFixed(2)}\n`);
} finally {
  demo.child.kill('SIGTERM');
  bare.child.kill('SIGTERM');
}
