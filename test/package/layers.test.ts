/**
 * The architecture, checked: no import cycles anywhere, and every folder
 * imports only the layers below it (README, "How the code is laid out"):
 *
 *   lib ← explain          (lib: the JWT core; explain: words shared by cli and page)
 *   server/http            (knows nothing of JWTs)
 *   server/stores          (state behind interfaces; stands alone)
 *   server/jwt  → http, lib, explain
 *   server/demo → jwt, http, stores, lib
 *   server/main → anything in server/; nothing imports demo but main (and bench/,
 *   which measures it)
 *
 * It reads the TypeScript sources, so it also guards files no test imports.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FOLDERS = ['lib', 'explain', 'server', 'cli', 'page', 'bench'];

/** Which folders each folder may import from (besides itself and node: modules). */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  lib: [],
  explain: [],
  'server/http': [],
  'server/stores': [],
  'server/jwt': ['lib', 'explain', 'server/http'],
  'server/demo': ['lib', 'server/http', 'server/jwt', 'server/stores'],
  server: ['lib', 'server/http', 'server/jwt', 'server/stores', 'server/demo'],
  cli: ['lib', 'explain'],
  page: ['explain'],
  bench: ['lib', 'server', 'server/http', 'server/jwt', 'server/stores', 'server/demo'],
};

function sources(folder: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(join(ROOT, folder))) {
    const path = join(folder, name);
    if (statSync(join(ROOT, path)).isDirectory()) {
      if (name !== 'node_modules' && name !== 'peers') found.push(...sources(path));
    } else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) {
      found.push(path);
    }
  }
  return found;
}

/** The relative imports of a file, as repository paths of .ts files. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const targets: string[] = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+'(\.[^']+)'|import\('(\.[^']+)'\)/g)) {
    const specifier = match[1] ?? match[2] ?? '';
    targets.push(normalize(join(dirname(file), specifier)).replace(/\.js$/, '.ts'));
  }
  return targets;
}

/** The layer a file belongs to: its folder, with server/ split into its sub-folders. */
function layerOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] === 'server' && parts.length > 2) return `server/${parts[1] ?? ''}`;
  return parts[0] ?? '';
}

const files = FOLDERS.flatMap(sources);
const graph = new Map(files.map((file) => [file, importsOf(file)]));

describe('architecture', () => {
  it('finds the sources and their imports', () => {
    assert.ok(files.length > 80, `${files.length} files`);
    assert.ok(graph.get('server/main.ts')?.includes('server/demo/routes.ts'));
  });

  it('imports only files that exist', () => {
    const missing = [...graph].flatMap(([file, targets]) => targets.filter((target) => !graph.has(target)).map((target) => `${file} → ${target}`));
    assert.deepEqual(missing, []);
  });

  it('has no import cycles', () => {
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' → '));
        return;
      }
      state.set(file, 'visiting');
      for (const target of graph.get(file) ?? []) visit(target, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    assert.deepEqual(cycles, []);
  });

  it('imports only downward', () => {
    const wrong: string[] = [];
    for (const [file, targets] of graph) {
      const from = layerOf(file);
      const allowed = ALLOWED[from];
      assert.ok(allowed !== undefined, `${file} is in no known layer (${from})`);
      for (const target of targets) {
        const to = layerOf(target);
        if (to !== from && !allowed.includes(to)) wrong.push(`${relative('.', file)} (${from}) → ${target} (${to})`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('keeps files in lib/ and server/ short, or says why not', () => {
    const long = files
      .filter((file) => file.startsWith('lib/') || file.startsWith('server/'))
      .filter((file) => {
        const text = readFileSync(join(ROOT, file), 'utf8');
        return text.split('\n').length > 220 && !/Why one file/.test(text.slice(0, 2000));
      });
    assert.deepEqual(long, []);
  });
});
