/**
 * Chaos: the tap killed with SIGKILL at 20 random points of a multi-stream
 * sync and resumed each time from the last STATE it delivered; the network at
 * its worst; and the clock's corner cases (records at the bookmark second, a
 * second holding more than a page, data changing while the sync runs).
 * Whatever happens, the union of what was delivered equals the emulator's
 * truth, and only records no STATE covered may come twice.
 *
 * The schedule is seeded (CHAOS_SEED, default 20240605): a failure replays.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './emulator/index.js';
import { emulatorConfig, lastState, recordsOf, runTap, selectStreams, tempFile, type Message } from './helpers/tap.js';
import { rng, runLive, splitRun, type Delivered, type LiveRun } from './helpers/resume.js';
import { getStream } from '../src/streams/registry.js';

const SEED = Number(process.env.CHAOS_SEED ?? 20240605);

/** Replication key per stream (absent: full table); the order checks and repeat rules use it. */
const REPLICATION: Record<string, string | undefined> = {
  tickets: 'generated_timestamp',
  ticket_metrics: 'generated_timestamp',
  users: 'updated_at',
  user_identities: 'updated_at',
  organizations: 'updated_at',
  ticket_events: 'timestamp',
  ticket_comments: 'timestamp',
  ticket_audits: 'timestamp',
  ticket_field_history: 'timestamp',
  ticket_metric_events: 'time',
  satisfaction_ratings: 'updated_at',
  groups: 'updated_at',
  group_memberships: 'updated_at',
  ticket_fields: 'updated_at',
  tags: undefined,
};
/** Exports read in replication-key order: within a run their records never go back in time. */
const ORDERED = ['tickets', 'users', 'organizations', 'ticket_events', 'ticket_metric_events'];

const keyOf = (stream: string, r: Record<string, any>): string => `${stream}:${stream === 'tags' ? r.name : r.id}`;
const epoch = (v: unknown): number => (typeof v === 'number' ? v : Math.floor(Date.parse(String(v)) / 1000));

async function catalogFor(emu: Emulator, streams: string[], extra: Record<string, unknown> = {}): Promise<{ config: string; catalog: string }> {
  const config = tempFile('config.json', emulatorConfig(emu, { export_rpm: 100, ...extra }));
  const discovered = await runTap(['--config', config, '--discover']);
  expect(discovered.code, discovered.stderr.slice(-2000)).toBe(0);
  return { config, catalog: tempFile('catalog.json', selectStreams(JSON.parse(discovered.stdout), streams)) };
}

function truthKeys(emu: Emulator, streams: string[]): Set<string> {
  const out = new Set<string>();
  for (const s of streams) for (const r of emu.truth(s)) out.add(keyOf(s, r));
  return out;
}

function expectOrdered(messages: Message[], label: string): void {
  for (const s of ORDERED) {
    let prev = -Infinity;
    for (const r of recordsOf(messages, s)) {
      const v = epoch(r[REPLICATION[s]!]);
      expect(v >= prev, `${label}: ${s} went back in time (${prev} then ${v}, record ${r.id})`).toBe(true);
      prev = v;
    }
  }
}

/**
 * Each STATE follows one read's checkpoint: one stream, or the streams that
 * share one read's pages (a root and the streams side-loaded on it, whose
 * back-to-back checkpoints go out as one STATE). So it differs from the
 * previous STATE (or the input state) in the bookmarks of that read only. A
 * STATE that also changes another read's bookmark carries a position that
 * read has not checkpointed yet (e.g. a live object mutated after it was
 * handed over).
 */
const readOf = (stream: string): string => getStream(stream)?.derivedFrom?.stream ?? stream;
function expectOneBookmarkPerState(messages: Message[], input: Record<string, any> | undefined, label: string): void {
  let prev: Record<string, string> = {};
  for (const [s, b] of Object.entries(input?.bookmarks ?? {})) prev[s] = JSON.stringify(b);
  messages.forEach((m, i) => {
    if (m.type !== 'STATE') return;
    const next: Record<string, string> = {};
    for (const [s, b] of Object.entries(m.value?.bookmarks ?? {})) next[s] = JSON.stringify(b);
    const changed = [...new Set([...Object.keys(prev), ...Object.keys(next)])].filter((s) => prev[s] !== next[s]);
    const reads = new Set(changed.map(readOf));
    expect(reads.size, `${label}: STATE #${i} changes the bookmarks of ${changed.join(', ')} at once: ${changed.map((s) => `${s}: ${prev[s]} -> ${next[s]}`).join('; ')}`).toBeLessThanOrEqual(1);
    prev = next;
  });
}

