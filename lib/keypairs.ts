/**
 * Keys for the public-key algorithms: PEM text (SPKI, PKCS#8, PKCS#1, SEC1, or
 * an X.509 certificate), a JWK object, or a KeyObject, imported once and
 * checked against the algorithm before any token is seen.
 *
 * The key type is bound to the algorithm (RFC 8725 §3.1): RS* take RSA keys,
 * PS* RSA or RSA-PSS keys, ES256/384/512 EC keys on exactly P-256/P-384/P-521,
 * EdDSA Ed25519 or Ed448 keys. RSA keys must have at least 2048 bits (RFC 7518
 * §3.3). A shared secret is never accepted here, and a public key never as an
 * HMAC secret (keys.ts): each family takes only its own kind of key.
 *
 * Signing needs the private key. Verifying takes the public key only, by
 * decision: a verifier handed the private key would work, but the private key
 * would then be spread to every service that merely verifies, which is exactly
 * what public-key signatures exist to avoid. Such a mix-up is refused with a
 * message that says which half to pass.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { InvalidKeyError, WeakKeyError } from './errors.js';
import { importJwk, isJwk, isPrivateJwk, type Jwk } from './jwk.js';

/** What a public-key algorithm needs of its key. */
export interface KeyRule {
  /** The algorithm, for messages. */
  readonly alg: string;
  /** Acceptable `asymmetricKeyType` values. */
  readonly types: readonly string[];
  /** For ECDSA: the one named curve (node:crypto's name) the algorithm uses. */
  readonly curve?: string;
  /** For RSA: the least modulus length in bits. */
  readonly minimumBits?: number;
}

export type KeyUse = 'sign' | 'verify';

const PRIVATE_PEM = /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/;

/**
 * A PEM key as a KeyObject: private when its label says so, public otherwise
 * (SPKI, PKCS#1 or a certificate). The label is looked at first because
 * createPublicKey would also accept private PEM and quietly derive its public
 * half. Throws node:crypto's error for text it cannot read.
 */
export function readPem(pem: string): KeyObject {
  return PRIVATE_PEM.test(pem) ? createPrivateKey(pem) : createPublicKey(pem);
}

/** Imports `input` for `use` under `rule`, or throws an InvalidKeyError / WeakKeyError saying what is wrong. */
export function importAsymmetricKey(input: unknown, rule: KeyRule, use: KeyUse): KeyObject {
  const key = toKeyObject(input, rule, use);
  if (key.type === 'secret') throw new InvalidKeyError(`${rule.alg} needs a public or private key; a shared secret is for HS256/384/512`);
  if (use === 'sign' && key.type !== 'private') {
    throw new InvalidKeyError(`signing with ${rule.alg} needs the private key; this is the public key, which only verifies`);
  }
  if (use === 'verify' && key.type !== 'public') {
    throw new InvalidKeyError(`verifying ${rule.alg} needs only the public key; pass that, and keep the private key where tokens are signed`);
  }
  const type = key.asymmetricKeyType ?? 'unknown';
  if (!rule.types.includes(type)) {
    throw new InvalidKeyError(`${rule.alg} needs ${describeTypes(rule)} key, not ${spoken(type)} key (RFC 8725 §3.1: the key type is bound to the algorithm)`);
  }
  const details = key.asymmetricKeyDetails ?? {};
  if (rule.curve !== undefined && details.namedCurve !== rule.curve) {
    throw new InvalidKeyError(`${rule.alg} needs a key on ${CURVE_NAMES[rule.curve] ?? rule.curve}, not on ${CURVE_NAMES[details.namedCurve ?? ''] ?? String(details.namedCurve)} (RFC 7518 §3.4)`);
  }
  if (rule.minimumBits !== undefined && (details.modulusLength ?? 0) < rule.minimumBits) {
    throw new WeakKeyError(rule.alg, rule.minimumBits / 8, Math.ceil((details.modulusLength ?? 0) / 8), `${rule.alg} needs an RSA key of at least ${rule.minimumBits} bits (RFC 7518 §3.3), got ${details.modulusLength ?? 0}`);
  }
  return key;
}

