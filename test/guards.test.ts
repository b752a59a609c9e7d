/**
 * Server guarantees checked at run time: for each one, an emulator endpoint
 * that breaks it (test/emulator/broken.ts) must make the stream fail with one
 * line naming the stream, the broken guarantee and the request id, and the
 * run exit non-zero, without looping and without a STATE that claims the
 * unread records. The same runs against the unbroken emulator pass.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './emulator/index.js';
import { broken } from './emulator/broken.js';
import type { Handler } from './emulator/registry.js';
import { E } from './emulator/errors.js';
import { emulatorConfig, lastState, recordsOf, runTap, selectStreams, tempFile, type TapRun } from './helpers/tap.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function syncOne(stream: string, breakIt?: (e: Emulator) => void, extra: Record<string, unknown> = {}, prepare?: (e: Emulator) => void): Promise<{ run: TapRun; emu: Emulator }> {
  emu = await startEmulator({ rateLimits: false, sizes: { tickets: 60, users: 150, organizations: 60 } });
  prepare?.(emu);
  breakIt?.(emu);
  const config = tempFile('c.json', emulatorConfig(emu, { discover_probe: false, ...extra }));
  const discovered = await runTap(['--config', config, '--discover']);
  expect(discovered.code, discovered.stderr).toBe(0);
  const catalog = tempFile('cat.json', selectStreams(JSON.parse(discovered.stdout), [stream]));
  const run = await runTap(['--config', config, '--catalog', catalog], { timeoutMs: 60_000 });
  return { run, emu };
}

const wrap = (path: string, f: (h: Handler) => Handler) => (e: Emulator) => e.registry.wrap(path, f);

function expectGuard(run: TapRun, stream: string, phrase: RegExp): void {
  expect(run.code, run.stderr).not.toBe(0);
  const line = run.stderr.split('\n').find((l) => l.includes('broke a guarantee'));
  expect(line, run.stderr).toBeDefined();
  expect(line!).toContain(`${stream}:`);
  expect(line!).toMatch(phrase);
  expect(line!).toMatch(/x-request-id [0-9a-f]+-EMU/);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe('guarantees checked as the data arrives', () => {
  it('control: the same streams pass against the documented behaviour', async () => {
    for (const s of ['organizations', 'users', 'groups']) {
      const { run } = await syncOne(s);
      expect(run.code, run.stderr).toBe(0);
      expect(recordsOf(run.messages, s).length).toBeGreaterThan(0);
      await emu!.close();
      emu = undefined;
    }
  });

  it('a time export that ignores start_time', async () => {
    const start = '2000-01-01T00:00:00Z';
    const { run, emu: e } = await syncOne('organizations', undefined, { start_date: start });
    expect(run.code).toBe(0);
    // Ask from the middle of the data: an export that ignores start_time answers older records.
    const orgs = [...e.truth('organizations')].map((o) => Date.parse(o.updated_at as string) / 1000).sort((a, b) => a - b);
    const mid = new Date((orgs[Math.floor(orgs.length / 2)]! + 1) * 1000).toISOString().replace('.000Z', 'Z');
    await e.close();
    const again = await syncOne('organizations', wrap('/api/v2/incremental/organizations', broken.ignoreStartTime()), { start_date: mid });
    expectGuard(again.run, 'organizations', /start_time filter was not honoured/);
    expect(recordsOf(again.run.messages, 'organizations')).toEqual([]);
  });

  it('a cursor export that ignores start_time', async () => {
    const probe = await syncOne('users');
    const updated = recordsOf(probe.run.messages, 'users').map((u) => Date.parse(u.updated_at) / 1000).sort((a, b) => a - b);
    const mid = new Date((updated[Math.floor(updated.length / 2)]! + 1) * 1000).toISOString().replace('.000Z', 'Z');
    await probe.emu.close();
    const { run } = await syncOne('users', wrap('/api/v2/incremental/users/cursor', broken.ignoreStartTime()), { start_date: mid });
    expectGuard(run, 'users', /start_time filter was not honoured/);
  });

  it('a time export that does not advance', async () => {
    const { run } = await syncOne('organizations', wrap('/api/v2/incremental/organizations', broken.stuckTimeExport('organizations')));
    expectGuard(run, 'organizations', /did not advance/);
  });

  it('a time export whose end_time is behind its records', async () => {
    const { run } = await syncOne('organizations', wrap('/api/v2/incremental/organizations', broken.endTimeBehind()));
    expectGuard(run, 'organizations', /newer than the page's end_time/);
    // Nothing of that page is written, so no STATE can claim it.
    expect(recordsOf(run.messages, 'organizations')).toEqual([]);
  });

  it('a cursor export that hands back the same cursor', async () => {
    const { run } = await syncOne('users', wrap('/api/v2/incremental/users/cursor', broken.repeatCursor()));
    expectGuard(run, 'users', /cursor did not advance/);
  });

  it('a cursor export with neither a cursor nor an end marker', async () => {
    const { run } = await syncOne('users', wrap('/api/v2/incremental/users/cursor', broken.dropCursor()));
    expectGuard(run, 'users', /gives no cursor/);
    // The records read are written, but no STATE says the export ended there.
    const state = lastState(run.messages);
    expect(state?.bookmarks?.users?.cursor).toBeUndefined();
  });

  it('a cursor list that says has_more without a cursor', async () => {
    const { run } = await syncOne('groups', wrap('/api/v2/groups', broken.moreWithoutCursor()));
    expectGuard(run, 'groups', /gives no cursor/);
  });

  it('a newest-first feed served oldest first', async () => {
    const { run } = await syncOne('audit_logs', wrap('/api/v2/audit_logs', broken.oldestFirst('audit_logs')));
    expectGuard(run, 'audit_logs', /not newest-first/);
  });

  it('a Chat list that ignores since_id', async () => {
    // More agents than one page, so a second page is asked for.
    const { run } = await syncOne('agents', wrap('/api/v2/chat/agents', broken.ignoreSinceId()), {}, (e) => {
      for (let k = 0; k < 120; k++) e.mutate.createRecord('agents');
    });
    expectGuard(run, 'agents', /since_id=\d+ was not honoured/);
  });

  it('a refused start_time that is not "too recent" is an error, not an empty stream', async () => {
    const { run } = await syncOne('organizations', wrap('/api/v2/incremental/organizations', () => () => E.badStartTime()));
    expect(run.code, run.stderr).not.toBe(0);
    expect(run.stderr).toMatch(/organizations: .*HTTP 400/);
    expect(run.stderr).not.toMatch(/organizations: 0 records/);
  });

  it('a 200 body without its records', async () => {
    const { run } = await syncOne('groups', wrap('/api/v2/groups', broken.dropRecordsKey('groups')));
    expectGuard(run, 'groups', /has no "groups" list/);
    expect(run.stderr).not.toMatch(/groups: 0 records/);
  });
});
