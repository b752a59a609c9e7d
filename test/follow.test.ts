/**
 * Follow mode (`--follow`, issue 11 §3), with the real CLI against the
 * emulator. The intervals are scaled down through the config; the virtual
 * clock is advanced by the test, past Zendesk's one-minute export window, so
 * the changes it makes become readable.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './emulator/index.js';
import { CLI, emulatorConfig, lastState, runTap, selectStreams, tempFile, type Message } from './helpers/tap.js';

/** Exports (every cycle), a client-filtered list and a full table (both read whole, on the slow cadence). */
const STREAMS = ['tickets', 'users', 'organizations', 'ticket_events', 'groups', 'tags'];
/** No rate limits in the emulator: the tap's governor stays out of the way as well. */
const FAST = { export_rpm: 100, rate_window_seconds: 0.1 };

let emu: Emulator;
let catalogPath: string;
let discovered: Message;

beforeAll(async () => {
  emu = await startEmulator({ sizes: { tickets: 300, users: 80, organizations: 30 }, rateLimits: false });
  const found = await runTap(['--config', tempFile('config.json', emulatorConfig(emu)), '--discover']);
  expect(found.code, found.stderr.slice(-2000)).toBe(0);
  discovered = JSON.parse(found.stdout) as Message;
  catalogPath = tempFile('catalog.json', selectStreams(discovered, STREAMS));
}, 60_000);

afterAll(async () => {
  await emu?.close();
});

/** A running `--follow` tap: its messages and stderr as they arrive, and waits on them. */
class Follower {
  readonly child: ChildProcess;
  readonly messages: Message[] = [];
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private pending = '';
  private readonly waiters = new Set<() => void>();

