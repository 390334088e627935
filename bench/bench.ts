/**
 * `npm run bench`: sign and verify throughput of HS256/384/512 for a typical and
 * a large payload, the failure paths, and the base64url codec, each next to the
 * floor node:crypto allows (one HMAC over the same signing input); the codec
 * rows set the handwritten codec (plain and fast) beside Buffer's base64url.
 *
 * Each group is measured in a process of its own (apart.ts).
 *
 * Flags: --quick (≈30 s), --rounds N, --ms N (per round and contestant),
 * --only TEXT (groups whose name contains TEXT), --json PATH, --markdown.
 */
import { constants, createHmac, createSecretKey, sign as cryptoSign, verify as cryptoVerify, type KeyObject, type SignKeyObjectInput, type VerifyKeyObjectInput } from 'node:crypto';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createSigner, createVerifier, decodeBase64Url, encodeBase64Url, generateKeyPair, sign, verify, type AlgorithmName } from '../lib/index.js';
import { decodePlain, encodePlain } from '../lib/base64url.js';
import { parseFlags } from './flags.js';
import { GROUP_FLAG, measureApart, measureIfChild } from './apart.js';
import type { Group } from './measure.js';
import { machine, markdown, noiseWarning, table, writeRounds } from './report.js';
import { ALGORITHMS, HASH, KEY, largePayload, typicalPayload } from './workloads.js';

const USAGE = 'bench [--quick] [--rounds N] [--ms N] [--only TEXT] [--json PATH] [--markdown]';
const flags = parseFlags(
  {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    ms: { type: 'string' },
    only: { type: 'string' },
    json: { type: 'string' },
    markdown: { type: 'boolean', default: false },
    ...GROUP_FLAG,
  },
  USAGE,
);

const rounds = Number(flags.rounds ?? (flags.quick ? 3 : 7));
const ms = Number(flags.ms ?? (flags.quick ? 40 : 100));
if (!Number.isInteger(rounds) || rounds < 1 || !Number.isFinite(ms) || ms <= 0) {
  process.stderr.write(`usage: ${USAGE}\n`);
  process.exit(2);
}

/** A fixed clock, so that the tokens being verified never expire mid-run. */
const NOW = Math.floor(Date.now() / 1000);
const now = (): number => NOW;
const keyObject = createSecretKey(KEY);

function signVerifyGroup(algorithm: (typeof ALGORITHMS)[number], size: 'typical' | 'large'): Group {
  const payload = size === 'typical' ? typicalPayload(NOW) : largePayload(NOW);
  const options = { key: KEY, algorithm, noTimestamp: true } as const;
  const signer = createSigner(options);
  const verifyOptions = { key: KEY, algorithms: [algorithm], now } as const;
  const verifier = createVerifier(verifyOptions);
  const token = signer(payload);
  const input = token.slice(0, token.lastIndexOf('.'));
  const hash = HASH[algorithm];
  return {
    name: `${algorithm} ${size} (${token.length} chars)`,
    contestants: [
      { name: 'HMAC floor (node:crypto)', run: () => createHmac(hash, keyObject).update(input).digest() },
      { name: 'sign: createSigner', run: () => signer(payload) },
      { name: 'sign: one-shot sign()', run: () => sign(payload, KEY, { algorithm, noTimestamp: true }) },
      { name: 'verify: createVerifier', run: () => verifier(token) },
      { name: 'verify: one-shot verify()', run: () => verify(token, KEY, { algorithms: [algorithm], now }) },
    ],
  };
}

/** What one node:crypto call needs for each public-key algorithm: the floor our signer and verifier are held to. */
const FLOORS: Record<string, { hash: string | null; options: Partial<SignKeyObjectInput> }> = {
  RS256: { hash: 'sha256', options: { padding: constants.RSA_PKCS1_PADDING } },
  PS256: { hash: 'sha256', options: { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } },
  ES256: { hash: 'sha256', options: { dsaEncoding: 'ieee-p1363' } },
  EdDSA: { hash: null, options: {} },
};

/**
 * RS256, PS256, ES256 and EdDSA, signing and verifying a typical token, each next
 * to its floor: one crypto.sign / crypto.verify with a prepared KeyObject over
 * the same signing input. The cryptography dominates, so the target is 1.1×.
 */
