/** The README's settings table, checked against the configuration it documents. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { CONFIG_KEYS, DEFAULT_CONFIG } from '../../server/config.js';

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

/** A default as the README writes it: what you would put in the environment variable. */
function written(value: unknown): string {
  if (value === null) return 'unset';
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}

describe('README settings table', () => {
  const section = README.slice(README.indexOf('### Settings'), README.indexOf('### Where it deliberately differs'));
  const rows = new Map<string, string>();
  for (const match of section.matchAll(/^\| `([A-Z_]+)` \| `([^`]*)` \| (.+) \|$/gm)) rows.set(match[1] ?? '', match[2] ?? '');

  it('lists every JWT_* setting once, with its default', () => {
    for (const key of CONFIG_KEYS) {
      assert.ok(rows.has(key), `${key} is missing from the README`);
      assert.equal(rows.get(key), written(DEFAULT_CONFIG[key]), `${key}'s default`);
    }
  });

  it('lists no JWT_* setting the server does not have', () => {
    const extra = [...rows.keys()].filter((key) => key.startsWith('JWT_') && !(CONFIG_KEYS as readonly string[]).includes(key));
    assert.deepEqual(extra, []);
  });
});

describe('README library examples', () => {
  it('type-check and run as written', () => {
    const blocks = [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
    assert.ok(blocks.length >= 2, 'the README has library examples');
    const dir = mkdtempSync(join(tmpdir(), 'plainjwt-readme-'));
    try {
      const lib = fileURLToPath(new URL('../../lib/index.js', import.meta.url));
      blocks.forEach((block, index) => writeFileSync(join(dir, `example${index}.mts`), block.replaceAll("from 'plainjwt'", `from ${JSON.stringify(lib)}`)));
      const types = fileURLToPath(new URL('../../../node_modules/@types', import.meta.url));
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, types: ['node'], typeRoots: [types], skipLibCheck: true } }));
      const tsc = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));
      const compiled = spawnSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8' });
      assert.equal(compiled.status, 0, compiled.stdout + compiled.stderr);
      blocks.forEach((_, index) => {
        const run = spawnSync(process.execPath, [join(dir, `example${index}.mjs`)], { encoding: 'utf8' });
        assert.equal(run.status, 0, run.stderr);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
