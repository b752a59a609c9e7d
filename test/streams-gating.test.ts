/**
 * Products and plan features that are off (Talk answers 404, Chat and the
 * community 403, the audit log 403): discovery still lists their streams,
 * marked unavailable, and a sync selecting them skips each with one warning
 * while the other streams sync normally.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './emulator/index.js';
import { emulatorConfig, recordsOf, runTap, selectStreams, tempFile } from './helpers/tap.js';
import { ALL_STREAMS } from '../src/streams/registry.js';

let emu: Emulator;

const off = ALL_STREAMS.filter((d) => d.product === 'talk' || d.product === 'chat' || d.name === 'audit_logs' || d.path.startsWith('/api/v2/community')).map((d) => d.name);
const on = ['articles', 'article_comments', 'sections', 'macros', 'groups'];

beforeAll(async () => {
  emu = await startEmulator({
    rateLimits: false,
    gated: { '/api/v2/channels/voice': 'not_found', '/api/v2/chat': 'forbidden', '/api/v2/community': 'forbidden', '/api/v2/audit_logs': 'forbidden' },
  });
});

afterAll(async () => {
  await emu?.close();
});

describe('products and features that are off', () => {
  it('discover lists every stream and marks those unavailable (and not selected by default)', async () => {
    const run = await runTap(['--config', tempFile('c.json', emulatorConfig(emu)), '--discover']);
    expect(run.code, run.stderr).toBe(0);
    const catalog = JSON.parse(run.stdout);
    expect(catalog.streams.length).toBe(ALL_STREAMS.length);
    const meta = (name: string) => catalog.streams.find((s: any) => s.tap_stream_id === name).metadata.find((m: any) => m.breadcrumb.length === 0).metadata;
    for (const name of off) {
      expect(meta(name)['zendesk-available'], name).toBe(false);
      expect(meta(name)['selected-by-default'], name).toBe(false);
    }
    for (const name of on) expect(meta(name)['zendesk-available'], name).toBeUndefined();
  });

  it('a sync selecting them skips each one with one warning and syncs the rest', async () => {
    const config = tempFile('c.json', emulatorConfig(emu, { discover_probe: false, max_rpm: 100_000 }));
    const discovered = await runTap(['--config', config, '--discover']);
    const cat = tempFile('cat.json', selectStreams(JSON.parse(discovered.stdout), [...off, ...on]));
    const run = await runTap(['--config', config, '--catalog', cat]);
    expect(run.code, run.stderr.slice(-3000)).toBe(0);
    const warned = [...run.stderr.matchAll(/skipping stream (\w+)/g)].map((m) => m[1]!);
    expect([...warned].sort()).toEqual([...off].sort());
    for (const name of off) expect(recordsOf(run.messages, name), name).toEqual([]);
    for (const name of on) expect(recordsOf(run.messages, name).length, name).toBe([...emu.truth(name)].length);
  });
});
