/** The README's quick start and streams table stay true to the project. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderReadme } from '../scripts/streams-table.js';
import { ALL_STREAMS } from '../src/streams/registry.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('has the streams table of the current descriptors (regenerate: npm run build && node dist/scripts/streams-table.js)', () => {
    expect(readme).toBe(renderReadme(readme));
    for (const d of ALL_STREAMS) expect(readme).toContain(`| \`${d.name}\` |`);
  });

  it('quick start has exactly two commands: the demo and the tests', () => {
    const quick = readme.split('## Quick start')[1]!.split('\n## ')[0]!;
    const commands = [...quick.matchAll(/```(?:sh|bash)\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());
    expect(commands).toEqual(['npm ci && npm run demo', 'npm ci && npm test']);
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(pkg.scripts.demo).toBeDefined();
    expect(pkg.scripts.test).toBeDefined();
  });

  it('.ci/run runs the README test command', () => {
    const ci = readFileSync(new URL('../.ci/run', import.meta.url), 'utf8');
    expect(ci).toMatch(/npm ci/);
    expect(ci).toMatch(/npm test/);
    expect(ci).toMatch(/set -euo pipefail/);
  });
});
