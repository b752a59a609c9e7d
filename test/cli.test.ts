/**
 * The command line as a user meets it: --version, --help at the terminal's
 * width, and the built entry point run directly (shebang + executable bit), as
 * Meltano's `executable:`, `npx tap-zendesk` and `npm install -g` run it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI, runTap } from './helpers/tap.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
  files: string[];
  scripts: Record<string, string>;
};
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe('--version', () => {
  it.each([['--version'], ['-V']])('%s prints the package version and exits 0', async (flag) => {
    const run = await runTap([flag]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`${pkg.version}\n`);
    expect(run.stderr).toBe('');
  });
});

describe('--help', () => {
  // Words of the help text that a character-based wrap used to split ("--state S" / "TATE]").
  const WORDS = ['[--state STATE]', 'CONNECTION_STATUS', '--catalog CONFIGURED', 'capabilities', '[choices: "debug", "info", "warn", "error"]'];

  it.each([[50], [60], [80], [120]])('wraps at %i columns, between words', async (columns) => {
    const run = await runTap(['--help'], { env: { COLUMNS: String(columns) } });
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(columns);
    // Joining the lines back with spaces gives every word whole.
    const flat = lines.map((l) => l.trim()).join(' ').replace(/\s+/g, ' ');
    for (const w of WORDS.filter((x) => x.length <= columns - 30)) expect(flat, `"${w}" split`).toContain(w);
    for (const w of ['CONNECTION_STATUS', 'STATE]', 'CONFIGURED']) expect(run.stdout).toMatch(new RegExp(`(^|[\\s(\\[])${w.replace(/[[\]]/g, '\\$&')}`, 'm'));
    expect(run.stdout).toMatch(/-V, --version/);
  });

  it('uses the whole width of a wide terminal', async () => {
    const run = await runTap(['--help'], { env: { COLUMNS: '160' } });
    expect(run.stdout.split('\n')[0]).toBe('Singer:  tap-zendesk --config CONFIG [--discover | --catalog CATALOG] [--state STATE]');
  });
});

describe('the built entry point', () => {
  it('starts with a node shebang and the build makes it executable', () => {
    expect(pkg.bin['tap-zendesk']).toBe('dist/src/main.js');
    expect(readFileSync(CLI, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    // The step `npm run build` ends with (postbuild), run here on its own.
    expect(pkg.scripts.postbuild).toMatch(/chmod/);
    execFileSync(NPM, ['run', 'postbuild', '--silent'], { cwd: ROOT, stdio: 'pipe' });
    expect(statSync(CLI).mode & 0o111).toBe(0o111);
    // Run directly, not through `node`: what Meltano's `executable:` does.
    const direct = spawnSync(CLI, ['--version'], { cwd: tmpdir(), encoding: 'utf8' });
    expect(direct.status, direct.stderr).toBe(0);
    expect(direct.stdout.trim()).toBe(pkg.version);
  });

  it('the package ships what the CLI needs, and no tests', () => {
    const out = execFileSync(NPM, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const files = new Set((JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path));
    for (const needed of ['package.json', 'README.md', 'LICENSE', 'dist/src/main.js', 'dist/src/cli/run.js', 'schemas/config.json', 'schemas/streams/tickets.json']) {
      expect(files.has(needed), needed).toBe(true);
    }
    expect([...files].filter((f) => /^(test|dist\/test|dist\/scripts|src)\//.test(f))).toEqual([]);
    expect(pkg.scripts.prepack, 'npm pack / publish / git installs build dist/ first').toMatch(/npm run build/);
  });

  it('npm install -g of the packed package gives a working tap-zendesk command', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tap-zendesk-global-'));
    const packed = execFileSync(NPM, ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').at(-1)!;
    const prefix = join(dir, 'prefix');
    execFileSync(NPM, ['install', '-g', '--prefix', prefix, join(dir, packed), '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: dir, stdio: 'pipe' });
    const bin = process.platform === 'win32' ? join(prefix, 'tap-zendesk.cmd') : join(prefix, 'bin', 'tap-zendesk');
    const version = spawnSync(bin, ['-V'], { cwd: tmpdir(), encoding: 'utf8' });
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(pkg.version);
    // It finds its schemas from anywhere.
    const spec = spawnSync(bin, ['spec'], { cwd: tmpdir(), encoding: 'utf8' });
    expect(spec.status, spec.stderr).toBe(0);
    expect(JSON.parse(spec.stdout).type).toBe('SPEC');
  }, 120_000);
});
