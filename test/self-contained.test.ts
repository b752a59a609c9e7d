/**
 * `npm ci && npm test` must pass in a clone with nothing beside it (.ci/run
 * proves it end to end). This catches the usual slip early: code that tests
 * run reading a file outside the repository, such as ../shared.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/airbyte.js';

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files(path, out);
    else if (/\.(ts|mts|mjs|js)$/.test(name)) out.push(path);
  }
  return out;
}

/** String literals and template text of a source file, comments removed. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
}

// What tests run: the tap's sources, the tests and their helpers, and the scripts tests import.
const sources = [...files(join(ROOT, 'src')), ...files(join(ROOT, 'test'))];
const imported = new Set<string>();
for (const f of sources.filter((p) => p.includes(`${join(ROOT, 'test')}`))) {
  for (const m of readFileSync(f, 'utf8').matchAll(/from '(\.\.?\/[^']*scripts\/[^']+)'/g)) {
    const path = resolve(dirname(f), m[1]!);
    // TypeScript imports name the .js they compile to.
    imported.add(existsSync(path) ? path : path.replace(/\.js$/, '.ts'));
  }
}

describe('the repository is self-contained', () => {
  it('finds the scripts tests import', () => {
    expect([...imported].map((p) => relative(ROOT, p))).toEqual(expect.arrayContaining(['scripts/derive-schemas.mjs']));
  });

  it.each([...sources, ...imported].map((p) => [relative(ROOT, p), p]))('%s reads nothing outside the repo', (_name, path) => {
    const text = code(readFileSync(path, 'utf8'));
    expect(text).not.toMatch(/['"`][^'"`\n]*(\.\.\/shared\/|\/work\/shared)/);
  });
});
