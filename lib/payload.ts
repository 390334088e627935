/**
 * What may be signed: a plain object of JSON values (RFC 7519 §7.1 step 1),
 * which JSON.stringify writes without dropping or changing anything. The
 * signer checks every payload and header with this before serialising it, so
 * the token says exactly what the caller's object says.
 */
import { InvalidPayloadError } from './errors.js';
import { isJsonObject, type JsonObject } from './json.js';

/** The payload must be a plain object of JSON values: nothing may be dropped or changed by JSON.stringify. */
export function checkPayload(payload: unknown): void {
  if (!isPlainObject(payload)) {
    throw new InvalidPayloadError('the payload must be a plain JSON object (RFC 7519 §7.1 step 1)');
  }
  checkJsonValue(payload, 'payload');
}

export function isPlainObject(value: unknown): value is JsonObject {
  if (!isJsonObject(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Deeper than this is refused: it is almost certainly a structure that refers back to itself. */
const MAX_DEPTH = 256;

/**
 * Walks a value and refuses anything JSON.stringify would drop (undefined,
 * functions, symbols), change (NaN and Infinity become null, a Map becomes {},
 * a Date a string) or choke on (BigInt, cycles). A depth limit catches cycles
 * without the cost of remembering every object seen, and the path to the bad
 * value ("payload.a.b[1]") is only built when there is one.
 */
export function checkJsonValue(value: unknown, path: string): void {
  const problem = jsonProblem(value, 0);
  if (problem !== undefined) throw new InvalidPayloadError(`${path}${problem.path} is ${problem.what}`);
}

interface Problem {
  readonly path: string;
  readonly what: string;
}

function jsonProblem(value: unknown, depth: number): Problem | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : { path: '', what: `${value}, which JSON cannot represent` };
    case 'object': {
      if (value === null) return undefined;
      if (depth >= MAX_DEPTH) return { path: '', what: `nested deeper than ${MAX_DEPTH} levels (does it refer back to itself?)` };
      if (Array.isArray(value)) {
        // An index loop, not forEach: a hole in a sparse array must be seen (as undefined).
        for (let i = 0; i < value.length; i++) {
          const problem = jsonProblem(value[i], depth + 1);
          if (problem !== undefined) return { path: `[${i}]${problem.path}`, what: problem.what };
        }
        return undefined;
      }
      if (!isPlainObject(value)) {
        return { path: '', what: value instanceof Date ? 'a Date (use seconds since 1970)' : 'not a plain object' };
      }
      for (const name of Object.keys(value)) {
        const problem = jsonProblem(value[name], depth + 1);
        if (problem !== undefined) return { path: `.${name}${problem.path}`, what: problem.what };
      }
      return undefined;
    }
    default:
      return { path: '', what: typeof value === 'undefined' ? 'undefined' : `a ${typeof value}, which JSON cannot represent` };
  }
}
