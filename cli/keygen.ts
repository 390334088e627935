/**
 * `jwt keygen [--alg …]`: a key for an algorithm. For HS*: random bytes exactly
 * as long as the hash (RFC 7518 §3.2). For RS*, PS*, ES* and EdDSA: a key pair,
 * the private key to sign and the public key to publish (RSA 2048 bits, the
 * algorithm's curve, Ed25519), as PEM or as JWKs with their thumbprint as kid.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { encodeBase64Url, exportPublicJwk, generateKeyPair, jwkThumbprint, SUPPORTED_ALGORITHMS, type AlgorithmName } from '../lib/index.js';
import { UsageError } from './input.js';
import type { Output } from './output.js';

export const KEYGEN_USAGE = `usage: jwt keygen [--alg ALG] [--format base64url|hex] [--jwk] [--out NAME]

HS256 (default), HS384, HS512: prints a random key, 32/48/64 random bytes
(RFC 7518 §3.2) written as base64url text. The key is that text, used as it
is, like any password-like secret: JWT_SECRET_KEY=<it> for the server, and
--key <it> for jwt verify, sign and explain (their default --key-encoding text).
The text is longer than the random bytes behind it, so it is long enough.

  JWT_SECRET_KEY="$(npm run -s jwt -- keygen --alg HS512)" npm start

RS256 … PS512, ES256, ES384, ES512, EdDSA: makes a key pair. The private key
signs and stays secret; the public key verifies and may be published. Prints
the private key (PKCS#8 PEM) and the public key (SPKI PEM), or with --jwk both
as JWKs (kid = the RFC 7638 thumbprint). --out NAME writes NAME.key.pem
(owner-only) and NAME.pub.pem instead (or .jwk.json with --jwk).

  npm run -s jwt -- keygen --alg ES256 --out signing
  npm run -s jwt -- sign --key-file signing.key.pem '{"sub":"alice"}'`;

const LENGTHS: Record<string, number> = { HS256: 32, HS384: 48, HS512: 64 };

export function keygenCommand(args: string[], output: Output): number {
  const { values } = parseArgs({
    args,
    options: { alg: { type: 'string', default: 'HS256' }, format: { type: 'string', default: 'base64url' }, jwk: { type: 'boolean', default: false }, out: { type: 'string' } },
  });
  if (!(SUPPORTED_ALGORITHMS as readonly string[]).includes(values.alg)) throw new UsageError(`--alg must be one of ${SUPPORTED_ALGORITHMS.join(', ')}`);
  const length = LENGTHS[values.alg];
  if (length !== undefined) {
    if (values.format !== 'base64url' && values.format !== 'hex') throw new UsageError('--format must be base64url or hex');
    const key = randomBytes(length);
    output.out(values.format === 'hex' ? key.toString('hex') : encodeBase64Url(key));
    return 0;
  }
  const alg = values.alg as AlgorithmName;
  const { privateKey, publicKey } = generateKeyPair(alg);
  const kid = jwkThumbprint(publicKey);
  const [privateText, publicText, suffix] = values.jwk
    ? [JSON.stringify({ ...privateKey.export({ format: 'jwk' }), kid, alg, use: 'sig' }, null, 2), JSON.stringify(exportPublicJwk(publicKey, { alg }), null, 2), 'jwk.json']
    : [privateKey.export({ type: 'pkcs8', format: 'pem' }).toString().trimEnd(), publicKey.export({ type: 'spki', format: 'pem' }).toString().trimEnd(), 'pem'];
  if (values.out === undefined) {
    output.out(privateText);
    output.out(publicText);
    return 0;
  }
  const privatePath = `${values.out}.key.${suffix}`;
  const publicPath = `${values.out}.pub.${suffix}`;
  try {
    writeFileSync(privatePath, `${privateText}\n`, { mode: 0o600, flag: 'wx' });
    writeFileSync(publicPath, `${publicText}\n`, { flag: 'wx' });
  } catch (error) {
    throw new UsageError(`cannot write the key files: ${(error as Error).message}`);
  }
  output.out(`${privatePath}  the private key (owner-only): signs, keep it secret`);
  output.out(`${publicPath}  the public key: verifies, publish it (kid ${kid})`);
  return 0;
}
