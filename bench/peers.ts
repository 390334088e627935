/**
 * `npm run bench:peers`: plainjwt next to the fastest Node JWT libraries, in one
 * run, interleaved, on the same HS256 workloads, each used the way its
 * documentation recommends for speed:
 *   - jsonwebtoken with a KeyObject secret (sync);
 *   - fast-jwt with createSigner / createVerifier, with and without its cache;
 *   - jose with a pre-imported CryptoKey (its API is async, so every call is awaited).
 * The peers live in bench/peers/ with exact versions, installed there on first
 * use, never in the root package. Before anything is timed, every library's
 * token is verified by every other library.
 *
 * Each group is measured in a process of its own (apart.ts).
 *
 * Flags as for `npm run bench`: --quick, --rounds N, --ms N, --only TEXT, --markdown.
 */
import { spawnSync } from 'node:child_process';
import { constants, createHmac, createSecretKey, sign as cryptoSign, verify as cryptoVerify, webcrypto, type SignKeyObjectInput } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createSigner, createVerifier, generateKeyPair, type AlgorithmName } from '../lib/index.js';
import { parseFlags } from './flags.js';
import { GROUP_FLAG, measureApart, measureIfChild } from './apart.js';
import { median, roundRatios, type Group, type Result } from './measure.js';
import { intervalText, machine, markdown, noiseWarning, table } from './report.js';
import { KEY, largePayload, typicalPayload } from './workloads.js';

/** The parts of each peer's API used here, typed locally (the peers are not dependencies of the root). */
interface Peers {
  readonly jsonwebtoken: {
    sign(payload: object, key: unknown, options: object): string;
    verify(token: string, key: unknown, options: object): unknown;
  };
  readonly fastJwt: {
    createSigner(options: object): (payload: object) => string;
    createVerifier(options: object): (token: string) => unknown;
  };
  readonly jose: {
    SignJWT: new (payload: object) => { setProtectedHeader(header: object): { sign(key: unknown): Promise<string> } };
    jwtVerify(token: string, key: unknown, options: object): Promise<unknown>;
    importPKCS8(pem: string, alg: string): Promise<unknown>;
    importSPKI(pem: string, alg: string): Promise<unknown>;
  };
}

const flags = parseFlags(
  {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    ms: { type: 'string' },
    only: { type: 'string' },
    markdown: { type: 'boolean', default: false },
    ...GROUP_FLAG,
  },
  'bench:peers [--quick] [--rounds N] [--ms N] [--only TEXT] [--markdown]',
);
const rounds = Number(flags.rounds ?? (flags.quick ? 3 : 7));
const ms = Number(flags.ms ?? (flags.quick ? 40 : 150));

const peersDir = fileURLToPath(new URL('../../bench/peers/', import.meta.url));
if (!existsSync(`${peersDir}node_modules/fast-jwt`) || !existsSync(`${peersDir}node_modules/jose`) || !existsSync(`${peersDir}node_modules/jsonwebtoken`)) {
  process.stderr.write(`installing the peer libraries into ${peersDir} (once)…\n`);
  const install = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: peersDir, stdio: 'inherit' });
  if (install.status !== 0) {
    process.stderr.write('could not install the peers (npm ci in bench/peers failed)\n');
    process.exit(1);
  }
}
const loaderUrl = new URL('../../bench/peers/load.mjs', import.meta.url).href;
const peers = (await import(loaderUrl)) as Peers;

const NOW = Math.floor(Date.now() / 1000);
const keyObject = createSecretKey(KEY);
const cryptoKey = await webcrypto.subtle.importKey('raw', KEY, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);

/** The libraries, each as a (sync or async) signer and verifier for HS256 with the shared key. */
interface Library {
  readonly name: string;
  readonly async?: boolean;
  sign(payload: Record<string, unknown>): unknown;
  verify(token: string): unknown;
}

