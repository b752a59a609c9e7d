/**
 * The Airbyte adapter in isolation: engine events in, AirbyteMessage lines out
 * (each validated against the protocol schema). Fast; the CLI suites cover
 * the same behaviour end to end.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { OutputWriter } from '../src/core/writer.js';
import type { EngineEvent } from '../src/core/events.js';
import { AirbyteAdapter, ConfigPersister, mirrorLogs } from '../src/protocols/airbyte/adapter.js';
import { parseAirbyteState } from '../src/protocols/airbyte/state.js';
import { ConfigError, TransientError } from '../src/util/errors.js';
import { log, registerSecret } from '../src/util/log.js';
import { validateAirbyteMessage } from './helpers/airbyte.js';
import type { Message } from './helpers/tap.js';

function harness(streams: Array<{ name: string; incremental: boolean }>, opts: { state?: unknown; raw?: Record<string, unknown>; debug?: boolean } = {}) {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => {
    text += c.toString('utf8');
  });
  const writer = new OutputWriter(out);
  const persister = new ConfigPersister(writer, opts.raw ?? { subdomain: 'acme' });
  const adapter = new AirbyteAdapter({
    writer,
    streams,
    state: parseAirbyteState(opts.state ?? [], 'test'),
    persister,
    debug: opts.debug ?? false,
  });
  const send = async (...events: EngineEvent[]) => {
    for (const e of events) await adapter.handle(e);
  };
  const messages = (): Message[] => {
    const lines = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Message);
    for (const m of lines) expect(validateAirbyteMessage(m), JSON.stringify(m)).toBeUndefined();
    return lines;
  };
  return { adapter, persister, writer, send, messages };
}

const page = (stream: string, n: number): EngineEvent => ({
  kind: 'records',
  stream,
  records: Array.from({ length: n }, (_, i) => ({ id: i })),
  extractedAt: 1_730_000_000_123,
});
const checkpoint = (stream: string, position: Record<string, unknown>, recordCount = 0): EngineEvent => ({ kind: 'checkpoint', stream, position, recordCount });
const status = (stream: string, s: 'started' | 'running' | 'complete' | 'incomplete'): EngineEvent => ({ kind: 'status', stream, status: s });

describe('AirbyteAdapter', () => {
  it('RECORD lines carry the stream, the data and emitted_at in integer ms', async () => {
    const h = harness([{ name: 'groups', incremental: false }]);
    await h.send(status('groups', 'started'), status('groups', 'running'), page('groups', 2));
    const records = h.messages().filter((m) => m.type === 'RECORD');
    expect(records).toEqual([
      { type: 'RECORD', record: { stream: 'groups', data: { id: 0 }, emitted_at: 1_730_000_000_123 } },
      { type: 'RECORD', record: { stream: 'groups', data: { id: 1 }, emitted_at: 1_730_000_000_123 } },
    ]);
  });

  it('per-stream STATE with the records since the previous one; an unchanged state with no record between is dropped', async () => {
    const h = harness([{ name: 'tickets', incremental: true }]);
    await h.send(
      status('tickets', 'started'),
      status('tickets', 'running'),
      page('tickets', 3),
      checkpoint('tickets', { generated_timestamp: 10 }, 3),
      checkpoint('tickets', { generated_timestamp: 10 }, 0),
      page('tickets', 2),
      checkpoint('tickets', { generated_timestamp: 10 }, 2),
      page('tickets', 4),
      checkpoint('tickets', { generated_timestamp: 20 }, 4),
      checkpoint('tickets', { generated_timestamp: 20 }, 0),
      status('tickets', 'complete'),
    );
    const states = h.messages().filter((m) => m.type === 'STATE').map((m) => m.state);
    expect(states.map((s) => [s.stream.stream_state.generated_timestamp, s.sourceStats.recordCount])).toEqual([
      [10, 3],
      [10, 2],
      [20, 4],
    ]);
    for (const s of states) expect(s).toMatchObject({ type: 'STREAM', stream: { stream_descriptor: { name: 'tickets' } } });
  });

  it('statuses: STARTED, RUNNING, COMPLETE even for a skipped stream, which also gets its input state back', async () => {
    const h = harness([{ name: 'sla_policies', incremental: true }], {
      state: [{ type: 'STREAM', stream: { stream_descriptor: { name: 'sla_policies' }, stream_state: { updated_at: '1700000000' } } }],
    });
    await h.send(
      status('sla_policies', 'started'),
      { kind: 'log', level: 'warn', message: 'skipping stream sla_policies: forbidden (403)' },
      status('sla_policies', 'complete'),
    );
    const out = h.messages();
    const kinds = out.map((m) => (m.type === 'TRACE' ? m.trace.stream_status.status : m.type));
    expect(kinds).toEqual(['STARTED', 'RUNNING', 'STATE', 'COMPLETE']);
    // The input blob (an Airbyte epoch string) comes back in our own shape.
    expect(out[2]!.state.stream.stream_state).toEqual({ updated_at: '2023-11-14T22:13:20Z' });
    expect(out[2]!.state.sourceStats.recordCount).toBe(0);
  });

  it('statuses of streams that are not configured are not reported', async () => {
    const h = harness([{ name: 'ticket_metrics', incremental: true }]);
    await h.send(status('tickets', 'started'), status('ticket_metrics', 'started'));
    expect(h.messages().map((m) => m.trace.stream_status.stream_descriptor.name)).toEqual(['ticket_metrics']);
  });

  it('errors: ERROR traces with failure_type, the stream, no secret; a stack trace only for system errors or --debug', async () => {
    registerSecret('sekret-token-XYZ');
    const h = harness([{ name: 'groups', incremental: false }]);
    await h.send(
      { kind: 'error', stream: 'groups', failure: 'transient', message: 'HTTP 503 after retries (token sekret-token-XYZ)', internal: 'TransientError: x\n    at f (a.js:1:1)' },
      { kind: 'error', stream: 'groups', failure: 'system', message: 'unexpected body', internal: 'TypeError: y\n    at g (b.js:2:2)' },
      { kind: 'error', failure: 'config', message: 'bad' },
    );
    const errors = h.messages().map((m) => m.trace.error);
    expect(errors[0]).toMatchObject({ failure_type: 'transient_error', stream_descriptor: { name: 'groups' }, internal_message: 'TransientError: x' });
    expect(errors[0].message).not.toContain('sekret-token-XYZ');
    expect(errors[0].stack_trace).toBeUndefined();
    expect(errors[1]).toMatchObject({ failure_type: 'system_error', stack_trace: expect.stringContaining('at g') });
    expect(errors[2]).toEqual({ message: 'bad', failure_type: 'config_error' });
  });

  it('a fatal error: one ERROR trace, then INCOMPLETE for every open stream', async () => {
    const h = harness([{ name: 'groups', incremental: false }, { name: 'tickets', incremental: true }, { name: 'brands', incremental: false }]);
    await h.send(status('groups', 'started'), status('tickets', 'started'), status('tickets', 'running'), status('brands', 'started'), status('brands', 'complete'));
    await h.adapter.fail(new ConfigError('Zendesk rejected the credentials (401).'));
    const out = h.messages();
    const tail = out.slice(-3).map((m) => (m.trace.type === 'ERROR' ? `ERROR ${m.trace.error.failure_type}` : `${m.trace.stream_status.stream_descriptor.name} ${m.trace.stream_status.status}`));
    expect(tail).toEqual(['ERROR config_error', 'groups INCOMPLETE', 'tickets INCOMPLETE']);
    await h.adapter.fail(new TransientError('again'));
    expect(h.messages().filter((m) => m.trace?.stream_status?.status === 'INCOMPLETE')).toHaveLength(2);
  });

  it('rate limits: RUNNING with RATE_LIMITED for the open streams reading through that request, else a LOG', async () => {
    const h = harness([{ name: 'tickets', incremental: true }, { name: 'ticket_metrics', incremental: true }, { name: 'groups', incremental: false }]);
    await h.send(status('tickets', 'started'), status('ticket_metrics', 'started'), status('groups', 'started'), status('groups', 'complete'));
    h.adapter.onRateLimited({ stream: 'tickets', resetAt: 1_730_000_060_000.4 });
    h.adapter.onRateLimited({ stream: 'groups', resetAt: 1_730_000_060_000 });
    h.adapter.onRateLimited({ stream: undefined, resetAt: 1_730_000_060_000 });
    await h.writer.flush();
    const out = h.messages();
    const limited = out.filter((m) => m.trace?.stream_status?.reasons);
    expect(limited.map((m) => m.trace.stream_status.stream_descriptor.name).sort()).toEqual(['ticket_metrics', 'tickets']);
    for (const m of limited) {
      expect(m.trace.stream_status.status).toBe('RUNNING');
      expect(m.trace.stream_status.reasons).toEqual([{ type: 'RATE_LIMITED', rate_limited: { quota_reset: 1_730_000_060_001 } }]);
    }
    expect(out.filter((m) => m.type === 'LOG' && /rate limit/.test(m.log.message))).toHaveLength(2);
  });

  it('ESTIMATE traces for configured streams', async () => {
    const h = harness([{ name: 'tickets', incremental: true }]);
    await h.send({ kind: 'estimate', stream: 'tickets', rows: 1234 }, { kind: 'estimate', stream: 'users', rows: 5 });
    expect(h.messages().map((m) => m.trace)).toEqual([{ type: 'ESTIMATE', emitted_at: expect.any(Number), estimate: { name: 'tickets', type: 'STREAM', row_estimate: 1234 } }]);
  });

  it('rotated credentials: a CONTROL message with the whole config, written before the hook returns', async () => {
    const raw = { subdomain: 'acme', start_date: '2024-01-01T00:00:00Z', credentials: { type: 'oauth2_refresh', client_id: 'c', client_secret: 's', refresh_token: 'old' } };
    const h = harness([], { raw });
    await h.persister.rotated({ type: 'oauth2_refresh', client_id: 'c', client_secret: 's', refresh_token: 'new-1', access_token: 'at-1', token_expiry_date: '2030-01-01T00:00:00Z' });
    expect(h.messages()).toHaveLength(1);
    await h.persister.rotated({ type: 'oauth2_refresh', client_id: 'c', client_secret: 's', refresh_token: 'new-2', access_token: 'at-2' });
    const configs = h.messages().map((m) => m.control.connectorConfig.config);
    expect(configs[0]).toEqual({ ...raw, credentials: { ...raw.credentials, refresh_token: 'new-1', access_token: 'at-1', token_expiry_date: '2030-01-01T00:00:00Z' } });
    expect(configs[1].credentials.refresh_token).toBe('new-2');
    expect(configs[1].start_date).toBe(raw.start_date);
  });

  it('log lines are mirrored as LOG messages, redacted', async () => {
    registerSecret('another-secret-42');
    const h = harness([]);
    const unmirror = mirrorLogs(h.writer);
    try {
      log.warn('retrying with another-secret-42');
      log.debug('below the threshold');
    } finally {
      unmirror();
    }
    log.info('after unmirror');
    await h.writer.flush();
    expect(h.messages()).toEqual([{ type: 'LOG', log: { level: 'WARN', message: 'retrying with ***' } }]);
  });
});

describe('parseAirbyteState', () => {
  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['{}', {}],
    ['[]', []],
  ])('%s: no bookmarks', (_name, input) => {
    expect(parseAirbyteState(input, 's').bookmarks).toEqual({});
  });

  it('STREAM, GLOBAL, LEGACY and whole STATE messages, in one array; null resets a stream', () => {
    const state = parseAirbyteState(
      [
        { type: 'STREAM', stream: { stream_descriptor: { name: 'tickets' }, stream_state: { generated_timestamp: 1 } } },
        { type: 'GLOBAL', global: { shared_state: {}, stream_states: [{ stream_descriptor: { name: 'users' }, stream_state: { updated_at: '2' } }] } },
        { type: 'LEGACY', data: { organizations: { updated_at: '3' } } },
        { type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name: 'groups' }, stream_state: { updated_at: '4' } } } },
        { stream: { stream_descriptor: { name: 'brands' }, stream_state: { x: 1 } } },
        { type: 'STREAM', stream: { stream_descriptor: { name: 'brands' }, stream_state: null } },
      ],
      's',
    );
    expect(state.bookmarks).toEqual({
      tickets: { generated_timestamp: 1 },
      users: { updated_at: '2' },
      organizations: { updated_at: '3' },
      groups: { updated_at: '4' },
    });
  });

  it('a single message, a legacy object, {"data": ...} and our Singer state', () => {
    expect(parseAirbyteState({ type: 'STREAM', stream: { stream_descriptor: { name: 't' }, stream_state: { a: 1 } } }, 's').bookmarks).toEqual({ t: { a: 1 } });
    expect(parseAirbyteState({ tickets: { generated_timestamp: '1' }, junk: 3 }, 's').bookmarks).toEqual({ tickets: { generated_timestamp: '1' } });
    expect(parseAirbyteState({ data: { tickets: { a: 1 } } }, 's').bookmarks).toEqual({ tickets: { a: 1 } });
    expect(parseAirbyteState({ version: 1, bookmarks: { tickets: { a: 1 } } }, 's').bookmarks).toEqual({ tickets: { a: 1 } });
  });

  it.each<[string, unknown, RegExp]>([
    ['a string', 'x', /must be a JSON array/],
    ['a number in an array', [3], /not a state message/],
    ['a scalar stream_state', [{ type: 'STREAM', stream: { stream_descriptor: { name: 't' }, stream_state: 5 } }], /must be an object/],
    ['no stream_descriptor', [{ type: 'STREAM', stream: { stream_state: {} } }], /stream_descriptor/],
    ['an unknown type', [{ type: 'PER_STREAM', stream: {} }], /unknown state type/],
    ['a GLOBAL without stream_states', [{ type: 'GLOBAL', global: {} }], /stream_states/],
  ])('rejects %s with a ConfigError', (_name, input, message) => {
    expect(() => parseAirbyteState(input, 's')).toThrow(ConfigError);
    expect(() => parseAirbyteState(input, 's')).toThrow(message);
  });
});
