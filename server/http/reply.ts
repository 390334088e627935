/**
 * What a handler answers: a `Reply` (status, JSON body or raw content, headers),
 * built with `json()`, or an `HttpError` thrown to answer with a status and a
 * `msg`. Bodies are written as Flask's `jsonify` writes them (sorted keys,
 * non-ASCII escaped), so byte-level comparisons with a Flask app hold.
 */

/** What a handler returns: a JSON `body`, or a `raw` body of a given content type (the demo page). */
export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly raw?: { readonly type: string; readonly content: string | Buffer };
  readonly headers?: Readonly<Record<string, string>>;
}

/** A JSON reply. */
export function json(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return headers === undefined ? { status, body } : { status, body, headers };
}

/** An error a handler throws to answer with a given status and `msg` (an answer, not a bug: no stack trace is captured). */
export class HttpError extends Error {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(status: number, message: string, headers?: Record<string, string>) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(message);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.name = 'HttpError';
    this.status = status;
    this.headers = headers;
  }
}

/** JSON with sorted object keys and non-ASCII escaped (Python's json.dumps with sort_keys and ensure_ascii). */
export function flaskJson(value: unknown): string {
  const text = JSON.stringify(sortKeys(value));
  return NON_ASCII.test(text) ? text.replace(NON_ASCII_ALL, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`) : text;
}

const NON_ASCII = /[\u0080-\uffff]/;
const NON_ASCII_ALL = /[\u0080-\uffff]/g;

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const keys = Object.keys(value);
  // Most replies are one or two plain members already in order: nothing to copy.
  if (isSortedAndFlat(value, keys)) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of keys.sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  return sorted;
}

function isSortedAndFlat(value: object, keys: readonly string[]): boolean {
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (let i = 0; i < keys.length; i++) {
    const member: unknown = (value as Record<string, unknown>)[keys[i] ?? ''];
    if (typeof member === 'object' && member !== null) return false;
    if (i > 0 && (keys[i - 1] ?? '') >= (keys[i] ?? '')) return false;
  }
  return true;
}
