/**
 * Nothing lost, nothing duplicated: a tap killed with SIGKILL at any point and
 * resumed from the last STATE it delivered yields every record; only records
 * after that STATE (never covered by it) may come again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './emulator/index.js';
import { emulatorConfig, lastState, recordsOf, runTap, selectStreams, tempFile, type Message } from './helpers/tap.js';

const STREAMS = ['tickets', 'ticket_metrics', 'users', 'user_identities', 'organizations', 'ticket_events', 'ticket_comments', 'groups', 'tags', 'group_memberships'];

let emu: Emulator;
let configPath: string;
let catalogPath: string;
let discoveredCatalog: Message;

beforeAll(async () => {
  emu = await startEmulator({ sizes: { tickets: 2600, users: 1300, organizations: 1100 }, rateLimits: false });
  configPath = tempFile('config.json', emulatorConfig(emu, { page_size: 20, export_rpm: 100 }));
  const discovered = await runTap(['--config', configPath, '--discover']);
  discoveredCatalog = JSON.parse(discovered.stdout);
  catalogPath = tempFile('catalog.json', selectStreams(discoveredCatalog, STREAMS));
}, 60_000);

afterAll(async () => {
  await emu?.close();
});

interface Delivery {
  covered: Message[];
  uncovered: Message[];
}

/** Splits a run's records into those covered by its last STATE and those after it. */
function split(messages: Message[]): Delivery {
  let last = -1;
  messages.forEach((m, i) => {
    if (m.type === 'STATE') last = i;
  });
  const records = (from: number, to: number) => messages.slice(from, to).filter((m) => m.type === 'RECORD');
  return { covered: records(0, last + 1), uncovered: records(last + 1, messages.length) };
}

const keyOf = (m: Message) => `${m.stream}:${m.stream === 'tags' ? m.record.name : m.record.id}`;

/** Runs the tap once per kill point (SIGKILL after that many records), then once to the end. */
async function killAndResume(killPoints: number[]): Promise<{ kills: number; deliveries: Delivery[] }> {
  let state: unknown;
  let kills = 0;
  const deliveries: Delivery[] = [];
  for (const killAfter of [...killPoints, undefined]) {
    const args = ['--config', configPath, '--catalog', catalogPath];
    if (state !== undefined) args.push('--state', tempFile('state.json', state));
    const run = await runTap(args, killAfter === undefined ? {} : { killAfterRecords: killAfter });
    deliveries.push(split(run.messages));
    if (run.killed) kills++;
    else expect(run.code, run.stderr.slice(-2000)).toBe(0);
    state = lastState(run.messages) ?? state;
  }
  return { kills, deliveries };
}

describe('SIGKILL mid-stream, then resume from the last STATE', () => {
  it.each([[[1]], [[150]], [[1_000]], [[2_700]], [[9_000]], [[40, 700, 3_100]], [[5, 5, 5, 2_000, 2_000]]])(
    'killed after %j records: union equals the truth, repeats only uncovered',
    async (killPoints) => {
      const { kills, deliveries } = await killAndResume(killPoints);
      expect(kills).toBe(killPoints.length);
      const covered = new Map<string, number>();
      const all = new Set<string>();
      for (const d of deliveries) {
        for (const m of d.covered) {
          covered.set(keyOf(m), (covered.get(keyOf(m)) ?? 0) + 1);
          all.add(keyOf(m));
        }
        for (const m of d.uncovered) all.add(keyOf(m));
      }
      // Every record a STATE has covered is delivered once: resuming never repeats it.
      const repeated = [...covered].filter(([, n]) => n > 1).map(([k2]) => k2);
      expect(repeated.slice(0, 5)).toEqual([]);
      for (const stream of STREAMS) {
        const want = [...emu.truth(stream)].map((r) => `${stream}:${stream === 'tags' ? r.name : r.id}`);
        const missing = want.filter((w) => !all.has(w));
        expect(missing.length, `${stream}: ${missing.length} of ${want.length} records lost, e.g. ${missing.slice(0, 3).join(', ')}`).toBe(0);
      }
    },
    240_000,
  );
});

