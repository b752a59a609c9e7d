/**
 * Nothing lost, nothing duplicated: a tap killed with SIGKILL at any point and
 * resumed from the last STATE it delivered yields every record; only records
 * after that STATE (never covered by it) may come again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './emulator/index.js';
import { emulatorConfig, lastState, runTap, tempFile, type Message } from './helpers/tap.js';

const STREAMS = ['tickets', 'ticket_metrics', 'users', 'user_identities', 'organizations', 'ticket_events', 'ticket_comments', 'groups', 'tags', 'group_memberships'];

let emu: Emulator;
let configPath: string;
let catalogPath: string;

beforeAll(async () => {
  emu = await startEmulator({ sizes: { tickets: 2600, users: 1300, organizations: 1100 }, rateLimits: false });
  configPath = tempFile('config.json', emulatorConfig(emu, { page_size: 20, export_rpm: 100 }));
  const discovered = await runTap(['--config', configPath, '--discover']);
  const catalog = JSON.parse(discovered.stdout);
  const { selectStreams } = await import('./helpers/tap.js');
  catalogPath = tempFile('catalog.json', selectStreams(catalog, STREAMS));
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
