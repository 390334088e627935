/**
 * `npm run bench:http`: requests/s and latency of the demo's GET /protected with
 * a valid token, against a bare node:http server that returns the same JSON with
 * no auth at all (the floor), for each store: memory (also without the
 * verified-token cache, VERIFY_CACHE_SIZE=0), file, and Redis (a redis-server
 * started here, when installed) in one process and with WORKERS=2. Each server
 * runs in its own processes, new ones every round; every server runs once per
 * round, warmed up and then measured, in an order that rotates from round to
 * round. Where `taskset` exists, the servers (and Redis)
 * are pinned to one CPU and the load generator to the other, except WORKERS=2,
 * whose two workers may use both. The load comes from `wrk` when it is
 * installed, otherwise from bench/load.ts.
 *
 * Every round is also written to bench/results/http-<time>.json (or --json PATH),
 * so that runs can be pooled.
 *
 * With --side-by-side, each demo is instead loaded at the same time as a bare
 * server of its own, both on CPU 1, each by its own load generator on CPU 0:
 * the scheduler gives two busy processes on one CPU equal time, so the ratio
 * of the requests they serve in those same seconds is the ratio of their costs
 * per request, and a slow spell of the host slows both alike. Measured one
 * after the other, a demo and its floor are seconds apart, and this host's
 * speed changes by a third within seconds (docs/benchmarks.md).
 *
 * Flags: --quick, --rounds N, --seconds N, --warmup N (seconds of unmeasured load
 * before each measurement), --connections N, --only TEXT (the demo rows whose
 * name contains TEXT, and the bare server), --side-by-side, --no-wrk,
 * --json PATH, --markdown.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFlags } from './flags.js';
import { median, roundRatios } from './measure.js';
import { intervalText, machine, writeRounds } from './report.js';

const flags = parseFlags(
  {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    seconds: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    only: { type: 'string' },
    'side-by-side': { type: 'boolean', default: false },
    'no-wrk': { type: 'boolean', default: false },
    json: { type: 'string' },
    markdown: { type: 'boolean', default: false },
  },
  'bench:http [--quick] [--rounds N] [--seconds N] [--warmup N] [--connections N] [--only TEXT] [--side-by-side] [--no-wrk] [--json PATH] [--markdown]',
);
const rounds = Number(flags.rounds ?? (flags.quick ? 1 : 3));
const seconds = Number(flags.seconds ?? (flags.quick ? 2 : 5));
const warmup = Number(flags.warmup ?? (flags.quick ? 1 : 3));
const connections = Number(flags.connections ?? 16);
const sideBySide = flags['side-by-side'];

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));
const has = (command: string): boolean => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
const pin = has('taskset') && cpus().length >= 2;
const wrk = !flags['no-wrk'] && has('wrk');
if (sideBySide && !pin) {
  process.stderr.write('--side-by-side needs two CPUs and taskset (util-linux), to put both servers on one CPU and the load on the other\n');
  process.exit(2);
}
const pinned = (cpu: number, command: string, args: string[]): [string, string[]] => (pin ? ['taskset', ['-c', String(cpu), command, ...args]] : [command, args]);

/**
 * Resolves with the first match of `pattern` in the child's stdout. The output
 * is read to the end, not just to the match: a pipe closed after the first
 * line would make the child's next log line fail (EPIPE).
 */
function firstMatch(child: ChildProcess, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match !== null) resolve(match);
    });
    child.on('exit', () => reject(new Error(`${what} did not start:\n${output}`)));
  });
}

/**
 * Starts a server script; resolves with the process, its base URL once it
 * listens, and what it has written to stderr (where a crash during the run
 * would show).
 */
async function startServer(script: string, env: Record<string, string>, pinTo: number | undefined = 1): Promise<{ child: ChildProcess; base: string; stderr: () => string }> {
  const [command, args] = pinTo === undefined ? [process.execPath, [script]] : pinned(pinTo, process.execPath, [script]);
  const child = spawn(command, args, { env: { ...process.env, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [, base = ''] = await firstMatch(child, /listening on (http:\/\/[\d.]+:\d+)/, script);
  return { child, base, stderr: () => stderr };
}

interface Load {
  readonly requests: number;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  /** CPU time the server process used per request while it was measured, in µs (one pinned process only, on Linux). */
  cpu?: number;
}

function parseWrk(text: string): Load {
  const requests = Number(/(\d+) requests in/.exec(text)?.[1] ?? 0);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? 0);
  const ms = (label: string): number => {
    const match = new RegExp(`${label}%\\s+([\\d.]+)(us|ms|s)`).exec(text);
    if (match === null) return 0;
    const value = Number(match[1]);
    return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
  };
  const errors = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(text)?.[1] ?? 0);
  return { requests, rps, p50: ms('50'), p99: ms('99'), errors };
}

/** Loads `url` for `duration` seconds with `connections` keep-alive connections. */
async function load(url: string, token: string, duration: number): Promise<Load> {
  const header = `Authorization: Bearer ${token}`;
  const [command, args] = wrk
    ? pinned(0, 'wrk', ['-t1', `-c${connections}`, `-d${duration}s`, '--latency', '-H', header, url])
    : pinned(0, process.execPath, [here('./load.js'), url, String(connections), String(duration), header]);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await once(child, 'exit');
  return wrk ? parseWrk(output) : (JSON.parse(output) as Load);
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim()) || 100;

/** The CPU time (user and system) a process has used so far, in µs, from /proc (Linux); undefined elsewhere. */
function cpuMicros(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2, the command name, is in parentheses and may hold spaces: count from after it (field 3).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS; // fields 14 and 15: utime, stime
  } catch {
    return undefined;
  }
}

