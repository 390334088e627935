/**
 * A first benchmark: HS256 sign and verify against the floor node:crypto allows
 * (one HMAC over the same signing input). The full benchmark comes with the
 * bench issue; this one already reports medians and ratios.
 */
import { createHmac } from 'node:crypto';
import { createSigner, createVerifier } from '../lib/index.js';

const key = Buffer.alloc(32, 7);
const now = Math.floor(Date.now() / 1000);
const payload = { sub: 'alice', fresh: false, iat: now, nbf: now, jti: 'c7b7c6a4-3bd3-4a8c-9a48-2f2b8e4c8a3e', type: 'access', csrf: '0c2b1d0e-7d0a-4a57-8a3a-5b0b0f5d6a1e', exp: now + 900 };
const sign = createSigner({ key, noTimestamp: true });
const verify = createVerifier({ key });
const token = sign(payload);
const input = token.slice(0, token.lastIndexOf('.'));

function opsPerSecond(fn: () => unknown, ms: number): number {
  let count = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    for (let i = 0; i < 100; i++) fn();
    count += 100;
  }
  return (count * 1000) / ms;
}

const contestants: Array<[string, () => unknown]> = [
  ['HMAC floor', () => createHmac('sha256', key).update(input).digest()],
  ['sign', () => sign(payload)],
  ['verify', () => verify(token)],
];
for (const [, fn] of contestants) opsPerSecond(fn, 300); // warm-up
const rounds: number[][] = contestants.map(() => []);
for (let round = 0; round < 7; round++) {
  contestants.forEach(([, fn], i) => rounds[i]?.push(opsPerSecond(fn, 200)));
}
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0;
const floor = median(rounds[0] ?? []);
for (const [i, [name]] of contestants.entries()) {
  const ops = median(rounds[i] ?? []);
  console.log(`${name.padEnd(12)} ${Math.round(ops).toString().padStart(9)} ops/s  ${(1e6 / ops).toFixed(2)} µs/op  ${(floor / ops).toFixed(2)}× floor`);
}
