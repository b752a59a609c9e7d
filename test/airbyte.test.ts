/**
 * Airbyte protocol mode of the one binary: spec, check, discover and read
 * against the emulator. Every stdout line of every command is validated
 * against AirbyteMessage from the official airbyte_protocol.yaml (helper
 * `airbyte`). The CAT-style acceptance suite is in airbyte-acceptance.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './emulator/index.js';
import { emulatorConfig, runTap } from './helpers/tap.js';
import {
  airbyte,
  configure,
  configureFile,
  discoverStreams,
  draft7,
  ofType,
  records,
  recordMessages,
  states,
  statusesOf,
  tempFile,
  traces,
  type AirbyteRun,
  type CatalogStream,
} from './helpers/airbyte.js';

let emu: Emulator;
let configPath: string;
let catalog: CatalogStream[];

beforeAll(async () => {
  emu = await startEmulator({ rateLimits: false, gated: { '/api/v2/slas/policies': 'forbidden' } });
  configPath = tempFile('config.json', emulatorConfig(emu, { export_rpm: 100 }));
  catalog = await discoverStreams(configPath);
});
afterAll(async () => {
  await emu?.close();
});

function config(extra: Record<string, unknown> = {}): string {
  return tempFile('config.json', emulatorConfig(emu, { export_rpm: 100, ...extra }));
}

function read(streams: string[], opts: { state?: unknown; mode?: 'incremental' | 'full_refresh' | 'auto'; config?: string } = {}): Promise<AirbyteRun> {
  const args = ['read', '--config', opts.config ?? configPath, '--catalog', configureFile(catalog, streams, opts.mode ?? 'auto')];
  if (opts.state !== undefined) args.push('--state', tempFile('state.json', typeof opts.state === 'string' ? opts.state : JSON.stringify(opts.state)));
  return airbyte(args);
}

function errorsOf(run: AirbyteRun) {
  return traces(run, 'ERROR').map((t) => t.error);
}

/** The statuses of a stream must be STARTED, RUNNING..., then COMPLETE (or INCOMPLETE). */
function expectStatusOrder(run: AirbyteRun, stream: string, last = 'COMPLETE'): void {
  const list = statusesOf(run, stream);
  expect(list[0], `${stream}: ${list.join(',')}`).toBe('STARTED');
  expect(list.at(-1), `${stream}: ${list.join(',')}`).toBe(last);
  if (last === 'COMPLETE') {
    expect(list.length).toBeGreaterThanOrEqual(3);
    expect(list.slice(1, -1).every((s) => s === 'RUNNING')).toBe(true);
  }
}

