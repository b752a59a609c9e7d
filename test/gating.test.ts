/** Plan-gated streams: discovery flags them, a sync skips them with one warning, the rest goes on. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './emulator/index.js';
import { emulatorConfig, recordsOf, runTap, selectStreams, tempFile } from './helpers/tap.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ rateLimits: false, gated: { '/api/v2/slas/policies': 'forbidden', '/api/v2/satisfaction_ratings': 'empty403' } });
});
afterAll(async () => {
  await emu?.close();
});

describe('plan-gated streams', () => {
  it('discover lists them, marked unavailable and not selected by default', async () => {
    const run = await runTap(['--config', tempFile('c.json', emulatorConfig(emu)), '--discover']);
    expect(run.code, run.stderr).toBe(0);
    const catalog = JSON.parse(run.stdout);
    const meta = (name: string) => catalog.streams.find((s: any) => s.tap_stream_id === name).metadata.find((m: any) => m.breadcrumb.length === 0).metadata;
    expect(meta('sla_policies')['zendesk-available']).toBe(false);
    expect(meta('sla_policies')['selected-by-default']).toBe(false);
    expect(meta('satisfaction_ratings')['zendesk-available']).toBe(false);
    expect(meta('groups')['zendesk-available']).toBeUndefined();
  });

  it('a sync selecting them skips them with a warning and syncs the others', async () => {
    const config = tempFile('c.json', emulatorConfig(emu, { discover_probe: false }));
    const discovered = await runTap(['--config', config, '--discover']);
    const cat = tempFile('cat.json', selectStreams(JSON.parse(discovered.stdout), ['sla_policies', 'satisfaction_ratings', 'groups']));
    const run = await runTap(['--config', config, '--catalog', cat]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/skipping stream sla_policies: .*403/);
    expect(run.stderr).toMatch(/skipping stream satisfaction_ratings/);
    expect(recordsOf(run.messages, 'groups').length).toBe([...emu.truth('groups')].length);
    expect(recordsOf(run.messages, 'sla_policies')).toEqual([]);
  });
});