function libraries(): Library[] {
  const ours = { sign: createSigner({ key: KEY, noTimestamp: true }), verify: createVerifier({ key: KEY, now: () => NOW, skipAudienceCheck: true }) };
  const oursCached = createVerifier({ key: KEY, now: () => NOW, skipAudienceCheck: true, cache: { max: 1000 } });
  const fastSign = peers.fastJwt.createSigner({ key: KEY, algorithm: 'HS256', noTimestamp: true });
  const fastVerify = peers.fastJwt.createVerifier({ key: KEY, algorithms: ['HS256'], clockTimestamp: NOW * 1000, cache: false });
  const fastVerifyCached = peers.fastJwt.createVerifier({ key: KEY, algorithms: ['HS256'], clockTimestamp: NOW * 1000, cache: true });
  return [
    { name: 'plainjwt', sign: ours.sign, verify: ours.verify },
    { name: 'plainjwt (cache)', sign: ours.sign, verify: oursCached },
    {
      name: 'jsonwebtoken',
      sign: (payload) => peers.jsonwebtoken.sign(payload, keyObject, { algorithm: 'HS256', noTimestamp: true }),
      verify: (token) => peers.jsonwebtoken.verify(token, keyObject, { algorithms: ['HS256'], clockTimestamp: NOW }),
    },
    { name: 'fast-jwt', sign: fastSign, verify: fastVerify },
    { name: 'fast-jwt (cache)', sign: fastSign, verify: fastVerifyCached },
    {
      name: 'jose (async)',
      async: true,
      sign: (payload) => new peers.jose.SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(cryptoKey),
      verify: (token) => peers.jose.jwtVerify(token, cryptoKey, { algorithms: ['HS256'], currentDate: new Date(NOW * 1000) }),
    },
  ];
}

/** Every library's token must verify in every library, or the comparison means nothing. */
async function crossCheck(libs: readonly Library[], payload: Record<string, unknown>): Promise<void> {
  for (const signer of libs) {
    const token = String(await signer.sign(payload));
    for (const verifier of libs) {
      try {
        await verifier.verify(token);
      } catch (error) {
        throw new Error(`${verifier.name} does not verify ${signer.name}'s token: ${String(error)}`);
      }
    }
  }
}

const libs = libraries();
const groups: Group[] = [];
for (const [size, payload] of [['typical', typicalPayload(NOW)], ['large', largePayload(NOW)]] as const) {
  await crossCheck(libs, payload);
  const token = String(libs[0]?.sign(payload));
  const input = token.slice(0, token.lastIndexOf('.'));
  const floor = { name: 'HMAC floor (node:crypto)', run: () => createHmac('sha256', keyObject).update(input).digest() };
  const signers = libs.filter((lib) => !lib.name.endsWith('(cache)'));
  groups.push({
    name: `HS256 ${size} sign`,
    contestants: [floor, ...signers.map((lib) => ({ name: lib.name, run: () => lib.sign(payload), ...(lib.async === true && { async: true }) }))],
  });
  groups.push({
    name: `HS256 ${size} verify`,
    contestants: [floor, ...libs.map((lib) => ({ name: lib.name, run: () => lib.verify(token), ...(lib.async === true && { async: true }) }))],
  });
}
/**
 * RS256, PS256, ES256 and EdDSA: each library signs with the private key and
 * verifies with the public key, as its documentation recommends for speed
 * (prepared keys where it has them). jsonwebtoken has no EdDSA.
 */
