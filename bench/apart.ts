/**
 * Each group measured in a process of its own: the bench script runs itself
 * again with `--group NAME` for every group and collects the results. In one
 * process, what ran before shapes what runs next (the JIT's feedback, the
 * heap): jose's async sign group left plainjwt's verify 3–5% slower next to
 * fast-jwt than the same group measured alone, so a row depended on which
 * other groups were chosen with --only (docs/benchmarks.md). A new process per
 * group makes every row the same whatever else runs.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { keepAlive, measureGroup, type Group, type Result, type Settings } from './measure.js';

/** The flag a child is given: the name of the one group it measures. */
export const GROUP_FLAG = { group: { type: 'string' } } as const;

/**
 * In a child (`name` given): measures that group, writes its results as JSON
 * on stdout and exits. In the parent (`name` undefined) it returns at once.
 */
export async function measureIfChild(groups: readonly Group[], name: string | undefined, settings: Settings): Promise<void> {
  if (name === undefined) return;
  const group = groups.find((candidate) => candidate.name === name);
  if (group === undefined) throw new Error(`no group named ${name}`);
  const label = process.env['BENCH_PROGRESS'] ?? '';
  const results = await measureGroup(group, settings, (round) => process.stderr.write(`\r${label} ${group.name}: round ${round}/${settings.rounds}    `));
  keepAlive();
  // Exit only once the output has been handed over: a pipe may be asynchronous.
  await new Promise<void>((resolve) => process.stdout.write(`${JSON.stringify(results)}\n`, () => resolve()));
  process.exit(0);
}

/** In the parent: every group measured by a new process running `script` with --group. */
export async function measureApart(script: string, groups: readonly Group[], settings: Settings): Promise<Result[]> {
  const results: Result[] = [];
  for (const [index, group] of groups.entries()) {
    const child = spawn(process.execPath, [script, '--group', group.name, '--rounds', String(settings.rounds), '--ms', String(settings.ms)], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, BENCH_PROGRESS: `[${index + 1}/${groups.length}]` },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // A child that stops for good must not stop the run with it (one did, before
    // lib/keypairs.ts worked around a deadlock in Node 20): four times the time
    // its rounds should take, and a minute to start, then it is killed.
    const limit = 60_000 + 4 * group.contestants.length * (settings.rounds + 1) * settings.ms;
    const timer = setTimeout(() => child.kill('SIGKILL'), limit);
    // 'close', not 'exit': the output may still be arriving when the process has exited.
    const [code, signal] = (await once(child, 'close')) as [number | null, string | null];
    clearTimeout(timer);
    if (signal === 'SIGKILL') throw new Error(`measuring ${group.name} took over ${Math.round(limit / 1000)} s: the process was stopped`);
    if (code !== 0) throw new Error(`measuring ${group.name} failed (exit ${String(code)})`);
    results.push(...(JSON.parse(output) as Result[]));
  }
  return results;
}
