/**
 * Request conformance (issue 9 §2): every request the real CLI sends, over a
 * sync of ALL streams (opt-in ones included), a run resumed from its state
 * after changes, and a run with a small page_size that pages every list, is
 * checked against Zendesk's documentation: the method and path exist, each
 * query parameter is documented for that operation, and each value has the
 * documented format (epoch seconds vs ISO vs microseconds, page-size maximum,
 * enums). The reference is the committed table derived from Zendesk's OAS and
 * docs by scripts/derive-operations.mjs; an undocumented request passes only
 * when test/fixtures/request-allowlist.json lists it with a public source.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, CREDENTIALS, type Emulator } from './emulator/index.js';
import { emulatorConfig, lastState, runTap, selectStreams, tempFile, type TapRun } from './helpers/tap.js';
import {
  check,
  formatProblem,
  loadAllowlist,
  loadOperations,
  matchOperation,
  report,
  unusedAllowances,
  withAllowlist,
  type CapturedRequest,
} from './helpers/conformance.js';

/** A budget the tap may use at full speed (it paces itself by the rate-limit headers). */
const FAST = { accountRpm: 100_000, exportRpm: 100, windowMs: 60_000 };

const documented = loadOperations();
const allowlist = loadAllowlist();
const reference = withAllowlist(documented, allowlist);

async function syncAll(emu: Emulator, extra: Record<string, unknown>, state?: unknown): Promise<TapRun> {
  const config = tempFile('config.json', emulatorConfig(emu, { export_rpm: 100, max_rpm: 100_000, chat_credentials: { access_token: CREDENTIALS.chatAccessToken }, ...extra }));
  const discovered = await runTap(['--config', config, '--discover']);
  expect(discovered.code, discovered.stderr).toBe(0);
  const catalog = JSON.parse(discovered.stdout);
  // Every stream, the opt-in ones too.
  const all = catalog.streams.map((s: { tap_stream_id: string }) => s.tap_stream_id);
  const args = ['--config', config, '--catalog', tempFile('catalog.json', selectStreams(catalog, all))];
  if (state !== undefined) args.push('--state', tempFile('state.json', state));
  const run = await runTap(args, { timeoutMs: 200_000 });
  expect(run.code, run.stderr.slice(-3000)).toBe(0);
  return run;
}

describe('the reference table and its checks', () => {
  it('is derived and committed: operations with their documented parameters and formats', () => {
    expect(documented.length).toBeGreaterThan(500);
    const events = matchOperation(documented, 'GET', '/api/v2/incremental/ticket_events.json')!;
    expect(events.params.start_time?.format).toBe('epoch');
    expect(events.params.per_page).toMatchObject({ format: 'integer', maximum: 1000 });
    const groups = matchOperation(documented, 'GET', '/api/v2/groups')!;
    expect(groups.params['page[size]']).toMatchObject({ format: 'integer', maximum: 100 });
    // Literal segments beat placeholders.
    expect(matchOperation(documented, 'GET', '/api/v2/users/me')!.path).toBe('/api/v2/users/me');
    expect(matchOperation(documented, 'GET', '/api/v2/custom_objects/car/records')!.path).toBe('/api/v2/custom_objects/{}/records');
    expect(matchOperation(documented, 'GET', '/api/v2/tap-test-only')).toBeUndefined();
  });

  it('every allowlist entry cites a public source and says why', () => {
    for (const a of allowlist) {
      expect(a.source, `${a.method} ${a.path}`).toMatch(/https:\/\/|github\.com|^[\w.-]+\/[\w.-]+ /);
      expect(a.why.length, `${a.method} ${a.path}`).toBeGreaterThan(20);
    }
  });

  it('catches what it is meant to catch (the checks can fail)', () => {
    const bad: CapturedRequest[] = [
      { method: 'GET', path: '/api/v2/satisfaction_ratings', query: [['sort', 'created_at'], ['page[size]', '100']] },
      { method: 'GET', path: '/api/v2/slas/policies.json', query: [['per_page', '100']] },
      { method: 'GET', path: '/api/v2/incremental/ticket_events', query: [['start_time', '1700000000000'], ['per_page', '5000']] },
      { method: 'GET', path: '/api/v2/groups', query: [['page[size]', '500']] },
      { method: 'GET', path: '/api/v2/incremental/ticket_events', query: [['include', 'metric_sets']] },
      { method: 'GET', path: '/api/v2/test/only', query: [] },
      { method: 'DELETE', path: '/api/v2/groups', query: [] },
    ];
    const findings = check(bad, reference);
    expect(findings.map((f) => `${f.kind} ${f.key}`)).toEqual([
      'bad format GET /api/v2/groups page[size]',
      'bad format GET /api/v2/incremental/ticket_events include',
      'bad format GET /api/v2/incremental/ticket_events per_page',
      'bad format GET /api/v2/incremental/ticket_events start_time',
      'undocumented parameter GET /api/v2/satisfaction_ratings sort',
      'undocumented parameter GET /api/v2/slas/policies per_page',
      'undocumented path DELETE /api/v2/groups',
      'undocumented path GET /api/v2/test/only',
    ]);
    expect(formatProblem('2024-01-01T00:00:00Z', { format: 'iso' })).toBeUndefined();
    expect(formatProblem('1700000000', { format: 'iso' })).toBeDefined();
    expect(formatProblem('1700000000', { format: 'epoch_us' })).toBeDefined();
    expect(formatProblem('1700000000000000', { format: 'epoch_us' })).toBeUndefined();
  });
});

