/**
 * Terminal output: colour only when stdout is a terminal (or FORCE_COLOR asks
 * for it) and NO_COLOR is not set (https://no-color.org), and the three token
 * segments coloured as web debuggers do, so a learner sees which part is which.
 */

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
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  };
}

const CODES = { red: 31, green: 32, yellow: 33, magenta: 35, cyan: 36, dim: 2, bold: 1 } as const;
export type Style = keyof typeof CODES;

export function paint(output: Output, style: Style, text: string): string {
  return output.color ? `\u001b[${CODES[style]}m${text}\u001b[0m` : text;
}

/** The header, payload and signature segments in their own colours. */
export function paintToken(output: Output, token: string): string {
  const [header = '', payload = '', ...rest] = token.split('.');
  const signature = rest.join('.');
  return `${paint(output, 'red', header)}.${paint(output, 'magenta', payload)}.${paint(output, 'cyan', signature)}`;
}

/** "14 min", "3 h", "2 days", "15 years": a duration in words, rounded down. */
export function humanDuration(seconds: number): string {
  const s = Math.abs(seconds);
  if (s < 60) return `${Math.floor(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h`;
  if (s < 2 * 365 * 86400) return `${Math.floor(s / 86400)} days`;
  return `${Math.floor(s / (365.25 * 86400))} years`;
}

/** A NumericDate as ISO 8601, or a note when it cannot be one. */
export function isoTime(seconds: unknown): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return `${JSON.stringify(seconds)} (not a NumericDate)`;
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? `${seconds} (out of range)` : date.toISOString();
}