  constructor(args: string[]) {
    this.child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, TAP_ZENDESK_PROGRESS_MS: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.setEncoding('utf8');
    this.child.stdout!.on('data', (chunk: string) => {
      this.pending += chunk;
      let nl: number;
      while ((nl = this.pending.indexOf('\n')) >= 0) {
        this.messages.push(JSON.parse(this.pending.slice(0, nl)) as Message);
        this.pending = this.pending.slice(nl + 1);
      }
      this.wake();
    });
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (c: string) => {
      this.stderr += c;
      this.wake();
    });
    this.exited = new Promise((resolve) => this.child.on('close', (code, signal) => resolve({ code, signal })));
  }

  /** Cycles logged as done so far. */
  get cycles(): number {
    return [...this.stderr.matchAll(/follow: cycle \d+.* done in/g)].length;
  }

  async until(what: string, ok: () => boolean, timeoutMs = 20_000): Promise<void> {
    if (ok()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}; stderr:\n${this.stderr.slice(-3000)}`));
      }, timeoutMs);
      const check = (): void => {
        if (!ok()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
  }

  /** Waits for cycle `n` to end and its closing STATE to be read. */
  async cycleDone(n: number): Promise<void> {
    await this.until(`cycle ${n}`, () => this.cycles >= n);
    // The STATE is flushed to stdout before the cycle's log line; the pipes may deliver them in either order.
    await this.until(`the STATE closing cycle ${n}`, () => this.messages.at(-1)?.type === 'STATE', 5_000);
  }

  records(stream: string, from = 0): Array<Record<string, any>> {
    return this.messages.slice(from).filter((m) => m.type === 'RECORD' && m.stream === stream).map((m) => m.record);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.child.kill(signal);
    return this.exited;
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}

function follow(config: Record<string, unknown>, extra: string[] = []): Follower {
  return new Follower(['--config', tempFile('follow-config.json', emulatorConfig(emu, { ...FAST, ...config })), '--catalog', catalogPath, '--follow', ...extra]);
}

const ids = (stream: string, n: number): number[] => [...emu.truth(stream)].slice(0, n).map((r) => r.id as number);

describe('--follow', () => {
  it('delivers the changes made between cycles in the next cycle, exactly once, with a STATE closing every cycle and each SCHEMA once', async () => {
    const tap = follow({ follow_interval: 0.3, follow_full_table_interval: 3600 });
    try {
      await tap.cycleDone(1);
      const firstCycle = tap.messages.length;
      expect(tap.records('tickets').length).toBe([...emu.truth('tickets')].length);
      // Two idle cycles: nothing new is sent, yet each ends with a STATE.
      const idleFrom = tap.messages.length;
      await tap.cycleDone(3);
      expect(tap.messages.slice(idleFrom).filter((m) => m.type !== 'STATE')).toEqual([]);
      expect(tap.messages.slice(idleFrom).filter((m) => m.type === 'STATE').length).toBeGreaterThanOrEqual(2);

      const [ticket] = ids('tickets', 1);
      const [user] = ids('users', 1);
      const [org] = ids('organizations', 1);
      const before = tap.messages.length;
      const cycleBefore = tap.cycles;
      emu.mutate.updateTicket(ticket!, { subject: 'changed while following' });
      emu.mutate.updateUser(user!, { name: 'Followed User' });
      emu.mutate.updateOrganization(org!, { notes: 'followed' });
      // Past Zendesk's window: the exports now include the changes.
      emu.clock.advance(61);
      await tap.until('the changed ticket', () => tap.records('tickets', before).some((r) => r.id === ticket));
      const cycleOfChange = tap.cycles + 1;
      // Within one cycle of the change becoming readable, and nothing the change did not touch.
      expect(cycleOfChange - cycleBefore).toBeLessThanOrEqual(2);
      // Two more cycles: the change is not sent again.
      await tap.cycleDone(cycleOfChange + 2);
      expect(tap.records('tickets', before).map((r) => r.id)).toEqual([ticket]);
      expect(tap.records('tickets', before)[0]!.subject).toBe('changed while following');
      expect(tap.records('users', before).map((r) => r.id)).toEqual([user]);
      expect(tap.records('users', before)[0]!.name).toBe('Followed User');
      expect(tap.records('organizations', before).map((r) => r.id)).toEqual([org]);
      // The ticket's change is also in the event export: its events arrive once.
      const events = tap.records('ticket_events', before);
      expect(events.length).toBeGreaterThan(0);
      expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
      expect(events.every((e) => e.ticket_id === ticket)).toBe(true);
      // The full table and the client-filtered list were not read again (their cadence is an hour).
      expect(tap.records('tags', firstCycle)).toEqual([]);
      expect(tap.records('groups', firstCycle)).toEqual([]);
      // Each stream's SCHEMA went out once, before its first record, not again every cycle.
      for (const s of STREAMS) expect(tap.messages.filter((m) => m.type === 'SCHEMA' && m.stream === s).length, s).toBe(1);
      // The STATE closing the cycle covers the change: a new run from it sends nothing again.
      const resumed = await runTap(['--config', tempFile('c.json', emulatorConfig(emu, FAST)), '--catalog', catalogPath, '--state', tempFile('s.json', lastState(tap.messages))]);
      expect(resumed.code, resumed.stderr.slice(-2000)).toBe(0);
      for (const s of ['tickets', 'users', 'organizations', 'ticket_events']) expect(resumed.messages.filter((m) => m.type === 'RECORD' && m.stream === s), s).toEqual([]);
    } finally {
      tap.child.kill('SIGKILL');
    }
  }, 60_000);

  it('refreshes the streams read whole on their own cadence only, and says which cycles did', async () => {
    const requests = (path: string): number => emu.stats().byPath[path] ?? 0;
    const paths = ['/api/v2/tags', '/api/v2/groups', '/api/v2/incremental/tickets/cursor'];
    const before = paths.map(requests);
    const tap = follow({ follow_interval: 0.25, follow_full_table_interval: 2 });
    try {
      await tap.until('a few seconds of cycles', () => tap.cycles >= 12, 30_000);
      await tap.cycleDone(tap.cycles);
      // When each refresh cycle started: its log line's time less its duration.
      const full = [...tap.stderr.matchAll(/(\S+) INFO {2}follow: cycle (\d+) \(with the full tables\) done in ([\d.]+)s/g)].map((m) => ({
        at: Date.parse(m[1]!) - Number(m[3]) * 1000,
        cycle: Number(m[2]),
      }));
      expect(full[0]!.cycle).toBe(1);
      // About one refresh per 2 s, never two within 2 s, and incremental cycles in between.
      for (let k = 1; k < full.length; k++) expect(full[k]!.at - full[k - 1]!.at).toBeGreaterThanOrEqual(1_850);
      expect(full.length).toBeGreaterThanOrEqual(2);
      expect(full.length).toBeLessThan(tap.cycles);
      tap.child.kill('SIGKILL');
      await tap.exited;
      const [tagReads, groupReads, ticketReads] = paths.map((p, k) => requests(p) - before[k]!);
      // One page each: the list and the full table are requested in the refresh cycles only,
      // the ticket export in every cycle (an idle one costs that one request). The kill may
      // land in a cycle that has already asked (+1).
      const refreshes = full.length;
      const cycles = tap.cycles;
      for (const [reads, want] of [[tagReads, refreshes], [groupReads, refreshes], [ticketReads, cycles]] as const) {
        expect(reads).toBeGreaterThanOrEqual(want);
        expect(reads).toBeLessThanOrEqual(want + 1);
      }
      // The full table sends itself whole at every refresh; the incremental list only what changed (nothing).
      expect(tap.records('tags').length).toBe([...emu.truth('tags')].length * refreshes);
      expect(tap.records('groups').length).toBe([...emu.truth('groups')].length);
      expect(tap.messages.filter((m) => m.type === 'SCHEMA' && m.stream === 'tags').length).toBe(1);
    } finally {
      tap.child.kill('SIGKILL');
    }
  }, 60_000);

  it('SIGTERM in the middle of a cycle: the page in hand, a final STATE, exit 143; a run resumed from it loses nothing and repeats nothing', async () => {
    // More changed tickets than one export page (1,000), so the cycle has pages left when the signal comes.
    const big = await startEmulator({ sizes: { tickets: 3000, users: 50, organizations: 20 }, rateLimits: false });
    const cfg = tempFile('big-config.json', emulatorConfig(big, FAST));
    const tap = new Follower(['--config', tempFile('big-follow.json', emulatorConfig(big, { ...FAST, follow_interval: 0.3 })), '--catalog', catalogPath, '--follow']);
    const changed = [...big.truth('tickets')].slice(0, 2500).map((r) => r.id as number);
    try {
      await tap.cycleDone(1);
      const before = tap.messages.length;
      for (const id of changed) big.mutate.updateTicket(id, { subject: `sigterm ${id}` });
      big.clock.advance(61);
      // Slow pages, so the signal lands while the cycle still has pages to read.
      big.setOption('latencyMs', 300);
      await tap.until('the first changed tickets', () => tap.records('tickets', before).length > 0);
      const { code, signal } = await tap.stop('SIGTERM');
      expect(signal).toBeNull();
      expect(code, tap.stderr.slice(-2000)).toBe(143);
      expect(tap.stderr).toMatch(/SIGTERM received/);
      expect(tap.messages.at(-1)!.type).toBe('STATE');
      const first = tap.records('tickets', before);
      expect(first.length).toBeGreaterThan(0);
      expect(first.length).toBeLessThan(changed.length);
      big.setOption('latencyMs', 0);
      const resumed = await runTap(['--config', cfg, '--catalog', catalogPath, '--state', tempFile('s.json', lastState(tap.messages))]);
      expect(resumed.code, resumed.stderr.slice(-2000)).toBe(0);
      const second = resumed.messages.filter((m) => m.type === 'RECORD' && m.stream === 'tickets').map((m) => m.record);
      const all = [...first, ...second].map((r) => r.id as number).sort((a, b) => a - b);
      expect(all).toEqual([...changed].sort((a, b) => a - b));
    } finally {
      tap.child.kill('SIGKILL');
      await big.close();
    }
  }, 90_000);

  it('a stream the account cannot read is skipped once, and asked again only with the next refresh', async () => {
    // Talk switched off after discovery: the calls export answers 404 (a plan-gated stream selected anyway).
    emu.setOption('gated', { '/api/v2/channels/voice': 'not_found' });
    const calls = (): number => Object.entries(emu.stats().byPath).filter(([p]) => p.startsWith('/api/v2/channels/voice')).reduce((n, [, c]) => n + c, 0);
    const before = calls();
    const catalog = tempFile('calls-catalog.json', selectStreams(discovered, ['tickets', 'calls', 'tags']));
    const tap = new Follower(['--config', tempFile('f.json', emulatorConfig(emu, { ...FAST, follow_interval: 0.2, follow_full_table_interval: 3 })), '--catalog', catalog, '--follow']);
    try {
      await tap.until('a refresh after the first cycle', () => /follow: cycle ([2-9]|\d\d+) \(with the full tables\)/.test(tap.stderr), 30_000);
      const refreshes = (tap.stderr.match(/\(with the full tables\) done/g) ?? []).length;
      expect(tap.cycles).toBeGreaterThan(refreshes + 3);
      // Once per refresh (the first cycle and this one), not once per cycle; one warning each.
      expect(calls() - before).toBe(refreshes);
      expect((tap.stderr.match(/skipping stream calls/g) ?? []).length).toBe(refreshes);
    } finally {
      tap.child.kill('SIGKILL');
      emu.setOption('gated', {});
    }
  }, 60_000);

  it('SIGINT between cycles: exit 130 at once, the last message a STATE', async () => {
    const tap = follow({ follow_interval: 30, follow_full_table_interval: 3600 });
    await tap.cycleDone(1);
    const sent = Date.now();
    const { code } = await tap.stop('SIGINT');
    expect(code, tap.stderr.slice(-2000)).toBe(130);
    expect(Date.now() - sent).toBeLessThan(3_000);
    expect(tap.messages.at(-1)!.type).toBe('STATE');
  }, 60_000);
});

describe('--follow outside a Singer sync', () => {
  const config = (): string => tempFile('c.json', emulatorConfig(emu));
  it('with end_date in the config: one line on stderr, exit 2, nothing on stdout', async () => {
    const run = await runTap(['--config', tempFile('c.json', emulatorConfig(emu, { end_date: '2030-01-01T00:00:00Z' })), '--catalog', catalogPath, '--follow']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n').filter((l) => !/API token/.test(l))).toEqual([expect.stringMatching(/^tap-zendesk: error: --follow reads changes as they happen, but "end_date"/)]);
    expect(run.messages).toEqual([]);
  });

  it.each([
    [['read', '--catalog', 'catalog.json', '--follow'], /--follow is Singer-only: Airbyte's read runs once per sync the platform schedules/],
    [['check', '--follow'], /--follow is Singer-only: Airbyte's check/],
    [['discover', '--follow-interval', '5'], /--follow is Singer-only: Airbyte's discover/],
    [['--discover', '--follow'], /--follow keeps a sync running: use it with --config and --catalog, not with --discover/],
    [['--follow-interval', '5'], /--follow-interval needs --follow/],
    [['--follow', '--follow-interval', '0'], /--follow-interval must be a number of seconds greater than 0/],
    [['--follow', '--follow-interval', 'soon'], /--follow-interval must be a number of seconds greater than 0/],
  ])('%j: one line on stderr, exit 2', async (args, message) => {
    // The config after an Airbyte command word, else at the end.
    const withConfig = args[0]!.startsWith('-') ? [...args, '--config', config()] : [args[0]!, '--config', config(), ...args.slice(1)];
    const run = await runTap(withConfig);
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^tap-zendesk: /);
    expect(lines[0]).toMatch(message);
    // Airbyte commands still speak the protocol on stdout: one ERROR trace, no records.
    if (['read', 'check', 'discover'].includes(args[0]!)) {
      expect(run.messages.map((m) => m.type)).toEqual(['TRACE']);
      expect(run.messages[0]!.trace.error.message).toMatch(/Singer-only/);
    } else {
      expect(run.messages).toEqual([]);
    }
  });
});