describe('spec', () => {
  it('prints exactly one SPEC with the settings schema, and needs no config', async () => {
    const run = await airbyte(['spec']);
    expect(run.code).toBe(0);
    expect(run.lines.map((m) => m.type)).toEqual(['SPEC']);
    const spec = run.lines[0]!.spec;
    expect(spec.documentationUrl).toMatch(/^https:\/\//);
    expect(spec.supportsIncremental).toBe(true);
    expect(spec.connectionSpecification.required).toEqual(['subdomain', 'credentials']);
    expect(spec.connectionSpecification.properties.credentials.oneOf[0].properties.type.const).toBe('oauth2_refresh');
    expect(spec.advanced_auth).toMatchObject({ auth_flow_type: 'oauth2.0', predicate_key: ['credentials', 'type'], predicate_value: 'oauth2_refresh' });
    // A Draft-07 schema that accepts the configs the tests use.
    const validate = draft7().compile(spec.connectionSpecification);
    expect(validate(emulatorConfig(emu))).toBe(true);
  });
});

describe.concurrent('check', () => {
  it('valid credentials: one CONNECTION_STATUS SUCCEEDED, from a real resource endpoint', async () => {
    emu.resetStats();
    const run = await airbyte(['check', '--config', configPath]);
    expect(run.code).toBe(0);
    const statuses = ofType(run, 'CONNECTION_STATUS');
    expect(statuses).toHaveLength(1);
    expect(statuses[0]!.connectionStatus).toEqual({ status: 'SUCCEEDED' });
    expect(run.lines.every((m) => m.type === 'CONNECTION_STATUS' || m.type === 'LOG')).toBe(true);
    const paths = Object.keys(emu.stats().byPath);
    expect(paths.some((p) => p.startsWith('/api/v2/groups'))).toBe(true);
    expect(paths.some((p) => p.includes('users/me'))).toBe(false);
  });

  it('a wrong API token: FAILED with an actionable message about the credentials, exit 0, no secret', async () => {
    const wrong = 'wrong-token-Zx81kQ';
    const run = await airbyte(['check', '--config', config({ credentials: { type: 'api_token', email: emu.credentials.email, api_token: wrong } })]);
    expect(run.code).toBe(0);
    const [status] = ofType(run, 'CONNECTION_STATUS');
    expect(status!.connectionStatus.status).toBe('FAILED');
    expect(status!.connectionStatus.message).toMatch(/credentials/i);
    expect(status!.connectionStatus.message).toMatch(/401/);
    expect(run.stdout + run.stderr).not.toContain(wrong);
    expect(run.stdout + run.stderr).not.toContain(Buffer.from(`${emu.credentials.email}/token:${wrong}`).toString('base64'));
  });

  it('an unknown host: FAILED, not a crash', async () => {
    const run = await airbyte(['check', '--config', config({ subdomain: 'no-such-account', base_url: 'https://no-such-account.invalid' })]);
    expect(run.code).toBe(0);
    const [status] = ofType(run, 'CONNECTION_STATUS');
    expect(status!.connectionStatus.status).toBe('FAILED');
    expect(status!.connectionStatus.message).toMatch(/resolve|reach/i);
  });

  it('nothing listening at base_url: FAILED naming base_url', async () => {
    const run = await airbyte(['check', '--config', config({ base_url: 'http://127.0.0.1:9' })]);
    expect(run.code).toBe(0);
    const [status] = ofType(run, 'CONNECTION_STATUS');
    expect(status!.connectionStatus.status).toBe('FAILED');
    expect(status!.connectionStatus.message).toMatch(/refused/);
  });

  it('an invalid or unreadable config: FAILED with what to fix', async () => {
    const noCreds = tempFile('bad.json', { subdomain: 'acme', base_url: emu.url });
    const run = await airbyte(['check', '--config', noCreds]);
    expect(run.code).toBe(0);
    expect(ofType(run, 'CONNECTION_STATUS')[0]!.connectionStatus).toMatchObject({ status: 'FAILED', message: expect.stringMatching(/credentials/) });
    const missing = await airbyte(['check', '--config', '/nonexistent/config.json']);
    expect(missing.code).toBe(0);
    expect(ofType(missing, 'CONNECTION_STATUS')[0]!.connectionStatus).toMatchObject({ status: 'FAILED', message: expect.stringMatching(/cannot read/) });
  });
});

describe.concurrent('discover', () => {
  it('prints one CATALOG; plan-gated streams stay listed (with a warning) so the catalog is stable', async () => {
    const run = await airbyte(['discover', '--config', configPath]);
    expect(run.code).toBe(0);
    expect(ofType(run, 'CATALOG')).toHaveLength(1);
    const streams = ofType(run, 'CATALOG')[0]!.catalog.streams as CatalogStream[];
    const tickets = streams.find((s) => s.name === 'tickets')!;
    expect(tickets).toMatchObject({
      supported_sync_modes: ['full_refresh', 'incremental'],
      source_defined_cursor: true,
      default_cursor_field: ['generated_timestamp'],
      source_defined_primary_key: [['id']],
      is_resumable: true,
    });
    expect(streams.find((s) => s.name === 'brands')!.supported_sync_modes).toEqual(['full_refresh']);
    expect(streams.find((s) => s.name === 'tags')!.source_defined_primary_key).toEqual([['name']]);
    expect(streams.some((s) => s.name === 'sla_policies')).toBe(true);
    expect(ofType(run, 'LOG').some((m) => m.log.level === 'WARN' && /sla_policies/.test(m.log.message))).toBe(true);
  });

  it('refused credentials: an ERROR trace (config_error) and a non-zero exit', async () => {
    const run = await airbyte(['discover', '--config', config({ credentials: { type: 'api_token', email: emu.credentials.email, api_token: 'wrong-token-Dd77' } })]);
    expect(run.code).not.toBe(0);
    expect(ofType(run, 'CATALOG')).toEqual([]);
    expect(errorsOf(run)).toEqual([expect.objectContaining({ failure_type: 'config_error', message: expect.stringMatching(/credentials/) })]);
    expect(run.stdout).not.toContain('wrong-token-Dd77');
  });

  it('the Singer --discover flag still prints the Singer catalog', async () => {
    const run = await runTap(['--config', configPath, '--discover']);
    expect(run.code, run.stderr).toBe(0);
    const singer = JSON.parse(run.stdout);
    expect(singer.streams[0].tap_stream_id).toBeTypeOf('string');
    expect(singer.streams[0].metadata).toBeInstanceOf(Array);
  });
});

describe('read', () => {
  it('reads only the configured streams, in their sync mode, with RECORD, STATE and statuses', async () => {
    const started = Date.now();
    const run = await read(['groups', 'tickets', 'brands'], { mode: 'auto' });
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    const streams = new Set(recordMessages(run).map((r) => r.stream));
    expect([...streams].sort()).toEqual(['brands', 'groups', 'tickets']);
    for (const r of recordMessages(run)) {
      expect(Number.isInteger(r.emitted_at)).toBe(true);
      expect(r.emitted_at).toBeGreaterThanOrEqual(started);
      expect(r.emitted_at).toBeLessThanOrEqual(Date.now());
    }
    expect(records(run, 'groups').length).toBe([...emu.truth('groups')].length);
    expect(records(run, 'tickets').length).toBe([...emu.truth('tickets')].length);
    for (const s of ['groups', 'tickets', 'brands']) {
      expectStatusOrder(run, s);
      const st = states(run, s);
      expect(st.length).toBeGreaterThanOrEqual(1);
      // recordCount counts the records since the previous STATE of that stream.
      expect(st.reduce((n, x) => n + x.sourceStats.recordCount, 0)).toBe(records(run, s).length);
      for (const x of st) expect(x.type).toBe('STREAM');
      for (let i = 1; i < st.length; i++) expect(st[i]).not.toEqual(st[i - 1]);
    }
    // Tickets ran incrementally: its state carries the cursor.
    expect(states(run, 'tickets').at(-1)!.stream.stream_state.generated_timestamp).toBeTypeOf('number');
    expect(errorsOf(run)).toEqual([]);
  });

  it('a first read of tickets emits an ESTIMATE from Zendesk\'s count endpoint', async () => {
    const run = await read(['tickets', 'groups'], { mode: 'auto' });
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    const estimates = traces(run, 'ESTIMATE').map((t) => t.estimate);
    expect(estimates).toEqual([{ name: 'tickets', type: 'STREAM', row_estimate: expect.any(Number) }]);
    // Zendesk counts listed tickets: an estimate, close to but not the export's total.
    expect(estimates[0].row_estimate).toBeGreaterThan(0);
    expect(estimates[0].row_estimate).toBeLessThanOrEqual([...emu.truth('tickets')].length);
  });

  it('a full_refresh stream ignores its state; an incremental one resumes from it', async () => {
    const first = await read(['groups', 'tickets'], { mode: 'full_refresh' });
    const state = first.lines.filter((m) => m.type === 'STATE').map((m) => m.state);
    const again = await read(['groups', 'tickets'], { mode: 'full_refresh', state });
    expect(records(again, 'groups').length).toBe(records(first, 'groups').length);
    expect(records(again, 'tickets').length).toBe(records(first, 'tickets').length);
    const incremental = await read(['tickets'], { mode: 'incremental', state });
    expect(records(incremental, 'tickets')).toEqual([]);
    expect(states(incremental, 'tickets').length).toBeGreaterThanOrEqual(1);
  });

  it('credentials refused mid-read: one config_error ERROR trace without secrets, INCOMPLETE streams, non-zero exit', async () => {
    const wrong = 'wrong-token-Pq19sA';
    const run = await read(['groups', 'tickets'], { config: config({ credentials: { type: 'api_token', email: emu.credentials.email, api_token: wrong } }) });
    expect(run.code).not.toBe(0);
    const errors = errorsOf(run);
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors.at(-1)).toMatchObject({ failure_type: 'config_error', message: expect.stringMatching(/credentials/) });
    expect(run.stdout + run.stderr).not.toContain(wrong);
    for (const s of ['groups', 'tickets']) {
      const list = statusesOf(run, s);
      if (list.length) expect(list.at(-1)).toBe('INCOMPLETE');
    }
  });
});