describe('full-table streams (no replication key) across a crash', () => {
  it('resume mid-pass at the next page, skip a pass the killed run finished, and read the whole table again on the next sync', async () => {
    const cat = tempFile('catalog.json', selectStreams(discoveredCatalog, ['tags', 'tickets']));
    const config = tempFile('config.json', emulatorConfig(emu, { page_size: 5, export_rpm: 100 }));
    const allTags = [...emu.truth('tags')].map((t) => t.name as string).sort();
    expect(allTags.length).toBeGreaterThan(15);
    const tagBookmark = (m: Message) => (m.type === 'STATE' ? m.value?.bookmarks?.tags : undefined);
    const names = (messages: Message[]) => recordsOf(messages, 'tags').map((t) => t.name as string);
    const run = (state: unknown, onMessage?: (m: Message, seen: { records: number; states: number }) => 'kill' | void) =>
      runTap(['--config', config, '--catalog', cat, ...(state ? ['--state', tempFile('state.json', state)] : [])], onMessage ? { onMessage } : {});

    // 1. Killed right after the second tags page's STATE: the resume starts at the third page.
    // Every STATE carries every bookmark: count the ones that move tags' own.
    let pages = 0;
    let previous: string | undefined;
    const first = await run(undefined, (m) => {
      const b = tagBookmark(m)?.page_after as string | undefined;
      if (!b || b === previous) return undefined;
      previous = b;
      return ++pages === 2 ? 'kill' : undefined;
    });
    expect(first.killed).toBe(true);
    const firstTags = names(first.messages);
    expect(firstTags.length).toBe(10);
    const resumed = await run(lastState(first.messages));
    expect(resumed.code, resumed.stderr.slice(-2000)).toBe(0);
    const resumedTags = names(resumed.messages);
    expect(resumedTags.filter((n) => firstTags.includes(n))).toEqual([]);
    expect([...firstTags, ...resumedTags].sort()).toEqual(allTags);
    // A run that ended well leaves no pass marker: the next sync is a fresh snapshot.
    expect(lastState(resumed.messages)?.bookmarks?.tags).toEqual({});

    // 2. Killed at the first STATE after the last tags record (tickets still running): that very STATE
    // marks the pass done, so no moment of the run leaves a state that would read tags again.
    let tagsSeen = 0;
    const second = await run(lastState(resumed.messages), (m) => {
      if (m.type === 'RECORD' && m.stream === 'tags') tagsSeen++;
      return tagsSeen === allTags.length && m.type === 'STATE' ? 'kill' : undefined;
    });
    expect(second.killed).toBe(true);
    expect(names(second.messages).sort()).toEqual(allTags);
    expect(lastState(second.messages)?.bookmarks?.tags).toEqual({ pass_complete: true });
    const afterFinishedPass = await run(lastState(second.messages));
    expect(afterFinishedPass.code, afterFinishedPass.stderr.slice(-2000)).toBe(0);
    expect(names(afterFinishedPass.messages)).toEqual([]);
    expect(afterFinishedPass.stderr).toMatch(/tags: its full pass already ended in the interrupted run/);
    expect(lastState(afterFinishedPass.messages)?.bookmarks?.tags).toEqual({});

    // 3. The next sync, from a run that ended well, reads the whole table.
    const next = await run(lastState(afterFinishedPass.messages));
    expect(next.code).toBe(0);
    expect(names(next.messages).sort()).toEqual(allTags);

    // 4. The mark means nothing to an incremental stream (say one switched from FULL_TABLE): it reads as usual.
    const switched = await run({ version: 1, bookmarks: { tickets: { pass_complete: true } } });
    expect(switched.code, switched.stderr.slice(-2000)).toBe(0);
    expect(recordsOf(switched.messages, 'tickets').length).toBe([...emu.truth('tickets')].length);
  }, 120_000);
});
