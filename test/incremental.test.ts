/**
 * Incremental correctness across runs: a sync from the previous STATE yields
 * exactly what changed in the emulator, whatever the kind of change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './emulator/index.js';
import { emulatorConfig, lastState, recordsOf, runTap, sorted, tempFile, type TapRun } from './helpers/tap.js';

let emu: Emulator;
let configPath: string;
let first: TapRun;

const FAST = { accountRpm: 700, exportRpm: 10, windowMs: 2000 };

beforeAll(async () => {
  emu = await startEmulator({ rateLimits: FAST });
  configPath = tempFile('config.json', emulatorConfig(emu, { rate_window_seconds: 2 }));
  first = await runTap(['--config', configPath]);
}, 180_000);

afterAll(async () => {
  await emu?.close();
});

async function syncFrom(state: unknown): Promise<TapRun> {
  const statePath = tempFile('state.json', state);
  const run = await runTap(['--config', configPath, '--state', statePath]);
  expect(run.code, run.stderr.slice(-2000)).toBe(0);
  return run;
}

describe('incremental sync', () => {
  it('the first sync completes and records bookmarks for every incremental stream', () => {
    expect(first.code, first.stderr.slice(-2000)).toBe(0);
    const state = lastState(first.messages)!;
    expect(state.version).toBe(1);
    expect(state.bookmarks.tickets.generated_timestamp).toBeTypeOf('number');
    expect(state.bookmarks.tickets.cursor).toBeTypeOf('string');
    expect(state.bookmarks.organizations.updated_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(state.bookmarks.ticket_events.timestamp).toBeTypeOf('number');
  });

  it('a second sync with no change emits no record of an incremental export', async () => {
    const run = await syncFrom(lastState(first.messages));
    for (const s of ['tickets', 'users', 'organizations', 'ticket_events', 'ticket_comments', 'ticket_metric_events', 'ticket_metrics', 'user_identities']) {
      expect(recordsOf(run.messages, s), `${s} repeated records`).toEqual([]);
    }
    expect(run.messages.at(-1)?.type).toBe('STATE');
  });

  it('after changes, yields exactly the changed records', async () => {
    const state = lastState(first.messages);
    const tickets = [...emu.truth('tickets')].filter((t) => t.status !== 'deleted');
    const [a, b, c] = [tickets[3]!.id as number, tickets[10]!.id as number, tickets[20]!.id as number];
    emu.mutate.updateTicket(a, { priority: 'urgent', comment: 'escalated' });
    // A system update moves only generated_timestamp: a bookmark on updated_at would miss it.
    emu.mutate.systemUpdateTicket(b);
    emu.mutate.deleteTicket(c);
    const created = emu.mutate.createTicket({ subject: 'new one' });
    const user = [...emu.truth('users')][5]!.id as number;
    emu.mutate.updateUser(user, { name: 'Renamed User' });
    const org = [...emu.truth('organizations')][2]!.id as number;
    emu.mutate.updateOrganization(org, { notes: 'changed' });
    // Changes within the last minute are never exported: let the window pass.
    emu.clock.advance(120);

    const run = await syncFrom(state);
    expect(sorted(recordsOf(run.messages, 'tickets').map((t) => t.id))).toEqual(sorted([a, b, c, created]));
    expect(recordsOf(run.messages, 'tickets').find((t) => t.id === c)?.status).toBe('deleted');
    expect(recordsOf(run.messages, 'tickets').find((t) => t.id === a)?.priority).toBe('urgent');
    expect(recordsOf(run.messages, 'users').map((u) => u.id)).toEqual([user]);
    expect(recordsOf(run.messages, 'organizations').map((o) => o.id)).toEqual([org]);
    const comments = recordsOf(run.messages, 'ticket_comments');
    expect(comments.some((cm) => cm.ticket_id === a)).toBe(true);
    expect(comments.every((cm) => [a, b, c, created].includes(cm.ticket_id))).toBe(true);
    // Metric sets come with every re-exported ticket that is not deleted.
    const metrics = recordsOf(run.messages, 'ticket_metrics').map((m) => m.ticket_id);
    expect(metrics).toContain(a);
    expect(metrics).not.toContain(c);

    const again = await syncFrom(lastState(run.messages));
    expect(recordsOf(again.messages, 'tickets')).toEqual([]);
    expect(recordsOf(again.messages, 'organizations')).toEqual([]);
  });

  it('more records in one second than a page neither loops nor loses records', async () => {
    const state = lastState(first.messages);
    const second = emu.clock.now() - 30;
    const ids = emu.mutate.createOrganizations(2500, second);
    emu.clock.advance(120);
    const run = await syncFrom(state);
    const got = recordsOf(run.messages, 'organizations').map((o) => o.id);
    expect(new Set(got).size).toBe(got.length);
    for (const id of ids) expect(got).toContain(id);
  });

  it('migrates singer-io/tap-zendesk state (ISO bookmarks) without a full resync', async () => {
    const all = [...emu.truth('tickets')];
    const mid = all[Math.floor(all.length / 2)]!.generated_timestamp as number;
    const legacy = { bookmarks: { tickets: { generated_timestamp: new Date(mid * 1000).toISOString().replace('.000Z', '.000000Z') } } };
    const catalogRun = await runTap(['--config', configPath, '--discover']);
    const catalog = JSON.parse(catalogRun.stdout);
    const { selectStreams } = await import('./helpers/tap.js');
    const cat = tempFile('catalog.json', selectStreams(catalog, ['tickets']));
    const run = await runTap(['--config', configPath, '--catalog', cat, '--state', tempFile('legacy.json', legacy)]);
    expect(run.code, run.stderr).toBe(0);
    const got = recordsOf(run.messages, 'tickets');
    expect(got.length).toBeGreaterThan(0);
    expect(got.length).toBeLessThan(all.length);
    expect(got.every((t) => (t.generated_timestamp as number) >= mid)).toBe(true);
  });
});
