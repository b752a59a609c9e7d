/**
 * Incremental correctness of the Talk, Chat, Help Center and extra Support
 * streams: a first sync equals the truth, a sync from its STATE yields nothing,
 * and after changes a sync yields exactly what changed (for child streams: the
 * children of the changed parents, and no request for an unchanged parent).
 * Child streams resume per parent after a SIGKILL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, CREDENTIALS, type Emulator } from './emulator/index.js';
import { emulatorConfig, lastState, recordsOf, runTap, selectStreams, keyOf, keysOf, sorted, tempFile, type Message, type TapRun } from './helpers/tap.js';

/** One stream of each paging kind added with issue 3, plus the child streams. */
const STREAMS = [
  // exports
  'calls', 'call_legs', 'chats', 'agent_timeline', 'chat_conversions', 'chat_department_events', 'articles', 'custom_object_records',
  // rebuilt from the ticket event export
  'ticket_audits', 'ticket_field_history',
  // lists filtered on the replication key
  'macros', 'triggers', 'deleted_tickets', 'posts',
  // newest-first feeds
  'audit_logs',
  // since_id
  'agents',
  // children
  'article_attachments', 'article_comments', 'article_votes', 'post_comments', 'post_votes', 'side_conversations', 'side_conversation_events',
];

/**
 * A budget the tap may use at full speed: the tap paces itself by the
 * x-rate-limit header, and one request per parent adds up.
 */
const FAST = { accountRpm: 100_000, exportRpm: 100, windowMs: 60_000 };


async function catalogFor(configPath: string, streams: string[]): Promise<string> {
  const discovered = await runTap(['--config', configPath, '--discover']);
  expect(discovered.code, discovered.stderr).toBe(0);
  return tempFile('catalog.json', selectStreams(JSON.parse(discovered.stdout), streams));
}