describe.concurrent('invalid input to read', () => {
  it.each([
    ['an unknown stream', { streams: [{ stream: { name: 'no_such_stream', json_schema: {}, supported_sync_modes: ['full_refresh'] }, sync_mode: 'full_refresh', destination_sync_mode: 'overwrite' }] }, /no_such_stream/],
    ['sync_mode INVALID', (c: CatalogStream[]) => ({ streams: [{ ...configure(c, ['groups']).streams[0], sync_mode: 'INVALID' }] }), /sync_mode "INVALID"/],
    ['incremental on a full-refresh-only stream', (c: CatalogStream[]) => ({ streams: [{ ...configure(c, ['brands']).streams[0], sync_mode: 'incremental' }] }), /only full_refresh/],
    ['no streams array', { stream: [] }, /"streams" array/],
    ['not JSON', '{"streams": [', /not valid JSON/],
  ])('an invalid configured catalog (%s): an ERROR trace and a non-zero exit', async (_name, bad, message) => {
    const content = typeof bad === 'function' ? bad(catalog) : bad;
    const run = await airbyte(['read', '--config', configPath, '--catalog', tempFile('bad-catalog.json', typeof content === 'string' ? content : JSON.stringify(content))]);
    expect(run.code).not.toBe(0);
    const errors = errorsOf(run);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ failure_type: 'config_error', message: expect.stringMatching(message) });
    expect(ofType(run, 'RECORD')).toEqual([]);
  });

  it('a missing --catalog or an unknown flag is an ERROR trace too', async () => {
    const missing = await airbyte(['read', '--config', configPath]);
    expect(missing.code).not.toBe(0);
    expect(errorsOf(missing)[0]).toMatchObject({ failure_type: 'config_error', message: expect.stringMatching(/--catalog/) });
    const unknown = await airbyte(['read', '--config', configPath, '--catalog', configureFile(catalog, ['groups']), '--bogus']);
    expect(unknown.code).not.toBe(0);
    expect(errorsOf(unknown)[0]).toMatchObject({ failure_type: 'config_error', message: expect.stringMatching(/bogus/) });
  });
});

