/** The README's settings table, checked against the configuration it documents. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { SERVER_SETTINGS } from '../../server/demo/settings.js';
import { CONFIG_KEYS, JWT_SETTINGS } from '../../server/jwt/settings.js';

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

/** A default as the README writes it: what you would put in the environment variable. */
function written(value: unknown): string {
  if (value === null) return 'unset';
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}

describe('README settings table', () => {
  const section = README.slice(README.indexOf('### Settings'), README.indexOf('### Where it deliberately differs'));
  const rows = new Map<string, { readonly written: string; readonly meaning: string }>();
  for (const match of section.matchAll(/^\| `([A-Z_]+)` \| `([^`]*)` \| (.+) \|$/gm)) {
    assert.ok(!rows.has(match[1] ?? ''), `${match[1] ?? ''} is listed twice`);
    rows.set(match[1] ?? '', { written: match[2] ?? '', meaning: match[3] ?? '' });
  }
  const table = { ...JWT_SETTINGS, ...SERVER_SETTINGS };

  it('lists every setting once, with the default and meaning of the source table', () => {
    for (const [key, setting] of Object.entries(table)) {
      const row = rows.get(key);
      assert.ok(row !== undefined, `${key} is missing from the README`);
      assert.equal(row.written, written(setting.default), `${key}'s default`);
      assert.equal(row.meaning, setting.meaning, `${key}'s meaning`);
    }
  });

  it('lists no setting the server does not have', () => {
    assert.deepEqual([...rows.keys()].filter((key) => !Object.hasOwn(table, key)), []);
  });

  it('lists no JWT_* setting the server does not have', () => {
    const extra = [...rows.keys()].filter((key) => key.startsWith('JWT_') && !(CONFIG_KEYS as readonly string[]).includes(key) && !Object.hasOwn(SERVER_SETTINGS, key));
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
