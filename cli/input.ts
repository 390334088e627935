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
  'key-encoding': { type: 'string', default: 'text' },
  'insecure-short-key': { type: 'boolean', default: false },
} as const;

export interface KeyValues {
  readonly key?: string | undefined;
  readonly 'key-file'?: string | undefined;
  readonly 'key-encoding'?: string | undefined;
}

const ENCODINGS = ['text', 'utf8', 'base64url', 'hex'] as const;

/**
 * The key bytes. One story everywhere: a key is the text as written (the
 * server's JWT_SECRET_KEY, `jwt keygen`'s output, `--key`), MACed as its UTF-8
 * bytes: --key-encoding text, the default (utf8 is the same). --key-encoding
 * base64url or hex reads the text as the encoding of raw bytes instead (the RFC
 * 7515 example key is published in base64url, for instance). --key-file gives
 * the file's bytes as they are, or decodes its text with those encodings.
 */
export function readKey(values: KeyValues): Uint8Array {
  const encoding = values['key-encoding'] ?? 'text';
  if (!(ENCODINGS as readonly string[]).includes(encoding)) throw new UsageError(`--key-encoding must be text, base64url or hex, not ${JSON.stringify(encoding)}`);
  if ((values.key === undefined) === (values['key-file'] === undefined)) throw new UsageError('give the key with exactly one of --key or --key-file');
  if (values.key !== undefined) return decodeKeyText(values.key, encoding);
  return fileKey(readKeyFile(values['key-file'] ?? ''), encoding);
}

/** A key file's bytes as they are (text), or its text decoded (base64url, hex). */
function fileKey(bytes: Buffer, encoding: string): Uint8Array {
  return encoding === 'text' || encoding === 'utf8' ? bytes : decodeKeyText(bytes.toString('utf8'), encoding);
}

/** The key, read with each --key-encoding other than the one given, where it can be read so. */
export interface KeyReading {
  readonly encoding: string;
  readonly key: Uint8Array;
}

export function otherKeyReadings(values: KeyValues): KeyReading[] {
  const given = values['key-encoding'] === 'utf8' ? 'text' : (values['key-encoding'] ?? 'text');
  const file = values['key-file'] === undefined ? undefined : readKeyFile(values['key-file']);
  const readings: KeyReading[] = [];
  for (const encoding of ['text', 'base64url', 'hex']) {
    if (encoding === given) continue;
    try {
      readings.push({ encoding, key: file === undefined ? decodeKeyText(values.key ?? '', encoding) : fileKey(file, encoding) });
    } catch {
      // not readable that way: no hint to give
    }
  }
  return readings;
}

function readKeyFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new UsageError(`cannot read the key file: ${(error as Error).message}`);
  }
}

function decodeKeyText(text: string, encoding: string): Uint8Array {
  if (encoding === 'utf8' || encoding === 'text') return Buffer.from(text, 'utf8');
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

/** lib's option names, as the flags a CLI user typed. */
const FLAGS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bexpiresIn\b/g, '--exp'],
  [/\bnotBefore\b/g, '--nbf'],
  [/\bsubject\b/g, '--sub'],
  [/\bissuer\b/g, '--iss'],
  [/\baudience\b/g, '--aud'],
  [/\bjwtId\b/g, '--jti'],
  [/\bleeway\b/g, '--leeway'],
  [/\ballowInsecureShortKey\b/g, '--insecure-short-key'],
  [/\balgorithms?\b(?= must)/g, '--alg'],
];

/** A library message reworded for the command line: each option named by its flag. */
export function inFlags(message: string): string {
  return FLAGS.reduce((text, [pattern, flag]) => text.replace(pattern, flag), message);
}
