/**
 * Side-loads cost bytes on every export page: the tap asks for one only when
 * a selected stream is extracted from it, except side-loads that shape the
 * parent's own rows (comment_events), which it always asks for so that a
 * stream's rows never depend on what else is selected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './emulator/index.js';
import { emulatorConfig, recordsOf, runTap, selectStreams, sorted, tempFile, type Message } from './helpers/tap.js';

let emu: Emulator;
let config: string;
let catalog: Message;

beforeAll(async () => {
  emu = await startEmulator({ sizes: { tickets: 1500, users: 900, organizations: 200 }, rateLimits: false });
  config = tempFile('config.json', emulatorConfig(emu, { export_rpm: 100 }));
  const discovered = await runTap(['--config', config, '--discover']);
  catalog = JSON.parse(discovered.stdout);
}, 60_000);

afterAll(async () => {
  await emu?.close();
});

async function sync(streams: string[]) {
  emu.resetStats();
  const run = await runTap(['--config', config, '--catalog', tempFile('catalog.json', selectStreams(catalog, streams))]);
  expect(run.code, run.stderr.slice(-2000)).toBe(0);
  return { run, stats: emu.stats() };
}

const TICKETS = '/api/v2/incremental/tickets/cursor';
const USERS = '/api/v2/incremental/users/cursor';
const EVENTS = '/api/v2/incremental/ticket_events';

describe('side-loads', () => {
  it('tickets alone: no metric sets requested, and the rows are the same as with them', async () => {
    const alone = await sync(['tickets']);
    expect(alone.stats.byPath[TICKETS]).toBeGreaterThan(1);
    expect(Object.keys(alone.stats.byInclude).filter((k) => k.startsWith(TICKETS))).toEqual([]);
    const both = await sync(['tickets', 'ticket_metrics']);
    expect(both.stats.byInclude[`${TICKETS}?include=metric_sets`]).toBe(both.stats.byPath[TICKETS]);
    // Fewer bytes on the wire for the same tickets, row for row identical.
    expect(alone.stats.bytesSent).toBeLessThan(both.stats.bytesSent * 0.9);
    const byId = (rows: Array<Record<string, any>>) => sorted(rows.map((r) => JSON.stringify(r, Object.keys(r).sort())));
    expect(byId(recordsOf(alone.run.messages, 'tickets'))).toEqual(byId(recordsOf(both.run.messages, 'tickets')));
    expect(recordsOf(alone.run.messages, 'tickets').some((t) => 'metric_set' in t)).toBe(false);
    const metrics = recordsOf(both.run.messages, 'ticket_metrics');
    expect(sorted(metrics.map((m) => m.id))).toEqual(sorted([...emu.truth('ticket_metrics')].map((m) => m.id as number)));
  }, 120_000);

  it('users alone: no identities requested; with user_identities: requested and complete', async () => {
    const alone = await sync(['users']);
    expect(alone.stats.byPath[USERS]).toBeGreaterThan(0);
    expect(alone.stats.byInclude[`${USERS}?include=identities`]).toBeUndefined();
    const both = await sync(['users', 'user_identities']);
    expect(both.stats.byInclude[`${USERS}?include=identities`]).toBe(both.stats.byPath[USERS]);
    expect(sorted(recordsOf(both.run.messages, 'user_identities').map((i) => i.id))).toEqual(sorted([...emu.truth('user_identities')].map((i) => i.id as number)));
  }, 120_000);

  it('ticket_events alone still asks for comment_events: they are part of its own rows', async () => {
    const alone = await sync(['ticket_events']);
    expect(alone.stats.byInclude[`${EVENTS}?include=comment_events`]).toBe(alone.stats.byPath[EVENTS]);
    expect(recordsOf(alone.run.messages, 'ticket_events').some((e) => (e.child_events ?? []).some((c: Record<string, unknown>) => c.event_type === 'Comment'))).toBe(true);
  }, 120_000);
});
