/** `jwt keygen [--alg …] [--format …]`: a random key exactly as long as the algorithm's hash (RFC 7518 §3.2). */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { encodeBase64Url } from '../lib/index.js';
import { UsageError } from './input.js';
import type { Output } from './output.js';

export const KEYGEN_USAGE = `usage: jwt keygen [--alg HS256|HS384|HS512] [--format base64url|hex]

Prints a random key: 32 random bytes for HS256, 48 for HS384, 64 for HS512
(RFC 7518 §3.2), written as base64url text. The key is that text, used as it
is, like any password-like secret: JWT_SECRET_KEY=<it> for the server, and
--key <it> for jwt verify, sign and explain (their default --key-encoding text).
The text is longer than the random bytes behind it, so it is long enough.

  JWT_SECRET_KEY="$(npm run -s jwt -- keygen --alg HS512)" npm start`;

const LENGTHS: Record<string, number> = { HS256: 32, HS384: 48, HS512: 64 };

export function keygenCommand(args: string[], output: Output): number {
  const { values } = parseArgs({ args, options: { alg: { type: 'string', default: 'HS256' }, format: { type: 'string', default: 'base64url' } } });
  const length = LENGTHS[values.alg];
  if (length === undefined) throw new UsageError('--alg must be HS256, HS384 or HS512');
  if (values.format !== 'base64url' && values.format !== 'hex') throw new UsageError('--format must be base64url or hex');
  const key = randomBytes(length);
  output.out(values.format === 'hex' ? key.toString('hex') : encodeBase64Url(key));
  return 0;
}
