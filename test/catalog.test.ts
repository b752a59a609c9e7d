/** catalog.json is the discover output for sample-config.json; --about describes the tap. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runTap, tempFile } from './helpers/tap.js';
import { ALL_STREAMS } from '../src/streams/registry.js';

describe('catalog and about', () => {
  it('catalog.json is current (regenerate: npm run catalog)', async () => {
    const sample = JSON.parse(readFileSync(new URL('../sample-config.json', import.meta.url), 'utf8'));
    // The sample account does not exist: skip the probes so discovery needs no network.
    const run = await runTap(['--config', tempFile('sample.json', { ...sample, discover_probe: false }), '--discover']);
    expect(run.code, run.stderr).toBe(0);
    const committed = JSON.parse(readFileSync(new URL('../catalog.json', import.meta.url), 'utf8'));
    expect(JSON.parse(run.stdout)).toEqual(committed);
  });

  it('every stream follows the Singer discovery rules', () => {
    const catalog = JSON.parse(readFileSync(new URL('../catalog.json', import.meta.url), 'utf8'));
    expect(catalog.streams.map((s: any) => s.tap_stream_id)).toEqual(ALL_STREAMS.map((d) => d.name));
    for (const s of catalog.streams) {
      expect(s.tap_stream_id).toMatch(/^[a-z_]+$/);
      const roots = s.metadata.filter((m: any) => m.breadcrumb.length === 0);
      expect(roots).toHaveLength(1);
      const root = roots[0].metadata;
      const rk = root['valid-replication-keys'];
      expect(root['forced-replication-method']).toBe(rk ? 'INCREMENTAL' : 'FULL_TABLE');
      const automatic = s.metadata.filter((m: any) => m.metadata.inclusion === 'automatic').map((m: any) => m.breadcrumb[1]);
      expect(automatic.sort()).toEqual([...new Set([...root['table-key-properties'], ...(rk ?? [])])].sort());
      for (const k of [...root['table-key-properties'], ...(rk ?? [])]) expect(Object.keys(s.schema.properties)).toContain(k);
    }
  });

  it('--about prints json and markdown', async () => {
    const json = await runTap(['--about', '--format', 'json']);
    expect(json.code).toBe(0);
    const info = JSON.parse(json.stdout);
    expect(info.capabilities).toEqual(expect.arrayContaining(['catalog', 'discover', 'state', 'about']));
    expect(info.settings.properties.subdomain).toBeDefined();
    const md = await runTap(['--about', '--format', 'markdown']);
    expect(md.stdout).toMatch(/^# tap-zendesk/);
  });
});
