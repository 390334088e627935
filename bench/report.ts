/** Printing results: a plain table for the terminal, Markdown for the README. */
import type { Result } from './measure.js';

const format = (ops: number): string => (ops >= 1e6 ? `${(ops / 1e6).toFixed(2)} M` : `${Math.round(ops / 1000).toLocaleString('en-US')} k`);

/** An extra column: its title and its text for each result. */
export interface Column {
  readonly title: string;
  readonly value: (result: Result) => string;
}

export function table(results: readonly Result[], extra?: Column): string {
  const rows = results.map((r) => [r.group, r.name, `${format(r.median)}/s`, `${format(r.min)}–${format(r.max)}`, r.microseconds.toFixed(2), r.ratio.toFixed(2), ...(extra ? [extra.value(r)] : [])]);
  const header = ['group', 'contestant', 'median ops', 'min–max', 'µs/op', '× floor', ...(extra ? [extra.title] : [])];
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
    `| group | contestant | median ops/s | min–max | µs/op | × floor |${extra ? ` ${extra.title} |` : ''}`,
    `| --- | --- | ---: | ---: | ---: | ---: |${extra ? ' ---: |' : ''}`,
  ];
  let previous = '';
  for (const r of results) {
    out.push(`| ${r.group === previous ? '' : r.group} | ${r.name} | ${format(r.median)} | ${format(r.min)}–${format(r.max)} | ${r.microseconds.toFixed(2)} | ${r.ratio.toFixed(2)} |${extra ? ` ${extra.value(r)} |` : ''}`);
    previous = r.group;
  }
  return out.join('\n');
}

/** One line about the machine, for the reader of a saved table. */
export function machine(): string {
  return `Node ${process.version}, ${process.platform}/${process.arch}`;
}
