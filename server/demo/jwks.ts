/**
 * GET /.well-known/jwks.json (beyond flask_jwt_extended): the public keys, so
 * that any service can verify the tokens (RFC 7517 §5).
 */
import { createPublicKey } from 'node:crypto';
import { exportPublicJwk } from '../../lib/index.js';
import type { Handler } from '../http/app.js';
import { json } from '../http/reply.js';
import { isAsymmetric, type JwtConfig } from '../jwt/index.js';

/**
 * GET /.well-known/jwks.json (beyond flask_jwt_extended): the public key as a
 * JWK Set (RFC 7517 §5), with its RFC 7638 thumbprint as `kid` (the `kid` in the
 * tokens' headers), `alg` and `use: "sig"`, cacheable for five minutes. With an
 * HMAC algorithm there is nothing public: the one key is the shared secret.
 */
export function jwksRoute(config: JwtConfig): Handler {
  if (!isAsymmetric(config.JWT_ALGORITHM) || config.JWT_PUBLIC_KEY === null) {
    const reply = json(404, { msg: `This server signs with ${config.JWT_ALGORITHM}, a shared secret: there is no public key to publish` });
    return () => reply;
  }
  // The current key first, then the retired ones that still verify (JWT_DECODE_KEYS).
  const retired = (config.JWT_DECODE_KEYS ?? []).map((key) => (typeof key === 'string' ? exportPublicJwk(createPublicKey(key)) : { ...exportPublicJwk(key), ...(typeof key['kid'] === 'string' ? { kid: key['kid'] } : {}), ...(typeof key['alg'] === 'string' ? { alg: key['alg'] } : {}) }));
  const body = { keys: [exportPublicJwk(createPublicKey(config.JWT_PUBLIC_KEY), { alg: config.JWT_ALGORITHM }), ...retired] };
  const reply = json(200, body, { 'Cache-Control': 'public, max-age=300' });
  return () => reply;
}
