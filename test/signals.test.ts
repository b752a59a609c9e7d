/**
 * Stopping politely: SIGTERM or SIGINT mid-sync ends the run within seconds
 * with exit 143 / 130, a final STATE after the last record, and a resume from
 * that STATE delivers every record exactly once (Singer and Airbyte `read`).
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './emulator/index.js';
import { airbyte, configureFile, discoverStreams, latestStates, records as abRecords, traces, statusesOf } from './helpers/airbyte.js';
import { emulatorConfig, lastState, runTap, selectStreams, tempFile, type Message } from './helpers/tap.js';

const STREAMS = ['tickets', 'users', 'organizations', 'tags', 'groups'];
const KEY: Record<string, string> = { tags: 'name' };

let emu: Emulator;
let configPath: string;
let catalogPath: string;

beforeAll(async () => {
  // Slow enough (latency per request, small pages) that a signal lands mid-stream.
  emu = await startEmulator({ sizes: { tickets: 6000, users: 3000, organizations: 2000 }, rateLimits: false, latencyMs: 15 });
  configPath = tempFile('config.json', emulatorConfig(emu, { page_size: 25, export_rpm: 100 }));
  const discovered = await runTap(['--config', configPath, '--discover']);
  expect(discovered.code, discovered.stderr.slice(-2000)).toBe(0);
  catalogPath = tempFile('catalog.json', selectStreams(JSON.parse(discovered.stdout), STREAMS));
}, 60_000);

afterAll(async () => {
  await emu?.close();
});

/** Sends `signal` once `after` records have been read; returns when it was sent. */
function signalAfter(signal: NodeJS.Signals, after: number, sent: { at?: number }) {
  return (m: Message, seen: { records: number }, child: ChildProcess): void => {
    if (sent.at === undefined && seen.records >= after) {
      sent.at = Date.now();
      child.kill(signal);
    }
  };
}

const keyOf = (stream: string, r: Record<string, any>) => `${stream}:${String(r[KEY[stream] ?? 'id'])}`;

function truthKeys(): string[] {
  return STREAMS.flatMap((s) => [...emu.truth(s)].map((r) => keyOf(s, r))).sort();
}

function counts(keys: string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const k of keys) out.set(k, (out.get(k) ?? 0) + 1);
  return out;
}

/** Every truth record exactly once across the runs. */
function expectExactlyOnce(delivered: string[]): void {
  const c = counts(delivered);
  const repeated = [...c].filter(([, n]) => n > 1).map(([k]) => k);
  expect(repeated.slice(0, 5), `${repeated.length} records delivered twice`).toEqual([]);
  const want = truthKeys();
  const missing = want.filter((k) => !c.has(k));
  expect(missing.slice(0, 5), `${missing.length} records missing`).toEqual([]);
  expect(delivered.length).toBe(want.length);
}

describe('Singer: a signal mid-sync', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('%s: exit %i within seconds, a final STATE after the last record, and a resume delivers every record exactly once', async (signal, code) => {
    const sent: { at?: number } = {};
    const first = await runTap(['--config', configPath, '--catalog', catalogPath], { onMessage: signalAfter(signal, 2_000, sent) });
    const ended = Date.now();
    expect(sent.at, 'the signal was sent').toBeDefined();
    expect(first.code, first.stderr.slice(-2000)).toBe(code);
    expect(first.signal).toBeNull();
    expect(ended - sent.at!).toBeLessThan(5_000);
    expect(first.stderr).toMatch(new RegExp(`${signal} received`));
    expect(first.stderr).toMatch(/Not finished: /);
    // The run was cut short: not everything was read yet.
    const firstRecords = first.messages.filter((m) => m.type === 'RECORD');
    expect(firstRecords.length).toBeLessThan(truthKeys().length);
    // The last message is a STATE, so no record is left uncovered.
    expect(first.messages.at(-1)!.type).toBe('STATE');
    const state = lastState(first.messages);
    const second = await runTap(['--config', configPath, '--catalog', catalogPath, '--state', tempFile('state.json', state)]);
    expect(second.code, second.stderr.slice(-2000)).toBe(0);
    const all = [...first.messages, ...second.messages].filter((m) => m.type === 'RECORD').map((m) => keyOf(m.stream, m.record));
    expectExactlyOnce(all);
  }, 120_000);
});

describe('Airbyte read: SIGTERM mid-read', () => {
  it('exit 143, one transient ERROR trace, INCOMPLETE streams, final STATEs, and a resume delivers every record exactly once', async () => {
    const abConfig = tempFile('ab-config.json', emulatorConfig(emu, { page_size: 25, export_rpm: 100 }));
    // Incremental where possible: a full_refresh stream is read whole in every attempt, as the platform expects.
    const configured = configureFile(await discoverStreams(abConfig), STREAMS.filter((s) => s !== 'tags' && s !== 'groups'), 'incremental');
    const sent: { at?: number } = {};
    const first = await airbyte(['read', '--config', abConfig, '--catalog', configured], { onMessage: signalAfter('SIGTERM', 2_000, sent) });
    expect(sent.at).toBeDefined();
    expect(first.code, first.stderr.slice(-2000)).toBe(143);
    expect(Date.now() - sent.at!).toBeLessThan(5_000);
    const errors = traces(first, 'ERROR');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.error).toMatchObject({ failure_type: 'transient_error', message: expect.stringMatching(/stopped by SIGTERM/) });
    const unfinished = ['tickets', 'users', 'organizations'].filter((s) => statusesOf(first, s).at(-1) === 'INCOMPLETE');
    expect(unfinished.length).toBeGreaterThan(0);
    // No RECORD after the final STATEs.
    const lastRecord = first.lines.map((m) => m.type).lastIndexOf('RECORD');
    const lastStateAt = first.lines.map((m) => m.type).lastIndexOf('STATE');
    expect(lastStateAt).toBeGreaterThan(lastRecord);
    const state = tempFile('ab-state.json', latestStates(first));
    const second = await airbyte(['read', '--config', abConfig, '--catalog', configured, '--state', state]);
    expect(second.code, second.stderr.slice(-2000)).toBe(0);
    const keys = (run: typeof first) => ['tickets', 'users', 'organizations'].flatMap((s) => abRecords(run, s).map((r) => keyOf(s, r)));
    const all = [...keys(first), ...keys(second)];
    const c = counts(all);
    expect([...c].filter(([, n]) => n > 1).slice(0, 5)).toEqual([]);
    for (const s of ['tickets', 'users', 'organizations']) {
      expect(all.filter((k) => k.startsWith(`${s}:`)).length, s).toBe([...emu.truth(s)].length);
    }
  }, 120_000);
});
