/**
 * Airbyte's connector acceptance tests (CAT, test_strictness_level high),
 * reproduced against the emulator: spec rules, connection, discovery, basic
 * read, full refresh and incremental, following
 * ../shared/reference/airbyte-protocol.md §10 and CAT's test_core.py,
 * test_full_refresh.py and test_incremental.py. Every stdout line of every run
 * is validated against AirbyteMessage (helpers/airbyte.ts).
 *
 * The checked-in expected spec is spec.json (CAT test_match_expected); after a
 * deliberate change of schemas/config.json run the suite with
 * UPDATE_AIRBYTE_SPEC=1 and review the diff.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './emulator/index.js';
import { emulatorConfig } from './helpers/tap.js';
import {
  ROOT,
  airbyte,
  configureFile,
  discoverStreams,
  draft7,
  latestStates,
  ofType,
  recordMessages,
  records,
  states,
  statusesOf,
  tempFile,
  traces,
  type AirbyteRun,
  type CatalogStream,
} from './helpers/airbyte.js';
import type { Message } from './helpers/tap.js';
import { getStream } from '../src/streams/registry.js';
import { fromEpoch, toEpoch } from '../src/state/position.js';

type Json = Record<string, any>;

let emu: Emulator;
let configPath: string;
let spec: Json;
let catalog: CatalogStream[];

beforeAll(async () => {
  emu = await startEmulator({ rateLimits: false });
  configPath = tempFile('config.json', emulatorConfig(emu, { export_rpm: 100 }));
  const specRun = await airbyte(['spec']);
  spec = ofType(specRun, 'SPEC')[0]!.spec;
  catalog = await discoverStreams(configPath);
});
afterAll(async () => {
  await emu?.close();
});

/** Every node of a JSON schema with its path (object keys and array indexes). */
function* walk(node: unknown, path: string[] = []): Generator<[string[], Json]> {
  if (Array.isArray(node)) {
    for (const [i, v] of node.entries()) yield* walk(v, [...path, String(i)]);
    return;
  }
  if (!node || typeof node !== 'object') return;
  yield [path, node as Json];
  for (const [k, v] of Object.entries(node as Json)) yield* walk(v, [...path, k]);
}

/** Property schemas of a (connection) spec: every node that is a value of a `properties` map. */
function* properties(schema: Json, path: string[] = []): Generator<[string[], string, Json, Json]> {
  for (const [p, node] of walk(schema, path)) {
    if (p.at(-1) === 'properties' || !node.properties || typeof node.properties !== 'object') continue;
    for (const [name, prop] of Object.entries(node.properties as Json)) {
      if (prop && typeof prop === 'object') yield [[...p, 'properties', name], name, prop as Json, node];
    }
  }
}

/** CAT's get_expected_schema_structure: every path a config can have, through oneOf variants. */
function configPaths(schema: Json, prefix = ''): string[] {
  const out: string[] = [];
  for (const [name, prop] of Object.entries((schema.properties ?? {}) as Json)) {
    const p = `${prefix}/${name}`;
    out.push(p);
    if (prop.properties) out.push(...configPaths(prop, p));
    for (const variant of (prop.oneOf ?? []) as Json[]) out.push(...configPaths(variant, p));
  }
  return [...new Set(out)];
}

const SECRET_NAMES = new Set([
  'client_token', 'access_token', 'api_token', 'token', 'secret', 'client_secret', 'password', 'key',
  'service_account_info', 'service_account', 'tenant_id', 'certificate', 'jwt', 'credentials', 'app_id', 'appid', 'refresh_token',
]);

function typesOf(schema: Json): string[] {
  return schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
}

