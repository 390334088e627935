/**
 * The file store's log on disk: one record per line, `<checksum> <json>\n`,
 * the checksum being the first 8 hex digits of the JSON text's SHA-256.
 *
 * Reading it back tells a crash from damage: a bad last record is what a crash
 * in the middle of a write leaves, so it is dropped (the file cut back to the
 * last good record) with a warning; a bad record anywhere else is damage, and
 * stops the start-up with a message saying where, rather than silently losing
 * what follows.
 */
import { createHash } from 'node:crypto';
import { readFileSync, truncateSync } from 'node:fs';
import { StoreSetupError } from './store.js';

export type LogRecord = { readonly [field: string]: unknown };

function checksum(json: string): string {
  return createHash('sha256').update(json).digest('hex').slice(0, 8);
}

/** One record as a line of the log. */
export function frame(record: LogRecord): string {
  const json = JSON.stringify(record);
  return `${checksum(json)} ${json}\n`;
}

/** Reads every record; a bad last one is cut off with a warning, a bad one elsewhere stops the start. */
export function readRecords(path: string, warnings: string[]): LogRecord[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new StoreSetupError(`cannot read ${path}: ${(error as Error).message}`);
  }
  const records: LogRecord[] = [];
  let offset = 0;
  let line = 0;
  while (offset < text.length) {
    line++;
    const newline = text.indexOf('\n', offset);
    const end = newline === -1 ? text.length : newline;
    const record = parseLine(text.slice(offset, end));
    if (record === undefined || newline === -1) {
      const last = newline === -1 || newline === text.length - 1;
      if (!last) {
        throw new StoreSetupError(
          `${path} is damaged at line ${line} (byte ${Buffer.byteLength(text.slice(0, offset))}): the record there does not match its checksum. ` +
            'The file store will not start rather than lose the records after it; restore the file from a backup, or move it away to start empty.',
        );
      }
      const at = Buffer.byteLength(text.slice(0, offset));
      warnings.push(`${path}: dropped a torn last record (line ${line}, ${Buffer.byteLength(text) - at} bytes), left by a crash in the middle of a write`);
      truncateSync(path, at);
      break;
    }
    records.push(record);
    offset = end + 1;
  }
  return records;
}

function parseLine(line: string): LogRecord | undefined {
  const space = line.indexOf(' ');
  if (space !== 8) return undefined;
  const json = line.slice(9);
  if (checksum(json) !== line.slice(0, 8)) return undefined;
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as LogRecord) : undefined;
  } catch {
    return undefined;
  }
}
