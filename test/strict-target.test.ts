/**
 * The tap's whole output, every stream (opt-in ones too), read by a consumer
 * as strict as pipelinewise-target-postgres / target-snowflake with their
 * default settings (test/helpers/strict-target.ts): a full sync, then an
 * incremental sync from its STATE after changes of every kind. Any violation
 * fails the suite with the list of them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, CREDENTIALS, type Emulator } from './emulator/index.js';
import { emulatorConfig, lastState, runTap, selectStreams, tempFile, type Message, type TapRun } from './helpers/tap.js';
import { checkSingerOutput, formatViolations, isRfc3339, type StrictOptions } from './helpers/strict-target.js';
import { ALL_STREAMS, getStream } from '../src/streams/registry.js';

/**
 * Streams read in replication-key order from a server-side lower bound: the
 * server-filtered exports and what is side-loaded on them with its parent's
 * replication value. Identities keep their own `updated_at` (not their user's),
 * so they arrive in user order, not in theirs.
 */
const ORDERED = ALL_STREAMS.filter((d) => {
  if (d.parent || !d.replicationKey) return false;
  if (d.filter === 'server') return true;
  return d.derivedFrom !== undefined && d.derivedFrom.extractor !== 'identities' && getStream(d.derivedFrom.stream)?.filter === 'server';
}).map((d) => d.name);

describe('the strict consumer itself (each rule can fail)', () => {
  const schema = (stream: string, extra: Record<string, unknown> = {}) => ({
    type: 'SCHEMA',
    stream,
    key_properties: ['id'],
    bookmark_properties: ['updated_at'],
    schema: {
      type: ['null', 'object'],
      additionalProperties: true,
      properties: {
        id: { type: 'integer' },
        updated_at: { type: ['null', 'string'], format: 'date-time' },
        via: { type: ['null', 'object'], additionalProperties: true, properties: { channel: { type: ['null', 'string'] } } },
        free: { type: ['null', 'object'], additionalProperties: true },
      },
    },
    ...extra,
  });
  const record = (stream: string, r: Record<string, unknown>) => ({ type: 'RECORD', stream, record: r });
  const state = (bookmarks: Record<string, unknown>) => ({ type: 'STATE', value: { bookmarks } });
  const rules = (messages: Message[], opts: StrictOptions = {}) => checkSingerOutput(messages, { ordered: ['s'], ...opts }).violations.map((v) => `${v.stream}: ${v.rule}${v.path ? ` ${v.path}` : ''}`);

  it('accepts a clean stream', () => {
    expect(
      rules([schema('s'), record('s', { id: 1, updated_at: '2024-01-01T00:00:00Z', via: { channel: 'web' }, free: { anything: 1 } }), state({ s: { updated_at: '2024-01-01T00:00:00Z' } })]),
    ).toEqual([]);
  });

  it('reports keyless schemas, nullable keys, records before their SCHEMA, null keys', () => {
    const keyless = { ...schema('k'), key_properties: [] };
    const nullable = schema('n');
    (nullable.schema.properties as any).id = { type: ['null', 'integer'] };
    expect(rules([record('s', { id: 1 }), schema('s'), keyless, nullable, record('s', { id: null }), state({})])).toEqual([
      's: record before its SCHEMA',
      'k: schema: key_properties required',
      'n: schema: nullable key $.id',
      's: record: key missing or null $.id',
      's: record: fails its SCHEMA $.id',
    ]);
  });

  it('reports undeclared fields, nested ones too, but not inside free-form objects', () => {
    expect(rules([schema('s'), record('s', { id: 1, metadata: { a: 1 }, via: { channel: 'web', source: {} }, free: { x: 1 } }), state({})])).toEqual([
      's: record: field not in SCHEMA $.metadata',
      's: record: field not in SCHEMA $.via.source',
    ]);
  });

  it('reads date-times as strict RFC 3339', () => {
    for (const ok of ['2024-02-29T23:59:60Z', '2024-01-01T00:00:00.123+05:30', '2024-01-01t00:00:00z']) expect(isRfc3339(ok), ok).toBe(true);
    for (const bad of ['2024-01-01 00:00:00Z', '2024-01-01T00:00:00', '2024-01-01T00:00:00+0000', '2023-02-29T00:00:00Z', '2024-01-01T24:00:00Z', '2024-01-01', '0000-01-01T00:00:00Z']) {
      expect(isRfc3339(bad), bad).toBe(false);
    }
    expect(rules([schema('s'), record('s', { id: 1, updated_at: '2024-01-01 00:00:00' }), state({})])).toEqual(['s: record: fails its SCHEMA $.updated_at']);
  });

  it('reports a STATE ahead of records not yet sent, or behind records already sent', () => {
    const at = (iso: string, id: number) => record('s', { id, updated_at: iso });
    expect(rules([schema('s'), at('2024-01-02T00:00:00Z', 1), state({ s: { updated_at: '2024-01-03T00:00:00Z' } }), at('2024-01-02T12:00:00Z', 2), state({ s: { updated_at: '2024-01-03T00:00:00Z' } })])).toEqual([
      's: record older than a STATE before it',
    ]);
    expect(rules([schema('s'), at('2024-01-05T00:00:00Z', 1), state({ s: { updated_at: '2024-01-03T00:00:00Z' } })])).toEqual(['s: state before the records it covers']);
    // The input state counts as a STATE before the first record.
    expect(rules([schema('s'), at('2024-01-01T00:00:00Z', 1), state({ s: { updated_at: '2024-01-03T00:00:00Z' } })], { initialState: { bookmarks: { s: { updated_at: '2024-01-02T00:00:00Z' } } } })).toEqual([
      's: record older than a STATE before it',
    ]);
  });

  it('reports bookmarks of streams without SCHEMA and records no STATE covers', () => {
    expect(rules([schema('s'), state({ s: {}, other: { updated_at: 'x' } }), record('s', { id: 1 })])).toEqual([
      'other: state: bookmark of a stream without SCHEMA',
      '-: records after the last STATE',
    ]);
    // A bookmark carried over unchanged from the input state is not this run's.
    expect(rules([schema('s'), record('s', { id: 1 }), state({ old: { a: 1 } })], { initialState: { bookmarks: { old: { a: 1 } } } })).toEqual([]);
  });
});