// Independent reads of an unchanging emulator: run them side by side.
describe.concurrent('--state input', () => {
  let all: Array<{ id: number; generated_timestamp: number }>;
  let mid: number;
  let expected: number[];

  beforeAll(() => {
    all = [...emu.truth('tickets')].map((t) => ({ id: t.id as number, generated_timestamp: t.generated_timestamp as number }));
    const sortedTs = all.map((t) => t.generated_timestamp).sort((a, b) => a - b);
    mid = sortedTs[Math.floor(sortedTs.length / 2)]!;
    expected = all.filter((t) => t.generated_timestamp >= mid).map((t) => t.id).sort((a, b) => a - b);
  });

  const ids = (run: AirbyteRun) => records(run, 'tickets').map((t) => t.id as number).sort((a, b) => a - b);
  const stream = (blob: unknown) => ({ stream_descriptor: { name: 'tickets' }, stream_state: blob });

  it.each<[string, (mid: number) => unknown]>([
    ['an array of STREAM states (ours)', (m) => [{ type: 'STREAM', stream: stream({ generated_timestamp: m }) }]],
    ['source-zendesk-support STREAM state (epoch string)', (m) => [{ type: 'STREAM', stream: stream({ generated_timestamp: String(m) }) }]],
    ['a GLOBAL state', (m) => [{ type: 'GLOBAL', global: { shared_state: {}, stream_states: [stream({ generated_timestamp: m })] } }]],
    ['whole STATE AirbyteMessages', (m) => [{ type: 'STATE', state: { type: 'STREAM', stream: stream({ generated_timestamp: m }) } }]],
    ['a LEGACY state message', (m) => [{ type: 'LEGACY', data: { tickets: { generated_timestamp: m } } }]],
    ['a bare legacy object', (m) => ({ tickets: { generated_timestamp: String(m) } })],
    ['a legacy {"data": ...} object', (m) => ({ data: { tickets: { generated_timestamp: m } } })],
    ['our Singer state', (m) => ({ version: 1, bookmarks: { tickets: { generated_timestamp: m } } })],
  ])('%s: resumes from the bookmark instead of a full resync', async (_name, make) => {
    const run = await read(['tickets'], { mode: 'incremental', state: make(mid) });
    expect(run.code, run.stderr.slice(-1500)).toBe(0);
    expect(ids(run)).toEqual(expected);
    expect(expected.length).toBeLessThan(all.length);
    // The next state is ours (migrated), with the export cursor.
    const last = states(run, 'tickets').at(-1)!.stream.stream_state;
    expect(last.generated_timestamp).toBeTypeOf('number');
    expect(last.cursor).toBeTypeOf('string');
  });

  it('a source-zendesk-support substream state ({"state": {"_ab_updated_at": ...}, "parent_state": ...}) resumes too', async () => {
    const blob = { states: [], state: { _ab_updated_at: String(mid) }, parent_state: { tickets: { generated_timestamp: String(mid) } }, lookback_window: 0, use_global_cursor: false };
    const run = await read(['ticket_metrics'], { mode: 'incremental', state: [{ type: 'STREAM', stream: { stream_descriptor: { name: 'ticket_metrics' }, stream_state: blob } }] });
    expect(run.code, run.stderr.slice(-1500)).toBe(0);
    const tickets = new Set(expected);
    const metrics = records(run, 'ticket_metrics');
    expect(metrics.length).toBeGreaterThan(0);
    expect(metrics.every((m) => tickets.has(m.ticket_id as number))).toBe(true);
  });

  it.each([
    ['no --state', undefined],
    ['{}', '{}'],
    ['[]', '[]'],
    ['an empty file', ''],
    ['a reset stream (stream_state null)', JSON.stringify([{ type: 'STREAM', stream: { stream_descriptor: { name: 'tickets' }, stream_state: null } }])],
  ])('%s: reads everything', async (_name, state) => {
    const run = await read(['tickets'], { mode: 'incremental', ...(state !== undefined ? { state } : {}) });
    expect(run.code, run.stderr.slice(-1500)).toBe(0);
    expect(ids(run)).toHaveLength(all.length);
  });

  it.each([
    ['a string', '"yesterday"', /must be a JSON array/],
    ['a non-object stream_state', JSON.stringify([{ type: 'STREAM', stream: { stream_descriptor: { name: 'tickets' }, stream_state: [1] } }]), /must be an object/],
    ['a bookmark that is no timestamp', JSON.stringify([{ type: 'STREAM', stream: { stream_descriptor: { name: 'tickets' }, stream_state: { generated_timestamp: 'yesterday' } } }]), /not a timestamp/],
  ])('an invalid state (%s): an ERROR trace and a non-zero exit', async (_name, state, message) => {
    const run = await read(['tickets'], { mode: 'incremental', state });
    expect(run.code).not.toBe(0);
    expect(errorsOf(run)).toEqual([expect.objectContaining({ failure_type: 'config_error', message: expect.stringMatching(message) })]);
    expect(ofType(run, 'RECORD')).toEqual([]);
  });
});

