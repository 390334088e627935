/** The README's settings table, checked against the configuration it documents. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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