/**
 * The measured load on a server, with the CPU time its process used per
 * request. Only for a server that is one pinned process doing all of its work
 * (WORKERS=2 works in child processes, and Redis in its own).
 */
async function measured(server: Running, duration: number): Promise<Load> {
  const own = server.config.unpinned !== true && server.config.usesRedis !== true;
  const before = own ? cpuMicros(server.child.pid) : undefined;
  const result = await load(`${server.base}/protected`, server.token, duration);
  const after = cpuMicros(server.child.pid);
  if (before !== undefined && after !== undefined && result.requests > 0) result.cpu = (after - before) / result.requests;
  return result;
}

/** A free TCP port on 127.0.0.1. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

/** A throwaway redis-server (no persistence: this measures the server, not Redis's disk), or undefined without one. */
async function startRedis(): Promise<{ child: ChildProcess; url: string } | undefined> {
  if (!has('redis-server')) return undefined;
  const port = await freePort();
  const [command, args] = pinned(1, 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    await firstMatch(child, /Ready to accept connections/, 'redis-server');
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return undefined;
  }
  return { child, url: `redis://127.0.0.1:${port}` };
}

const started = Date.now();
const SECRET = 'bench-secret-bench-secret-bench-secret!!';

interface Config {
  readonly name: string;
  /** The demo's settings for round `round` (each round gets its own file directory and Redis prefix); undefined for the bare server. */
  readonly env?: (round: number) => Record<string, string>;
  /** Several processes (WORKERS=2) may use both CPUs. */
  readonly unpinned?: boolean;
  /** Uses the Redis server: another process does part of its work, so its cost is not the demo process's CPU time alone. */
  readonly usesRedis?: boolean;
}

// Set once the rows are chosen, before the first round: nothing is started for a run that --only refuses.
let redisUrl = '';
let dataDir = '';
const BARE = 'bare node:http (floor)';
const all: readonly Config[] = [
  { name: BARE },
  { name: 'demo, memory store (defaults)', env: () => ({ STORE_URL: 'memory:' }) },
  { name: 'demo, memory store, VERIFY_CACHE_SIZE=0 (no cache)', env: () => ({ STORE_URL: 'memory:', VERIFY_CACHE_SIZE: '0' }) },
  { name: 'demo, file store', env: (round) => ({ STORE_URL: `file:${join(dataDir, String(round))}` }) },
  { name: 'demo, Redis store', env: (round) => ({ STORE_URL: redisUrl, STORE_PREFIX: `bench${round}a:` }), usesRedis: true },
  { name: 'demo, Redis store, WORKERS=2 (both CPUs)', env: (round) => ({ STORE_URL: redisUrl, STORE_PREFIX: `bench${round}b:`, WORKERS: '2' }), unpinned: true, usesRedis: true },
];
// --only keeps the floor: every row is a ratio to it. Side by side, a demo
// shares CPU 1 with its floor half and half, which measures its cost only when
// all of the work is in its own, single process: not with Redis, not with WORKERS=2.
const alone = (config: Config): boolean => config.usesRedis !== true && config.unpinned !== true;
const eligible = all.slice(1).filter((config) => !sideBySide || alone(config));
const chosen = eligible.filter((config) => flags.only === undefined || config.name.includes(flags.only));
if (chosen.length === 0) {
  process.stderr.write(`--only ${flags.only ?? ''}: no row${sideBySide ? ' that can run side by side' : ''} contains it; the rows are:\n${eligible.map((config) => `  ${config.name}\n`).join('')}`);
  process.exit(2);
}
// A throwaway redis-server, only for rows that use one; without redis-server those rows are left out.
const redis = chosen.some((config) => config.usesRedis === true) ? await startRedis() : undefined;
if (redis === undefined && chosen.some((config) => config.usesRedis === true)) {
  process.stderr.write('redis-server is not installed (apt-get install redis-server): the Redis rows are left out\n');
}
redisUrl = redis?.url ?? '';
const configs: readonly Config[] = [all[0] ?? { name: BARE }, ...chosen.filter((config) => config.usesRedis !== true || redis !== undefined)];
if (configs.length === 1) process.exit(2);
dataDir = mkdtempSync(join(tmpdir(), 'plainjwt-bench-'));