describe('plan-gated streams', () => {
  it('a 403 stream: LOG WARN + COMPLETE (no ERROR trace), a STATE, the other streams read, exit 0', async () => {
    const run = await read(['sla_policies', 'groups']);
    expect(run.code, run.stderr.slice(-1500)).toBe(0);
    expect(ofType(run, 'LOG').some((m) => m.log.level === 'WARN' && /skipping stream sla_policies/.test(m.log.message))).toBe(true);
    expect(errorsOf(run)).toEqual([]);
    expectStatusOrder(run, 'sla_policies');
    expect(states(run, 'sla_policies')).toHaveLength(1);
    expect(states(run, 'sla_policies')[0]!.sourceStats.recordCount).toBe(0);
    expect(records(run, 'sla_policies')).toEqual([]);
    expect(records(run, 'groups').length).toBe([...emu.truth('groups')].length);
    expectStatusOrder(run, 'groups');
  });
});

describe('OAuth refresh-token rotation', () => {
  let oauthEmu: Emulator;
  beforeAll(async () => {
    oauthEmu = await startEmulator({ rateLimits: false });
  });
  afterAll(async () => {
    await oauthEmu?.close();
  });

  const oauthConfig = (credentials: Record<string, unknown>) =>
    emulatorConfig(oauthEmu, { export_rpm: 100, credentials: { type: 'oauth2_refresh', client_id: oauthEmu.credentials.oauth.clientId, client_secret: oauthEmu.credentials.oauth.clientSecret, ...credentials } });

  function controlConfigs(run: AirbyteRun): Record<string, any>[] {
    return ofType(run, 'CONTROL').map((m) => {
      expect(m.control.type).toBe('CONNECTOR_CONFIG');
      return m.control.connectorConfig.config;
    });
  }

  it('check and read report each rotated refresh token with a CONTROL message carrying the whole config', async () => {
    const spec = (await airbyte(['spec'])).lines[0]!.spec.connectionSpecification;
    const validConfig = draft7().compile(spec);
    const initial = oauthConfig({ refresh_token: oauthEmu.credentials.oauth.refreshToken });

    // 1. check refreshes (no access token yet): CONTROL first, then SUCCEEDED.
    const check = await airbyte(['check', '--config', tempFile('oauth.json', initial)]);
    expect(check.code).toBe(0);
    expect(check.lines.filter((m) => m.type !== 'LOG').map((m) => m.type)).toEqual(['CONTROL', 'CONNECTION_STATUS']);
    expect(ofType(check, 'CONNECTION_STATUS')[0]!.connectionStatus.status).toBe('SUCCEEDED');
    const [afterCheck] = controlConfigs(check);
    expect(afterCheck).toMatchObject({ subdomain: initial.subdomain, base_url: initial.base_url, start_date: initial.start_date, export_rpm: 100 });
    expect(afterCheck!.credentials).toMatchObject({ type: 'oauth2_refresh', client_id: oauthEmu.credentials.oauth.clientId, client_secret: oauthEmu.credentials.oauth.clientSecret });
    expect(afterCheck!.credentials.refresh_token).not.toBe(oauthEmu.credentials.oauth.refreshToken);
    expect(afterCheck!.credentials.access_token).toBeTypeOf('string');
    expect(validConfig(afterCheck), JSON.stringify(validConfig.errors)).toBe(true);

    // 2. A read with the stored refresh token but no access token: CONTROL before the first RECORD.
    const { access_token: _drop, token_expiry_date: _expiry, ...withoutAccess } = afterCheck!.credentials;
    const run = await airbyte(['read', '--config', tempFile('oauth2.json', { ...afterCheck, credentials: withoutAccess }), '--catalog', configureFile(catalog, ['groups', 'tickets'])]);
    expect(run.code, run.stderr.slice(-1500)).toBe(0);
    const types = run.lines.map((m) => m.type);
    expect(types.indexOf('CONTROL')).toBeGreaterThanOrEqual(0);
    expect(types.indexOf('CONTROL')).toBeLessThan(types.indexOf('RECORD'));
    const [afterRead] = controlConfigs(run);
    expect(afterRead!.credentials.refresh_token).not.toBe(afterCheck!.credentials.refresh_token);
    expect(validConfig(afterRead)).toBe(true);
    expect(records(run, 'groups').length).toBe([...oauthEmu.truth('groups')].length);
    // The new secrets appear only inside the CONTROL message.
    const secret = afterRead!.credentials.refresh_token as string;
    expect(run.stderr).not.toContain(secret);
    expect(run.lines.filter((m) => m.type !== 'CONTROL' && JSON.stringify(m).includes(secret))).toEqual([]);

    // 3. The refresh token the read rotated away is dead: a clear FAILED check, no secret printed.
    const stale = await airbyte(['check', '--config', tempFile('oauth3.json', { ...afterCheck, credentials: withoutAccess })]);
    expect(stale.code).toBe(0);
    const status = ofType(stale, 'CONNECTION_STATUS')[0]!.connectionStatus;
    expect(status.status).toBe('FAILED');
    expect(status.message).toMatch(/refresh/i);
    expect(stale.stdout + stale.stderr).not.toContain(oauthEmu.credentials.oauth.clientSecret);
    expect(ofType(stale, 'CONTROL')).toEqual([]);
  });
});

