#!/usr/bin/env node
/**
 * Regenerates catalog.json (`npm run catalog`): discovery with the sample
 * config, probes off, since the sample account does not resolve.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(join(tmpdir(), 'tap-zendesk-catalog-'));
try {
  const config = { ...JSON.parse(readFileSync(join(root, 'sample-config.json'), 'utf8')), discover_probe: false };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  const out = execFileSync(process.execPath, [join(root, 'dist/src/main.js'), '--config', join(dir, 'config.json'), '--discover'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  writeFileSync(join(root, 'catalog.json'), out);
  process.stderr.write(`catalog.json: ${JSON.parse(out).streams.length} streams\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