interface Running {
  readonly config: Config;
  readonly child: ChildProcess;
  readonly base: string;
  readonly stderr: () => string;
  /** A token the server accepts (the bare server is sent another server's, so that its requests are the same size). */
  token: string;
}

const json = { 'Content-Type': 'application/json' };
const credentials = JSON.stringify({ username: 'bench', password: 'bench-password' });

/** Starts a server for `config`; a demo gets a user, and the token it issued is checked once. */
async function start(config: Config, round: number): Promise<Running> {
  if (config.env === undefined) return { config, ...(await startServer(here('./bare-server.js'), {})), token: '' };
  const server = await startServer(here('../server/main.js'), { JWT_SECRET_KEY: SECRET, ...config.env(round) }, config.unpinned === true ? undefined : 1);
  const running: Running = { config, ...server, token: '' };
  try {
    await fetch(`${server.base}/register`, { method: 'POST', headers: json, body: credentials });
    const login = (await (await fetch(`${server.base}/login`, { method: 'POST', headers: json, body: credentials })).json()) as { access_token: string };
    const check = await fetch(`${server.base}/protected`, { headers: { Authorization: `Bearer ${login.access_token}` } });
    if (check.status !== 200) throw new Error(`${config.name} refused the benchmark token: ${check.status}`);
    running.token = login.access_token;
    return running;
  } catch (error) {
    await stop(running);
    throw error;
  }
}

