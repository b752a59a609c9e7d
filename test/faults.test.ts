/**
 * The network at its worst: random 429s (JSON and plain text), 5xx, resets,
 * truncated bodies and responses slower than the timeout. The sync still
 * completes with exactly the emulator's data, and exits 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './emulator/index.js';
import { emulatorConfig, recordsOf, runTap, sorted, tempFile } from './helpers/tap.js';

const STREAMS = ['tickets', 'users', 'organizations', 'ticket_events', 'groups', 'tags', 'ticket_fields'];

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({
    sizes: { tickets: 1500, users: 600, organizations: 300 },
    rateLimits: false,
    faults: { rate429: 0.15, rate503: 0.05, rate5xx: 0.1, rateReset: 0.05, rateTruncated: 0.05, rateSlow: 0.03, slowMs: 2500, retryAfterSeconds: 1, faultSeed: 7 },
  });
}, 60_000);

afterAll(async () => {
  await emu?.close();
});

describe('faults', () => {
  it('completes with full data despite 429s, 5xx, resets, truncated and slow responses', async () => {
    const config = tempFile('config.json', emulatorConfig(emu, { page_size: 50, request_timeout: 1, export_rpm: 100 }));
    const discovered = await runTap(['--config', config, '--discover']);
    expect(discovered.code, discovered.stderr).toBe(0);
    const { selectStreams } = await import('./helpers/tap.js');
    const catalog = tempFile('catalog.json', selectStreams(JSON.parse(discovered.stdout), STREAMS));
    emu.resetStats();
    const run = await runTap(['--config', config, '--catalog', catalog], { timeoutMs: 240_000 });
    expect(run.code, run.stderr.slice(-3000)).toBe(0);
    const stats = emu.stats();
    // The faults really happened.
    expect(stats.byStatus['429'] ?? 0).toBeGreaterThan(0);
    expect(Object.keys(stats.byStatus).some((s) => Number(s) >= 500)).toBe(true);
    for (const stream of STREAMS) {
      const key = stream === 'tags' ? 'name' : 'id';
      const got = recordsOf(run.messages, stream).map((r) => r[key]);
      expect(new Set(got).size, `${stream} has duplicates`).toBe(got.length);
      expect(sorted(got), stream).toEqual(sorted([...emu.truth(stream)].map((r) => r[key] as string | number)));
    }
    expect(run.stderr).toMatch(/retry/);
  }, 300_000);
});

describe('timeouts on an export', () => {
  it('shrink per_page and still deliver every record', async () => {
    const config = tempFile('config.json', emulatorConfig(emu, { request_timeout: 1, export_rpm: 100 }));
    const discovered = await runTap(['--config', config, '--discover']);
    const { selectStreams } = await import('./helpers/tap.js');
    const catalog = tempFile('catalog.json', selectStreams(JSON.parse(discovered.stdout), ['tickets']));
    emu.setOption('faults', { slowMs: 2500 });
    emu.failNext('slow', 2, '/api/v2/incremental/tickets/cursor');
    const run = await runTap(['--config', config, '--catalog', catalog], { timeoutMs: 120_000 });
    emu.setOption('faults', {});
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    expect(run.stderr).toMatch(/timed out, retrying with per_page=500/);
    expect(run.stderr).toMatch(/per_page=250/);
    const got = recordsOf(run.messages, 'tickets').map((t) => t.id);
    expect(new Set(got).size).toBe(got.length);
    expect(sorted(got)).toEqual(sorted([...emu.truth('tickets')].map((t) => t.id as number)));
  }, 120_000);
});
