/**
 * Terminal output: colour only when stdout is a terminal (or FORCE_COLOR asks
 * for it) and NO_COLOR is not set (https://no-color.org), and the three token
 * segments coloured as web debuggers do, so a learner sees which part is which.
 */
import { randomBytes } from 'node:crypto';

export interface Output {
  readonly color: boolean;
  out(text: string): void;
  err(text: string): void;
}

export function terminal(): Output {
  const forced = (process.env['FORCE_COLOR'] ?? '') !== '' && process.env['FORCE_COLOR'] !== '0';
  const color = (process.stdout.isTTY === true || forced) && (process.env['NO_COLOR'] ?? '') === '';
  return {
    color,
    out: (text) => process.stdout.write(`${printable(text)}\n`),
    err: (text) => process.stderr.write(`${printable(text)}\n`),
  };
}

const CODES = { red: 31, green: 32, yellow: 33, magenta: 35, cyan: 36, dim: 2, bold: 1 } as const;
export type Style = keyof typeof CODES;

/**
 * Colours are marked while text is built, and become escape sequences only in
 * `printable`, after everything else that is not printable has been escaped. A
 * mark carries a random nonce chosen at start-up, so text from a token cannot
 * forge one: a token can never smuggle an escape sequence of its own to the
 * terminal (one that retitles the window, moves the cursor or hides text),
 * whatever command echoes it.
 */
const NONCE = randomBytes(6).toString('hex');
const MARK = new RegExp(`\ue000${NONCE}(\\d+)\ue001`, 'g');

export function paint(output: Output, style: Style, text: string): string {
  return output.color ? `${mark(CODES[style])}${text}${mark(0)}` : text;
}

function mark(code: number): string {
  return `\ue000${NONCE}${code}\ue001`;
}

/**
 * Text made safe for a terminal: every control, format (bidi overrides,
 * zero-width), separator and private-use character is written as an escape
 * (`\x1b`, `\u202e`), except the line breaks the output is made of and the
 * colour marks of `paint`, which become SGR sequences.
 */
export function printable(text: string): string {
  const parts = text.split(MARK); // [text, code, text, code, …, text]
  return parts.map((part, index) => (index % 2 === 1 ? `\u001b[${part}m` : escapeControls(part))).join('');
}

function escapeControls(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}]/gu, (char) => {
    if (char === '\n') return char;
    const code = char.codePointAt(0) ?? 0;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** The header, payload and signature segments in their own colours. */
export function paintToken(output: Output, token: string): string {
  const [header = '', payload = '', ...rest] = token.split('.');
  const signature = rest.join('.');
  return `${paint(output, 'red', header)}.${paint(output, 'magenta', payload)}.${paint(output, 'cyan', signature)}`;
}

/** A NumericDate as ISO 8601, or a note when it cannot be one. */
export function isoTime(seconds: unknown): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return `${JSON.stringify(seconds)} (not a NumericDate)`;
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? `${seconds} (out of range)` : date.toISOString();
}