describe('incremental sync of the Talk, Chat, Help Center and extra Support streams', () => {
  let emu: Emulator;
  let configPath: string;
  let catalogPath: string;
  let first: TapRun;

  const sync = async (state?: unknown): Promise<TapRun> => {
    const args = ['--config', configPath, '--catalog', catalogPath];
    if (state !== undefined) args.push('--state', tempFile('state.json', state));
    const run = await runTap(args, { timeoutMs: 170_000 });
    expect(run.code, run.stderr.slice(-3000)).toBe(0);
    expect(run.stderr).not.toMatch(/ERROR|skipping stream/);
    return run;
  };

  beforeAll(async () => {
    // More than one export page for calls (the server's fixed 1000), chats (limit 1000) and articles (per_page 1000).
    emu = await startEmulator({ rateLimits: FAST, chatOAuthOnly: true, sizes: { calls: 1100, chats: 1100, articles: 1050 } });
    configPath = tempFile('config.json', emulatorConfig(emu, { export_rpm: 100, max_rpm: 100_000, chat_credentials: { access_token: CREDENTIALS.chatAccessToken } }));
    catalogPath = await catalogFor(configPath, STREAMS);
    first = await sync();
  }, 180_000);

  afterAll(async () => {
    await emu?.close();
  });

  it('the first sync equals the truth, with no duplicate, and bookmarks every incremental stream', () => {
    for (const s of STREAMS) {
      expect(keysOf(s, recordsOf(first.messages, s)), s).toEqual(keysOf(s, emu.truth(s)));
    }
    const state = lastState(first.messages)!;
    for (const s of STREAMS) expect(state.bookmarks[s], `no bookmark for ${s}`).toBeDefined();
    // Talk calls page at the server's 1000: the second page repeats the boundary and ends the export.
    expect(emu.stats().byPath['/api/v2/channels/voice/stats/incremental/calls']).toBeGreaterThanOrEqual(2);
  });

  it('a sync from that STATE, with nothing changed, emits no record', async () => {
    const run = await sync(lastState(first.messages));
    for (const s of STREAMS) expect(recordsOf(run.messages, s), `${s} repeated records`).toEqual([]);
  });

  describe('after changes', () => {
    let run: TapRun;
    let changedAt: number;
    const ids: Record<string, unknown> = {};
    const got = (s: string) => keysOf(s, recordsOf(run.messages, s));
    const want = (values: unknown[]) => sorted(values.map(String));
    const pick = (stream: string, k: number) => [...emu.truth(stream)][k]!;

    beforeAll(async () => {
      const state = lastState(first.messages);
      changedAt = emu.clock.now();
      ids.call = pick('calls', 10).id;
      emu.mutate.updateRecord('calls', ids.call, { wrap_up_time: 99 });
      ids.leg = pick('call_legs', 30).id;
      emu.mutate.updateRecord('call_legs', ids.leg);
      ids.chat = pick('chats', 3).id;
      emu.mutate.updateRecord('chats', ids.chat, { tags: ['changed'] });
      ids.newChat = emu.mutate.createRecord('chats');
      ids.spanAgent = pick('agent_timeline', 0).agent_id;
      ids.span = emu.mutate.createRecord('agent_timeline', { agent_id: ids.spanAgent });
      ids.conversion = emu.mutate.createRecord('chat_conversions');
      ids.deptEvent = emu.mutate.createRecord('chat_department_events');
      ids.agent = emu.mutate.createRecord('agents');

      const articles = [...emu.truth('articles')];
      ids.a1 = articles[5]!.id;
      ids.a2 = articles[700]!.id;
      emu.mutate.updateRecord('articles', ids.a1, { title: 'Edited' });
      // A new comment or vote changes its article too, so the article export brings it back.
      ids.comment = emu.mutate.createRecord('article_comments', { source_id: ids.a2 });
      ids.vote = emu.mutate.createRecord('article_votes', { item_id: ids.a1 });
      const posts = [...emu.truth('posts')];
      ids.p1 = posts[1]!.id;
      ids.p2 = posts[4]!.id;
      emu.mutate.updateRecord('posts', ids.p1);
      emu.mutate.createRecord('post_comments', { post_id: ids.p2 });

      ids.record = pick('custom_object_records', 2).id;
      emu.mutate.updateRecord('custom_object_records', ids.record, { name: 'Renamed' });
      ids.newRecord = emu.mutate.createRecord('custom_object_records', { custom_object_key: 'apartment' });
      ids.macro = pick('macros', 2).id;
      emu.mutate.updateRecord('macros', ids.macro, { title: 'Changed macro' });
      ids.trigger = emu.mutate.createRecord('triggers');
      ids.logEntry = emu.mutate.addAuditLog();

      const tickets = [...emu.truth('tickets')].filter((t) => t.status !== 'deleted');
      ids.t1 = tickets[7]!.id;
      ids.t2 = tickets[40]!.id;
      ids.t3 = tickets[90]!.id;
      emu.mutate.updateTicket(ids.t1 as number, { priority: 'high' });
      emu.mutate.addSideConversation(ids.t2 as number);
      emu.mutate.deleteTicket(ids.t3 as number);
      // Chat exports only serve what is at least 5 minutes old.
      emu.clock.advance(400);
      emu.resetStats();
      run = await sync(state);
    }, 180_000);

    it('exports: exactly the changed and new records', () => {
      expect(got('calls')).toEqual(want([ids.call]));
      expect(got('call_legs')).toEqual(want([ids.leg]));
      expect(got('chats')).toEqual(want([ids.chat, ids.newChat]));
      expect(got('agent_timeline')).toEqual([`${String(ids.spanAgent)}|${String(ids.span)}`]);
      expect(got('chat_conversions')).toEqual(want([ids.conversion]));
      expect(got('chat_department_events')).toEqual(want([ids.deptEvent]));
      expect(got('articles')).toEqual(want([ids.a1, ids.a2]));
    });

    it('custom object records: the changes of every object, though no object definition changed', () => {
      // Each object's export resumes from its own cursor; the objects list itself did not change.
      expect(got('custom_object_records')).toEqual(want([ids.record, ids.newRecord]));
    });

    it('lists, feeds and since_id: exactly the changed and new records', () => {
      expect(got('agents')).toEqual(want([ids.agent]));
      expect(got('posts')).toEqual(want([ids.p1, ids.p2]));
      expect(got('macros')).toEqual(want([ids.macro]));
      expect(got('triggers')).toEqual(want([ids.trigger]));
      expect(got('audit_logs')).toEqual(want([ids.logEntry]));
      expect(got('deleted_tickets')).toEqual(want([ids.t3]));
    });

    it('audits and field history: every audit made between the runs (the deleted ticket\'s too), each change once', () => {
      const newEvents = [...emu.truth('ticket_events')].filter((e) => (e.timestamp as number) >= changedAt);
      // The priority change, the side conversation's audit and the deletion.
      expect(newEvents.length).toBe(3);
      expect(got('ticket_audits')).toEqual(want(newEvents.map((e) => e.id)));
      const changes = newEvents.flatMap((e) => (e.child_events as Array<Record<string, unknown>>).filter((c) => c.event_type === 'Change'));
      expect(changes.length).toBeGreaterThanOrEqual(2);
      expect(got('ticket_field_history')).toEqual(want(changes.map((c) => c.id)));
      const rows = recordsOf(run.messages, 'ticket_field_history');
      expect(rows.find((r) => r.ticket_id === ids.t1 && r.field_name === 'priority')?.value).toBe('high');
      expect(rows.find((r) => r.ticket_id === ids.t3 && r.field_name === 'status')?.value).toBe('deleted');
      // No request of their own: both come from the ticket event export.
      expect(emu.stats().byPath['/api/v2/ticket_audits'] ?? 0).toBe(0);
    });

    it('children: every child of a changed parent and only those, each with its parent id', () => {
      const childrenOf = (stream: string, parentField: string, parents: unknown[]) =>
        keysOf(stream, [...emu.truth(stream)].filter((r) => parents.includes(r[parentField])));
      expect(got('article_comments')).toEqual(childrenOf('article_comments', 'source_id', [ids.a1, ids.a2]));
      expect(got('article_comments')).toContain(String(ids.comment));
      expect(got('article_votes')).toEqual(childrenOf('article_votes', 'item_id', [ids.a1, ids.a2]));
      expect(got('article_votes')).toContain(String(ids.vote));
      expect(got('article_attachments')).toEqual(childrenOf('article_attachments', 'article_id', [ids.a1, ids.a2]));
      expect(got('post_comments')).toEqual(childrenOf('post_comments', 'post_id', [ids.p1, ids.p2]));
      expect(got('post_votes')).toEqual(childrenOf('post_votes', 'item_id', [ids.p1, ids.p2]));
      // Side conversations follow the side conversation event export: the ticket with a new one, not every changed ticket.
      expect(got('side_conversations')).toEqual(childrenOf('side_conversations', 'ticket_id', [ids.t2]));
      for (const r of recordsOf(run.messages, 'article_comments')) expect([ids.a1, ids.a2]).toContain(r.article_id);
      for (const r of recordsOf(run.messages, 'post_votes')) expect([ids.p1, ids.p2]).toContain(r.post_id);
    });

    it('children: one request per changed parent, none for the others', () => {
      const requested = (re: RegExp) => Object.keys(emu.stats().byPath).filter((p) => re.test(p)).sort();
      expect(requested(/^\/api\/v2\/help_center\/articles\/\d+\/comments$/)).toEqual(
        sorted([ids.a1 as number, ids.a2 as number]).map((a) => `/api/v2/help_center/articles/${a}/comments`),
      );
      expect(requested(/^\/api\/v2\/community\/posts\/\d+\/votes$/)).toHaveLength(2);
      // Only the ticket the side conversation event export names.
      expect(requested(/^\/api\/v2\/tickets\/\d+\/side_conversations$/)).toEqual([`/api/v2/tickets/${String(ids.t2)}/side_conversations`]);
    });

    it('a further sync emits nothing again', async () => {
      const again = await sync(lastState(run.messages));
      for (const s of STREAMS) expect(recordsOf(again.messages, s), `${s} repeated records`).toEqual([]);
    }, 180_000);
  });
});

