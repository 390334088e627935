/** The reporter `npm test` uses: short output, failures in full, a skipped suite counted and explained. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const REPORTER = fileURLToPath(new URL('../reporter.js', import.meta.url));

describe('test reporter', () => {
  it('prints dots, each failure with its place, each skip with its reason, and the counts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plainjwt-reporter-'));
    try {
      const file = join(dir, 'sample.test.mjs');
      writeFileSync(
        file,
        `import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
describe('needs a browser', { skip: 'Chromium not found (apt-get install chromium)' }, () => { it('a', () => {}); });
describe('sums', () => { it('adds', () => assert.equal(1 + 1, 2)); it('breaks', () => assert.equal(1 + 1, 3)); it('later', { skip: 'not yet' }, () => {}); });
`,
      );
      // Without NODE_TEST_CONTEXT, which would make the child report to this test run instead.
      const { NODE_TEST_CONTEXT: _context, ...env } = process.env;
      const run = spawnSync(process.execPath, ['--test', `--test-reporter=${REPORTER}`, file], { encoding: 'utf8', env });
      assert.equal(run.status, 1);
      assert.match(run.stdout, /^\.F|^F\./);
      assert.match(run.stdout, /✗ breaks \(.*sample\.test\.mjs:4\)\n {4}AssertionError/);
      assert.match(run.stdout, /suite "needs a browser" \(.*\): Chromium not found \(apt-get install chromium\)/);
      assert.match(run.stdout, /test "later" \(.*\): not yet/);
      assert.match(run.stdout, /\n1 passed, 1 failed, 2 skipped\n$/);
      assert.ok(run.stdout.split('\n').length < 30, 'short');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