describe('CAT spec', () => {
  const connection = () => spec.connectionSpecification as Json;

  it('matches the checked-in spec.json (test_match_expected)', () => {
    const path = join(ROOT, 'spec.json');
    if (process.env.UPDATE_AIRBYTE_SPEC || !existsSync(path)) writeFileSync(path, `${JSON.stringify(spec, null, 2)}\n`);
    expect(spec, 'the SPEC changed: review the change (old configs must still validate) and rerun with UPDATE_AIRBYTE_SPEC=1').toEqual(JSON.parse(readFileSync(path, 'utf8')));
  });

  it('is a Draft-07 object schema that accepts every kind of config (test_config_match_spec)', () => {
    const c = connection();
    expect(c.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(c.type).toBe('object');
    for (const r of c.required as string[]) expect(c.properties[r], r).toBeDefined();
    const validate = draft7().compile(c);
    const base = { subdomain: 'acme', start_date: '2024-01-01T00:00:00Z' };
    const configs = [
      emulatorConfig(emu),
      { ...base, credentials: { type: 'oauth2_refresh', client_id: 'id', client_secret: 's3cret', refresh_token: 'r3fresh' } },
      { ...base, credentials: { type: 'oauth2_refresh', client_id: 'id', client_secret: 's3cret', refresh_token: 'r', access_token: 'a', token_expiry_date: '2030-01-01T00:00:00Z' } },
      { ...base, credentials: { type: 'oauth2.0', access_token: 'a' } },
      { ...base, credentials: { type: 'api_token', email: 'a@b.c', api_token: 't' } },
      { ...base, credentials: { type: 'password', email: 'a@b.c', password: 'p' } },
    ];
    for (const config of configs) expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...base, credentials: { type: 'api_token', email: 'a@b.c' } })).toBe(false);
  });

  it('every property has a title, and examples validate against their property (display)', () => {
    const ajv = draft7();
    for (const [path, name, prop] of properties(connection())) {
      if (prop.const !== undefined) continue;
      expect(prop.title, `${path.join('.')} title`).toBeTypeOf('string');
      for (const example of (prop.examples ?? []) as unknown[]) {
        expect(ajv.validate(prop, example), `${name} example ${JSON.stringify(example)}`).toBe(true);
      }
    }
  });

  it('oneOf blocks: object parent, variants with properties and exactly one common const property (test_oneof_usage)', () => {
    let blocks = 0;
    for (const [path, node] of walk(connection())) {
      if (!Array.isArray(node.oneOf) && !Array.isArray(node.anyOf)) continue;
      blocks++;
      const variants = (node.oneOf ?? node.anyOf) as Json[];
      expect(node.type, path.join('.')).toBe('object');
      for (const v of variants) expect(v.properties, path.join('.')).toBeDefined();
      const common = Object.keys(variants[0]!.properties).filter((k) => variants.every((v) => k in v.properties));
      const consts = common.filter((k) => variants.every((v) => 'const' in v.properties[k]));
      expect(consts, path.join('.')).toHaveLength(1);
      const key = consts[0]!;
      const values = variants.map((v) => v.properties[key].const);
      expect(new Set(values).size).toBe(values.length);
      for (const v of variants) {
        const p = v.properties[key];
        if ('default' in p) expect(p.default).toBe(p.const);
        if ('enum' in p) expect(p.enum).toEqual([p.const]);
        expect(v.required ?? [], `${key} is required in every variant`).toContain(key);
      }
    }
    expect(blocks).toBeGreaterThan(0);
  });

  it('secrets are marked airbyte_secret; booleans and const fields are not (test_secret_is_properly_marked)', () => {
    const exposed: string[] = [];
    const hidden: string[] = [];
    const RESERVED = new Set(['anyOf', 'oneOf', 'allOf', 'not', 'properties', 'items', 'type', 'prefixItems']);
    for (const [path, name, prop] of properties(connection())) {
      // CAT names a field by the last path part that is not a keyword or an index.
      const owner = name === 'type' ? [...path].reverse().find((p) => !RESERVED.has(p) && !/^\d+$/.test(p) && p !== 'type') : name;
      if (!owner || !SECRET_NAMES.has(owner.toLowerCase())) continue;
      const canHold = typesOf(prop).some((t) => ['string', 'integer', 'number'].includes(t)) && !prop.const;
      if (prop.airbyte_secret && !canHold) hidden.push(path.join('.'));
      if (!prop.airbyte_secret && canHold) exposed.push(path.join('.'));
    }
    expect(exposed).toEqual([]);
    expect(hidden).toEqual([]);
    // Every field whose name says secret (token, secret, password) is marked, wherever it is.
    for (const [path, name, prop] of properties(connection())) {
      if (/(^|_)(token|secret|password)$/.test(name) && prop.const === undefined) expect(prop.airbyte_secret, path.join('.')).toBe(true);
    }
  });

  it('schema hygiene: no forbidden keywords, simple types, unique enums, additionalProperties true (test_forbidden_complex_types & co)', () => {
    const FORBIDDEN = ['not', 'anyOf', 'allOf', 'if', 'then', 'else', 'patternProperties', 'prefixItems', 'dependentSchemas', 'dependentRequired', '$ref'];
    for (const [path, , prop] of properties(connection())) {
      for (const k of FORBIDDEN) expect(k in prop, `${path.join('.')} has ${k}`).toBe(false);
      const types = typesOf(prop);
      if (types.length > 1) expect(types.length === 2 && types.includes('null'), path.join('.')).toBe(true);
      if (prop.enum) expect(new Set(prop.enum).size).toBe(prop.enum.length);
      if (types.includes('object') && !prop.oneOf) expect(Object.keys(prop.properties ?? {}).length, `${path.join('.')} is an empty object`).toBeGreaterThan(0);
    }
    for (const [path, node] of walk(connection())) {
      if ('additionalProperties' in node && path.at(-1) !== 'properties') expect(node.additionalProperties, path.join('.')).toBe(true);
    }
  });

  it('order is unique among siblings; group only at the top; display_type only on oneOf (test_duplicate_order, test_nested_group, test_display_type)', () => {
    const c = connection();
    for (const [path, node] of walk(c)) {
      if (!node.properties || path.at(-1) === 'properties') continue;
      const orders = Object.values(node.properties as Json).map((p) => p.order).filter((o) => o !== undefined);
      expect(new Set(orders).size, `${path.join('.')} orders ${orders}`).toBe(orders.length);
    }
    for (const [path, , prop] of properties(c)) {
      if ('group' in prop) expect(path.length, `${path.join('.')} group`).toBe(2);
      if ('display_type' in prop) {
        expect(prop.oneOf, path.join('.')).toBeDefined();
        expect(['dropdown', 'radio']).toContain(prop.display_type);
      }
    }
  });

  it('date-time fields carry a pattern and examples (test_date_pattern, test_date_format)', () => {
    let dates = 0;
    for (const [path, , prop] of properties(connection())) {
      if (prop.format !== 'date-time' || prop.airbyte_hidden) continue;
      dates++;
      expect(prop.pattern, path.join('.')).toBe('^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$');
      expect(prop.examples?.length, path.join('.')).toBeGreaterThan(0);
    }
    expect(dates).toBeGreaterThan(0);
  });

  it('advanced_auth: its paths exist in the spec and OAuth is the first (default) method (test_oauth_flow_parameters, test_oauth_is_default_method)', () => {
    const auth = spec.advanced_auth as Json;
    expect(auth.auth_flow_type).toBe('oauth2.0');
    const known = new Set(configPaths(spec.connectionSpecification));
    const wanted = new Set([`/${auth.predicate_key.join('/')}`]);
    const oauth = auth.oauth_config_specification as Json;
    for (const key of ['oauth_user_input_from_connector_config_specification', 'complete_oauth_output_specification', 'complete_oauth_server_output_specification']) {
      for (const p of Object.values((oauth[key]?.properties ?? {}) as Json)) wanted.add(`/${(p.path_in_connector_config as string[]).join('/')}`);
    }
    expect([...wanted].filter((p) => !known.has(p))).toEqual([]);
    const first = spec.connectionSpecification.properties[auth.predicate_key[0]].oneOf[0];
    expect(first.properties[auth.predicate_key[1]].const).toBe(auth.predicate_value);
    const input = oauth.oauth_connector_input_specification;
    expect(input.consent_url).toMatch(/^https:\/\/\{\{ ?subdomain ?\}\}\.zendesk\.com\/oauth\/authorizations\/new/);
    expect(input.access_token_url).toMatch(/^https:\/\/\{\{ ?subdomain ?\}\}\.zendesk\.com\/oauth\/tokens/);
    expect(input.scope).toBe('read');
    expect(Object.keys(oauth.complete_oauth_server_input_specification.properties).sort()).toEqual(['client_id', 'client_secret']);
    const outputs = Object.values(oauth.complete_oauth_output_specification.properties as Json).map((p) => p.path_in_connector_config.join('.'));
    expect(outputs).toEqual(expect.arrayContaining(['credentials.access_token', 'credentials.refresh_token']));
  });
});

