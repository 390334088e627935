#!/usr/bin/env node
/**
 * `jwt`: look inside tokens and learn why they fail, from the terminal.
 * Commands: decode, verify, sign, explain, keygen. Exit codes: 0 success,
 * 1 an invalid token (or a signature that does not match), 2 a usage error.
 */
import { readFileSync } from 'node:fs';
import { decodeCommand, DECODE_USAGE } from './decode.js';
import { explainCommand, EXPLAIN_USAGE } from './explain.js';
import { UsageError } from './input.js';
import { keygenCommand, KEYGEN_USAGE } from './keygen.js';
import { terminal, type Output } from './output.js';
import { signCommand, SIGN_USAGE } from './sign.js';
import { verifyCommand, VERIFY_USAGE } from './verify.js';

const USAGE = `usage: jwt <command> [options]

  decode  [TOKEN]                 show what is inside a token (verifies nothing)
  verify  --key KEY [TOKEN]       check signature and claims, explain any failure
  sign    --key KEY [PAYLOAD]     make a token
  explain --key KEY [TOKEN]       walk through how the signature is made
  keygen  [--alg HS256]           make a random key of the right length

TOKEN is read from stdin when not given. \`jwt <command> --help\` for details.`;

type Command = (args: string[], output: Output) => number | Promise<number>;
const COMMANDS: Record<string, [Command, string]> = {
  decode: [decodeCommand, DECODE_USAGE],
  verify: [verifyCommand, VERIFY_USAGE],
  sign: [signCommand, SIGN_USAGE],
  explain: [explainCommand, EXPLAIN_USAGE],
  keygen: [keygenCommand, KEYGEN_USAGE],
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

async function main(argv: string[], output: Output): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    output.out(USAGE);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    output.out(version());
    return 0;
  }
  const entry = COMMANDS[name];
  if (entry === undefined) {
    output.err(`jwt: unknown command ${JSON.stringify(name)}`);
    output.err(USAGE);
    return 2;
  }
  const [command, usage] = entry;
  if (args.includes('--help') || args.includes('-h')) {
    output.out(usage);
    return 0;
  }
  try {
    return await command(args, output);
  } catch (error) {
    // parseArgs reports unknown options and missing values with ERR_PARSE_ARGS_* codes.
    const code = (error as { code?: unknown }).code;
    if (error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      output.err(`jwt ${name}: ${(error as Error).message}`);
      output.err(usage);
      return 2;
    }
    throw error;
  }
}

// A reader that goes away (`jwt decode … | head -1`) closes the pipe: stop
// quietly, as Unix tools do, instead of dying with an EPIPE stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await main(process.argv.slice(2), terminal());