/** The uncovered records of each stream are one contiguous batch: the page written after its last checkpoint. */
function expectOneUncoveredPagePerStream(messages: Message[], uncovered: Delivered[], label: string): void {
  const byStream = new Map<string, number[]>();
  for (const d of uncovered) byStream.set(d.stream, [...(byStream.get(d.stream) ?? []), d.index]);
  for (const [stream, idx] of byStream) {
    const from = Math.min(...idx);
    const to = Math.max(...idx);
    const between = messages.slice(from, to + 1).filter((m) => !(m.type === 'RECORD' && m.stream === stream));
    expect(between.map((m) => m.type + (m.stream ? `:${m.stream}` : '')), `${label}: ${stream} has uncovered records from more than one page`).toEqual([]);
    expect(idx.length, `${label}: ${stream}: ${idx.length} uncovered records`).toBeLessThanOrEqual(3000);
  }
}

// ============================================================== kill -9 at 20 points

describe('SIGKILL at 20 random points of a multi-stream sync, each resumed from its last STATE', () => {
  const STREAMS = [
    'tickets', 'ticket_metrics', 'users', 'user_identities', 'organizations', 'ticket_events', 'ticket_comments',
    'ticket_audits', 'ticket_field_history',
    'ticket_metric_events', 'satisfaction_ratings', 'groups', 'tags', 'group_memberships', 'ticket_fields',
  ];
  let emu: Emulator;
  let paths: { config: string; catalog: string };

  beforeAll(async () => {
    emu = await startEmulator({ sizes: { tickets: 1200, users: 700, organizations: 1100 }, rateLimits: false });
    paths = await catalogFor(emu, STREAMS, { page_size: 20 });
  });
  afterAll(async () => {
    await emu?.close();
  });

  it('loses nothing and repeats only the page after the last STATE', async () => {
    const random = rng(SEED);
    const want = truthKeys(emu, STREAMS);
    // 20 points spread over the whole sync (as a share of its records), in order. At each, the
    // run is killed after the records still missing to reach it, either mid-page ('records') or
    // right after the first STATE past it ('state').
    const points = Array.from({ length: 20 }, () => ({ at: Math.floor((0.02 + random() * 0.88) * want.size), kind: random() < 0.7 ? 'records' : 'state' }))
      .sort((a, b) => a.at - b.at);
    let state: Record<string, any> | undefined;
    const runs: Array<{ run: LiveRun; covered: Delivered[]; uncovered: Delivered[] }> = [];
    const coveredSoFar = new Set<string>();
    for (const [k, point] of [...points, undefined].entries()) {
      const args = ['--config', paths.config, '--catalog', paths.catalog];
      if (state) args.push('--state', tempFile('state.json', state));
      const after = point ? Math.max(1, point.at - coveredSoFar.size) : 0;
      const run = await runLive(args, {
        onMessage: (m, seen) => {
          if (!point || seen.records < after) return;
          if (point.kind === 'records' || m.type === 'STATE') return 'kill';
        },
      });
      const label = `run ${k + 1} (${point ? `${point.kind} kill after ${after} records` : 'to the end'})`;
      if (point) expect(run.killed, `${label} finished before its kill point`).toBe(true);
      else expect(run.code, run.stderr.slice(-2000)).toBe(0);
      const { covered, uncovered, lastState: last } = splitRun(run.messages, state, keyOf);
      expectOrdered(run.messages, label);
      expectOneBookmarkPerState(run.messages, state, label);
      expectOneUncoveredPagePerStream(run.messages, uncovered, label);
      runs.push({ run, covered, uncovered });
      for (const d of covered) coveredSoFar.add(d.key);
      state = last ?? state;
    }

    // A record a STATE covered never comes again: resuming from that STATE (or a later one) skips it,
    // full-table streams included (they resume at the next page, and skip a pass already finished).
    // Only rows of an incremental stream that lack its replication key cannot be filtered.
    const exempt = (d: Delivered): boolean => {
      const rk = REPLICATION[d.stream];
      return rk !== undefined && (d.record[rk] === undefined || d.record[rk] === null);
    };
    const coveredIn = new Map<string, number>();
    const repeats: string[] = [];
    runs.forEach(({ covered, uncovered }, k) => {
      for (const d of [...covered, ...uncovered]) {
        const earlier = coveredIn.get(d.key);
        if (earlier !== undefined && earlier < k && !exempt(d)) repeats.push(`${d.key} (covered in run ${earlier + 1}, again in run ${k + 1})`);
      }
      for (const d of covered) if (!coveredIn.has(d.key)) coveredIn.set(d.key, k);
    });
    expect(repeats.length, `${repeats.length} covered records repeated, e.g. ${repeats.slice(0, 8).join('; ')}`).toBe(0);

    // The union equals the truth: nothing lost, nothing invented.
    const got = new Set(runs.flatMap(({ covered, uncovered }) => [...covered, ...uncovered].map((d) => d.key)));
    const missing = [...want].filter((k) => !got.has(k));
    const extra = [...got].filter((k) => !want.has(k));
    expect(missing.slice(0, 10), `${missing.length} of ${want.size} records lost`).toEqual([]);
    expect(extra.slice(0, 10), `${extra.length} records not in the truth`).toEqual([]);
    // The kills really interrupted work: most runs delivered something uncovered or were cut mid-sync.
    expect(runs.filter((r) => r.run.killed).length).toBe(20);
  }, 150_000);
});