function publicKeyGroups(algorithm: AlgorithmName): Group[] {
  const { privateKey, publicKey } = generateKeyPair(algorithm);
  const payload = typicalPayload(NOW);
  const signer = createSigner({ key: privateKey, algorithm, noTimestamp: true });
  const verifier = createVerifier({ key: publicKey, algorithms: [algorithm], now });
  const token = signer(payload);
  const dot = token.lastIndexOf('.');
  const input = Buffer.from(token.slice(0, dot));
  const signature = Buffer.from(token.slice(dot + 1), 'base64url');
  const floor = FLOORS[algorithm] ?? { hash: null, options: {} };
  const signInput: SignKeyObjectInput = { key: privateKey as KeyObject, ...floor.options };
  const verifyInput: VerifyKeyObjectInput = { key: publicKey as KeyObject, ...floor.options };
  return [
    {
      name: `${algorithm} typical sign (${token.length} chars)`,
      contestants: [
        { name: 'crypto.sign floor (node:crypto)', run: () => cryptoSign(floor.hash, input, signInput) },
        { name: 'sign: createSigner', run: () => signer(payload) },
      ],
    },
    {
      name: `${algorithm} typical verify`,
      contestants: [
        { name: 'crypto.verify floor (node:crypto)', run: () => cryptoVerify(floor.hash, input, verifyInput, signature) },
        { name: 'verify: createVerifier', run: () => verifier(token) },
      ],
    },
  ];
}

/** Rejections must be cheap: each of these throws, and the throw is part of the cost. */
function failureGroup(): Group {
  const signer = createSigner({ key: KEY, noTimestamp: true });
  const verifier = createVerifier({ key: KEY, now });
  const good = signer(typicalPayload(NOW));
  const input = good.slice(0, good.lastIndexOf('.'));
  const dot = good.lastIndexOf('.');
  const flipped = good.charAt(dot + 5) === 'A' ? 'B' : 'A';
  const badSignature = `${good.slice(0, dot + 5)}${flipped}${good.slice(dot + 6)}`;
  const expired = signer({ ...typicalPayload(NOW - 3600), exp: NOW - 60 });
  const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${good.split('.')[1] ?? ''}.`;
  const rejects = (token: string) => (): unknown => {
    try {
      return verifier(token);
    } catch (error) {
      return error;
    }
  };
  return {
    name: 'HS256 rejections',
    contestants: [
      { name: 'HMAC floor (node:crypto)', run: () => createHmac('sha256', keyObject).update(input).digest() },
      { name: 'verify: good token', run: () => verifier(good) },
      { name: 'reject: bad signature', run: rejects(badSignature) },
      { name: 'reject: expired', run: rejects(expired) },
      { name: 'reject: malformed (2 segments)', run: rejects('eyJhbGciOiJIUzI1NiJ9.e30') },
      { name: 'reject: alg none', run: rejects(none) },
      { name: 'reject: too large (9 KB)', run: rejects(`${good}${'A'.repeat(9000)}`) },
    ],
  };
}

function codecGroups(): Group[] {
  const groups: Group[] = [];
  for (const size of [32, 128, 512, 4096]) {
    const bytes = Buffer.from(Array.from({ length: size }, (_, i) => (i * 131 + 7) & 0xff));
    const text = bytes.toString('base64url');
    groups.push({
      name: `codec encode ${size} B`,
      contestants: [
        { name: 'Buffer base64url', run: () => bytes.toString('base64url') },
        { name: 'handwritten, fast', run: () => encodeBase64Url(bytes) },
        { name: 'handwritten, plain', run: () => encodePlain(bytes) },
      ],
    });
    groups.push({
      name: `codec decode ${size} B`,
      contestants: [
        { name: 'Buffer base64url', run: () => Buffer.from(text, 'base64url') },
        { name: 'handwritten, fast (strict)', run: () => decodeBase64Url(text) },
        { name: 'handwritten, plain (strict)', run: () => decodePlain(text) },
      ],
    });
  }
  return groups;
}

const all = [
  ...ALGORITHMS.flatMap((algorithm) => [signVerifyGroup(algorithm, 'typical'), signVerifyGroup(algorithm, 'large')]),
  ...(['RS256', 'PS256', 'ES256', 'EdDSA'] as const).flatMap(publicKeyGroups),
  failureGroup(),
  ...codecGroups(),
];
await measureIfChild(all, flags.group, { rounds, ms });

const groups = all.filter((group) => flags.only === undefined || group.name.includes(flags.only));
const started = Date.now();
const results = await measureApart(fileURLToPath(import.meta.url), groups, { rounds, ms });
process.stderr.write(`\rdone in ${((Date.now() - started) / 1000).toFixed(1)} s${' '.repeat(40)}\n`);

const cpu = cpus()[0]?.model ?? 'unknown CPU';
const heading = `${machine()}, ${cpus().length} × ${cpu}; ${rounds} rounds × ${ms} ms, medians`;
process.stdout.write(`${heading}\n\n${flags.markdown ? markdown(results) : table(results)}\n\n${noiseWarning(results)}\n`);

writeRounds('bench', started, flags.json, { machine: heading, settings: { rounds, ms }, results });