describe('child streams after a SIGKILL', () => {
  const CHILDREN = ['article_comments', 'article_votes', 'post_comments', 'post_votes', 'side_conversations'];
  let emu: Emulator;
  let configPath: string;
  let catalogPath: string;

  beforeAll(async () => {
    emu = await startEmulator({ rateLimits: FAST, sizes: { articles: 400, posts: 250, tickets: 600 } });
    configPath = tempFile('config.json', emulatorConfig(emu, { export_rpm: 100, max_rpm: 100_000 }));
    catalogPath = await catalogFor(configPath, CHILDREN);
  }, 60_000);

  afterAll(async () => {
    await emu?.close();
  });

  /** Records a STATE covers (before it on stdout) and those after the last STATE. */
  function split(messages: Message[]): { covered: Message[]; uncovered: Message[] } {
    let last = -1;
    messages.forEach((m, i) => {
      if (m.type === 'STATE') last = i;
    });
    const records = (from: number, to: number) => messages.slice(from, to).filter((m) => m.type === 'RECORD');
    return { covered: records(0, last + 1), uncovered: records(last + 1, messages.length) };
  }

  it.each([[[1]], [[60]], [[250]], [[25, 25, 400]]])('killed after %j records: nothing lost, nothing covered repeated, each parent read about once', async (killPoints) => {
    emu.resetStats();
    let state: unknown;
    let kills = 0;
    const covered = new Map<string, number>();
    const all = new Set<string>();
    for (const killAfter of [...killPoints, undefined]) {
      const args = ['--config', configPath, '--catalog', catalogPath];
      if (state !== undefined) args.push('--state', tempFile('state.json', state));
      const run = await runTap(args, killAfter === undefined ? { timeoutMs: 170_000 } : { killAfterRecords: killAfter, timeoutMs: 170_000 });
      if (run.killed) kills++;
      else expect(run.code, run.stderr.slice(-2000)).toBe(0);
      const { covered: cov, uncovered } = split(run.messages);
      for (const m of cov) {
        const k = `${m.stream}:${keyOf(m.stream, m.record)}`;
        covered.set(k, (covered.get(k) ?? 0) + 1);
        all.add(k);
      }
      for (const m of uncovered) all.add(`${m.stream}:${keyOf(m.stream, m.record)}`);
      state = lastState(run.messages) ?? state;
    }
    expect(kills).toBe(killPoints.length);
    expect([...covered].filter(([, n]) => n > 1).map(([k]) => k).slice(0, 5)).toEqual([]);
    for (const s of CHILDREN) {
      const want = [...emu.truth(s)].map((r) => `${s}:${keyOf(s, r)}`);
      const missing = want.filter((w) => !all.has(w));
      expect(missing.length, `${s}: ${missing.length} of ${want.length} lost, e.g. ${missing.slice(0, 3).join(', ')}`).toBe(0);
    }
    // A resumed run starts at the next parent, not the first: each article's comments are requested about once.
    const articleRequests = Object.entries(emu.stats().byPath)
      .filter(([p]) => /^\/api\/v2\/help_center\/articles\/\d+\/comments$/.test(p))
      .reduce((n, [, c]) => n + c, 0);
    expect(articleRequests).toBeLessThanOrEqual([...emu.truth('articles')].length + 2 * killPoints.length);
  }, 240_000);
});
