/**
 * The test reporter `npm test` uses: a dot per passing test, every failure in
 * full, every skipped test or suite with its reason (a suite skipped because
 * Chromium or Redis is missing counts as skipped, with the install command),
 * and a closing summary. Node's spec reporter prints a line per test, some 400
 * lines that bury what matters.
 *
 * Loaded with --test-reporter; importing it does nothing, so it is harmless
 * when `node --test dist/test/` also loads it as a test file.
 */
import type { TestEvent } from 'node:test/reporters';

type Data<T extends TestEvent['type']> = Extract<TestEvent, { type: T }>['data'];

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
  todo: number;
}

export default async function* reporter(source: AsyncIterable<TestEvent>): AsyncGenerator<string, void> {
  const tally: Tally = { passed: 0, failed: 0, skipped: 0, todo: 0 };
  const skips: string[] = [];
  const failures: string[] = [];
  const output: string[] = [];
  const started = Date.now();
  let column = 0;
  for await (const event of source) {
    if (event.type === 'test:pass' || event.type === 'test:fail') {
      const data: Data<'test:pass'> | Data<'test:fail'> = event.data;
      if (isFileEntry(data) && event.type === 'test:pass') continue;
      const suite = data.details.type === 'suite';
      if (data.skip !== undefined) {
        tally.skipped++;
        skips.push(`  ${suite ? 'suite' : 'test'} "${data.name}"${where(data)}: ${typeof data.skip === 'string' ? data.skip : 'skipped'}`);
        continue;
      }
      if (data.todo !== undefined) {
        tally.todo++;
        continue;
      }
      if (event.type === 'test:fail') {
        // A suite or file fails when a test inside it failed: that test is reported already.
        if ((suite || isFileEntry(data)) && isSubtestFailure(event.data)) continue;
        tally.failed++;
        failures.push(describeFailure(event.data));
        yield 'F';
      } else {
        if (suite) continue;
        tally.passed++;
        yield '.';
      }
      if (++column % 80 === 0) yield '\n';
    } else if (event.type === 'test:stderr' || event.type === 'test:stdout') {
      output.push(`  ${event.data.file ?? 'a test'}: ${event.data.message.trimEnd()}`);
    }
  }
  yield '\n';
  if (output.length > 0) yield `\noutput from the tests:\n${output.join('\n')}\n`;
  if (failures.length > 0) yield `\nfailures:\n${failures.join('\n\n')}\n`;
  if (skips.length > 0) yield `\nskipped:\n${skips.join('\n')}\n`;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  yield `\n# tests ${tally.passed + tally.failed + tally.skipped}\n# pass ${tally.passed}\n# fail ${tally.failed}\n# skipped ${tally.skipped}\n# todo ${tally.todo}\n# duration_ms ${Number(seconds) * 1000}\n`;
  yield `${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped\n`;
}

/** The entry node:test makes for each test file when it runs a directory. */
function isFileEntry(data: Data<'test:pass'>): boolean {
  return data.nesting === 0 && data.details.type !== 'suite' && /\.[cm]?js$/.test(data.name);
}

function isSubtestFailure(data: Data<'test:fail'>): boolean {
  const error = data.details.error as Error & { failureType?: string };
  return error.failureType === 'subtestsFailed';
}

function where(data: Data<'test:pass'>): string {
  return data.file === undefined ? '' : ` (${data.file}${data.line === undefined ? '' : `:${data.line}`})`;
}

function describeFailure(data: Data<'test:fail'>): string {
  const error = data.details.error as Error & { cause?: unknown };
  const cause = error.cause instanceof Error ? error.cause : error;
  const stack = (cause.stack ?? cause.message).split('\n').slice(0, 12).join('\n    ');
  return `  ✗ ${data.name}${where(data)}\n    ${stack}`;
}
