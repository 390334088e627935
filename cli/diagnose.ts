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
import { inFlags, type KeyReading } from './input.js';
import { recomputeSignature } from './recompute.js';
import { humanDuration } from '../explain/claims.js';
import { isoTime, paint, printable, type Output } from './output.js';

export interface DiagnosisContext {
  readonly token: string;
  readonly key: Uint8Array | undefined;
  readonly now: number;
  readonly allowShortKey: boolean;
  /** The key is a public key (PEM, JWK or JWK Set): a signature cannot be recomputed with it. */
  readonly publicKey?: boolean;
  /** The same key text read with the other --key-encoding values, to spot a wrong one. */
  readonly otherKeyReadings?: readonly KeyReading[];
}

/** Lines explaining `error` (the first line names the code). */
export function diagnose(error: JwtError, context: DiagnosisContext, output: Output): string[] {
  const lines = [`${paint(output, 'red', `error ${error.code}`)}: ${inFlags(error.message)}`];
  lines.push(...pasteHints(context.token));
  if (error instanceof Base64UrlError) lines.push(...base64Hints(error, context.token));
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

/** Mistakes made while copying a token: a `Bearer ` prefix, quotes, spaces or line breaks inside it. */
function pasteHints(token: string): string[] {
  if (/^bearer\s/i.test(token)) return ['Hint: drop the "Bearer " prefix: it belongs to the Authorization header, not to the token.'];
  if (/^["'].*["']$/s.test(token)) return ['Hint: drop the quotes around the token.'];
  if (/\s/.test(token)) return ['Hint: the token has spaces or line breaks inside; a JWT has none. Was it wrapped when copied?'];
  return [];
}

/** Where in its segment the bad character is, under a caret, and what usually causes it. */
function base64Hints(error: Base64UrlError, token: string): string[] {
  const part = error.part ?? 'token';
  const start = part === 'header' ? 0 : part === 'payload' ? token.indexOf('.') + 1 : part === 'signature' ? token.lastIndexOf('.') + 1 : 0;
  const lines = caret(token, error.position, `position ${error.position - start} of the ${part} segment (position ${error.position} of the token, counting from 0)`);
  if (error.message.includes('(1 mod 4)') || error.message.includes('unused bits')) {
    lines.push(`Hint: this token looks cut off: the ${part} segment ends in the middle of a group of characters. Copy the whole token again.`);
  }
  return lines;
}

function caret(token: string, position: number, where: string): string[] {
  const start = Math.max(0, position - 30);
  // On one line: a line break from the token is escaped like any other control character.
  const inline = (text: string): string => printable(text.replace(/\n/g, '\\x0a'));
  const before = inline(token.slice(start, position));
  const excerpt = before + inline(token.slice(position, position + 30));
  const lead = start > 0 ? '…' : '';
  return [`At ${where}:`, `  ${lead}${excerpt}`, `  ${' '.repeat(lead.length + before.length)}^`];
}

function malformed(error: MalformedTokenError, token: string): string[] {
  if (error.part === 'token') {
    const dots = token.split('.').length - 1;
    const lines = [`A JWT is header.payload.signature: exactly two dots. This one has ${dots}.`];
    if (dots < 2) lines.push('Hint: this token looks cut off. Copy the whole token again: it is usually a few hundred characters long.');
    return lines;
  }
  return [`The ${error.part} segment decodes, but not to a JSON object as RFC 7519 §7.2 requires.`];
}

function signature(context: DiagnosisContext, output: Output): string[] {
  if (context.publicKey === true) {
    return ['The signature does not verify with this public key: the token was signed with another private key, or changed after signing. `jwt explain` with the same key shows the steps.'];
  }
  if (context.key === undefined) return [];
  const recomputed = recomputeSignature(context.token, context.key, context.allowShortKey);
  if ('error' in recomputed) return ['The signature does not match the key.'];
  const lines = [
    'The signature does not match. The MAC covers the signing input, the first two segments as sent:',
    `  signing input: ${recomputed.signingInput}`,
    `  expected with this key: ${paint(output, 'green', recomputed.expected)}`,
    `  in the token:           ${paint(output, 'red', recomputed.actual)}`,
  ];
  if (recomputed.actual.length < recomputed.expected.length) {
    lines.push(`Hint: the token's signature is shorter than a ${recomputed.algorithm} signature: was the token cut off when copied?`);
  }
  const other = context.otherKeyReadings?.find((reading) => {
    const again = recomputeSignature(context.token, reading.key, context.allowShortKey);
    return !('error' in again) && again.expected === again.actual;
  });
  if (other !== undefined) lines.push(`Hint: the signature matches when the key is read as ${other.encoding}: did you mean --key-encoding ${other.encoding}?`);
  else lines.push('Either the key is not the one the token was signed with, or the token was changed after signing.');
  return lines;
}
