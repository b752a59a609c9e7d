/** Plan-gated streams: discovery flags them, a sync skips them with one warning, the rest goes on. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './emulator/index.js';
import { emulatorConfig, recordsOf, runTap, selectStreams, tempFile, type Message } from './helpers/tap.js';
import { checkSingerOutput, formatViolations } from './helpers/strict-target.js';

const schemasOf = (messages: Message[]) => messages.filter((m) => m.type === 'SCHEMA').map((m) => m.stream as string).sort();

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

  // A target creates a table per SCHEMA: none for a stream that will not be read, one for an empty stream.
  it('sends no SCHEMA for a stream it skips, and one for an available stream with nothing to read', async () => {
    const config = tempFile('c.json', emulatorConfig(emu, { discover_probe: false }));
    const discovered = await runTap(['--config', config, '--discover']);
    const cat = tempFile('cat.json', selectStreams(JSON.parse(discovered.stdout), ['sla_policies', 'satisfaction_ratings', 'groups', 'ticket_metric_events']));
    // Nothing new for either: groups' list is read and filtered to nothing; the metric event export has no page at all.
    const input = { bookmarks: { groups: { updated_at: '2100-01-01T00:00:00Z' }, ticket_metric_events: { time: new Date(emu.clock.now() * 1000).toISOString() } } };
    const run = await runTap(['--config', config, '--catalog', cat, '--state', tempFile('state.json', input)]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/skipping stream sla_policies/);
    expect(recordsOf(run.messages, 'groups')).toEqual([]);
    expect(recordsOf(run.messages, 'ticket_metric_events')).toEqual([]);
    expect(schemasOf(run.messages)).toEqual(['groups', 'ticket_metric_events']);
    const report = checkSingerOutput(run.messages, { initialState: input });
    expect(report.violations, formatViolations(report.violations)).toEqual([]);
  });

  it('sends no SCHEMA for a stream discovery marked unavailable and the catalog selects anyway', async () => {
    const config = tempFile('c.json', emulatorConfig(emu));
    const catalog = JSON.parse((await runTap(['--config', config, '--discover'])).stdout);
    const root = (name: string) => catalog.streams.find((s: any) => s.tap_stream_id === name).metadata.find((m: any) => m.breadcrumb.length === 0).metadata;
    expect(root('sla_policies')['zendesk-available']).toBe(false);
    const run = await runTap(['--config', config, '--catalog', tempFile('cat.json', selectStreams(catalog, ['sla_policies', 'brands']))]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/skipping stream sla_policies/);
    expect(schemasOf(run.messages)).toEqual(['brands']);
    expect(recordsOf(run.messages, 'brands').length).toBe([...emu.truth('brands')].length);
  });
});
