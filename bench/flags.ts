/**
 * Command-line flags for the bench scripts: parsed with node:util's parseArgs,
 * and a mistyped flag answered with the usage line (exit 2), not a stack trace.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseFlags<T extends Options>(options: T, usage: string): ReturnType<typeof parseArgs<{ options: T }>>['values'] {
  try {
    return parseArgs({ options }).values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\nusage: ${usage}\n`);
    process.exit(2);
  }
}