describe.concurrent('CAT connection', () => {
  it('a valid config: exactly one SUCCEEDED, within 30 s', async () => {
    const started = Date.now();
    const run = await airbyte(['check', '--config', configPath]);
    expect(run.code).toBe(0);
    expect(ofType(run, 'CONNECTION_STATUS').map((m) => m.connectionStatus.status)).toEqual(['SUCCEEDED']);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('an invalid config: exactly one FAILED, no crash', async () => {
    const bad = tempFile('bad.json', emulatorConfig(emu, { credentials: { type: 'api_token', email: 'nobody@acme.test', api_token: 'nope-nope-nope' } }));
    const run = await airbyte(['check', '--config', bad]);
    expect(run.code).toBe(0);
    expect(ofType(run, 'CONNECTION_STATUS').map((m) => m.connectionStatus.status)).toEqual(['FAILED']);
    expect(traces(run, 'ERROR')).toEqual([]);
  });
});

describe('CAT discovery', () => {
  it('one non-empty catalog with unique stream names and sync modes', () => {
    expect(catalog.length).toBeGreaterThan(0);
    const names = catalog.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const s of catalog) {
      expect(s.name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(s.supported_sync_modes.length).toBeGreaterThan(0);
      for (const m of s.supported_sync_modes) expect(['full_refresh', 'incremental']).toContain(m);
      expect(s.is_resumable).toBe(true);
      if (s.supported_sync_modes.includes('incremental')) {
        expect(s.source_defined_cursor).toBe(true);
        expect(s.default_cursor_field?.length).toBe(1);
      }
    }
  });

  it('json_schema is valid Draft-07: no $ref, allOf or not, additionalProperties only true', () => {
    const ajv = draft7();
    for (const s of catalog) {
      expect(() => ajv.compile(s.json_schema), s.name).not.toThrow();
      for (const [path, node] of walk(s.json_schema)) {
        // A `properties` map names fields (a field may be called "not"); its values are the schemas.
        if (path.at(-1) === 'properties') continue;
        const where = `${s.name}: ${path.join('.')}`;
        expect(typeof node.$ref === 'string', where).toBe(false);
        expect('allOf' in node, where).toBe(false);
        expect('not' in node, where).toBe(false);
        if ('additionalProperties' in node) expect(node.additionalProperties, where).not.toBe(false);
      }
    }
  });

  it('cursor fields exist in the schema; primary keys exist, are not objects or arrays; every stream has a key', () => {
    for (const s of catalog) {
      const props = s.json_schema.properties as Json;
      for (const field of s.default_cursor_field ?? []) expect(props[field], `${s.name} cursor ${field}`).toBeDefined();
      // Certified connectors need a key on every stream; the exception is a settings object (one record per account).
      if (getStream(s.name)!.paginator !== 'single') expect(s.source_defined_primary_key?.length ?? 0, `${s.name} has no primary key`).toBeGreaterThan(0);
      for (const keyPath of s.source_defined_primary_key ?? []) {
        expect(keyPath).toHaveLength(1);
        const prop = props[keyPath[0]!];
        expect(prop, `${s.name} key ${keyPath[0]}`).toBeDefined();
        const types = typesOf(prop);
        expect(types.includes('object') || types.includes('array'), `${s.name} key ${keyPath[0]} is ${types}`).toBe(false);
      }
    }
  });
});

/** STATE checks of CAT's validate_state_messages, plus the protocol's own rules. */
function expectStatesPerStream(run: AirbyteRun, streams: string[]): void {
  for (const name of streams) {
    const list = states(run, name);
    expect(list.length, `${name} has no STATE`).toBeGreaterThanOrEqual(1);
    for (const s of list) {
      expect(s.type).toBe('STREAM');
      expect(s.sourceStats?.recordCount, `${name} sourceStats`).toBeTypeOf('number');
      expect(s.stream.stream_state).toBeTypeOf('object');
    }
    expect(list.reduce((n, s) => n + s.sourceStats.recordCount, 0), `${name} recordCount`).toBe(records(run, name).length);
    for (let i = 1; i < list.length; i++) expect(JSON.stringify(list[i]!.stream), `${name}: two identical states`).not.toBe(JSON.stringify(list[i - 1]!.stream));
  }
  expect(states(run).every((s) => s.type === 'STREAM')).toBe(true);
}

function expectStatuses(run: AirbyteRun, streams: string[]): void {
  const seen = new Set(traces(run, 'STREAM_STATUS').map((t) => t.stream_status.stream_descriptor.name));
  expect([...seen].sort()).toEqual([...streams].sort());
  for (const name of streams) {
    const list = statusesOf(run, name);
    expect(list.length, `${name}: ${list}`).toBeGreaterThanOrEqual(3);
    expect(list[0]).toBe('STARTED');
    expect(list.at(-1)).toBe('COMPLETE');
    expect(list.slice(1, -1).every((s) => s === 'RUNNING'), `${name}: ${list}`).toBe(true);
  }
}

function truthCount(stream: string): number | undefined {
  try {
    return [...emu.truth(stream)].length;
  } catch {
    return undefined;
  }
}

describe('CAT basic read and full refresh', () => {
  let first: AirbyteRun;
  let second: AirbyteRun;
  let names: string[];

  beforeAll(async () => {
    names = catalog.map((s) => s.name);
    const configured = configureFile(catalog, 'all', 'full_refresh');
    first = await airbyte(['read', '--config', configPath, '--catalog', configured]);
    second = await airbyte(['read', '--config', configPath, '--catalog', configured]);
  });

  it('succeeds with records, and every stream with data returns records', () => {
    expect(first.code, first.stderr.slice(-2000)).toBe(0);
    expect(traces(first, 'ERROR')).toEqual([]);
    expect(ofType(first, 'RECORD').length).toBeGreaterThan(0);
    const empty: string[] = [];
    for (const name of names) {
      const n = truthCount(name);
      if (n !== undefined && n > 0 && records(first, name).length === 0) empty.push(`${name} (the emulator has ${n})`);
    }
    expect(empty).toEqual([]);
  });

  it('records validate against their stream schema, formats included', () => {
    const ajv = draft7();
    const failures: string[] = [];
    for (const s of catalog) {
      const validate = ajv.compile(s.json_schema);
      for (const r of records(first, s.name)) {
        const id: unknown = r.id;
        if (!validate(r)) {
          failures.push(`${s.name} ${JSON.stringify(id ?? '')}: ${ajv.errorsText(validate.errors)}`);
          break;
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('no secret of the config in the output (test_secret_never_in_the_output)', () => {
    for (const run of [first, second]) {
      expect(run.stdout + run.stderr).not.toContain(emu.credentials.apiToken);
      expect(run.stdout + run.stderr).not.toContain(Buffer.from(`${emu.credentials.email}/token:${emu.credentials.apiToken}`).toString('base64'));
    }
  });

  it('primary keys are non-null scalars', () => {
    for (const s of catalog) {
      for (const r of records(first, s.name)) {
        for (const [key] of s.source_defined_primary_key ?? []) {
          const v = r[key!];
          expect(v === null || v === undefined || typeof v === 'object', `${s.name}.${key} = ${JSON.stringify(v)}`).toBe(false);
        }
      }
    }
  });

  it('each stream: STARTED, RUNNING..., COMPLETE', () => {
    expectStatuses(first, names);
  });

  it('each stream: at least one STREAM state with sourceStats, never LEGACY, no identical consecutive states', () => {
    expectStatesPerStream(first, names);
  });

  it('two consecutive full-refresh reads both succeed; read 2 is emitted later and holds every record of read 1', () => {
    expect(second.code, second.stderr.slice(-2000)).toBe(0);
    const maxFirst = Math.max(...recordMessages(first).map((r) => r.emitted_at));
    for (const r of recordMessages(second)) expect(r.emitted_at).toBeGreaterThan(maxFirst);
    // By primary key. Snapshots keyed by the time they were read (Talk stats: `current_timestamp`) are a
    // new row per read by design: read 2 must hold a newer snapshot instead of read 1's.
    const keys = new Map(catalog.map((s) => [s.name, (s.source_defined_primary_key ?? []).map((p) => p[0]!)]));
    const READ_STAMP = 'current_timestamp';
    const snapshots = [...keys].filter(([, pk]) => pk.includes(READ_STAMP)).map(([name]) => name);
    for (const stream of snapshots) {
      const stamps = (run: AirbyteRun) => records(run, stream).map((r: Record<string, unknown>) => Number(r[READ_STAMP]));
      if (!stamps(first).length) continue;
      expect(stamps(second).length, stream).toBeGreaterThan(0);
      expect(Math.min(...stamps(second)), stream).toBeGreaterThanOrEqual(Math.max(...stamps(first)));
    }
    const key = (m: Message) => {
      const pk = keys.get(m.stream) ?? [];
      return pk.length && !snapshots.includes(m.stream) ? `${m.stream}:${JSON.stringify(pk.map((k) => m.data[k]))}` : undefined;
    };
    const later = new Set(recordMessages(second).map(key));
    const missing = recordMessages(first).filter((m) => key(m) !== undefined && !later.has(key(m)));
    expect(missing.map((m) => `${m.stream} ${key(m)}`)).toEqual([]);
    for (const [stream, pk] of keys) {
      if (!pk.length && records(first, stream).length) expect(records(second, stream).length, stream).toBeGreaterThan(0);
    }
  });
});

describe('CAT incremental', () => {
  let incremental: CatalogStream[];
  let configured: string;
  let first: AirbyteRun;

  beforeAll(async () => {
    incremental = catalog.filter((s) => s.supported_sync_modes.includes('incremental'));
    configured = configureFile(incremental, 'all', 'incremental');
    first = await airbyte(['read', '--config', configPath, '--catalog', configured]);
  });

  it('read 1 without state: records and at least one STATE per stream', () => {
    expect(first.code, first.stderr.slice(-2000)).toBe(0);
    expect(ofType(first, 'RECORD').length).toBeGreaterThan(0);
    expectStatesPerStream(first, incremental.map((s) => s.name));
    expectStatuses(first, incremental.map((s) => s.name));
  });

  it('read 2 from the latest states differs from read 1, and every record is at or after its state cursor (test_two_sequential_reads)', async () => {
    const state = latestStates(first);
    const tickets = [...emu.truth('tickets')].filter((t) => t.status !== 'deleted');
    emu.mutate.updateTicket(tickets[7]!.id as number, { priority: 'urgent' });
    emu.mutate.updateUser([...emu.truth('users')][3]!.id as number, { name: 'Renamed' });
    emu.clock.advance(120);
    const second = await airbyte(['read', '--config', configPath, '--catalog', configured, '--state', tempFile('state.json', state)]);
    expect(second.code, second.stderr.slice(-2000)).toBe(0);
    const key = (m: Message) => `${m.stream}:${JSON.stringify(m.data)}`;
    const firstKeys = new Set(recordMessages(first).map(key));
    const secondKeys = recordMessages(second).map(key);
    expect(secondKeys.length === firstKeys.size && secondKeys.every((k) => firstKeys.has(k))).toBe(false);
    expect(records(second, 'tickets').map((t) => t.id)).toContain(tickets[7]!.id);
    expect(records(second, 'tickets').length).toBeLessThan(records(first, 'tickets').length);
    for (const s of incremental) {
      const blob = state.find((x) => x.stream.stream_descriptor.name === s.name)?.stream.stream_state;
      const d = getStream(s.name)!;
      // Streams read through a parent's requests keep the parent's position (their records carry their own times).
      if (d.derivedFrom || d.parent) continue;
      const floor = toEpoch(blob?.[d.replicationKey!], d.replicationKeyType);
      if (floor === undefined) continue;
      for (const r of records(second, s.name)) {
        const v = toEpoch(r[d.replicationKey!], d.replicationKeyType);
        if (v !== undefined) expect(v, `${s.name} record ${r.id} before its state`).toBeGreaterThanOrEqual(floor);
      }
    }
    expectStatesPerStream(second, incremental.map((s) => s.name));
  });

  it('a state with abnormally large values (year 2222) yields zero records and a STATE per stream', async () => {
    const future = incremental.map((s) => {
      const d = getStream(s.name)!;
      // Year 2222 for time cursors; for an id cursor (since_id paging) an id no account will reach.
      const value = d.replicationKey === 'id' ? Number.MAX_SAFE_INTEGER : fromEpoch(7952342400, d.replicationKeyType);
      return { type: 'STREAM', stream: { stream_descriptor: { name: s.name }, stream_state: { [d.replicationKey!]: value } } };
    });
    const run = await airbyte(['read', '--config', configPath, '--catalog', configured, '--state', tempFile('abnormal.json', future)]);
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    // Rows without their cursor (some group memberships) fall back to created_at, so none leak either.
    expect(recordMessages(run).map((r) => r.stream)).toEqual([]);
    expect(traces(run, 'ERROR')).toEqual([]);
    expectStatesPerStream(run, incremental.map((s) => s.name));
    expectStatuses(run, incremental.map((s) => s.name));
  });
});

/**
 * CAT test_read_sequential_slices: per stream, the checkpoints of a first read
 * (consecutive duplicates merged, zero-count ones dropped); re-reading from
 * each must give at least the records that came after it in the first read,
 * and something different from the first read.
 */
describe('CAT incremental: sequential slices', () => {
  let slicesEmu: Emulator;
  let slicesConfig: string;
  let slicesCatalog: CatalogStream[];

  beforeAll(async () => {
    slicesEmu = await startEmulator({ rateLimits: false, sizes: { tickets: 2100 } });
    slicesConfig = tempFile('slices.json', emulatorConfig(slicesEmu, { export_rpm: 100, page_size: 3 }));
    slicesCatalog = await discoverStreams(slicesConfig);
  });
  afterAll(async () => {
    await slicesEmu?.close();
  });

  function checkpoints(list: Json[]): Array<{ state: Json; expected: number }> {
    const unique: Json[] = [];
    for (const s of list) {
      const prev = unique.at(-1);
      if (prev && JSON.stringify(prev.stream) === JSON.stringify(s.stream)) {
        prev.sourceStats = { recordCount: prev.sourceStats.recordCount + s.sourceStats.recordCount };
      } else {
        unique.push({ ...s, sourceStats: { ...s.sourceStats } });
      }
    }
    const nonZero = unique.filter((s) => s.sourceStats.recordCount > 0);
    const total = nonZero.reduce((n, s) => n + s.sourceStats.recordCount, 0);
    let seen = 0;
    return nonZero.map((state) => {
      seen += state.sourceStats.recordCount;
      return { state, expected: total - seen };
    });
  }

  it.concurrent.each([['tickets'], ['groups'], ['satisfaction_ratings']])('%s: re-reading from each checkpoint yields at least the remaining records', async (name) => {
    const configured = configureFile(slicesCatalog, [name], 'incremental');
    const first = await airbyte(['read', '--config', slicesConfig, '--catalog', configured]);
    expect(first.code, first.stderr.slice(-2000)).toBe(0);
    const list = checkpoints(states(first, name));
    expect(list.length, `${name} should checkpoint several times`).toBeGreaterThanOrEqual(3);
    const firstKeys = recordMessages(first).map((m) => JSON.stringify(m.data)).sort();
    // Sample at most 4 checkpoints, always including the first and the last.
    const step = Math.max(1, Math.floor((list.length - 1) / 3));
    const picked = list.filter((_, i) => i % step === 0 || i === list.length - 1);
    for (const { state, expected } of picked) {
      const run = await airbyte(['read', '--config', slicesConfig, '--catalog', configured, '--state', tempFile('slice.json', [{ type: 'STREAM', stream: state.stream }])]);
      expect(run.code, run.stderr.slice(-2000)).toBe(0);
      expect(records(run, name).length, `${name} from ${JSON.stringify(state.stream.stream_state)}`).toBeGreaterThanOrEqual(expected);
      const keys = recordMessages(run).map((m) => JSON.stringify(m.data)).sort();
      expect(keys).not.toEqual(firstKeys);
    }
  });
});
