/**
 * The emulator's unsourced assumptions (test/emulator/options.ts `Assumptions`),
 * switched the other way: the tap must lose nothing.
 *
 * - childTouchesParent off: a new Help Center comment or vote leaves its
 *   article, post or comment unchanged. Runs between sweeps read only changed
 *   parents, so the child is late; the next sweep (child_sweep_hours, kept in
 *   state as swept_at) brings it.
 * - sideConversationTouchesTicket off: a new side conversation leaves its
 *   ticket unchanged; side_conversations finds it through the incremental side
 *   conversation event export, whatever the ticket does.
 * - unpagedAllAtOnce off: lists that declare no pagination page by offset;
 *   the tap follows next_page to the last page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './emulator/index.js';
import { emulatorConfig, lastState, recordsOf, runTap, selectStreams, keyOf, keysOf, sorted, tempFile, type TapRun } from './helpers/tap.js';

const FAST = { accountRpm: 100_000, exportRpm: 100, windowMs: 60_000 };

async function catalogFor(configPath: string, streams: string[]): Promise<string> {
  const discovered = await runTap(['--config', configPath, '--discover']);
  expect(discovered.code, discovered.stderr).toBe(0);
  return tempFile('catalog.json', selectStreams(JSON.parse(discovered.stdout), streams));
}

async function sync(configPath: string, catalogPath: string, state?: unknown): Promise<TapRun> {
  const args = ['--config', configPath, '--catalog', catalogPath];
  if (state !== undefined) args.push('--state', tempFile('state.json', state));
  const run = await runTap(args, { timeoutMs: 170_000 });
  expect(run.code, run.stderr.slice(-3000)).toBe(0);
  expect(run.stderr).not.toMatch(/ERROR|skipping stream/);
  return run;
}

type State = { bookmarks: Record<string, Record<string, unknown>> };

describe('childTouchesParent off: Help Center children of unchanged parents arrive at the next sweep', () => {
  const CHILDREN = ['article_attachments', 'article_comments', 'article_votes', 'article_comment_votes', 'post_comments', 'post_votes', 'post_comment_votes'];
  let emu: Emulator;
  let configPath: string;
  let catalogPath: string;
  let first: TapRun;
  let between: TapRun;
  const added: Record<string, unknown[]> = {};
  const seen = new Map<string, Set<string>>();
  const note = (run: TapRun) => {
    for (const s of CHILDREN) for (const r of recordsOf(run.messages, s)) (seen.get(s) ?? seen.set(s, new Set()).get(s)!).add(keyOf(s, r));
  };

  beforeAll(async () => {
    emu = await startEmulator({ rateLimits: FAST, sizes: { articles: 30, posts: 15 }, assumptions: { childTouchesParent: false } });
    configPath = tempFile('config.json', emulatorConfig(emu, { export_rpm: 100, max_rpm: 100_000 }));
    catalogPath = await catalogFor(configPath, CHILDREN);
    first = await sync(configPath, catalogPath);
    note(first);

    const articles = [...emu.truth('articles')];
    const posts = [...emu.truth('posts')];
    const articleComment = [...emu.truth('article_comments')][0]!;
    const postComment = [...emu.truth('post_comments')][0]!;
    const before = { article: { ...articles[3]! }, post: { ...posts[2]! }, comment: { ...articleComment } };
    added.article_comments = [emu.mutate.createRecord('article_comments', { source_id: articles[3]!.id })];
    added.article_votes = [emu.mutate.createRecord('article_votes', { item_id: articles[4]!.id })];
    added.article_attachments = [emu.mutate.createRecord('article_attachments', { article_id: articles[5]!.id })];
    added.article_comment_votes = [emu.mutate.createRecord('article_comment_votes', { item_id: articleComment.id })];
    added.post_comments = [emu.mutate.createRecord('post_comments', { post_id: posts[2]!.id })];
    added.post_votes = [emu.mutate.createRecord('post_votes', { item_id: posts[3]!.id })];
    added.post_comment_votes = [emu.mutate.createRecord('post_comment_votes', { item_id: postComment.id })];
    // The switch holds: no parent moved.
    expect([...emu.truth('articles')].find((a) => a.id === before.article.id)!.updated_at).toBe(before.article.updated_at);
    expect([...emu.truth('posts')].find((p) => p.id === before.post.id)!.updated_at).toBe(before.post.updated_at);
    expect([...emu.truth('article_comments')].find((c) => c.id === before.comment.id)!.updated_at).toBe(before.comment.updated_at);
    emu.clock.advance(120);

    between = await sync(configPath, catalogPath, lastState(first.messages));
    note(between);
  }, 240_000);

  afterAll(async () => {
    await emu?.close();
  });

  it('the first sync reads every child and records when its full pass started (swept_at)', () => {
    for (const s of CHILDREN) expect(keysOf(s, recordsOf(first.messages, s)), s).toEqual(keysOf(s, [...emu.truth(s)].filter((r) => !added[s]!.includes(r.id))));
    const state = lastState(first.messages) as State;
    for (const s of CHILDREN) {
      expect(state.bookmarks[s]!.swept_at, s).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(state.bookmarks[s]!.sweep_started, s).toBeUndefined();
    }
  });

  it('before the sweep interval has passed, only changed parents are read: the new children wait, at no request', () => {
    for (const s of CHILDREN) expect(recordsOf(between.messages, s), s).toEqual([]);
    const state = lastState(between.messages) as State;
    const firstState = lastState(first.messages) as State;
    for (const s of CHILDREN) expect(state.bookmarks[s]!.swept_at, s).toBe(firstState.bookmarks[s]!.swept_at);
  });

  it('once child_sweep_hours have passed since swept_at, every parent is read: no child is lost', async () => {
    const state = structuredClone(lastState(between.messages)) as State;
    const dayAgo = new Date(Date.now() - 25 * 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    for (const s of CHILDREN) state.bookmarks[s]!.swept_at = dayAgo;
    const swept = await sync(configPath, catalogPath, state);
    note(swept);
    for (const s of CHILDREN) {
      for (const id of added[s]!) expect(keysOf(s, recordsOf(swept.messages, s)), `${s} ${String(id)}`).toContain(String(id));
      // Across the runs: exactly the truth, nothing lost.
      expect(sorted([...(seen.get(s) ?? [])]), s).toEqual(keysOf(s, emu.truth(s)));
    }
    expect(swept.stderr).toMatch(/reading the children of every articles record/);
    const after = lastState(swept.messages) as State;
    for (const s of CHILDREN) expect(Date.parse(after.bookmarks[s]!.swept_at as string), s).toBeGreaterThan(Date.parse(dayAgo));
  }, 180_000);

  it('child_sweep_hours 0 sweeps on every run', async () => {
    const vote = emu.mutate.createRecord('article_votes', { item_id: [...emu.truth('articles')][7]!.id });
    emu.clock.advance(120);
    const zeroConfig = tempFile('config.json', emulatorConfig(emu, { export_rpm: 100, max_rpm: 100_000, child_sweep_hours: 0 }));
    const run = await sync(zeroConfig, catalogPath, lastState(between.messages));
    expect(keysOf('article_votes', recordsOf(run.messages, 'article_votes'))).toContain(String(vote));
  }, 180_000);

  it('a sweep killed midway resumes as a sweep (sweep_started), not as a run over changed parents', async () => {
    const comment = emu.mutate.createRecord('article_comments', { source_id: [...emu.truth('articles')].at(-1)!.id });
    emu.clock.advance(120);
    const state = structuredClone(lastState(between.messages)) as State;
    state.bookmarks.article_comments!.swept_at = '2001-01-01T00:00:00Z';
    const args = ['--config', configPath, '--catalog', tempFile('catalog.json', selectStreams(JSON.parse((await runTap(['--config', configPath, '--discover'])).stdout), ['article_comments'])), '--state', tempFile('state.json', state)];
    const killed = await runTap(args, { killAfterRecords: 3, timeoutMs: 60_000 });
    expect(killed.killed).toBe(true);
    const mid = lastState(killed.messages) as State | undefined;
    const midState = mid ?? state;
    if (mid) expect(mid.bookmarks.article_comments!.sweep_started).toBeDefined();
    const resumed = await runTap(args.slice(0, -1).concat(tempFile('state.json', midState)), { timeoutMs: 120_000 });
    expect(resumed.code, resumed.stderr.slice(-2000)).toBe(0);
    const got = new Set([...killed.messages, ...resumed.messages].filter((m) => m.type === 'RECORD').map((m) => String(m.record.id)));
    expect(got.has(String(comment))).toBe(true);
    const end = lastState(resumed.messages) as State;
    expect(end.bookmarks.article_comments!.sweep_started).toBeUndefined();
    expect(end.bookmarks.article_comments!.swept_at).not.toBe('2001-01-01T00:00:00Z');
  }, 180_000);
});

describe('sideConversationTouchesTicket off: side conversations come from the event export, not from changed tickets', () => {
  const STREAMS = ['side_conversations', 'side_conversation_events'];
  let emu: Emulator;
  let configPath: string;
  let catalogPath: string;
  let first: TapRun;

  beforeAll(async () => {
    emu = await startEmulator({ rateLimits: FAST, assumptions: { sideConversationTouchesTicket: false } });
    configPath = tempFile('config.json', emulatorConfig(emu, { export_rpm: 100, max_rpm: 100_000 }));
    catalogPath = await catalogFor(configPath, STREAMS);
    first = await sync(configPath, catalogPath);
  }, 120_000);

  afterAll(async () => {
    await emu?.close();
  });

  it('the first sync equals the truth', () => {
    for (const s of STREAMS) expect(keysOf(s, recordsOf(first.messages, s)), s).toEqual(keysOf(s, emu.truth(s)));
    expect(recordsOf(first.messages, 'side_conversations').length).toBeGreaterThan(0);
  });

  it('a side conversation on a ticket that does not move is read, with one request, for that ticket only', async () => {
    const quiet = [...emu.truth('tickets')].filter((t) => t.status !== 'deleted')[20]!;
    const before = quiet.generated_timestamp;
    const id = emu.mutate.addSideConversation(quiet.id as number);
    expect([...emu.truth('tickets')].find((t) => t.id === quiet.id)!.generated_timestamp, 'the switch holds: the ticket did not move').toBe(before);
    emu.clock.advance(120);
    emu.resetStats();
    const run = await sync(configPath, catalogPath, lastState(first.messages));
    expect(keysOf('side_conversations', recordsOf(run.messages, 'side_conversations'))).toContain(id);
    expect(recordsOf(run.messages, 'side_conversations').every((r) => r.ticket_id === quiet.id)).toBe(true);
    expect(recordsOf(run.messages, 'side_conversation_events').map((e) => e.side_conversation_id)).toEqual([id]);
    const perTicket = Object.keys(emu.stats().byPath).filter((p) => /^\/api\/v2\/tickets\/\d+\/side_conversations$/.test(p));
    expect(perTicket).toEqual([`/api/v2/tickets/${String(quiet.id)}/side_conversations`]);
    // Nothing read from the ticket exports for it.
    expect(Object.keys(emu.stats().byPath).filter((p) => p.startsWith('/api/v2/incremental/tickets'))).toEqual([]);
  }, 120_000);
});

describe('unpagedAllAtOnce off: lists that declare no pagination are read to their last page', () => {
  let emu: Emulator;

  beforeAll(async () => {
    // 300 tickets give about 36 side conversations; custom statuses and ticket forms are small, so add some.
    emu = await startEmulator({ rateLimits: FAST, assumptions: { unpagedAllAtOnce: false } });
  }, 60_000);

  afterAll(async () => {
    await emu?.close();
  });

  it('more records than one page: every record, each once, and more than one request', async () => {
    const STREAMS = ['custom_statuses', 'ticket_forms'];
    for (let i = 0; i < 130; i++) emu.mutate.createRecord('custom_statuses');
    for (let i = 0; i < 105; i++) emu.mutate.createRecord('ticket_forms');
    const configPath = tempFile('config.json', emulatorConfig(emu, { max_rpm: 100_000 }));
    const catalogPath = await catalogFor(configPath, STREAMS);
    emu.resetStats();
    const run = await sync(configPath, catalogPath);
    for (const s of STREAMS) {
      const truth = keysOf(s, emu.truth(s));
      expect(truth.length, s).toBeGreaterThan(100);
      const rows = recordsOf(run.messages, s);
      expect(rows.length, `${s}: each record once`).toBe(truth.length);
      expect(keysOf(s, rows), s).toEqual(truth);
    }
    expect(emu.stats().byPath['/api/v2/custom_statuses']).toBeGreaterThanOrEqual(2);
    expect(emu.stats().byPath['/api/v2/ticket_forms']).toBeGreaterThanOrEqual(2);
  }, 120_000);
});
