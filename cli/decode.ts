/** `jwt decode [TOKEN]`: the three segments, the decoded header and payload, each claim explained. Verifies nothing. */
import { parseArgs } from 'node:util';
import { decodeUnverified, encodeBase64Url, JwtError } from '../lib/index.js';
import { explainClaims } from './claims.js';
import { diagnose } from './diagnose.js';
import { readNow, readToken } from './input.js';
import { paint, paintToken, type Output } from './output.js';

export const DECODE_USAGE = `usage: jwt decode [--json] [--now SECONDS] [TOKEN]

Shows what is inside a token: its three segments, the decoded header and
payload, and what each claim means. Decoding checks NOTHING: anyone can write
any header and payload. Use \`jwt verify\` to check the signature and claims.
TOKEN comes from the argument or stdin.

  --json          print a machine-readable result
  --now SECONDS   pretend the time is SECONDS since 1970 (for "expires in …")`;

export async function decodeCommand(args: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean', default: false }, now: { type: 'string' } } });
  const token = await readToken(positionals[0]);
  const now = readNow(values.now);
  let decoded;
  try {
    decoded = decodeUnverified(token);
  } catch (error) {
    if (!(error instanceof JwtError)) throw error;
    if (values.json) output.out(JSON.stringify({ valid: false, code: error.code, message: error.message }, null, 2));
    else for (const line of diagnose(error, { token, key: undefined, now, allowShortKey: false }, output)) output.err(line);
    return 1;
  }
  const claims = explainClaims(decoded.payload, now);
  if (values.json) {
    output.out(
      JSON.stringify(
        { verified: false, segments: decoded.segments, header: decoded.header, payload: decoded.payload, signature: encodeBase64Url(decoded.signature), signatureBytes: decoded.signature.length, claims },
        null,
        2,
      ),
    );
    return 0;
  }
  const { segments } = decoded;
  output.out(paintToken(output, token));
  output.out('');
  output.out(`${paint(output, 'red', 'header')}     ${segments.header}`);
  output.out(JSON.stringify(decoded.header, null, 2));
  output.out('');
  output.out(`${paint(output, 'magenta', 'payload')}    ${segments.payload}`);
  output.out(JSON.stringify(decoded.payload, null, 2));
  output.out('');
  output.out(`${paint(output, 'cyan', 'signature')}  ${segments.signature} (${decoded.signature.length} bytes)`);
  if (claims.length > 0) {
    output.out('');
    output.out(paint(output, 'bold', 'claims'));
    const width = Math.max(...claims.map((line) => line.claim.length));
    for (const line of claims) {
      output.out(`  ${line.claim.padEnd(width)}  ${line.meaning} (${line.source})`);
      output.out(`  ${' '.repeat(width)}  = ${line.note ?? JSON.stringify(line.value)}`);
    }
  }
  output.out('');
  output.out(paint(output, 'yellow', 'Not verified: decoding checks nothing. Run `jwt verify --key …` to check the signature and claims.'));
  return 0;
}
