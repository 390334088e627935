/**
 * What the benchmarks sign and verify: a typical flask_jwt_extended access
 * token, and a large one with about 2 KB of custom claims. Shared by bench.ts,
 * peers.ts and http.ts. Declarations only.
 */
import { randomUUID } from 'node:crypto';

/** The token an access request carries: fresh, iat, jti, type, sub, nbf, csrf, exp. */
export function typicalPayload(now: number): Record<string, unknown> {
  return { fresh: false, iat: now, jti: randomUUID(), type: 'access', sub: 'alice@example.com', nbf: now, csrf: randomUUID(), exp: now + 900 };
}

/** The typical payload plus about 2 KB of custom claims: roles, permissions, a profile. */
export function largePayload(now: number): Record<string, unknown> {
  const permissions = Array.from({ length: 40 }, (_, i) => `service-${i % 7}:resource-${i}:read-write`);
  return {
    ...typicalPayload(now),
    roles: ['admin', 'editor', 'viewer', 'billing', 'support'],
    permissions,
    profile: { name: 'Alice Liddell', email: 'alice@example.com', locale: 'en-GB', timezone: 'Europe/London', team: 'Wonderland platform' },
    tenant: { id: randomUUID(), plan: 'enterprise', region: 'eu-west-1' },
  };
}

export const ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

/** node:crypto's hash name for each algorithm. */
export const HASH: Record<Algorithm, 'sha256' | 'sha384' | 'sha512'> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' };

/** A fixed 64-byte key: long enough for HS512, so every algorithm can share it. */
export const KEY = Buffer.from('0323354b2b0fa5bc837e0665777ba68f5ab328e6f054c928a90f84b2d2502ebfd3fb5a92d20647ef968ab4c377623d223d2e2172052e4f08c0cd9af567d080a3', 'hex');
