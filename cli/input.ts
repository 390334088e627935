/**
 * Where the CLI's inputs come from: the token (argument or stdin), the key
 * (--key text or --key-file bytes, written as utf8, base64url or hex), and a
 * UsageError for anything missing or malformed, which main.ts answers with the
 * usage and exit code 2.
 */
import { readFileSync } from 'node:fs';
import { decodeBase64Url, parseDuration as parseDurationText } from '../lib/index.js';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The token from the argument, or else from stdin; surrounding whitespace is trimmed. */
export async function readToken(argument: string | undefined): Promise<string> {
  const token = (argument ?? (await readStdin('token'))).trim();
  if (token === '') throw new UsageError('the token is empty');
  return token;
}

export async function readStdin(what: string): Promise<string> {
  if (process.stdin.isTTY === true) throw new UsageError(`no ${what}: pass it as an argument or on stdin`);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export const KEY_OPTIONS = {
  key: { type: 'string' },
  'key-file': { type: 'string' },
  'key-encoding': { type: 'string', default: 'utf8' },
  'insecure-short-key': { type: 'boolean', default: false },
} as const;

export interface KeyValues {
  readonly key?: string | undefined;
  readonly 'key-file'?: string | undefined;
  readonly 'key-encoding'?: string | undefined;
}

/**
 * The key bytes. --key is text; --key-file is the file's bytes as they are, or
 * its text decoded when --key-encoding is base64url or hex (the RFC 7515
 * example key is published in base64url, for instance).
 */
export function readKey(values: KeyValues): Uint8Array {
  const encoding = values['key-encoding'] ?? 'utf8';
  if (!['utf8', 'base64url', 'hex'].includes(encoding)) throw new UsageError(`--key-encoding must be utf8, base64url or hex, not ${JSON.stringify(encoding)}`);
  if ((values.key === undefined) === (values['key-file'] === undefined)) throw new UsageError('give the key with exactly one of --key or --key-file');
  if (values.key !== undefined) return decodeKeyText(values.key, encoding);
  let bytes: Buffer;
  try {
    bytes = readFileSync(values['key-file'] ?? '');
  } catch (error) {
    throw new UsageError(`cannot read the key file: ${(error as Error).message}`);
  }
  return encoding === 'utf8' ? bytes : decodeKeyText(bytes.toString('utf8'), encoding);
}

function decodeKeyText(text: string, encoding: string): Uint8Array {
  if (encoding === 'utf8') return Buffer.from(text, 'utf8');
  const trimmed = text.trim();
  if (encoding === 'hex') {
    if (!/^([0-9a-fA-F]{2})*$/.test(trimmed)) throw new UsageError('the key is not valid hex (pairs of 0-9, a-f)');
    return Buffer.from(trimmed, 'hex');
  }
  try {
    return decodeBase64Url(trimmed);
  } catch (error) {
    throw new UsageError(`the key is not valid base64url: ${(error as Error).message}`);
  }
}

/** A duration: a number of seconds, or a number with s, m, h or d ("15m"). */
export function parseDuration(text: string, option: string): number {
  const seconds = parseDurationText(text);
  if (seconds === undefined) throw new UsageError(`${option} must be a duration such as 90, 90s, 15m, 12h or 30d`);
  return seconds;
}

/** --now SECONDS, or the real clock. */
export function readNow(text: string | undefined): number {
  if (text === undefined) return Date.now() / 1000;
  const now = Number(text);
  if (text.trim() === '' || !Number.isFinite(now)) throw new UsageError('--now must be a number of seconds since 1970');
  return now;
}
