/**
 * Turning a JwtError into advice a learner can act on: where a malformed token
 * goes wrong (segment and character, with a caret), what the signature should
 * have been, when a token expired, which algorithms were allowed.
 */
import {
  AlgorithmNotAllowedError,
  Base64UrlError,
  JwtError,
  MalformedTokenError,
  NotYetValidError,
  SignatureInvalidError,
  TokenExpiredError,
  WeakKeyError,
} from '../lib/index.js';
import { recomputeSignature } from './recompute.js';
import { humanDuration, isoTime, paint, type Output } from './output.js';

export interface Context {
  readonly token: string;
  readonly key: Uint8Array | undefined;
  readonly now: number;
  readonly allowShortKey: boolean;
}

/** Lines explaining `error` (the first line names the code). */
export function diagnose(error: JwtError, context: Context, output: Output): string[] {
  const lines = [`${paint(output, 'red', `error ${error.code}`)}: ${error.message}`];
  if (error instanceof Base64UrlError) lines.push(...caret(context.token, error.position, `in the ${error.part ?? 'token'} segment`));
  else if (error instanceof MalformedTokenError) lines.push(...malformed(error, context.token));
  else if (error instanceof SignatureInvalidError) lines.push(...signature(context, output));
  else if (error instanceof TokenExpiredError) {
    lines.push(`The token expired at ${isoTime(error.expiredAtSeconds)}, ${humanDuration(context.now - error.expiredAtSeconds)} ago. Ask for a new one (log in again, or use a refresh token).`);
  } else if (error instanceof NotYetValidError) {
    lines.push(`The token becomes valid at ${isoTime(error.validFromSeconds)}, in ${humanDuration(error.validFromSeconds - context.now)}. Are the clocks of issuer and verifier in step? --leeway allows for skew.`);
  } else if (error instanceof AlgorithmNotAllowedError) {
    lines.push(`The token says "alg": ${JSON.stringify(error.algorithm)}; this verifier allows only ${error.allowed.join(', ')} (--alg).`);
    if (error.algorithm.toLowerCase() === 'none') lines.push('"none" means "no signature": accepting it would let anyone forge tokens (RFC 8725 §3.1).');
  } else if (error instanceof WeakKeyError) {
    lines.push('Use a longer key (`jwt keygen`), or, only to inspect a token signed with a weak key, --insecure-short-key.');
  }
  return lines;
}

function caret(token: string, position: number, where: string): string[] {
  const start = Math.max(0, position - 30);
  const excerpt = token.slice(start, position + 30);
  return [`At character ${position} ${where}:`, `  ${start > 0 ? '…' : ''}${excerpt}`, `  ${start > 0 ? ' ' : ''}${' '.repeat(position - start)}^`];
}

function malformed(error: MalformedTokenError, token: string): string[] {
  if (error.part === 'token') {
    const segments = token.split('.').length;
    return [`A JWT is header.payload.signature: exactly two dots. This one has ${segments - 1}.`];
  }
  return [`The ${error.part} segment decodes, but not to a JSON object as RFC 7519 §7.2 requires.`];
}

function signature(context: Context, output: Output): string[] {
  if (context.key === undefined) return [];
  const recomputed = recomputeSignature(context.token, context.key, context.allowShortKey);
  if (recomputed === undefined) return ['The signature does not match the key.'];
  return [
    'The signature does not match. The MAC covers the signing input, the first two segments as sent:',
    `  signing input: ${recomputed.signingInput}`,
    `  expected with this key: ${paint(output, 'green', recomputed.expected)}`,
    `  in the token:           ${paint(output, 'red', recomputed.actual)}`,
    'Either the key is not the one the token was signed with, or the token was changed after signing.',
  ];
}