describe('every stream, through a strict target', () => {
  let emu: Emulator;
  let configPath: string;
  let catalogPath: string;
  let first: TapRun;
  let second: TapRun;
  let firstState: Record<string, any>;

  const sync = async (state?: unknown): Promise<TapRun> => {
    const args = ['--config', configPath, '--catalog', catalogPath];
    if (state !== undefined) args.push('--state', tempFile('state.json', state));
    const run = await runTap(args, { timeoutMs: 170_000 });
    expect(run.code, run.stderr.slice(-3000)).toBe(0);
    return run;
  };

  beforeAll(async () => {
    emu = await startEmulator({ rateLimits: false, chatOAuthOnly: true });
    configPath = tempFile('config.json', emulatorConfig(emu, { export_rpm: 100, max_rpm: 100_000, chat_credentials: { access_token: CREDENTIALS.chatAccessToken } }));
    const discovered = await runTap(['--config', configPath, '--discover']);
    expect(discovered.code, discovered.stderr).toBe(0);
    catalogPath = tempFile('catalog.json', selectStreams(JSON.parse(discovered.stdout), ALL_STREAMS.map((d) => d.name)));
    first = await sync();
    firstState = lastState(first.messages)!;

    // A change of every kind the emulator can make, then far enough ahead for every export to serve it.
    const pick = (stream: string, k: number) => [...emu.truth(stream)][k]!;
    const tickets = [...emu.truth('tickets')].filter((t) => t.status !== 'deleted');
    emu.mutate.updateTicket(tickets[7]!.id as number, { priority: 'high' });
    emu.mutate.systemUpdateTicket(tickets[20]!.id as number);
    emu.mutate.addSideConversation(tickets[40]!.id as number);
    emu.mutate.deleteTicket(tickets[90]!.id as number);
    emu.mutate.createTicket();
    emu.mutate.updateUser(pick('users', 3).id as number, { name: 'Renamed' });
    emu.mutate.createUser();
    emu.mutate.updateOrganization(pick('organizations', 2).id as number, { notes: 'changed' });
    for (const stream of ['macros', 'calls', 'call_legs', 'chats', 'articles', 'posts', 'custom_object_records', 'triggers']) {
      emu.mutate.updateRecord(stream, pick(stream, 1)[stream === 'agent_timeline' ? 'agent_id' : 'id']);
    }
    for (const stream of ['chats', 'agent_timeline', 'chat_conversions', 'chat_department_events', 'agents', 'triggers']) emu.mutate.createRecord(stream);
    emu.mutate.createRecord('article_comments', { source_id: pick('articles', 3).id });
    emu.mutate.createRecord('post_comments', { post_id: pick('posts', 2).id });
    emu.mutate.addAuditLog();
    emu.clock.advance(400);
    second = await sync(firstState);
  }, 360_000);

  afterAll(async () => {
    await emu?.close();
  });

  it('reads every stream, skipping none', () => {
    expect(first.stderr).not.toMatch(/skipping stream/);
    const withSchema = new Set(first.messages.filter((m) => m.type === 'SCHEMA').map((m) => m.stream));
    expect([...withSchema].sort()).toEqual(ALL_STREAMS.map((d) => d.name).sort());
  });

  it('full sync: no violation', () => {
    const report = checkSingerOutput(first.messages, { ordered: ORDERED });
    expect([...report.records.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(1000);
    expect(report.violations, formatViolations(report.violations)).toEqual([]);
  });

  it('incremental sync after changes: no violation, and it did read the changes', () => {
    const report = checkSingerOutput(second.messages, { ordered: ORDERED, initialState: firstState });
    for (const s of ['tickets', 'users', 'organizations', 'ticket_events', 'calls', 'chats', 'articles', 'macros', 'audit_logs']) {
      expect(report.records.get(s) ?? 0, `${s}: no change read`).toBeGreaterThan(0);
    }
    expect(report.violations, formatViolations(report.violations)).toEqual([]);
  });
});
