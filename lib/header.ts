/**
 * The JOSE header: which algorithm a token claims, and whether we may accept it
 * (RFC 7515 §4.1, RFC 8725 §3.1).
 *
 * The header is read before the signature is checked (the signature cannot be
 * checked without knowing the algorithm), so everything here treats it as
 * attacker-controlled: the token never chooses the algorithm, it can only name
 * one from the verifier's allow-list.
 */
import { type Algorithm, getAlgorithm } from './algorithms.js';
import { AlgorithmNotAllowedError, InvalidHeaderError } from './errors.js';
import type { JsonObject } from './json.js';

/**
 * Header parameters whose meaning RFC 7515 §4.1 and RFC 7519 §5 define. A `crit`
 * list must not name them (RFC 7515 §4.1.11).
 */
const REGISTERED = new Set([
  'alg', 'jku', 'jwk', 'kid', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'typ', 'cty', 'crit',
]);

/**
 * Checks a decoded header's parameters (RFC 7515 §4.1) and returns its `alg`.
 * The answer depends on nothing but the header, so a verifier may remember it.
 *
 * Parameters that would let the token supply or point to its own key (`jwk`,
 * `jku`, `x5u`, `x5c`) are never used: keys come only from the caller
 * (RFC 8725 §3.10 lists the attacks that trusting them allows).
 */
export function checkHeader(header: JsonObject): string {
  const alg = header['alg'];
  // RFC 7515 §4.1.1: alg MUST be present, and is a case-sensitive string.
  if (alg === undefined) throw new InvalidHeaderError('alg', 'header has no "alg" (RFC 7515 §4.1.1)');
  if (typeof alg !== 'string') throw new InvalidHeaderError('alg', '"alg" must be a string (RFC 7515 §4.1.1)');
  checkOptionalString(header, 'typ', '§4.1.9');
  checkOptionalString(header, 'cty', '§4.1.10');
  checkOptionalString(header, 'kid', '§4.1.4');
  checkCrit(header);
  // RFC 7797 §3: "b64": false changes what is signed; we do not implement it.
  if (header['b64'] !== undefined && header['b64'] !== true) {
    throw new InvalidHeaderError('b64', 'unencoded payloads ("b64": false, RFC 7797) are not supported');
  }
  return alg;
}

/**
 * RFC 8725 §3.1: the token may only name an algorithm on the verifier's
 * allow-list; it never chooses one. "none" can never be in the list (allowList
 * refuses it), so an unsecured token fails here in any casing. Returns what
 * `allowed` holds for `alg`.
 */
export function allowedAlgorithm<T>(alg: string, allowed: ReadonlyMap<string, T>): T {
  const entry = allowed.get(alg);
  if (entry === undefined) throw new AlgorithmNotAllowedError(alg, [...allowed.keys()]);
  return entry;
}

function checkOptionalString(header: JsonObject, parameter: string, section: string): void {
  const value = header[parameter];
  if (value !== undefined && typeof value !== 'string') {
    throw new InvalidHeaderError(parameter, `"${parameter}" must be a string (RFC 7515 ${section})`);
  }
}

/**
 * RFC 7515 §4.1.11: `crit` lists extensions the recipient MUST understand, or
 * else reject the token. It must be a non-empty array of strings, name no
 * registered parameter, and every name must be present in the header. We
 * implement no extensions, so a well-formed `crit` is still refused.
 */
function checkCrit(header: JsonObject): void {
  const crit = header['crit'];
  if (crit === undefined) return;
  if (!Array.isArray(crit) || crit.length === 0) {
    throw new InvalidHeaderError('crit', '"crit" must be a non-empty array (RFC 7515 §4.1.11)');
  }
  for (const name of crit) {
    if (typeof name !== 'string') {
      throw new InvalidHeaderError('crit', '"crit" values must be strings (RFC 7515 §4.1.11)');
    }
    if (REGISTERED.has(name)) {
      throw new InvalidHeaderError('crit', `"crit" must not list the registered parameter "${name}" (RFC 7515 §4.1.11)`);
    }
    if (header[name] === undefined) {
      throw new InvalidHeaderError('crit', `critical parameter "${name}" is missing from the header (RFC 7515 §4.1.11)`);
    }
  }
  throw new InvalidHeaderError('crit', `unsupported critical extension "${String(crit[0])}" (RFC 7515 §4.1.11)`);
}

/**
 * Builds the allow-list map from option names, once per verifier. Unknown names
 * and "none" (in any casing) are refused here, at set-up time.
 */
export function allowList(names: readonly string[]): ReadonlyMap<string, Algorithm> {
  const map = new Map<string, Algorithm>();
  for (const name of names) map.set(name, getAlgorithm(name));
  return map;
}

