/** `jwt sign --key … [--exp 15m] [--sub …] [--claim k=v …] [PAYLOAD_JSON]`: prints a new token. */
import { parseArgs } from 'node:util';
import { JwtError, sign, type JwtPayload } from '../lib/index.js';
import { inFlags, KEY_OPTIONS, parseDuration, readKey, readNow, readStdin, UsageError } from './input.js';
import { type Output } from './output.js';
import { algorithmsFor, keyMaterial, parseAlgorithms } from './publickey.js';

export const SIGN_USAGE = `usage: jwt sign (--key KEY | --key-file FILE) [options] [PAYLOAD_JSON | -]

Makes a token. The payload is a JSON object (default {}; "-" reads it from
stdin); options add registered claims, and iat is always set.

  --alg ALG              HS256 (default with a shared secret), HS384, HS512; with a private
                         key (--key-file key.pem or a JWK): RS*, PS*, ES256/384/512 or EdDSA
                         (default: the first the key can make, RS256 for RSA)
  --exp DURATION         expires after DURATION: 90, 90s, 15m, 12h, 30d
  --nbf DURATION         not valid before DURATION from now
  --sub SUBJECT  --iss ISSUER  --aud AUDIENCE  --jti ID
  --claim NAME=VALUE     any claim; VALUE is read as JSON when it is JSON (42, true, [1]), else as text
  --key, --key-file, --key-encoding, --insecure-short-key   as for jwt verify
  --now SECONDS          pretend the time is SECONDS since 1970`;

export async function signCommand(args: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...KEY_OPTIONS,
      alg: { type: 'string' },
      exp: { type: 'string' },
      nbf: { type: 'string' },
      sub: { type: 'string' },
      iss: { type: 'string' },
      aud: { type: 'string' },
      jti: { type: 'string' },
      claim: { type: 'string', multiple: true, default: [] },
      now: { type: 'string' },
    },
  });
  const material = keyMaterial(values);
  if (material?.keys !== undefined) throw new UsageError('a JWK Set holds public keys: signing needs one private key (PEM or JWK)');
  const key = material === undefined ? readKey(values) : material.key;
  const [algorithm] = material === undefined ? parseAlgorithms(values.alg ?? 'HS256') : algorithmsFor(material, values.alg);
  if (algorithm === undefined) throw new UsageError('--alg: name one algorithm');
  const payload = parsePayload(positionals[0] === '-' ? await readStdin('payload') : (positionals[0] ?? '{}'));
  for (const pair of values.claim) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new UsageError(`--claim must look like name=value, not ${JSON.stringify(pair)}`);
    payload[pair.slice(0, equals)] = jsonOrText(pair.slice(equals + 1));
  }
  const now = readNow(values.now);
  try {
    const token = sign(payload as JwtPayload, key, {
      algorithm,
      now: () => now,
      allowInsecureShortKey: values['insecure-short-key'],
      ...(values.exp === undefined ? {} : { expiresIn: parseDuration(values.exp, '--exp') }),
      ...(values.nbf === undefined ? {} : { notBefore: parseDuration(values.nbf, '--nbf') }),
      ...(values.sub === undefined ? {} : { subject: values.sub }),
      ...(values.iss === undefined ? {} : { issuer: values.iss }),
      ...(values.aud === undefined ? {} : { audience: values.aud }),
      ...(values.jti === undefined ? {} : { jwtId: values.jti }),
    });
    output.out(token);
    return 0;
  } catch (error) {
    if (!(error instanceof JwtError)) throw error;
    output.err(`error ${error.code}: ${inFlags(error.message)}`);
    return 1;
  }
}

function parsePayload(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`the payload is not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError('the payload must be a JSON object, like {"sub":"alice"}');
  return value as Record<string, unknown>;
}

function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
