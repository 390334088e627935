/** The `jwt` command line, run as a child process: each command, each diagnosis, stdin, colour and exit codes. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sign } from '../../lib/index.js';

const CLI = fileURLToPath(new URL('../../cli/main.js', import.meta.url));
const RFC_KEY = 'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow';
const RFC_TOKEN =
  'eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const RFC = ['--key', RFC_KEY, '--key-encoding', 'base64url'];
const BEFORE_EXP = ['--now', '1300819000'];
const KEY = 'k'.repeat(32);

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function jwt(args: string[], options: { input?: string; env?: Record<string, string> } = {}): Run {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...options.env };
  const result = spawnSync(process.execPath, [CLI, ...args], { input: options.input ?? '', env, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('jwt: usage', () => {
  it('prints help and version', () => {
    const help = jwt(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^usage: jwt <command> \[options\]/);
    assert.match(jwt(['--version']).stdout, /^\d+\.\d+\.\d+\n$/);
    assert.match(jwt(['verify', '--help']).stdout, /^usage: jwt verify \(--key KEY \| --key-file FILE\)/);
    for (const command of ['decode', 'sign', 'explain', 'keygen']) assert.match(jwt([command, '-h']).stdout, new RegExp(`^usage: jwt ${command}`));
  });

  it('exits 2 with a one-line error and the usage for bad invocations', () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /usage: jwt <command>/],
      [['frobnicate'], /jwt: unknown command "frobnicate"/],
      [['decode', '--colour', RFC_TOKEN], /jwt decode: Unknown option '--colour'/],
      [['verify', RFC_TOKEN], /jwt verify: give the key with exactly one of --key or --key-file/],
      [['verify', '--key', 'a', '--key-file', 'b', RFC_TOKEN], /exactly one of --key or --key-file/],
      [['verify', '--key'], /jwt verify: Option '--key <value>' argument missing/],
      [['verify', ...RFC, '--alg', 'ES256K', RFC_TOKEN], /--alg: "ES256K" is not one of HS256, HS384, HS512, RS256/],
      [['verify', '--key', 'zz', '--key-encoding', 'hex', RFC_TOKEN], /the key is not valid hex/],
      [['verify', '--key', 'a=b', '--key-encoding', 'base64url', RFC_TOKEN], /the key is not valid base64url/],
      [['verify', '--key', 'x', '--key-encoding', 'latin1', RFC_TOKEN], /--key-encoding must be text, base64url or hex/],
      [['verify', '--key-file', '/nonexistent/key', RFC_TOKEN], /cannot read the key file/],
      [['verify', ...RFC, '--leeway', 'soon', RFC_TOKEN], /--leeway must be a duration/],
      [['decode', '--now', 'later', RFC_TOKEN], /--now must be a number of seconds/],
      [['decode'], /the token is empty/],
      [['decode', '   '], /the token is empty/],
      [['sign', '--key', KEY, '{not json'], /the payload is not JSON/],
      [['sign', '--key', KEY, '[1]'], /the payload must be a JSON object/],
      [['sign', '--key', KEY, '--claim', 'novalue'], /--claim must look like name=value/],
      [['sign', '--key', KEY, '--alg', 'none'], /--alg: "none" is not one of HS256/],
      [['keygen', '--alg', 'ES256K'], /--alg must be one of HS256, HS384, HS512, RS256/],
      [['keygen', '--format', 'base64'], /--format must be base64url or hex/],
    ];
    for (const [args, message] of cases) {
      const run = jwt(args);
      assert.equal(run.status, 2, args.join(' '));
      assert.match(run.stderr + run.stdout, message, args.join(' '));
      assert.match(run.stderr + run.stdout, /usage: jwt/, args.join(' '));
    }
  });
});

describe('jwt decode', () => {
  it('shows segments, header, payload and explained claims (golden output, no colour)', () => {
    const run = jwt(['decode', ...BEFORE_EXP, RFC_TOKEN]);
    assert.equal(run.status, 0);
    assert.equal(
      run.stdout,
      [
        RFC_TOKEN,
        '',
        'header     eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9',
        '{\n  "typ": "JWT",\n  "alg": "HS256"\n}',
        '',
        'payload    eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ',
        '{\n  "iss": "joe",\n  "exp": 1300819380,\n  "http://example.com/is_root": true\n}',
        '',
        'signature  dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk (32 bytes)',
        '',
        'claims',
        '  iss  issuer: who made the token (RFC 7519 §4.1.1)',
        '       = "joe"',
        '  exp  expiration time: not valid from then on (RFC 7519 §4.1.4)',
        '       = 2011-03-22T18:43:00.000Z, expires in 6 min',
        '',
        'Not verified: decoding checks nothing. Run `jwt verify --key …` to check the signature and claims.',
        '',
      ].join('\n'),
    );
  });

  it('reads the token from stdin, trimming whitespace', () => {
    const run = jwt(['decode', ...BEFORE_EXP], { input: `\n  ${RFC_TOKEN}  \n` });
    assert.equal(run.status, 0);
    assert.ok(run.stdout.startsWith(RFC_TOKEN));
  });

  it('explains every time claim relative to now, and the flask_jwt_extended claims', () => {
    const now = 1_800_000_000;
    const token = sign({ fresh: now + 300, type: 'access', csrf: 'c-1', jti: 'j-1', sub: 'alice', aud: 'api', nbf: now - 60, iat: now - 7200 }, KEY, { noTimestamp: true, expiresIn: 0 });
    const run = jwt(['decode', '--now', String(now), token]);
    assert.match(run.stdout, /nbf .*\n\s+= 2027-01-15T07:59:00\.000Z, valid since 1 min ago/);
    assert.match(run.stdout, /iat .*\n\s+= 2027-01-15T06:00:00\.000Z, 2 h ago/);
    assert.match(run.stdout, /exp .*\n\s+= 2027-01-15T06:00:00\.000Z, expired 2 h ago/);
    assert.match(run.stdout, /fresh .*flask_jwt_extended\)\n\s+= fresh until 2027-01-15T08:05:00\.000Z, for another 5 min/);
    assert.match(run.stdout, /type +type: access or refresh token/);
    assert.match(run.stdout, /csrf +CSRF value/);
    assert.match(run.stdout, /jti +JWT ID/);
    assert.match(run.stdout, /aud +audience/);
    const future = sign({ nbf: now + 86400 * 3, iat: now + 60, exp: now + 86400 * 800 }, KEY, { noTimestamp: true });
    const later = jwt(['decode', '--now', String(now), future]);
    assert.match(later.stdout, /not valid for another 3 days/);
    assert.match(later.stdout, /1 min in the future \(a verifier refuses it\)/);
    assert.match(later.stdout, /expires in 2 years/);
  });

  it('prints machine-readable JSON with --json', () => {
    const run = jwt(['decode', '--json', ...BEFORE_EXP, RFC_TOKEN]);
    const result = JSON.parse(run.stdout) as { verified: boolean; header: object; payload: { iss: string }; signature: string; signatureBytes: number; claims: Array<{ claim: string; note?: string }> };
    assert.equal(result.verified, false);
    assert.deepEqual(result.header, { typ: 'JWT', alg: 'HS256' });
    assert.equal(result.payload.iss, 'joe');
    assert.equal(result.signature, 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
    assert.equal(result.signatureBytes, 32);
    assert.deepEqual(result.claims.map((claim) => claim.claim), ['iss', 'exp']);
    const bad = jwt(['decode', '--json', 'a.b']);
    assert.equal(bad.status, 1);
    assert.deepEqual(JSON.parse(bad.stdout), { valid: false, code: 'ERR_JWT_MALFORMED', message: 'a JWT has 3 segments separated by dots, this one has 2 (RFC 7515 §7.1)' });
  });

  it('points at the bad segment and character of a malformed token', () => {
    const broken = `${RFC_TOKEN.slice(0, 10)}=${RFC_TOKEN.slice(11)}`;
    const run = jwt(['decode', broken]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /^error ERR_BASE64URL_INVALID: header segment: '=' padding is not allowed/);
    assert.match(run.stderr, /At position 10 of the header segment \(position 10 of the token, counting from 0\):\n  eyJ0eXAiOi=.*\n {12}\^/);
    const dots = jwt(['decode', 'a.b.c.d']);
    assert.match(dots.stderr, /exactly two dots\. This one has 3/);
    const notObject = jwt(['decode', `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from('[1]').toString('base64url')}.`]);
    assert.match(notObject.stderr, /The payload segment decodes, but not to a JSON object/);
  });

  it('colours the segments only when asked and NO_COLOR is unset', () => {
    const coloured = jwt(['decode', ...BEFORE_EXP, RFC_TOKEN], { env: { FORCE_COLOR: '1' } });
    assert.ok(coloured.stdout.startsWith('\u001b[31meyJ0eXAi'), JSON.stringify(coloured.stdout.slice(0, 20)));
    assert.match(coloured.stdout, /\u001b\[35meyJpc3Mi/);
    assert.match(coloured.stdout, /\u001b\[36mdBjftJeZ/);
    const plain = jwt(['decode', ...BEFORE_EXP, RFC_TOKEN], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    assert.doesNotMatch(plain.stdout, /\u001b\[/);
  });
});

describe('jwt verify', () => {
  it('prints the payload and exits 0 for a valid token', () => {
    const run = jwt(['verify', ...RFC, ...BEFORE_EXP, RFC_TOKEN]);
    assert.equal(run.status, 0);
    assert.deepEqual(JSON.parse(run.stdout), { iss: 'joe', exp: 1300819380, 'http://example.com/is_root': true });
    assert.match(run.stderr, /valid: signature \(HS256\) and claims check out/);
    const json = jwt(['verify', ...RFC, ...BEFORE_EXP, '--json', RFC_TOKEN]);
    assert.equal(JSON.parse(json.stdout).valid, true);
  });

  it('says when and how long ago a token expired', () => {
    const run = jwt(['verify', ...RFC, '--now', '1300822980', RFC_TOKEN]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /^error ERR_JWT_EXPIRED: token expired at 2011-03-22T18:43:00\.000Z/);
    assert.match(run.stderr, /The token expired at 2011-03-22T18:43:00\.000Z, 1 h ago/);
    const json = jwt(['verify', ...RFC, '--json', RFC_TOKEN]);
    assert.equal(JSON.parse(json.stdout).code, 'ERR_JWT_EXPIRED');
    assert.equal(jwt(['verify', ...RFC, '--now', '1300819400', '--leeway', '1m', RFC_TOKEN]).status, 0);
  });

  it('shows the signing input, the expected signature and the one in the token when they differ', () => {
    const run = jwt(['verify', '--key', KEY, ...BEFORE_EXP, RFC_TOKEN]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /^error ERR_JWT_SIGNATURE_INVALID/);
    assert.match(run.stderr, /signing input: eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9\.eyJpc3Mi/);
    assert.match(run.stderr, /expected with this key: [\w-]{43}\n/);
    assert.match(run.stderr, /in the token: +dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk/);
  });

  it('names the allow-list for a refused algorithm, and explains alg none', () => {
    const hs512 = sign({}, 'x'.repeat(64), { algorithm: 'HS512' });
    const run = jwt(['verify', '--key', 'x'.repeat(64), hs512]);
    assert.match(run.stderr, /The token says "alg": "HS512"; this verifier allows only HS256 \(--alg\)/);
    assert.equal(jwt(['verify', '--key', 'x'.repeat(64), '--alg', 'HS256,HS512', hs512]).status, 0);
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"admin"}').toString('base64url')}.`;
    const refused = jwt(['verify', '--key', KEY, none]);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /"none" means "no signature"/);
  });

  it('refuses a weak key with advice, and accepts it with --insecure-short-key', () => {
    const token = sign({ sub: 'a' }, 'secret', { allowInsecureShortKey: true });
    const run = jwt(['verify', '--key', 'secret', token]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /ERR_JWT_KEY_WEAK/);
    assert.match(run.stderr, /jwt keygen/);
    assert.equal(jwt(['verify', '--key', 'secret', '--insecure-short-key', token]).status, 0);
  });

  it('checks aud and iss when given, and not-yet-valid tokens get a hint about clocks', () => {
    const token = sign({ aud: 'api', iss: 'me' }, KEY);
    assert.equal(jwt(['verify', '--key', KEY, '--aud', 'api', '--iss', 'me', token]).status, 0);
    assert.match(jwt(['verify', '--key', KEY, '--aud', 'web', token]).stderr, /ERR_JWT_CLAIM_INVALID/);
    assert.match(jwt(['verify', '--key', KEY, '--aud', 'api', '--iss', 'you', token]).stderr, /"iss" does not match/);
    const future = sign({ nbf: 2_000_000_000 }, KEY, { noTimestamp: true });
    assert.match(jwt(['verify', '--key', KEY, '--now', '1999999000', future]).stderr, /in 16 min\. Are the clocks/);
  });

  it('reads keys from files, raw or encoded', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jwt-cli-'));
    writeFileSync(join(dir, 'raw'), Buffer.from(RFC_KEY, 'base64url'));
    writeFileSync(join(dir, 'b64'), `${RFC_KEY}\n`);
    writeFileSync(join(dir, 'hex'), Buffer.from(RFC_KEY, 'base64url').toString('hex'));
    assert.equal(jwt(['verify', '--key-file', join(dir, 'raw'), ...BEFORE_EXP, RFC_TOKEN]).status, 0);
    assert.equal(jwt(['verify', '--key-file', join(dir, 'b64'), '--key-encoding', 'base64url', ...BEFORE_EXP, RFC_TOKEN]).status, 0);
    assert.equal(jwt(['verify', '--key-file', join(dir, 'hex'), '--key-encoding', 'hex', ...BEFORE_EXP, RFC_TOKEN]).status, 0);
  });
});

describe('jwt sign', () => {
  it('makes a token with registered claims, durations and typed --claim values', () => {
    const run = jwt(['sign', '--key', KEY, '--now', '1800000000', '--exp', '15m', '--nbf', '0', '--sub', 'alice', '--iss', 'me', '--aud', 'api', '--jti', 'id-1', '--claim', 'admin=true', '--claim', 'level=3', '--claim', 'name=Zoë', '{"team":"blue"}']);
    assert.equal(run.status, 0);
    const payload = JSON.parse(Buffer.from(run.stdout.trim().split('.')[1] ?? '', 'base64url').toString());
    assert.deepEqual(payload, { team: 'blue', admin: true, level: 3, name: 'Zoë', iat: 1800000000, nbf: 1800000000, exp: 1800000900, aud: 'api', iss: 'me', sub: 'alice', jti: 'id-1' });
    const verified = jwt(['verify', '--key', KEY, '--now', '1800000001', '--aud', 'api', run.stdout.trim()]);
    assert.equal(verified.status, 0);
  });

  it('reads the payload from stdin with -, signs with other algorithms, and reports lib errors', () => {
    const run = jwt(['sign', '--key', 'x'.repeat(48), '--alg', 'HS384', '-'], { input: '{"sub":"bob"}' });
    assert.equal(run.status, 0);
    assert.match(Buffer.from(run.stdout.split('.')[0] ?? '', 'base64url').toString(), /"alg":"HS384"/);
    const weak = jwt(['sign', '--key', KEY, '--alg', 'HS512', '{}']);
    assert.equal(weak.status, 1);
    assert.match(weak.stderr, /error ERR_JWT_KEY_WEAK: HS512 needs a key of at least 64 bytes/);
    const conflict = jwt(['sign', '--key', KEY, '--sub', 'a', '{"sub":"b"}']);
    assert.match(conflict.stderr, /ERR_JWT_PAYLOAD_INVALID/);
    for (const duration of ['90', '90s', '2h', '1d']) assert.equal(jwt(['sign', '--key', KEY, '--exp', duration]).status, 0);
  });
});

describe('jwt explain', () => {
  it('walks through the RFC 7515 A.1 signature step by step', () => {
    const run = jwt(['explain', ...RFC, RFC_TOKEN]);
    assert.equal(run.status, 0);
    assert.match(run.stdout, /1\. The header, as the exact JSON bytes in the token:\n {5}"\{\\"typ\\":\\"JWT\\",\\r\\n \\"alg\\":\\"HS256\\"\}"/);
    assert.match(run.stdout, /3\. The signing input is header "\." payload/);
    assert.match(run.stdout, /4\. HMAC-SHA-256\(key, signing input\), 32 bytes:\n {5}74 18 df b4 97 99 e0 25 4f fa 60 7d d8 ad bb ba 16 d4 25 4d 69 d6 bf f0 5b 58 05 58 53 84 8d 79\n/);
    assert.match(run.stdout, /5\. BASE64URL of those bytes = dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk/);
    assert.match(run.stdout, /They match/);
  });

  it('says when the signature does not match, or cannot be computed', () => {
    const wrong = jwt(['explain', '--key', KEY, RFC_TOKEN]);
    assert.equal(wrong.status, 1);
    assert.match(wrong.stdout, /They differ/);
    const none = jwt(['explain', '--key', KEY, `${Buffer.from('{"alg":"none"}').toString('base64url')}.e30.`]);
    assert.equal(none.status, 1);
    assert.match(none.stderr, /Cannot compute the signature: "alg" is "none"/);
    const malformed = jwt(['explain', '--key', KEY, 'x.y']);
    assert.equal(malformed.status, 1);
    assert.match(malformed.stderr, /ERR_JWT_MALFORMED/);
  });
});

describe('jwt keygen', () => {
  it('makes random keys of the algorithm hash length', () => {
    const first = jwt(['keygen']).stdout.trim();
    const second = jwt(['keygen']).stdout.trim();
    assert.equal(Buffer.from(first, 'base64url').length, 32);
    assert.notEqual(first, second);
    assert.match(jwt(['keygen', '--alg', 'HS512', '--format', 'hex']).stdout, /^[0-9a-f]{128}\n$/);
    assert.equal(Buffer.from(jwt(['keygen', '--alg', 'HS384']).stdout.trim(), 'base64url').length, 48);
  });
});

describe('jwt: what a newcomer trips over', () => {
  const KEY = 'k'.repeat(40);
  const signed = (): string => jwt(['sign', '--key', KEY, '--now', '1700000000', '{"sub":"alice"}']).stdout.trim();

  it('ends quietly when the reader closes the pipe (jwt decode … | head -1)', () => {
    const token = signed();
    const script = `"${process.execPath}" "${CLI}" decode ${token} | head -1`;
    for (let i = 0; i < 3; i++) {
      const run = spawnSync('bash', ['-o', 'pipefail', '-c', script], { encoding: 'utf8' });
      assert.equal(run.stderr, '', 'no EPIPE stack trace');
      assert.equal(run.status, 0);
      assert.equal(run.stdout, `${token}\n`);
    }
  });

  it('escapes every non-printable character it echoes from a token', () => {
    const evil = 'eyJhbGciOiJIUzI1NiJ9.e30.ab\u001b]0;pwned\u0007\u009b31m\u202e\nX';
    for (const command of [['decode', evil], ['verify', '--key', KEY, evil]]) {
      const run = jwt(command);
      assert.equal(run.status, 1);
      assert.doesNotMatch(run.stderr, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/, 'no raw control or bidi character');
      assert.match(run.stderr, /ab\\x1b\]0;pwned\\x07\\x9b31m\\u202e\\x0aX/);
    }
    // Control characters inside the JSON of a decodable token are escaped too.
    const header = Buffer.from('{"alg":"HS256","kid":"\u009b2J\u202e"}').toString('base64url');
    const decoded = jwt(['decode', `${header}.e30.c2ln`]);
    assert.doesNotMatch(decoded.stdout, /[\u007f-\u009f\u202e]/);
    assert.match(decoded.stdout, /\\x9b2J\\u202e/);
  });

  it('says when a token looks cut off, or was pasted with its Bearer prefix, counting positions in the segment', () => {
    const token = signed();
    const cut = jwt(['decode', token.slice(0, token.length - 2)]);
    assert.match(cut.stderr, /Hint: this token looks cut off/);
    assert.match(cut.stderr, /At position \d+ of the signature segment \(position \d+ of the token, counting from 0\)/);
    const twoSegments = jwt(['decode', token.slice(0, token.lastIndexOf('.'))]);
    assert.match(twoSegments.stderr, /This one has 1\.\nHint: this token looks cut off/);
    const bearerPasted = jwt(['verify', '--key', KEY, `Bearer ${token}`]);
    assert.match(bearerPasted.stderr, /Hint: drop the "Bearer " prefix/);
    const truncated = Buffer.from(token.slice(token.lastIndexOf('.') + 1), 'base64url').subarray(0, 20).toString('base64url');
    const shortSignature = jwt(['verify', '--key', KEY, '--now', '1700000000', `${token.slice(0, token.lastIndexOf('.'))}.${truncated}`]);
    assert.match(shortSignature.stderr, /was the token cut off when copied\?/);
  });

  it('tells one story about keys: keygen text is the key as is; a wrong --key-encoding is spotted', () => {
    const key = jwt(['keygen', '--alg', 'HS512']).stdout.trim();
    assert.match(key, /^[A-Za-z0-9_-]{86}$/);
    assert.match(jwt(['keygen', '--help']).stdout, /JWT_SECRET_KEY=<it> for the server/);
    const token = jwt(['sign', '--alg', 'HS512', '--key', key, '{}']).stdout.trim();
    assert.equal(jwt(['verify', '--alg', 'HS512', '--key', key, token]).status, 0);
    const wrong = jwt(['verify', '--alg', 'HS512', '--key', key, '--key-encoding', 'base64url', token]);
    assert.equal(wrong.status, 1);
    assert.match(wrong.stderr, /did you mean --key-encoding text\?/);
    const rfc = jwt(['verify', '--key', RFC_KEY, ...BEFORE_EXP, RFC_TOKEN]);
    assert.match(rfc.stderr, /did you mean --key-encoding base64url\?/);
  });

  it('names the actual problem when explain cannot compute the signature', () => {
    const token = signed();
    assert.match(jwt(['explain', '--key', '', token]).stderr, /Cannot compute the signature: the key is empty\./);
    assert.match(jwt(['explain', '--key', 'short', token]).stderr, /HS256 needs a key of at least 32 bytes .*--insecure-short-key/);
    assert.match(jwt(['explain', '--key', KEY, 'eyJhbGciOiJub25lIn0.e30.']).stderr, /"alg" is "none": such a token has no signature at all/);
  });

  it('names the flags the user typed, not the library options', () => {
    const both = jwt(['sign', '--key', KEY, '--exp', '15m', '{"exp":5}']);
    assert.match(both.stderr, /set it there or with --exp, not both/);
    assert.doesNotMatch(both.stderr, /expiresIn/);
    const millis = jwt(['sign', '--key', KEY, '--claim', 'exp=1700000000000']);
    assert.match(millis.stderr, /JWT times are seconds since 1970, not milliseconds/);
  });
});

describe('jwt with public keys', () => {
  const dir = mkdtempSync(join(tmpdir(), 'plainjwt-cli-keys-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keygen makes key pairs as PEM files (the private one owner-only) or JWKs', () => {
    const made = jwt(['keygen', '--alg', 'ES256', '--out', join(dir, 'es')]);
    assert.equal(made.status, 0, made.stderr);
    assert.match(made.stdout, /es\.key\.pem {2}the private key \(owner-only\)/);
    assert.equal(statSync(join(dir, 'es.key.pem')).mode & 0o777, 0o600);
    assert.match(readFileSync(join(dir, 'es.pub.pem'), 'utf8'), /^-----BEGIN PUBLIC KEY-----/);
    const printed = jwt(['keygen', '--alg', 'RS256']);
    assert.match(printed.stdout, /-----BEGIN PRIVATE KEY-----[\s\S]*-----BEGIN PUBLIC KEY-----/);
    const jwks = jwt(['keygen', '--alg', 'EdDSA', '--jwk', '--out', join(dir, 'ed')]);
    assert.equal(jwks.status, 0);
    const publicJwk = JSON.parse(readFileSync(join(dir, 'ed.pub.jwk.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(publicJwk).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x']);
    assert.equal(jwt(['keygen', '--alg', 'ES256', '--out', join(dir, 'es')]).status, 2, 'never overwrites a key');
  });

  it('signs with a private key file and verifies with the public key as PEM, JWK or JWK Set; the alg comes from the key', () => {
    const token = jwt(['sign', '--key-file', join(dir, 'es.key.pem'), '{"sub":"alice"}']).stdout.trim();
    assert.equal(JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()).alg, 'ES256');
    const valid = jwt(['verify', '--key-file', join(dir, 'es.pub.pem'), token]);
    assert.equal(valid.status, 0, valid.stderr);
    assert.match(valid.stderr, /valid: signature \(ES256\)/);
    const edToken = jwt(['sign', '--key-file', join(dir, 'ed.key.jwk.json'), '{"sub":"bob"}']).stdout.trim();
    assert.equal(jwt(['verify', '--key-file', join(dir, 'ed.pub.jwk.json'), edToken]).status, 0);
    const set = join(dir, 'jwks.json');
    writeFileSync(set, JSON.stringify({ keys: [JSON.parse(readFileSync(join(dir, 'ed.pub.jwk.json'), 'utf8'))] }));
    assert.equal(jwt(['verify', '--key-file', set, edToken]).status, 0);
    const unknown = jwt(['verify', '--key-file', set, '--alg', 'EdDSA', token]);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /ERR_JWT_ALG_NOT_ALLOWED/);
    const wrongKey = jwt(['verify', '--key-file', join(dir, 'es.pub.pem'), '--alg', 'RS256', token]);
    assert.match(wrongKey.stderr, /RS256 needs an RSA key, not an EC key/);
    assert.equal(jwt(['sign', '--key-file', set, '{}']).status, 2, 'a JWK Set cannot sign');
  });

  it('explains a public-key token: what the private key did, what the public key checks', () => {
    const token = jwt(['sign', '--key-file', join(dir, 'es.key.pem'), '{"sub":"alice","exp":1}']).stdout.trim();
    const run = jwt(['explain', '--key-file', join(dir, 'es.pub.pem'), token]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /4\. The signer hashed the signing input \(SHA-256\) and signed it with its private key/);
    assert.match(run.stdout, /r ‖ s, 32 \+ 32 bytes/);
    assert.match(run.stdout, /It checks out/);
    assert.match(run.stdout, /anyone can verify; only the holder of the private key/);
    const [h, , sig] = token.split('.');
    const tampered = jwt(['explain', '--key-file', join(dir, 'es.pub.pem'), `${h}.${Buffer.from('{"sub":"mallory"}').toString('base64url')}.${sig}`]);
    assert.equal(tampered.status, 1);
    assert.match(tampered.stdout, /It does not check out/);
    const verifyTampered = jwt(['verify', '--key-file', join(dir, 'es.pub.pem'), `${h}.${Buffer.from('{"sub":"mallory"}').toString('base64url')}.${sig}`]);
    assert.match(verifyTampered.stderr, /does not verify with this public key/);
  });
});
