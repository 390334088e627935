/** `jwt verify --key … [TOKEN]`: exit 0 and the payload when valid; otherwise the error code and a diagnosis. */
import { parseArgs } from 'node:util';
import { createVerifier, JwtError, type AlgorithmName, type VerifyOptions } from '../lib/index.js';
import { diagnose } from './diagnose.js';
import { KEY_OPTIONS, otherKeyReadings, parseDuration, readKey, readNow, readToken } from './input.js';
import { paint, type Output } from './output.js';
import { algorithmsFor, keyMaterial, parseAlgorithms } from './publickey.js';

export const VERIFY_USAGE = `usage: jwt verify (--key KEY | --key-file FILE) [options] [TOKEN]

Checks the signature and the claims. Exits 0 and prints the payload when the
token is valid; otherwise exits 1 with the error code and what went wrong.

  --key KEY                 the HMAC key: the text as written, like the server's JWT_SECRET_KEY
  --key-file FILE           the HMAC key, from a file (its bytes as they are); or a public
                            key: PEM, a JWK or a JWK Set (jwks.json), whose "kid" picks the key
  --key-encoding ENC        text (default): the key is the text itself; base64url or hex:
                            the text encodes the raw key bytes (as RFC 7515's example key)
  --alg LIST                allowed algorithms, comma-separated (default HS256, or what the
                            public key can verify: RS*/PS* for RSA, ES256 for P-256, EdDSA…)
  --aud AUDIENCE            expected audience
  --iss ISSUER              expected issuer
  --leeway SECONDS          clock skew to tolerate for exp, nbf and iat
  --insecure-short-key      accept a key shorter than the hash (only to inspect old tokens)
  --now SECONDS             pretend the time is SECONDS since 1970
  --json                    print a machine-readable result`;

export async function verifyCommand(args: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...KEY_OPTIONS,
      alg: { type: 'string' },
      aud: { type: 'string' },
      iss: { type: 'string' },
      leeway: { type: 'string' },
      now: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const material = keyMaterial(values);
  const key = material === undefined ? readKey(values) : undefined;
  const token = await readToken(positionals[0]);
  const now = readNow(values.now);
  const algorithms: AlgorithmName[] = material === undefined ? parseAlgorithms(values.alg ?? 'HS256') : algorithmsFor(material, values.alg);
  const allowShortKey = values['insecure-short-key'];
  const options: VerifyOptions = {
    algorithms,
    now: () => now,
    allowInsecureShortKey: allowShortKey,
    ...(values.aud === undefined ? {} : { audience: values.aud }),
    ...(values.iss === undefined ? {} : { issuer: values.iss }),
    ...(values.leeway === undefined ? {} : { leeway: parseDuration(values.leeway, '--leeway') }),
  };
  try {
    const verifier = material === undefined ? createVerifier({ ...options, key: key ?? new Uint8Array(0) }) : material.keys === undefined ? createVerifier({ ...options, key: material.key }) : createVerifier({ ...options, keys: material.keys });
    const { header, payload } = verifier(token);
    if (values.json) output.out(JSON.stringify({ valid: true, header, payload }, null, 2));
    else {
      output.out(JSON.stringify(payload, null, 2));
      output.err(paint(output, 'green', `valid: signature (${header.alg}) and claims check out`));
    }
    return 0;
  } catch (error) {
    if (!(error instanceof JwtError)) throw error;
    if (values.json) output.out(JSON.stringify({ valid: false, code: error.code, message: error.message }, null, 2));
    else for (const line of diagnose(error, { token, key, now, allowShortKey, publicKey: material !== undefined, otherKeyReadings: material === undefined ? otherKeyReadings(values) : [] }, output)) output.err(line);
    return 1;
  }
}