/** Stops a server and waits until it has exited (so that the next round starts on a quiet CPU). */
async function stop(running: Running): Promise<void> {
  if (running.child.exitCode !== null || running.child.signalCode !== null) return;
  const exited = once(running.child, 'exit');
  running.child.kill('SIGTERM');
  const timer = setTimeout(() => running.child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

const runs = new Map<string, Load[]>(configs.map((config): [string, Load[]] => [config.name, []]));
/** With --side-by-side: for each demo row, the load of the bare server that ran beside it, round by round. */
const partners = new Map<string, Load[]>(configs.map((config): [string, Load[]] => [config.name, []]));
const complaints: string[] = [];

/** Stops the servers of a round, noting any that complained on stderr during it. */
async function stopAll(servers: readonly Running[], round: number): Promise<void> {
  for (const server of servers) {
    // A server that complained during the run (a worker that died, a store
    // that stopped answering) did not measure what its row says: say so.
    // (Read before stopping it: it says goodbye on stderr.)
    const said = server.stderr().trim();
    if (said !== '') complaints.push(`warning: ${server.config.name} (round ${round}) wrote to stderr during the run:\n${said}\n`);
    await stop(server);
  }
}

/** --side-by-side: each demo with a new bare server beside it, warmed up together, measured together. */
async function sideBySideRound(round: number): Promise<void> {
  const demos = configs.filter((config) => config.env !== undefined);
  for (let i = 0; i < demos.length; i++) {
    const config = demos[(round - 1 + i) % demos.length];
    if (config === undefined) continue;
    process.stderr.write(`\rround ${round}/${rounds}: ${config.name.padEnd(60)}`);
    const servers: Running[] = [];
    try {
      const demo = await start(config, round);
      servers.push(demo);
      const bare = await start(configs[0] ?? { name: BARE }, round);
      servers.push(bare);
      bare.token = demo.token;
      if (warmup > 0) await Promise.all([load(`${demo.base}/protected`, demo.token, warmup), load(`${bare.base}/protected`, bare.token, warmup)]);
      const [demoLoad, bareLoad] = await Promise.all([measured(demo, seconds), measured(bare, seconds)]);
      runs.get(config.name)?.push(demoLoad);
      partners.get(config.name)?.push(bareLoad);
      runs.get(BARE)?.push(bareLoad);
    } finally {
      await stopAll(servers, round);
    }
  }
}

try {
  for (let round = 1; round <= rounds && sideBySide; round++) await sideBySideRound(round);
  for (let round = 1; round <= rounds && !sideBySide; round++) {
    // Every round starts new processes. Two processes of one server, warmed up
    // alike, can differ by a quarter for their whole life (a profile of a slow
    // one shows V8 taking slow paths inside Node's own stream code that a fast
    // one never takes), so a row measured on one process would measure its
    // luck: the median over rounds is a median over processes.
    const servers: Running[] = [];
    try {
      for (const config of configs) servers.push(await start(config, round));
      const sample = servers.find((server) => server.token !== '')?.token ?? '';
      for (const server of servers) if (server.token === '') server.token = sample;
      // The order rotates from round to round, so that no server always runs
      // first, or always right after the same one. Each is warmed up first: a
      // new process serves its first two seconds or so of requests at a
      // fraction of its speed, while V8 compiles the request path.
      for (let i = 0; i < servers.length; i++) {
        const next = servers[(round - 1 + i) % servers.length];
        if (next === undefined) continue;
        process.stderr.write(`\rround ${round}/${rounds}: ${next.config.name.padEnd(60)}`);
        if (warmup > 0) await load(`${next.base}/protected`, next.token, warmup);
        runs.get(next.config.name)?.push(await measured(next, seconds));
      }
    } finally {
      await stopAll(servers, round);
    }
  }
  process.stderr.write('\n');
  for (const complaint of complaints) process.stderr.write(complaint);

  // The server process's own CPU time per request (median over rounds): what
  // the ratios are ratios of, when the server is the bottleneck.
  const cpuCell = (list: readonly Load[]): string => {
    const values = list.flatMap((l) => (l.cpu === undefined ? [] : [l.cpu]));
    return values.length === 0 ? '—' : median(values).toFixed(1);
  };
  const summary = (name: string, list: Load[]): string[] => [
    name,
    Math.round(median(list.map((l) => l.rps))).toLocaleString('en-US'),
    median(list.map((l) => l.p50)).toFixed(2),
    median(list.map((l) => l.p99)).toFixed(2),
    cpuCell(list),
    String(list.reduce((sum, l) => sum + l.errors, 0)),
  ];
  // × bare: each round's ratio to the bare server's requests/s in the same round,
  // the median of those; next to it the lowest and highest round, and the 95%
  // confidence interval of the median (measure.ts), which says whether the
  // median can be trusted to the second decimal or only roughly.
  const bareRounds = { rounds: (runs.get(BARE) ?? []).map((l) => l.rps) };
  const ratiosOf = (name: string, list: readonly Load[]): number[] =>
    roundRatios({ rounds: list.map((l) => l.rps) }, sideBySide ? { rounds: (partners.get(name) ?? []).map((l) => l.rps) } : bareRounds);
  const rows = configs.map((config) => {
    const list = runs.get(config.name) ?? [];
    if (config.env === undefined) return [...summary(config.name, list), '1.00', '', ''];
    const ratios = ratiosOf(config.name, list);
    const range = `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`;
    return [...summary(`${config.name}: GET /protected`, list), median(ratios).toFixed(2), range, intervalText(ratios) ?? 'more rounds'];
  });
  const header = ['server', 'requests/s', 'p50 ms', 'p99 ms', 'CPU µs/req', 'errors', '× bare', 'rounds', '95% CI'];
  const setup = `${machine()}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}; ${wrk ? 'wrk' : 'bench/load.ts'}, ${connections} connections, ${rounds} rounds, each with new processes, each server warmed up for ${warmup} s then measured for ${seconds} s, rotating order${sideBySide ? ', each demo side by side with a bare server of its own on the same CPU (so each gets half of it)' : ''} (× bare: the median of each round's ratio; 95% CI: of that median, from 6 rounds); ${pin ? 'servers and Redis pinned to CPU 1 (WORKERS=2 not pinned), load to CPU 0 (taskset)' : 'not pinned (no taskset or one CPU)'}`;
  process.stdout.write(`${setup}\n\n`);
  if (flags.markdown) {
    process.stdout.write(`| ${header.join(' | ')} |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n${rows.map((row) => `| ${row.join(' | ')} |`).join('\n')}\n`);
  } else {
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
    for (const row of [header, ...rows]) process.stdout.write(`${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ')}\n`);
  }
  // Every round, each server's load and (for a demo) its ratio to the bare server's in the same
  // round; side by side, also the load of the bare server that ran beside it.
  const servers = configs.map((config) => {
    const list = runs.get(config.name) ?? [];
    if (config.env === undefined) return { name: config.name, rounds: list };
    return { name: config.name, rounds: list, ratios: ratiosOf(config.name, list), ...(sideBySide && { beside: partners.get(config.name) }) };
  });
  writeRounds('http', started, flags.json, { machine: setup, settings: { rounds, seconds, warmup, connections, wrk, pinned: pin }, servers });
} finally {
  if (redis !== undefined) redis.child.kill('SIGTERM');
  setTimeout(() => rmSync(dataDir, { recursive: true, force: true }), 500);
}