describe('every request of the tap is documented', () => {
  let emu: Emulator;
  let small: Emulator;
  const captured: Record<string, CapturedRequest[]> = {};

  beforeAll(async () => {
    // Enough Talk calls, chats and articles for a second export page (their pages hold 1000).
    emu = await startEmulator({ rateLimits: FAST, chatOAuthOnly: true, sizes: { calls: 1100, chats: 1100, articles: 1050 } });
    const first = await syncAll(emu, {});
    captured['full sync of all streams'] = emu.stats().requestLog;

    // Changes everywhere, then the clock moves past Chat's 5-minute window.
    const pick = (stream: string, k: number) => [...emu.truth(stream)][k]!;
    emu.mutate.updateRecord('calls', pick('calls', 10).id, { wrap_up_time: 99 });
    emu.mutate.createRecord('chats');
    emu.mutate.createRecord('agent_timeline', { agent_id: pick('agent_timeline', 0).agent_id });
    emu.mutate.createRecord('agents');
    emu.mutate.updateRecord('articles', pick('articles', 5).id, { title: 'Edited' });
    emu.mutate.createRecord('article_comments', { source_id: pick('articles', 7).id });
    emu.mutate.updateRecord('posts', pick('posts', 1).id);
    emu.mutate.updateRecord('custom_object_records', pick('custom_object_records', 2).id, { name: 'Renamed' });
    emu.mutate.updateRecord('macros', pick('macros', 2).id, { title: 'Changed macro' });
    emu.mutate.addAuditLog();
    const tickets = [...emu.truth('tickets')].filter((t) => t.status !== 'deleted');
    emu.mutate.updateTicket(tickets[7]!.id as number, { priority: 'high' });
    emu.mutate.addSideConversation(tickets[40]!.id as number);
    emu.mutate.createTicket();
    emu.mutate.updateUser(pick('users', 3).id as number, { name: 'Changed' });
    emu.clock.advance(3600);
    emu.resetStats();
    await syncAll(emu, {}, lastState(first.messages));
    captured['resumed run after changes'] = emu.stats().requestLog;

    // Small lists and pages of 2: every list needs follow-up pages (page[after], page=2).
    small = await startEmulator({ rateLimits: FAST, chatOAuthOnly: true, sizes: { tickets: 40, users: 20, organizations: 8, calls: 5, chats: 5, articles: 6, posts: 5 } });
    await syncAll(small, { page_size: 2 });
    captured['page_size 2'] = small.stats().requestLog;
  }, 600_000);

  afterAll(async () => {
    await emu?.close();
    await small?.close();
  });

  it('captured follow-up pages of every paging style', () => {
    const all = Object.values(captured).flat();
    const has = (param: string) => all.some((r) => r.query.some(([k]) => k === param));
    expect(has('page[after]'), 'cursor-list follow-up pages').toBe(true);
    expect(has('cursor'), 'cursor-export follow-up pages').toBe(true);
    expect(has('since_id'), 'Chat since_id pages').toBe(true);
    expect(all.length).toBeGreaterThan(200);
  });

  for (const run of ['full sync of all streams', 'resumed run after changes', 'page_size 2']) {
    it(`${run}: method, path, parameters and value formats as documented`, () => {
      const findings = check(captured[run]!, reference);
      expect(findings, `${findings.length} undocumented request shapes:\n${report(findings)}`).toEqual([]);
    });
  }

  it('a sync of side_conversations alone asks the ticket export for nothing (its tickets come from the side conversation event export)', async () => {
    emu.resetStats();
    const config = tempFile('config.json', emulatorConfig(emu, { export_rpm: 100, max_rpm: 100_000, chat_credentials: { access_token: CREDENTIALS.chatAccessToken } }));
    const discovered = await runTap(['--config', config, '--discover']);
    expect(discovered.code, discovered.stderr).toBe(0);
    const run = await runTap(['--config', config, '--catalog', tempFile('catalog.json', selectStreams(JSON.parse(discovered.stdout), ['side_conversations']))]);
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    expect(emu.stats().requestLog.filter((r) => r.path.startsWith('/api/v2/incremental/tickets'))).toEqual([]);
    expect(emu.stats().requestLog.filter((r) => r.path === '/api/v2/tickets/side_conversations/events').length).toBeGreaterThan(0);
  }, 120_000);

  it('the allowlist holds nothing the tap no longer needs', () => {
    expect(unusedAllowances(Object.values(captured).flat(), documented, allowlist)).toEqual([]);
  });
});