const PUBLIC_KEY_FLOORS: Record<string, { hash: string | null; options: Partial<SignKeyObjectInput> }> = {
  RS256: { hash: 'sha256', options: { padding: constants.RSA_PKCS1_PADDING } },
  PS256: { hash: 'sha256', options: { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } },
  ES256: { hash: 'sha256', options: { dsaEncoding: 'ieee-p1363' } },
  EdDSA: { hash: null, options: {} },
};
for (const alg of ['RS256', 'PS256', 'ES256', 'EdDSA'] as const satisfies readonly AlgorithmName[]) {
  const { privateKey, publicKey } = generateKeyPair(alg);
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const josePrivate = await peers.jose.importPKCS8(privatePem, alg);
  const josePublic = await peers.jose.importSPKI(publicPem, alg);
  const fastSign = peers.fastJwt.createSigner({ key: privatePem, algorithm: alg, noTimestamp: true });
  const fastVerify = peers.fastJwt.createVerifier({ key: publicPem, algorithms: [alg], clockTimestamp: NOW * 1000, cache: false });
  const pkLibs: Library[] = [
    { name: 'plainjwt', sign: createSigner({ key: privateKey, algorithm: alg, noTimestamp: true }), verify: createVerifier({ key: publicKey, algorithms: [alg], now: () => NOW, skipAudienceCheck: true }) },
    ...(alg === 'EdDSA'
      ? []
      : [{ name: 'jsonwebtoken', sign: (payload: Record<string, unknown>) => peers.jsonwebtoken.sign(payload, privateKey, { algorithm: alg, noTimestamp: true }), verify: (token: string) => peers.jsonwebtoken.verify(token, publicKey, { algorithms: [alg], clockTimestamp: NOW }) }]),
    { name: 'fast-jwt', sign: fastSign, verify: fastVerify },
    {
      name: 'jose (async)',
      async: true,
      sign: (payload) => new peers.jose.SignJWT(payload).setProtectedHeader({ alg, typ: 'JWT' }).sign(josePrivate),
      verify: (token) => peers.jose.jwtVerify(token, josePublic, { algorithms: [alg], currentDate: new Date(NOW * 1000) }),
    },
  ];
  const payload = typicalPayload(NOW);
  await crossCheck(pkLibs, payload);
  const token = String(pkLibs[0]?.sign(payload));
  const dot = token.lastIndexOf('.');
  const input = Buffer.from(token.slice(0, dot));
  const signature = Buffer.from(token.slice(dot + 1), 'base64url');
  const floor = PUBLIC_KEY_FLOORS[alg] ?? { hash: null, options: {} };
  groups.push({
    name: `${alg} typical sign`,
    contestants: [
      { name: 'crypto.sign floor (node:crypto)', run: () => cryptoSign(floor.hash, input, { key: privateKey, ...floor.options }) },
      ...pkLibs.map((lib) => ({ name: lib.name, run: () => lib.sign(payload), ...(lib.async === true && { async: true }) })),
    ],
  });
  groups.push({
    name: `${alg} typical verify`,
    contestants: [
      { name: 'crypto.verify floor (node:crypto)', run: () => cryptoVerify(floor.hash, input, { key: publicKey, ...floor.options }, signature) },
      ...pkLibs.map((lib) => ({ name: lib.name, run: () => lib.verify(token), ...(lib.async === true && { async: true }) })),
    ],
  });
}

await measureIfChild(groups, flags.group, { rounds, ms });
process.stderr.write('every token verifies in every library\n');

const chosen = groups.filter((group) => flags.only === undefined || group.name.includes(flags.only));
const results = await measureApart(fileURLToPath(import.meta.url), chosen, { rounds, ms });
process.stderr.write('\n');

/**
 * "plainjwt ×": plainjwt's throughput divided by this row's, round by round, the
 * median of those (above 1: plainjwt is faster), and in brackets the 95%
 * confidence interval of that median (measure.ts), from 6 rounds on.
 */
const versusOurs = {
  title: 'plainjwt × [95% CI]',
  value: (result: Result): string => {
    const ours = results.find((r) => r.group === result.group && r.name === 'plainjwt');
    if (ours === undefined || result.name.includes('floor')) return '';
    if (result === ours) return '1.00';
    const ratios = roundRatios(ours, result);
    const interval = intervalText(ratios);
    return `${median(ratios).toFixed(2)}${interval === undefined ? '' : ` [${interval}]`}`;
  },
};
const heading = `${machine()}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}; ${rounds} rounds × ${ms} ms, medians; "plainjwt ×" is the median over rounds of the ratio within each round, with the 95% confidence interval of that median`;
process.stdout.write(`${heading}\n\n${flags.markdown ? markdown(results, versusOurs) : table(results, versusOurs)}\n\n${noiseWarning(results)}\n`);
