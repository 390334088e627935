/** Printing results: a plain table for the terminal, Markdown for the README. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { medianInterval, type Result } from './measure.js';

const format = (ops: number): string => (ops >= 1e6 ? `${(ops / 1e6).toFixed(2)} M` : `${Math.round(ops / 1000).toLocaleString('en-US')} k`);

/** An extra column: its title and its text for each result. */
export interface Column {
  readonly title: string;
  readonly value: (result: Result) => string;
}

/**
 * The spread of a result: (max - min) / median across its rounds. On a shared
 * machine another process can slow one round down; a spread this wide means the
 * ratios of that row move by about as much from run to run.
 */
export const TOO_WIDE = 0.25;

export function spread(result: Result): number {
  return result.median === 0 ? 0 : (result.max - result.min) / result.median;
}

const spreadCell = (r: Result): string => `${Math.round(spread(r) * 100)}%${spread(r) > TOO_WIDE ? ' !' : ''}`;

/** A warning to print under a table when any row's spread is too wide to trust, else an empty string. */
export function noiseWarning(results: readonly Result[]): string {
  const noisy = results.filter((r) => spread(r) > TOO_WIDE);
  if (noisy.length === 0) return `spread: every row within ${TOO_WIDE * 100}% (max - min over median): the ratios can be compared.`;
  const widest = Math.max(...noisy.map(spread));
  return (
    `warning: ${noisy.length} of ${results.length} rows spread over ${TOO_WIDE * 100}% (widest ${Math.round(widest * 100)}%, marked !): ` +
    'this machine was busy, and those figures are too noisy to trust. Run again with more rounds (or without --quick), on a quiet machine.'
  );
}

export function table(results: readonly Result[], extra?: Column): string {
  const rows = results.map((r) => [r.group, r.name, `${format(r.median)}/s`, `${format(r.min)}–${format(r.max)}`, spreadCell(r), r.microseconds.toFixed(2), r.ratio.toFixed(2), ...(extra ? [extra.value(r)] : [])]);
  const header = ['group', 'contestant', 'median ops', 'min–max', 'spread', 'µs/op', '× floor', ...(extra ? [extra.title] : [])];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, column) => (column >= 2 ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0))).join('  ');
  const out = [line(header), line(widths.map((width) => '-'.repeat(width)))];
  let previous = '';
  for (const [index, row] of rows.entries()) {
    const group = results[index]?.group ?? '';
    out.push(line(group === previous ? ['', ...row.slice(1)] : row));
    previous = group;
  }
  return out.join('\n');
}

export function markdown(results: readonly Result[], extra?: Column): string {
  const out = [
    `| group | contestant | median ops/s | min–max | spread | µs/op | × floor |${extra ? ` ${extra.title} |` : ''}`,
    `| --- | --- | ---: | ---: | ---: | ---: | ---: |${extra ? ' ---: |' : ''}`,
  ];
  let previous = '';
  for (const r of results) {
    out.push(`| ${r.group === previous ? '' : r.group} | ${r.name} | ${format(r.median)} | ${format(r.min)}–${format(r.max)} | ${spreadCell(r)} | ${r.microseconds.toFixed(2)} | ${r.ratio.toFixed(2)} |${extra ? ` ${extra.value(r)} |` : ''}`);
    previous = r.group;
  }
  return out.join('\n');
}

/** The 95% confidence interval of the median of `values` (measure.ts) as "low–high", or undefined below 6 values. */
export function intervalText(values: readonly number[]): string | undefined {
  const interval = medianInterval(values);
  return interval === undefined ? undefined : `${interval[0].toFixed(2)}–${interval[1].toFixed(2)}`;
}

/** One line about the machine, for the reader of a saved table. */
export function machine(): string {
  return `Node ${process.version}, ${process.platform}/${process.arch}`;
}

/**
 * Writes a run's every round as JSON, to `path` or to bench/results/<name>-<start
 * time>.json, and says where on stdout.
 */
export function writeRounds(name: string, started: number, path: string | undefined, data: unknown): void {
  const file = path ?? `bench/results/${name}-${new Date(started).toISOString().replace(/[:.]/g, '-')}.json`;
  mkdirSync(file.slice(0, Math.max(0, file.lastIndexOf('/'))) || '.', { recursive: true });
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  process.stdout.write(`\nevery round: ${file}\n`);
}