// ============================================================== faults at high rates

describe('faults at high rates', () => {
  const STREAMS = [
    'tickets', 'ticket_metrics', 'users', 'user_identities', 'organizations', 'ticket_events', 'ticket_comments',
    'satisfaction_ratings', 'groups', 'tags', 'group_memberships', 'ticket_fields',
  ];
  let emu: Emulator;

  beforeAll(async () => {
    emu = await startEmulator({ sizes: { tickets: 2500, users: 1100, organizations: 1100 }, rateLimits: false });
  });
  afterAll(async () => {
    await emu?.close();
  });

  it('20% 429s, 10% 5xx, 5% resets, 2% truncated bodies, slow responses past the timeout: complete, exact data, exit 0', async () => {
    const paths = await catalogFor(emu, STREAMS, { page_size: 25, request_timeout: 1 });
    emu.setOption('faults', { rate429: 0.2, rate5xx: 0.1, rateReset: 0.05, rateTruncated: 0.02, rateSlow: 0.03, slowMs: 1500, retryAfterSeconds: 1, faultSeed: SEED });
    // On top of the random draws, each kind at least once whatever the seed.
    emu.failNext('slow', 1, '/api/v2/incremental/tickets');
    emu.failNext('reset', 1, '/api/v2/incremental/users');
    emu.failNext('truncate', 2, '/api/v2/incremental/ticket_events');
    emu.failNext('502', 1, '/api/v2/groups');
    emu.failNext('429', 1, '/api/v2/tags');
    emu.resetStats();
    const run = await runLive(['--config', paths.config, '--catalog', paths.catalog], { timeoutMs: 150_000 });
    emu.setOption('faults', {});
    expect(run.code, run.stderr.slice(-3000)).toBe(0);
    const stats = emu.stats();
    // Every kind of fault really happened.
    expect(stats.status429, 'no 429').toBeGreaterThan(0);
    expect(Object.entries(stats.byStatus).filter(([s]) => Number(s) >= 500).length, 'no 5xx').toBeGreaterThan(0);
    for (const kind of ['reset', 'truncate', 'slow']) expect(stats.faults[kind] ?? 0, `no ${kind}`).toBeGreaterThan(0);
    // What the tap saw of them: a reset before the headers is a connection error; after them, a reset
    // and a truncation alike are a 2xx body cut short, retried rather than parsed half-way.
    expect(run.stderr, 'no timeout').toMatch(/timed out|timeout|ECONNABORTED/i);
    expect(run.stderr, 'no cut-short body retried').toMatch(/incomplete HTTP 200 body \(\w+\).*retry/);
    for (const stream of STREAMS) {
      const got = recordsOf(run.messages, stream).map((r) => keyOf(stream, r));
      expect(new Set(got).size, `${stream} has duplicates`).toBe(got.length);
      const want = [...emu.truth(stream)].map((r) => keyOf(stream, r));
      expect(got.sort(), stream).toEqual(want.sort());
    }
    expect(run.messages.at(-1)?.type).toBe('STATE');
  }, 170_000);
});

