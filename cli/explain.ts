/** `jwt explain --key … [TOKEN]`: how this exact token's signature is made, step by step. */
import { parseArgs } from 'node:util';
import { createVerifier, decodeBase64Url, decodeUnverified, JwtError, type AlgorithmName, type UnverifiedJwt } from '../lib/index.js';
import { diagnose } from './diagnose.js';
import { KEY_OPTIONS, readKey, readNow, readToken } from './input.js';
import { paint, type Output } from './output.js';
import { algorithmsFor, keyMaterial, type KeyMaterial } from './publickey.js';
import { recomputeSignature, whyNotRecomputed } from './recompute.js';

export const EXPLAIN_USAGE = `usage: jwt explain (--key KEY | --key-file FILE) [--key-encoding ENC] [TOKEN]

Walks through how this token's signature is made (RFC 7515 §5.1), and whether
the signature in the token matches the one the key gives. With a public key
(--key-file key.pub.pem, a JWK or a JWK Set) it shows what the private key did
and what the public key checks. Claims such as exp are not checked here:
\`jwt verify\` does that.`;

const HASH_NAMES: Record<string, string> = { HS256: 'HMAC-SHA-256', HS384: 'HMAC-SHA-384', HS512: 'HMAC-SHA-512' };

export async function explainCommand(args: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...KEY_OPTIONS } });
  const material = keyMaterial(values);
  const key = material === undefined ? readKey(values) : new Uint8Array(0);
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
  // Steps 1-3 show the exact bytes of each segment, decoded from the token itself.
  const { segments } = decoded;
  const text = (segment: string): string => JSON.stringify(Buffer.from(decodeBase64Url(segment)).toString('utf8'));
  output.out(`1. The header, as the exact JSON bytes in the token:`);
  output.out(`     ${text(segments.header)}`);
  output.out(`   BASE64URL(header) = ${paint(output, 'red', segments.header)}`);
  output.out(`2. The payload (the claims):`);
  output.out(`     ${text(segments.payload)}`);
  output.out(`   BASE64URL(payload) = ${paint(output, 'magenta', segments.payload)}`);
  output.out(`3. The signing input is header "." payload, as ASCII (RFC 7515 §2):`);
  output.out(`     ${decoded.signingInput}`);
  if (material !== undefined) return explainPublicKey(token, decoded, material, output);
  const recomputed = recomputeSignature(token, key, allowShortKey);
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

const HOW: Readonly<Record<string, (bytes: number) => string>> = {
  RS: () => 'RSASSA-PKCS1-v1_5 (RFC 8017 §8.2): the hash, padded in a fixed way, raised to the private exponent d modulo n. Deterministic: the same input and key give the same signature',
  PS: (bytes) => `RSASSA-PSS (RFC 8017 §8.1): the hash mixed with a random ${bytes}-byte salt, encoded, raised to the private exponent d modulo n. Randomised: signing again gives other bytes`,
  ES: (bytes) => `ECDSA: a fresh random number k gives the point k·G, whose x coordinate is r; s = k⁻¹(hash + r·d) mod n, with d the private key. The signature is r ‖ s, ${bytes / 2} + ${bytes / 2} bytes (RFC 7518 §3.4, not DER)`,
  Ed: () => 'EdDSA (RFC 8032): R ‖ S from the private key and the message itself, with SHA-512 inside. Deterministic: no random number to get wrong',
};

/** Steps 4-6 for a public-key token: what the private key did, and what the public key checks. */
function explainPublicKey(token: string, decoded: UnverifiedJwt, material: KeyMaterial, output: Output): number {
  const alg = String(decoded.header.alg);
  const size = decoded.signature.length;
  const hash = alg === 'EdDSA' ? 'SHA-512, inside EdDSA' : `SHA-${alg.slice(2)}`;
  output.out(`4. The signer hashed the signing input (${hash}) and signed it with its private key:`);
  output.out(`     ${(HOW[alg.slice(0, 2)] ?? (() => `"alg" is ${JSON.stringify(alg)}`))(size)}.`);
  output.out(`   The token's signature, ${size} bytes = ${paint(output, 'cyan', decoded.segments.signature)}`);
  let algorithms: AlgorithmName[];
  try {
    algorithms = algorithmsFor(material, undefined);
  } catch {
    algorithms = [];
  }
  const verdict = checkSignatureOnly(token, material, algorithms);
  output.out('5. The public key checks the signature against the signing input; it cannot make one.');
  if (verdict === true) {
    output.out(paint(output, 'green', '   It checks out: the holder of the matching private key signed exactly these two segments.'));
  } else {
    output.out(paint(output, 'red', `   It does not check out: ${verdict}`));
  }
  output.out('6. Anyone holding the public key can do step 5, so anyone can verify; only the holder of the private key');
  output.out('   can do step 4. That is why a public key may be published (a JWK Set), where an HMAC secret may not.');
  output.out('   (Claims such as exp are not checked here: use jwt verify.)');
  return verdict === true ? 0 : 1;
}

/**
 * Whether the signature is valid, whatever the claims say: the verifier checks
 * the signature before it reads the payload, so an error about the payload or
 * its claims means the signature passed. Returns true or the reason it failed.
 */
function checkSignatureOnly(token: string, material: KeyMaterial, algorithms: AlgorithmName[]): true | string {
  if (algorithms.length === 0) return 'cannot tell which algorithm this key is for.';
  const options = { algorithms, ignoreExpiration: true, skipAudienceCheck: true, leeway: 1e15 };
  try {
    (material.keys === undefined ? createVerifier({ ...options, key: material.key }) : createVerifier({ ...options, keys: material.keys }))(token);
    return true;
  } catch (error) {
    if (!(error instanceof JwtError)) throw error;
    const afterSignature = error.code.startsWith('ERR_JWT_CLAIM') || error.code === 'ERR_JWT_EXPIRED' || error.code === 'ERR_JWT_NOT_YET_VALID' || (error.code === 'ERR_JWT_MALFORMED' && 'part' in error && error.part === 'payload');
    return afterSignature ? true : `${error.message}.`;
  }
}