describe('rate limits', () => {
  it('waiting on a rate limit emits STREAM_STATUS RUNNING with RATE_LIMITED and quota_reset', async () => {
    // One export request per 2 s: the second and third exports wait.
    const slow = config({ export_rpm: 1, rate_window_seconds: 2 });
    const run = await read(['tickets', 'users', 'organizations'], { config: slow, mode: 'incremental' });
    expect(run.code, run.stderr.slice(-1500)).toBe(0);
    const limited = traces(run, 'STREAM_STATUS').filter((t) => t.stream_status.reasons);
    expect(limited.length).toBeGreaterThanOrEqual(1);
    for (const t of limited) {
      expect(t.stream_status.status).toBe('RUNNING');
      expect(t.stream_status.reasons[0].type).toBe('RATE_LIMITED');
      expect(t.stream_status.reasons[0].rate_limited.quota_reset).toBeGreaterThan(t.emitted_at);
    }
    // The heartbeat never breaks the status order.
    for (const s of ['tickets', 'users', 'organizations']) {
      expectStatusOrder(run, s);
      const all = traces(run, 'STREAM_STATUS').filter((t) => t.stream_status.stream_descriptor.name === s).map((t) => t.stream_status.status);
      expect(all.slice(1, -1).every((x) => x === 'RUNNING')).toBe(true);
    }
  });
});

describe('stdout', () => {
  it('carries nothing but AirbyteMessages; retries and --debug logs are mirrored as LOG messages', async () => {
    emu.failNext('500', 1, '/api/v2/groups');
    const run = await airbyte(['read', '--config', configPath, '--catalog', configureFile(catalog, ['groups']), '--debug']);
    expect(run.code, run.stderr.slice(-1500)).toBe(0);
    expect(run.stderr).toMatch(/HTTP 500.*retry 1/);
    expect(ofType(run, 'LOG').some((m) => m.log.level === 'WARN' && /HTTP 500.*retry 1/.test(m.log.message))).toBe(true);
    expect(records(run, 'groups').length).toBe([...emu.truth('groups')].length);
  });
});
