/**
 * State that never goes stale: a run that fails (a non-zero exit the tap
 * decides) leaves no full-table "pass complete" mark, so a stream that keeps
 * failing cannot make every later run skip the full tables. Only a run
 * stopped from outside (SIGKILL, SIGTERM) keeps the marks, for its resume.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './emulator/index.js';
import { emulatorConfig, lastState, recordsOf, runTap, selectStreams, tempFile, type Message } from './helpers/tap.js';

let emu: Emulator;
let configPath: string;
let discovered: Message;
const FAST = { TAP_ZENDESK_BACKOFF_SCALE: '0.01' };

beforeAll(async () => {
  emu = await startEmulator({ sizes: { tickets: 20_000 }, rateLimits: false, latencyMs: 20 });
  configPath = tempFile('config.json', emulatorConfig(emu, { page_size: 5, export_rpm: 100 }));
  const run = await runTap(['--config', configPath, '--discover']);
  expect(run.code, run.stderr.slice(-2000)).toBe(0);
  discovered = JSON.parse(run.stdout);
}, 60_000);

afterAll(async () => {
  await emu?.close();
});

const allTags = () => [...emu.truth('tags')].map((t) => t.name as string).sort();
const tagNames = (messages: Message[]) => recordsOf(messages, 'tags').map((t) => t.name as string).sort();
const tagBookmarks = (messages: Message[]) => messages.filter((m) => m.type === 'STATE').map((m) => m.value?.bookmarks?.tags);

function sync(streams: string[], state?: unknown, onMessage?: Parameters<typeof runTap>[1]['onMessage']) {
  const args = ['--config', configPath, '--catalog', tempFile('catalog.json', selectStreams(discovered, streams))];
  if (state !== undefined) args.push('--state', tempFile('state.json', state));
  return runTap(args, { env: FAST, ...(onMessage ? { onMessage } : {}) });
}

/** groups answers 500 to every try of one request: the stream fails, the run exits 1. */
function breakGroups(): void {
  emu.failNext('500', 11, '/api/v2/groups');
}

describe('a failed run leaves no pass-complete mark', () => {
  it('a fresh run whose full table finished while another stream failed: the final STATE clears the mark', async () => {
    breakGroups();
    const run = await sync(['tags', 'groups']);
    expect(run.code, run.stderr.slice(-2000)).toBe(1);
    expect(run.stderr).toMatch(/groups: GET \/api\/v2\/groups: HTTP 500/);
    expect(tagNames(run.messages)).toEqual(allTags());
    // The pass was marked done along the way (a kill then would resume without reading tags again)...
    expect(tagBookmarks(run.messages)).toContainEqual({ pass_complete: true });
    // ...but the run ended with a failure of its own: the next run reads tags again.
    expect(run.messages.at(-1)!.type).toBe('STATE');
    expect(lastState(run.messages)?.bookmarks?.tags).toEqual({});
  });

  it('while one stream keeps failing, every run still reads the full tables (a mark from a killed run included)', async () => {
    // The state a killed run left: tags' pass was done.
    let state: unknown = { version: 1, bookmarks: { tags: { pass_complete: true } } };
    breakGroups();
    const first = await sync(['tags', 'groups'], state);
    expect(first.code).toBe(1);
    // This run resumed the killed one (tags not read again) and failed: the mark goes.
    expect(tagNames(first.messages)).toEqual([]);
    expect(lastState(first.messages)?.bookmarks?.tags).toEqual({});
    state = lastState(first.messages);
    for (let i = 0; i < 2; i++) {
      breakGroups();
      const again = await sync(['tags', 'groups'], state);
      expect(again.code).toBe(1);
      expect(tagNames(again.messages)).toEqual(allTags());
      state = lastState(again.messages);
      expect((state as Message).bookmarks.tags).toEqual({});
    }
  });
});

describe('a run stopped from outside keeps the mark for its resume', () => {
  /** Stops the run at the first STATE marking tags done (tickets still running). */
  const atPassDone = (action: 'kill' | 'SIGTERM') => (m: Message, _seen: unknown, child: import('node:child_process').ChildProcess): 'kill' | void => {
    if (m.type !== 'STATE' || m.value?.bookmarks?.tags?.pass_complete !== true) return undefined;
    if (action === 'kill') return 'kill';
    if (child.exitCode === null && !child.killed) child.kill('SIGTERM');
    return undefined;
  };

  it.each(['kill', 'SIGTERM'] as const)('%s after the tags pass: the last STATE keeps pass_complete and the resume skips tags', async (action) => {
    const run = await sync(['tags', 'tickets'], undefined, atPassDone(action));
    if (action === 'kill') expect(run.killed).toBe(true);
    else expect(run.code, run.stderr.slice(-2000)).toBe(143);
    expect(tagNames(run.messages)).toEqual(allTags());
    expect(lastState(run.messages)?.bookmarks?.tags).toEqual({ pass_complete: true });
    const resumed = await sync(['tags', 'tickets'], lastState(run.messages));
    expect(resumed.code, resumed.stderr.slice(-2000)).toBe(0);
    expect(tagNames(resumed.messages)).toEqual([]);
    // The resume ended well: the next sync reads tags afresh.
    expect(lastState(resumed.messages)?.bookmarks?.tags).toEqual({});
  }, 60_000);
});
