/**
 * The package as a consumer gets it: `npm pack`, the tarball installed into a
 * scratch CommonJS project and a scratch ES module project, then imported,
 * used to sign and verify, and type-checked as TypeScript in both.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const USE = `
const key = 'k'.repeat(32);
const token = sign({ sub: 'alice' }, key, { expiresIn: 60 });
const verified = verify(token, key);
if (verified.payload.sub !== 'alice') throw new Error('not alice');
try { verify(token + 'x', key); throw new Error('accepted'); } catch (error) { if (!(error instanceof JwtError)) throw error; }
console.log('ok', verified.header.alg);
`;

describe('the packed package, as a consumer installs it', () => {
  let scratch: string;
  let tarball: string;
  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'plainjwt-consumer-'));
    execFileSync(NPM, ['pack', '--silent', '--pack-destination', scratch], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    const name = readdirSync(scratch).find((file) => file.endsWith('.tgz'));
    assert.ok(name !== undefined, 'npm pack made a tarball');
    tarball = join(scratch, name);
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  function project(name: string, type: 'commonjs' | 'module'): string {
    const dir = join(scratch, name);
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true, type }));
    execFileSync(NPM, ['install', '--no-audit', '--no-fund', '--offline', '--silent', tarball], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true, types: ['node'], typeRoots: [join(ROOT, 'node_modules', '@types')] } }),
    );
    return dir;
  }

  it('ships the compiled library, the CLI, the types and the licence, and no source maps pointing at missing sources', () => {
    const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).split('\n');
    assert.ok(files.includes('package/LICENSE'));
    assert.ok(files.includes('package/dist/lib/index.js'));
    assert.ok(files.includes('package/dist/lib/index.d.ts'));
    assert.ok(files.includes('package/dist/cli/main.js'));
    assert.deepEqual(files.filter((file) => file.endsWith('.map')), []);
    assert.deepEqual(files.filter((file) => file.includes('/server/') || file.includes('/test/')), []);
  });

  it('works from require() in a CommonJS project, and type-checks as TypeScript there', () => {
    const dir = project('cjs', 'commonjs');
    writeFileSync(join(dir, 'use.js'), `const { sign, verify, JwtError } = require('plainjwt');\n${USE}`);
    assert.equal(execFileSync(process.execPath, ['use.js'], { cwd: dir, encoding: 'utf8' }), 'ok HS256\n');
    writeFileSync(join(dir, 'use.ts'), `import { sign, verify, JwtError } from 'plainjwt';\n${USE}`);
    execFileSync(process.execPath, [TSC, '-p', '.'], { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'] });
    assert.equal(execFileSync(process.execPath, ['use.js'], { cwd: dir, encoding: 'utf8' }), 'ok HS256\n', 'the compiled TypeScript (require) runs');
  });

  it('works from import in an ES module project, and type-checks as TypeScript there', () => {
    const dir = project('esm', 'module');
    writeFileSync(join(dir, 'use.mjs'), `import { sign, verify, JwtError } from 'plainjwt';\n${USE}`);
    assert.equal(execFileSync(process.execPath, ['use.mjs'], { cwd: dir, encoding: 'utf8' }), 'ok HS256\n');
    writeFileSync(join(dir, 'use.ts'), `import { sign, verify, JwtError } from 'plainjwt';\n${USE}`);
    execFileSync(process.execPath, [TSC, '-p', '.'], { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'] });
    assert.equal(execFileSync(process.execPath, ['use.js'], { cwd: dir, encoding: 'utf8' }), 'ok HS256\n');
  });
});