function toKeyObject(input: unknown, rule: KeyRule, use: KeyUse): KeyObject {
  if (input instanceof KeyObject) return input;
  if (isJwk(input)) {
    checkJwkParameters(input, rule, use);
    return importJwk(input);
  }
  if (typeof input === 'string') {
    if (!input.includes('-----BEGIN')) {
      throw new InvalidKeyError(`${rule.alg} needs a key as PEM text, a JWK or a KeyObject; this string is not PEM (a shared secret is for HS256/384/512)`);
    }
    try {
      return readPem(input);
    } catch (cause) {
      throw new InvalidKeyError(`the PEM text is not a key node:crypto can read: ${(cause as Error).message}`);
    }
  }
  throw new InvalidKeyError(`${rule.alg} needs a key as PEM text, a JWK object or a KeyObject`);
}

/** A JWK may restrict itself: `alg` (RFC 7517 §4.4), `use` (§4.2) and `key_ops` (§4.3) must allow this use. */
function checkJwkParameters(jwk: Jwk, rule: KeyRule, use: KeyUse): void {
  if (jwk['alg'] !== undefined && jwk['alg'] !== rule.alg) {
    throw new InvalidKeyError(`the JWK is for "alg" ${JSON.stringify(jwk['alg'])}, not ${rule.alg} (RFC 7517 §4.4)`);
  }
  if (jwk['use'] !== undefined && jwk['use'] !== 'sig') {
    throw new InvalidKeyError(`the JWK's "use" is ${JSON.stringify(jwk['use'])}, not "sig" (RFC 7517 §4.2)`);
  }
  const ops = jwk['key_ops'];
  if (ops !== undefined && (!Array.isArray(ops) || !ops.includes(use))) {
    throw new InvalidKeyError(`the JWK's "key_ops" do not include "${use}" (RFC 7517 §4.3)`);
  }
  if (use === 'verify' && isPrivateJwk(jwk)) {
    throw new InvalidKeyError(`verifying ${rule.alg} needs only the public key; this JWK holds the private key ("d")`);
  }
}

const CURVE_NAMES: Readonly<Record<string, string>> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521', secp256k1: 'secp256k1' };

function describeTypes(rule: KeyRule): string {
  if (rule.curve !== undefined) return `an EC ${CURVE_NAMES[rule.curve] ?? rule.curve}`;
  if (rule.types.includes('ed25519')) return 'an Ed25519 or Ed448';
  return 'an RSA';
}

/** node:crypto's key type as said aloud, with its article: "an RSA", "an EC", "a DSA". */
function spoken(type: string): string {
  const names: Readonly<Record<string, string>> = { rsa: 'an RSA', 'rsa-pss': 'an RSA-PSS', ec: 'an EC', ed25519: 'an Ed25519', ed448: 'an Ed448', x25519: 'an X25519', x448: 'an X448', dsa: 'a DSA', dh: 'a DH' };
  return names[type] ?? `a ${type}`;
}

/**
 * A fresh key pair for a public-key algorithm: RSA 2048 bits, the algorithm's
 * EC curve, or Ed25519.
 *
 * The pair comes back DER-encoded and is imported again, into key objects of
 * its own. Node 20 lets the keys it hands out share a lock with the finished
 * generation job, and that job's destructor, run later by the garbage
 * collector, takes the lock. A collection that happens while the same key is
 * being exported as a JWK (which holds the lock and allocates) then waits for
 * itself: the process hangs. Seen here as `bench` processes that stopped for
 * good, about one start in twenty-five (two RSA pairs and their RFC 7638
 * thumbprints each); gdb showed the main thread in ExportJWKRsaKey → garbage
 * collection → ~KeyGenJob → mutex lock. Imported keys have locks of their own.
 */
export function generateKeyPairFor(rule: KeyRule): { privateKey: KeyObject; publicKey: KeyObject } {
  const pair = generateDer(rule);
  return {
    privateKey: createPrivateKey({ key: pair.privateKey, format: 'der', type: 'pkcs8' }),
    publicKey: createPublicKey({ key: pair.publicKey, format: 'der', type: 'spki' }),
  };
}

/** The new pair as DER: SubjectPublicKeyInfo and PKCS #8. */
function generateDer(rule: KeyRule): { privateKey: Buffer; publicKey: Buffer } {
  const publicKeyEncoding = { type: 'spki', format: 'der' } as const;
  const privateKeyEncoding = { type: 'pkcs8', format: 'der' } as const;
  if (rule.curve !== undefined) return generateKeyPairSync('ec', { namedCurve: rule.curve, publicKeyEncoding, privateKeyEncoding });
  if (rule.types.includes('ed25519')) return generateKeyPairSync('ed25519', { publicKeyEncoding, privateKeyEncoding });
  return generateKeyPairSync('rsa', { modulusLength: Math.max(2048, rule.minimumBits ?? 2048), publicKeyEncoding, privateKeyEncoding });
}
