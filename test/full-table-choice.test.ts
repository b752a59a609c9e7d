/**
 * A stream with a replication key that the catalog sets to FULL_TABLE: a list
 * filtered client-side is read whole (a target replaces that table, so rows
 * older than start_date must not vanish), while INCREMENTAL keeps honouring
 * start_date. Exports keep start_date either way (Zendesk filters them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './emulator/index.js';
import { emulatorConfig, lastState, recordsOf, runTap, selectStreams, tempFile, type Message } from './helpers/tap.js';

let emu: Emulator;
let discovered: Message;
beforeAll(async () => {
  emu = await startEmulator({ rateLimits: false, sizes: { tickets: 40, users: 30, organizations: 20 } });
  const run = await runTap(['--config', tempFile('c.json', emulatorConfig(emu, { discover_probe: false })), '--discover']);
  discovered = JSON.parse(run.stdout);
});
afterAll(async () => {
  await emu?.close();
});

function catalog(method: 'FULL_TABLE' | 'INCREMENTAL'): string {
  const cat = selectStreams(discovered, ['groups']);
  for (const s of cat.streams) {
    for (const m of s.metadata) if (m.breadcrumb.length === 0 && s.tap_stream_id === 'groups') m.metadata['replication-method'] = method;
  }
  return tempFile('cat.json', cat);
}

describe('replication method chosen in the catalog', () => {
  const future = '2099-01-01T00:00:00Z';

  it('FULL_TABLE reads a client-filtered list whole, whatever start_date says', async () => {
    const run = await runTap(['--config', tempFile('c.json', emulatorConfig(emu, { start_date: future })), '--catalog', catalog('FULL_TABLE')]);
    expect(run.code, run.stderr).toBe(0);
    expect(recordsOf(run.messages, 'groups').length).toBe([...emu.truth('groups')].length);
    // No bookmark value: nothing incremental to resume from.
    expect(lastState(run.messages)?.bookmarks?.groups?.updated_at).toBeUndefined();
  });

  it('INCREMENTAL honours start_date', async () => {
    const run = await runTap(['--config', tempFile('c.json', emulatorConfig(emu, { start_date: future })), '--catalog', catalog('INCREMENTAL')]);
    expect(run.code, run.stderr).toBe(0);
    expect(recordsOf(run.messages, 'groups')).toEqual([]);
  });
});
