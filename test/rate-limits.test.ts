/**
 * Rate limits: when the tap's budget matches the account's it never gets a
 * 429; when another client eats the budget (the server is stricter than the
 * tap thinks), 429s are honoured via Retry-After and no data is lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './emulator/index.js';
import { emulatorConfig, recordsOf, runTap, selectStreams, sorted, tempFile } from './helpers/tap.js';

let emu: Emulator;
const STREAMS = ['tickets', 'users', 'organizations', 'ticket_events', 'groups', 'tags'];

beforeAll(async () => {
  emu = await startEmulator({ sizes: { tickets: 4000, users: 2500, organizations: 2200 }, rateLimits: { accountRpm: 40, exportRpm: 4, windowMs: 2000 } });
});
afterAll(async () => {
  await emu?.close();
});

async function sync(extra: Record<string, unknown>) {
  const config = tempFile('c.json', emulatorConfig(emu, { rate_window_seconds: 2, page_size: 25, ...extra }));
  const discovered = await runTap(['--config', config, '--discover']);
  const cat = tempFile('cat.json', selectStreams(JSON.parse(discovered.stdout), STREAMS));
  // Let the discovery requests leave the window.
  await new Promise((r) => setTimeout(r, 2100));
  emu.resetStats();
  return runTap(['--config', config, '--catalog', cat], { timeoutMs: 180_000 });
}

describe('rate limits', () => {
  it('paces exports and lists within the budgets: zero 429s', async () => {
    const run = await sync({ export_rpm: 4 });
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    const stats = emu.stats();
    expect(stats.exportRequests).toBeGreaterThan(8);
    expect(stats.status429).toBe(0);
    expect(sorted(recordsOf(run.messages, 'tickets').map((t) => t.id))).toEqual(sorted([...emu.truth('tickets')].map((t) => t.id as number)));
  }, 200_000);

  it('follows the server\'s rate-limit headers when the configured budget is too generous', async () => {
    const run = await sync({ export_rpm: 20, max_rpm: 400 });
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    // remaining=0 in the headers pauses the bucket before the server has to refuse.
    expect(emu.stats().status429).toBe(0);
    for (const s of STREAMS) {
      const key = s === 'tags' ? 'name' : 'id';
      expect(sorted(recordsOf(run.messages, s).map((r) => r[key])), s).toEqual(sorted([...emu.truth(s)].map((r) => r[key] as number)));
    }
  }, 200_000);

  it('gives each budget its own workers: lists on the account budget finish while exports still wait on theirs', async () => {
    // One worker per budget: with a single shared worker the lists would queue behind all four exports.
    const run = await sync({ export_rpm: 4, concurrency: 1 });
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    expect(emu.stats().status429).toBe(0);
    const at = (stream: string) => run.messages.flatMap((m, i) => (m.type === 'RECORD' && m.stream === stream ? [i] : []));
    const listsDone = Math.max(...at('groups'), ...at('tags'));
    // Exports run one after another on their own worker: organizations only starts after tickets and users.
    expect(at('organizations').length).toBeGreaterThan(0);
    expect(listsDone).toBeLessThan(Math.min(...at('organizations')));
    for (const s of STREAMS) {
      const key = s === 'tags' ? 'name' : 'id';
      expect(sorted(recordsOf(run.messages, s).map((r) => r[key])), s).toEqual(sorted([...emu.truth(s)].map((r) => r[key] as number)));
    }
  }, 200_000);

  it('waits for Retry-After on a 429 it could not foresee, and loses nothing', async () => {
    emu.setOption('faults', { retryAfterSeconds: 2 });
    emu.failNext('429', 2, '/api/v2/groups');
    emu.failNext('429-text', 1, '/api/v2/tags');
    const started = Date.now();
    const run = await sync({});
    emu.setOption('faults', {});
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    expect(emu.stats().status429).toBe(3);
    expect(run.stderr).toMatch(/HTTP 429\b.*Retry-After/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4000);
    expect(sorted(recordsOf(run.messages, 'groups').map((r) => r.id))).toEqual(sorted([...emu.truth('groups')].map((r) => r.id as number)));
    expect(recordsOf(run.messages, 'tags').length).toBe([...emu.truth('tags')].length);
  }, 200_000);
});