// ============================================================== clock quirks

describe('clock quirks', () => {
  let emu: Emulator;
  let paths: { config: string; catalog: string };

  beforeAll(async () => {
    emu = await startEmulator({ sizes: { tickets: 300, users: 120, organizations: 900 }, rateLimits: false });
    paths = await catalogFor(emu, ['organizations', 'tickets']);
  });
  afterAll(async () => {
    await emu?.close();
  });

  async function syncFrom(state: unknown, opts: Parameters<typeof runLive>[1] = {}): Promise<LiveRun> {
    const args = ['--config', paths.config, '--catalog', paths.catalog];
    if (state) args.push('--state', tempFile('state.json', state));
    return runLive(args, opts);
  }
  const orgIds = (run: LiveRun): number[] => recordsOf(run.messages, 'organizations').map((r) => r.id as number);

  it('records exactly at the bookmark second and the next one: the next sync delivers exactly them', async () => {
    const first = await syncFrom(undefined);
    expect(first.code, first.stderr.slice(-2000)).toBe(0);
    expect(orgIds(first).length).toBe(900);
    const s1 = lastState(first.messages)!;
    const bookmark = epoch(s1.bookmarks.organizations.updated_at);
    const atBookmark = emu.mutate.createOrganizations(3, bookmark);
    const nextSecond = emu.mutate.createOrganizations(4, bookmark + 1);
    const second = await syncFrom(s1);
    expect(second.code, second.stderr.slice(-2000)).toBe(0);
    expect(orgIds(second).sort()).toEqual([...atBookmark, ...nextSecond].sort());
    expect(recordsOf(second.messages, 'tickets')).toEqual([]);
    // And once more: nothing new, nothing repeated (the boundary ids travel in the state).
    const third = await syncFrom(lastState(second.messages));
    expect(orgIds(third)).toEqual([]);
  }, 60_000);

  it('a second holding more than a page (2,500 records) comes whole, once, even killed halfway and resumed', async () => {
    const base = await syncFrom(undefined);
    const s0 = lastState(base.messages)!;
    const bookmark = epoch(s0.bookmarks.organizations.updated_at);
    const crowd = emu.mutate.createOrganizations(2500, bookmark + 30);
    const whole = await syncFrom(s0);
    expect(whole.code, whole.stderr.slice(-2000)).toBe(0);
    expect(orgIds(whole).sort()).toEqual([...crowd].sort());

    // Again at a later second, with a SIGKILL in the middle of that second's records.
    const s1 = lastState(whole.messages)!;
    const crowd2 = emu.mutate.createOrganizations(2500, bookmark + 60);
    const killed = await syncFrom(s1, { onMessage: (m, seen) => (m.type === 'RECORD' && seen.records >= 1200 ? 'kill' : undefined) });
    expect(killed.killed).toBe(true);
    const split = splitRun(killed.messages, s1, keyOf);
    const resumed = await syncFrom(split.lastState ?? s1);
    expect(resumed.code, resumed.stderr.slice(-2000)).toBe(0);
    const delivered = [...orgIds(killed), ...orgIds(resumed)];
    expect([...new Set(delivered)].sort()).toEqual([...crowd2].sort());
    // Only what no STATE covered may repeat.
    const coveredKeys = new Set(split.covered.map((d) => d.key));
    expect(orgIds(resumed).filter((id) => coveredKeys.has(`organizations:${id}`))).toEqual([]);
  }, 60_000);

  it('data changing while the sync runs: the sync and a follow-up from its final state deliver every change', async () => {
    const streams = ['tickets', 'ticket_metrics', 'users', 'organizations', 'ticket_events', 'ticket_comments', 'groups'];
    const live = await startEmulator({ sizes: { tickets: 2200, users: 1500, organizations: 1200 }, rateLimits: false, latencyMs: 40 });
    try {
      const p = await catalogFor(live, streams);
      const tickets = [...live.truth('tickets')].filter((t) => t.status !== 'deleted').map((t) => t.id as number);
      const users = [...live.truth('users')].map((u) => u.id as number);
      const orgs = [...live.truth('organizations')].map((o) => o.id as number);
      const changed: string[] = [];
      const waves = [
        () => {
          // Early records (already delivered) and late ones (not yet read) change, new ones appear.
          live.mutate.updateTicket(tickets[2]!, { priority: 'urgent', comment: 'escalated mid-sync' });
          live.mutate.updateTicket(tickets[tickets.length - 5]!, { status: 'solved' });
          live.mutate.systemUpdateTicket(tickets[40]!);
          live.mutate.deleteTicket(tickets[90]!);
          changed.push(`tickets:${live.mutate.createTicket({ subject: 'arrived mid-sync' })}`);
          live.mutate.updateUser(users[1]!, { name: 'Renamed Mid-Sync' });
          changed.push(`users:${live.mutate.createUser({ name: 'New Mid-Sync' })}`);
          live.mutate.updateOrganization(orgs[3]!, { notes: 'changed mid-sync' });
          live.clock.advance(120);
        },
        () => {
          live.mutate.updateTicket(tickets[2]!, { priority: 'low' });
          live.mutate.updateTicket(tickets[700]!, { comment: 'second wave' });
          changed.push(`tickets:${live.mutate.createTicket({ subject: 'second wave' })}`);
          live.mutate.createOrganizations(5, live.clock.now());
          live.mutate.updateUser(users[users.length - 1]!, { name: 'Late Rename' });
          live.clock.advance(120);
        },
      ];
      const run1 = await runLive(['--config', p.config, '--catalog', p.catalog], {
        onMessage: (m, seen) => {
          // First wave at the first STATE, second a few pages later, while streams are still running.
          if (m.type === 'STATE' && (seen.states === 1 || seen.states === 6)) waves.shift()?.();
        },
      });
      expect(run1.code, run1.stderr.slice(-2000)).toBe(0);
      expect(waves.length, 'the sync ended before both waves of changes').toBe(0);
      const run2 = await runLive(['--config', p.config, '--catalog', p.catalog, '--state', tempFile('state.json', lastState(run1.messages))]);
      expect(run2.code, run2.stderr.slice(-2000)).toBe(0);

      // Every record's latest version is delivered by one of the two runs; nothing is lost.
      const version: Record<string, (r: Record<string, any>) => string> = {
        tickets: (r) => `${r.id}@${r.generated_timestamp}`,
        ticket_metrics: (r) => `${r.id}@${r.updated_at}`,
        users: (r) => `${r.id}@${r.updated_at}`,
        organizations: (r) => `${r.id}@${r.updated_at}`,
        ticket_events: (r) => String(r.id),
        ticket_comments: (r) => String(r.id),
        groups: (r) => `${r.id}@${r.updated_at}`,
      };
      for (const s of streams) {
        const got = new Set([...recordsOf(run1.messages, s), ...recordsOf(run2.messages, s)].map(version[s]!));
        const want = [...live.truth(s)].map(version[s]!);
        const missing = want.filter((w) => !got.has(w));
        expect(missing, `${s}: latest versions lost`).toEqual([]);
        {
          // The follow-up repeats nothing the first run delivered in that version.
          const first = new Set(recordsOf(run1.messages, s).map(version[s]!));
          expect(recordsOf(run2.messages, s).map(version[s]!).filter((v) => first.has(v)), `${s}: repeated`).toEqual([]);
        }
      }
      for (const k of changed) {
        const [s, id] = k.split(':');
        expect([...recordsOf(run1.messages, s!), ...recordsOf(run2.messages, s!)].some((r) => String(r.id) === id), `${k} never delivered`).toBe(true);
      }
      const deleted = [...recordsOf(run1.messages, 'tickets'), ...recordsOf(run2.messages, 'tickets')].filter((t) => t.id === tickets[90]);
      expect(deleted.at(-1)?.status).toBe('deleted');
    } finally {
      await live.close();
    }
  }, 90_000);
});
