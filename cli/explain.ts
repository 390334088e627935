/** `jwt explain --key … [TOKEN]`: how this exact token's signature is made, step by step. */
import { parseArgs } from 'node:util';
import { decodeUnverified, JwtError } from '../lib/index.js';
import { diagnose } from './diagnose.js';
import { KEY_OPTIONS, readKey, readNow, readToken } from './input.js';
import { paint, type Output } from './output.js';
import { recomputeSignature, whyNotRecomputed } from './recompute.js';

export const EXPLAIN_USAGE = `usage: jwt explain (--key KEY | --key-file FILE) [--key-encoding ENC] [TOKEN]

Walks through how this token's signature is made (RFC 7515 §5.1), and whether
the signature in the token matches the one the key gives. Claims such as exp
are not checked here: \`jwt verify\` does that.`;

const HASH_NAMES: Record<string, string> = { HS256: 'HMAC-SHA-256', HS384: 'HMAC-SHA-384', HS512: 'HMAC-SHA-512' };

export async function explainCommand(args: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...KEY_OPTIONS } });
  const key = readKey(values);
  const token = await readToken(positionals[0]);
  const allowShortKey = values['insecure-short-key'];
  let decoded;
  try {
    decoded = decodeUnverified(token);
  } catch (error) {
    if (!(error instanceof JwtError)) throw error;
    for (const line of diagnose(error, { token, key, now: readNow(undefined), allowShortKey }, output)) output.err(line);
    return 1;
  }
  const recomputed = recomputeSignature(token, key, allowShortKey);
  const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');
  const { segments } = decoded;
  output.out(`1. The header, as the exact JSON bytes in the token:`);
  output.out(`     ${JSON.stringify('error' in recomputed ? decoded.header : text(recomputed.headerBytes))}`);
  output.out(`   BASE64URL(header) = ${paint(output, 'red', segments.header)}`);
  output.out(`2. The payload (the claims):`);
  output.out(`     ${JSON.stringify('error' in recomputed ? decoded.payload : text(recomputed.payloadBytes))}`);
  output.out(`   BASE64URL(payload) = ${paint(output, 'magenta', segments.payload)}`);
  output.out(`3. The signing input is header "." payload, as ASCII (RFC 7515 §2):`);
  output.out(`     ${decoded.signingInput}`);
  if ('error' in recomputed) {
    output.err(`4. Cannot compute the signature: ${whyNotRecomputed(recomputed.error, decoded.header.alg, key.length)}`);
    return 1;
  }
  output.out(`4. ${HASH_NAMES[recomputed.algorithm] ?? recomputed.algorithm}(key, signing input), ${recomputed.mac.length} bytes:`);
  output.out(`     ${Buffer.from(recomputed.mac).toString('hex').replace(/(..)(?!$)/g, '$1 ')}`);
  output.out(`5. BASE64URL of those bytes = ${paint(output, 'green', recomputed.expected)}`);
  output.out(`6. The token's signature     = ${paint(output, 'cyan', recomputed.actual)}`);
  if (recomputed.expected === recomputed.actual) {
    output.out(paint(output, 'green', '   They match: this key made this signature. (Claims such as exp are not checked: use jwt verify.)'));
    return 0;
  }
  output.out(paint(output, 'red', '   They differ: this key did not sign this token, or the token was changed after signing.'));
  return 1;
}
