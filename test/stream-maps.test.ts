/**
 * Meltano SDK conventions (issue 12 §4): `stream_maps` / `stream_map_config`
 * and `flattening_enabled` / `flattening_max_depth` with the SDK's documented
 * syntax (sdk.meltano.com, "Inline Stream Maps"), in Singer and Airbyte mode.
 *
 * First the expression language on its own (values, Python semantics, and
 * attempts at running code, which must fail as config errors), then the real
 * CLI against the emulator.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileExpression, ExprError, ExprSyntaxError, type Scope } from '../src/maps/expr.js';
import { readMapSettings } from '../src/maps/settings.js';
import { flattenRecord, flattenSchema } from '../src/maps/flatten.js';
import { startEmulator, type Emulator } from './emulator/index.js';
import { emulatorConfig, recordsOf, runTap, selectStreams, tempFile, type Message, type TapRun } from './helpers/tap.js';
import { airbyte, configureFile, discoverStreams, draft7, ofType, records as airbyteRecords, states as airbyteStates, statusesOf, type AirbyteRun, type CatalogStream } from './helpers/airbyte.js';

const md5 = (s: string): string => createHash('md5').update(s, 'utf8').digest('hex');

const RECORD = { id: 7, email: 'Jane@Example.com', phone: null, status: 'open', tags: ['vip', 'eu'], score: 4.5, via: { channel: 'web' }, created_at: '2024-01-02T03:04:05Z' };
const scope = (self: unknown = null): Scope => ({ record: RECORD, self, config: { hash_seed: 'pepper', limit: 3 } });
const run = (src: string, self?: unknown): unknown => compileExpression(src).evaluate(scope(self));

describe('expressions: the SDK\'s documented forms', () => {
  it.each([
    ['md5(email)', md5('Jane@Example.com')],
    ["md5('Zoë 😀')", md5('Zoë 😀')],
    ["md5(config['hash_seed'] + email)", md5('pepperJane@Example.com')],
    ["email.split('@')[-1]", 'Example.com'],
    ["record['email'].lower()", 'jane@example.com'],
    ["_['email'].upper()", 'JANE@EXAMPLE.COM'],
    ["record['status'] != 'deleted'", true],
    ['self.lower()', 'jane@example.com'],
    ['str(id)', '7'],
    ["int('42') + 1", 43],
    ["float('2.5') * 2", 5],
    ["bool('')", false],
    ['len(tags)', 2],
    ["'vip' in tags", true],
    ["'gold' not in tags", true],
    ['id * 2 + 1 > 10 and score < 5', true],
    ['1 < id < 10', true],
    ['-2 ** 2', -4],
    ['7 // 2', 3],
    ['-7 % 3', 2],
    ['2 ** -1', 0.5],
    ["'big' if id > 5 else 'small'", 'big'],
    ['not status', false],
    ['phone is None', true],
    ["status == 'open' or phone", true],
    ['tags[0]', 'vip'],
    ['email[:4]', 'Jane'],
    ['email[::-1]', 'moc.elpmaxE@enaJ'],
    ["via['channel']", 'web'],
    ["via.get('missing', 'dflt')", 'dflt'],
    ["'a,b,c'.split(',', 1)", ['a', 'b,c']],
    ["' x  y '.strip()", 'x  y'],
    ["email.replace('e', 'E')", 'JanE@ExamplE.com'],
    ["email.endswith(('.com', '.org'))", true],
    ["config['limit'] - 1", 2],
    ['max(1, id, 3)', 7],
    ["{'a': [1, 2]}['a'][1]", 2],
    ["(datetime.datetime.fromisoformat(created_at) + datetime.timedelta(days=1)).isoformat()", '2024-01-03T03:04:05+00:00'],
    ["datetime.datetime.fromisoformat(created_at) > datetime.datetime.fromisoformat('2023-12-31')", true],
    ['datetime.datetime.fromisoformat(created_at)', '2024-01-02T03:04:05Z'],
    ['json.dumps(via)', '{"channel":"web"}'],
    ["json.loads('[1]')", [1]],
  ])('%s', (src, expected) => {
    expect(run(src, src.startsWith('self') ? RECORD.email : undefined)).toEqual(expected);
  });

  it('None in, None out: md5, methods and conversions of a missing value are null, not a failed sync', () => {
    expect(run('md5(phone)')).toBeNull();
    expect(run('phone.lower()')).toBeNull();
    expect(run('int(phone)')).toBeNull();
    expect(run("record['nope']")).toBeNull();
    expect(run('nope')).toBeNull();
    expect(run('phone > 3')).toBe(false);
    expect(run("md5(config['hash_seed'] + phone)")).toBeNull();
    expect(run('phone * 2')).toBeNull();
  });

  it('type errors are runtime errors (ExprError), not JavaScript coercions', () => {
    for (const src of ["'a' + 1", '1 / 0', 'md5(id)', "int('x1')", "email.split('')", "tags < 'a'"]) {
      expect(() => run(src), src).toThrow(ExprError);
    }
  });
});

describe('expressions: no code execution from config', () => {
  it.each([
    "__import__('os').system('id')",
    '().__class__.__bases__[0].__subclasses__()',
    'email.__class__',
    'email.constructor',
    "email.constructor('return process')()",
    'record.constructor',
    'tags.constructor.constructor',
    'email.__proto__',
    'email.prototype',
    "eval('1')",
    "exec('1')",
    "Function('return process')()",
    "require('fs')",
    'process.exit()',
    'lambda: 1',
    '[x for x in tags]',
    'a = 1',
    'import os',
    'tags.push(1)',
    "config.hash_seed",
    '_secret',
    '__builtins__',
    `${'('.repeat(200)}1${')'.repeat(200)}`,
    'x'.repeat(5000),
  ])('%.60s is rejected when the map is compiled', (src) => {
    expect(() => compileExpression(src)).toThrow(ExprSyntaxError);
  });

  it('names that are JavaScript globals are only record fields (null here), never host objects', () => {
    for (const src of ['this', 'globalThis', 'constructor', 'process', 'window', "record['constructor']", "record['__proto__']", "_['toString']", "via['hasOwnProperty']"]) {
      expect(run(src), src).toBeNull();
    }
  });

  it('a record with a "__proto__" or "constructor" key is data, and prototypes stay untouched', () => {
    const rec = JSON.parse('{"__proto__": {"polluted": 1}, "constructor": "c"}') as Record<string, unknown>;
    const s: Scope = { record: rec, self: null, config: {} };
    expect(compileExpression("record['__proto__']").evaluate(s)).toEqual({ polluted: 1 });
    expect(compileExpression('constructor').evaluate(s)).toBe('c');
    expect(compileExpression("{'__proto__': 1}").evaluate(s)).toEqual(JSON.parse('{"__proto__": 1}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('memory bombs stop with an error', () => {
    expect(() => run("'a' * 10 ** 9")).toThrow(ExprError);
    expect(() => run('[1] * 10 ** 8')).toThrow(ExprError);
  });

  it('config errors name the stream, the property and the problem', () => {
    expect(() => readMapSettings({ stream_maps: { users: { email_hash: 'md5(email' } } })).toThrow(/stream_maps\.users\.email_hash: .*"md5\(email"/);
    expect(() => readMapSettings({ stream_maps: { users: { x: "__import__('os')" } } })).toThrow(/stream_maps\.users\.x: name "__import__" is not allowed/);
    expect(() => readMapSettings({ stream_maps: { users: { __filter__: 'status ==' } } })).toThrow(/stream_maps\.users\.__filter__/);
    expect(() => readMapSettings({ stream_maps: { users: { __else__: 'x' } } })).toThrow(/__else__ supports only null/);
    expect(() => readMapSettings({ stream_maps: { users: { __filer__: 'x' } } })).toThrow(/__filer__ is not a stream map option/);
    expect(() => readMapSettings({ stream_maps: { users: { n: 5 } } })).toThrow(/stream_maps\.users\.n must be an expression string or null/);
    expect(() => readMapSettings({ stream_maps: 'x' })).toThrow(/"stream_maps" must be an object/);
    expect(readMapSettings({})).toBeUndefined();
    expect(readMapSettings({ stream_maps: { users: { email: '__NULL__' }, groups: '__NULL__', __else__: '__NULL__' } })).toMatchObject({
      elseNull: true,
      rules: [{ key: 'users', properties: [{ name: 'email', drop: true }] }, { key: 'groups', remove: true }],
    });
  });
});

describe('flattening: SDK column names, depth, JSON for the rest', () => {
  const schema = {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      via: {
        type: ['null', 'object'],
        properties: {
          channel: { type: 'string' },
          source: { type: ['null', 'object'], properties: { from: { type: 'object', properties: { address: { type: 'string' } } }, rel: { type: ['null', 'string'] } } },
        },
      },
      tags: { type: 'array', items: { type: 'string' } },
      meta: { type: ['null', 'object'], additionalProperties: true },
    },
    required: ['id', 'via'],
  };
  const rec = { id: 1, via: { channel: 'web', source: { from: { address: 'a@b' }, rel: null } }, tags: ['x'], meta: { k: 1 } };

  it('depth 1: one level of __ columns; deeper objects, arrays and undeclared objects are JSON strings', () => {
    const { schema: s, plan } = flattenSchema(schema, 1);
    expect(Object.keys(s.properties!).sort()).toEqual(['id', 'meta', 'tags', 'via__channel', 'via__source']);
    // Children of a nullable parent are nullable; JSON columns are strings.
    expect(s.properties!.via__channel!.type).toEqual(['string', 'null']);
    expect(s.properties!.via__source!.type).toEqual(['string', 'null']);
    expect(s.properties!.tags!.type).toEqual(['string']);
    expect(s.required).toEqual(['id']);
    expect(flattenRecord(rec, plan)).toEqual({ id: 1, via__channel: 'web', via__source: '{"from":{"address":"a@b"},"rel":null}', tags: '["x"]', meta: '{"k":1}' });
  });

  it('depth 2 and more: down to the declared leaves; a null parent leaves its columns out', () => {
    const { schema: s, plan } = flattenSchema(schema, 2);
    expect(Object.keys(s.properties!).sort()).toEqual(['id', 'meta', 'tags', 'via__channel', 'via__source__from', 'via__source__rel']);
    const { plan: deep } = flattenSchema(schema, 5);
    expect(flattenRecord(rec, deep)).toEqual({ id: 1, via__channel: 'web', via__source__from__address: 'a@b', via__source__rel: null, tags: '["x"]', meta: '{"k":1}' });
    expect(flattenRecord({ id: 2, via: null, tags: null }, plan)).toEqual({ id: 2, tags: null });
  });

  it('two properties that flatten to one name are a config error', () => {
    expect(() => flattenSchema({ properties: { a__b: { type: 'string' }, a: { type: 'object', properties: { b: { type: 'string' } } } } }, 1)).toThrow(/two columns named "a__b"/);
  });
});

// ------------------------------------------------------------------ the CLI against the emulator

const SEED = 'pepper-01AWZh7A6DzGm6iJZZ2T';
/** The README's PII example. */
const PII_MAPS = {
  stream_maps: {
    users: { email: "md5(config['hash_seed'] + email)", phone: "md5(config['hash_seed'] + phone)" },
    ticket_comments: { body: null, html_body: '__NULL__', plain_body: null },
    tickets: { __filter__: "record['status'] != 'deleted'" },
  },
  stream_map_config: { hash_seed: SEED },
};
const RESHAPE_MAPS = {
  stream_maps: {
    users: { __alias__: 'customers' },
    user_emails: { __source__: 'users', email: 'email', email_domain: "email.split('@')[-1]", __else__: null },
    groups: null,
  },
};

let emu: Emulator;
let deletedTicket: number;
let pii: TapRun;
let reshape: TapRun;
let resumed: TapRun;
let flat: TapRun;
let badExpr: TapRun;
let badKey: TapRun;
let abCatalog: CatalogStream[];
let abRead: AirbyteRun;
let abFlatCatalog: CatalogStream[];

const schemaOf = (messages: Message[], stream: string): Message | undefined => messages.filter((m) => m.type === 'SCHEMA' && m.stream === stream).pop();
const streamsIn = (messages: Message[]): Set<string> => new Set(messages.filter((m) => m.type === 'RECORD' || m.type === 'SCHEMA').map((m) => m.stream as string));

function invalidRecords(messages: Message[]): string[] {
  const ajv = draft7();
  const current = new Map<string, ReturnType<typeof ajv.compile>>();
  const bad: string[] = [];
  for (const m of messages) {
    if (m.type === 'SCHEMA') current.set(m.stream, ajv.compile(m.schema));
    if (m.type === 'RECORD') {
      const v = current.get(m.stream);
      if (!v) bad.push(`${m.stream}: RECORD before SCHEMA`);
      else if (!v(m.record)) bad.push(`${m.stream} ${JSON.stringify(m.record).slice(0, 120)}: ${ajv.errorsText(v.errors)}`);
    }
  }
  return bad;
}

beforeAll(async () => {
  emu = await startEmulator({ rateLimits: false, sizes: { tickets: 120, users: 60 } });
  deletedTicket = [...emu.truth('tickets')][4]!.id as number;
  emu.mutate.deleteTicket(deletedTicket);
  emu.clock.advance(120); // the exports leave out the last minute
  const base = emulatorConfig(emu);
  const plain = tempFile('config.json', base);
  const discovered = JSON.parse((await runTap(['--config', plain, '--discover'])).stdout) as Message;
  const catalog = tempFile('catalog.json', selectStreams(discovered, ['users', 'tickets', 'ticket_comments', 'groups']));
  const reshapeConfig = tempFile('config-reshape.json', { ...base, ...RESHAPE_MAPS });
  const flatConfig = tempFile('config-flat.json', { ...base, flattening_enabled: true, flattening_max_depth: 1 });
  [pii, reshape, flat, badExpr, badKey, abCatalog, abFlatCatalog] = await Promise.all([
    runTap(['--config', tempFile('config-pii.json', { ...base, ...PII_MAPS }), '--catalog', catalog]),
    runTap(['--config', reshapeConfig, '--catalog', catalog]),
    runTap(['--config', flatConfig, '--catalog', tempFile('catalog-tickets.json', selectStreams(discovered, ['tickets']))]),
    runTap(['--config', tempFile('config-bad.json', { ...base, stream_maps: { users: { email_hash: 'md5(email' } } }), '--catalog', catalog]),
    runTap(['--config', tempFile('config-badkey.json', { ...base, stream_maps: { users: { id: null } } }), '--catalog', catalog]),
    discoverStreams(reshapeConfig),
    discoverStreams(flatConfig),
  ]);
  const state = reshape.messages.filter((m) => m.type === 'STATE').pop()!.value;
  resumed = await runTap(['--config', reshapeConfig, '--catalog', catalog, '--state', tempFile('state.json', state)]);
  const abMaps = { ...RESHAPE_MAPS.stream_maps, ...PII_MAPS.stream_maps, users: { ...RESHAPE_MAPS.stream_maps.users, ...PII_MAPS.stream_maps.users } };
  const abConfig = tempFile('config-ab.json', { ...base, stream_maps: abMaps, stream_map_config: PII_MAPS.stream_map_config });
  const abStreams = await discoverStreams(abConfig);
  abRead = await airbyte(['read', '--config', abConfig, '--catalog', configureFile(abStreams, ['customers', 'user_emails', 'tickets'])]);
}, 180_000);

afterAll(async () => {
  await emu?.close();
});

describe('Singer: the README\'s PII example', () => {
  it('exits 0', () => {
    expect(pii.code, pii.stderr.slice(-2000)).toBe(0);
  });

  it('hashes emails and phone numbers with the seed; a missing phone stays null', () => {
    const truth = new Map([...emu.truth('users')].map((u) => [u.id as number, u]));
    const users = recordsOf(pii.messages, 'users');
    expect(users.length).toBe(truth.size);
    let phones = 0;
    for (const u of users) {
      const t = truth.get(u.id)!;
      expect(u.email).toBe(md5(SEED + String(t.email)));
      if (t.phone === null) expect(u.phone).toBeNull();
      else {
        phones++;
        expect(u.phone).toBe(md5(SEED + String(t.phone)));
      }
    }
    expect(phones).toBeGreaterThan(0);
    expect(pii.stdout).not.toContain(String([...truth.values()][1]!.email));
  });

  it('drops comment bodies from SCHEMA and RECORD', () => {
    const comments = recordsOf(pii.messages, 'ticket_comments');
    expect(comments.length).toBeGreaterThan(0);
    for (const c of comments) for (const f of ['body', 'html_body', 'plain_body']) expect(c).not.toHaveProperty(f);
    const props = schemaOf(pii.messages, 'ticket_comments')!.schema.properties;
    expect(props).not.toHaveProperty('body');
    expect(props).toHaveProperty('author_id');
  });

  it('filters the deleted ticket out, keeps the others', () => {
    const ids = recordsOf(pii.messages, 'tickets').map((t) => t.id);
    expect(ids).not.toContain(deletedTicket);
    // The unmapped run (flattening only) has them all; the map leaves out exactly the deleted ones.
    const all = recordsOf(flat.messages, 'tickets');
    expect(all.map((t) => t.id)).toContain(deletedTicket);
    expect(ids.sort()).toEqual(all.filter((t) => t.status !== 'deleted').map((t) => t.id).sort());
  });

  it('every RECORD matches the last SCHEMA of its stream; STATE keeps the stream names', () => {
    expect(invalidRecords(pii.messages)).toEqual([]);
    expect(schemaOf(pii.messages, 'users')!.schema.properties.email.type).toEqual(['string', 'null']);
    expect(Object.keys(pii.messages.filter((m) => m.type === 'STATE').pop()!.value.bookmarks)).toEqual(expect.arrayContaining(['users', 'tickets']));
  });
});

describe('Singer: alias, duplicate, __else__ null, removed stream', () => {
  it('exits 0', () => {
    expect(reshape.code, reshape.stderr.slice(-2000)).toBe(0);
  });

  it('sends users as "customers" (SCHEMA, RECORD and STATE) and never as users; groups not at all', () => {
    const names = streamsIn(reshape.messages);
    expect(names).toContain('customers');
    expect(names).not.toContain('users');
    expect(names).not.toContain('groups');
    expect(recordsOf(reshape.messages, 'customers').length).toBe([...emu.truth('users')].length);
    const bookmarks = reshape.messages.filter((m) => m.type === 'STATE').pop()!.value.bookmarks;
    expect(bookmarks).toHaveProperty('customers');
    expect(bookmarks).not.toHaveProperty('users');
    expect(bookmarks).not.toHaveProperty('groups');
    expect(reshape.stderr).toMatch(/stream_maps remove groups: not read/);
  });

  it('the duplicate keeps only its mapped properties and the key, with inferred types', () => {
    const s = schemaOf(reshape.messages, 'user_emails')!;
    expect(Object.keys(s.schema.properties).sort()).toEqual(['email', 'email_domain', 'id']);
    expect(s.key_properties).toEqual(['id']);
    expect(s.schema.properties.email_domain.type).toEqual(['string', 'null']);
    const rows = recordsOf(reshape.messages, 'user_emails');
    expect(rows.length).toBe(recordsOf(reshape.messages, 'customers').length);
    for (const r of rows) {
      expect(Object.keys(r).sort()).toEqual(['email', 'email_domain', 'id']);
      expect(r.email_domain).toBe(String(r.email).split('@').pop());
    }
    expect(invalidRecords(reshape.messages)).toEqual([]);
  });

  it('a run with that STATE resumes the aliased stream from its bookmark', () => {
    expect(resumed.code, resumed.stderr.slice(-2000)).toBe(0);
    expect(recordsOf(resumed.messages, 'customers').length).toBeLessThan(recordsOf(reshape.messages, 'customers').length);
  });
});

describe('Singer: flattening', () => {
  it('flattens one level with __ names; deeper objects and arrays are JSON strings; SCHEMA agrees', () => {
    expect(flat.code, flat.stderr.slice(-2000)).toBe(0);
    const s = schemaOf(flat.messages, 'tickets')!.schema.properties;
    expect(s).not.toHaveProperty('via');
    expect(s.via__channel.type).toEqual(['null', 'string']);
    expect(s.via__source.type).toEqual(['string', 'null']);
    expect(s.tags.type).toContain('string');
    const t = recordsOf(flat.messages, 'tickets')[0]!;
    expect(t).not.toHaveProperty('via');
    expect(typeof t.via__channel).toBe('string');
    expect(JSON.parse(t.via__source as string)).toEqual(expect.any(Object));
    expect(typeof t.tags).toBe('string');
    expect(Array.isArray(JSON.parse(t.tags as string))).toBe(true);
    expect(invalidRecords(flat.messages)).toEqual([]);
  });
});

describe('bad maps are config errors', () => {
  it('an invalid expression: exit 2, one line naming stream and property, nothing on stdout', () => {
    expect(badExpr.code).toBe(2);
    const lines = badExpr.stderr.split('\n').filter((l) => l.includes('error:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/stream_maps\.users\.email_hash: .*"md5\(email"/);
    expect(badExpr.stderr).not.toMatch(/\n\s+at /);
    expect(badExpr.messages.filter((m) => m.type === 'RECORD')).toEqual([]);
  });

  it('dropping a key property without a new __key_properties__: exit 2 before any record', () => {
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toMatch(/stream_maps\.users: "id" is a key property/);
    expect(badKey.messages.filter((m) => m.type === 'RECORD')).toEqual([]);
  });
});

describe('Airbyte: discover and read use the mapped streams', () => {
  it('discover lists the aliases and duplicates with their mapped schemas and keys', () => {
    const names = abCatalog.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['customers', 'user_emails', 'tickets']));
    expect(names).not.toContain('users');
    expect(names).not.toContain('groups');
    const dup = abCatalog.find((s) => s.name === 'user_emails')!;
    expect(Object.keys(dup.json_schema.properties).sort()).toEqual(['email', 'email_domain', 'id']);
    expect(dup.source_defined_primary_key).toEqual([['id']]);
    expect(dup.default_cursor_field).toBeUndefined();
    expect(abCatalog.find((s) => s.name === 'customers')!.default_cursor_field).toEqual(['updated_at']);
  });

  it('discover with flattening lists the flattened columns', () => {
    const tickets = abFlatCatalog.find((s) => s.name === 'tickets')!;
    expect(tickets.json_schema.properties).toHaveProperty('via__channel');
    expect(tickets.json_schema.properties).not.toHaveProperty('via');
  });

  it('read takes a configured catalog of mapped names and sends records, states and statuses under them', () => {
    expect(abRead.code, abRead.stderr.slice(-2000)).toBe(0);
    const recordStreams = new Set(ofType(abRead, 'RECORD').map((m) => m.record.stream));
    expect([...recordStreams].sort()).toEqual(['customers', 'tickets', 'user_emails']);
    expect(airbyteRecords(abRead, 'user_emails').every((r) => Object.keys(r).sort().join() === 'email,email_domain,id')).toBe(true);
    expect(airbyteRecords(abRead, 'tickets').map((t) => t.id)).not.toContain(deletedTicket);
    const truth = new Map([...emu.truth('users')].map((u) => [u.id as number, u]));
    for (const c of airbyteRecords(abRead, 'customers')) expect(c.email).toBe(md5(SEED + String(truth.get(c.id)!.email)));
    for (const name of ['customers', 'user_emails', 'tickets']) {
      expect(statusesOf(abRead, name).at(-1)).toBe('COMPLETE');
      expect(airbyteStates(abRead, name).length).toBeGreaterThan(0);
    }
    expect(statusesOf(abRead, 'users')).toEqual([]);
  });

  it('check fails on a bad stream map, naming it', async () => {
    const config = tempFile('config-ab-bad.json', { ...emulatorConfig(emu), stream_maps: { users: { __filter__: "status ==" } } });
    const r = await airbyte(['check', '--config', config]);
    expect(r.code).toBe(0);
    const status = ofType(r, 'CONNECTION_STATUS')[0]!.connectionStatus;
    expect(status.status).toBe('FAILED');
    expect(status.message).toMatch(/stream_maps\.users\.__filter__/);
  });

  it('a configured catalog naming a stream the maps remove is a config error', async () => {
    const config = tempFile('config-ab-removed.json', { ...emulatorConfig(emu), ...RESHAPE_MAPS });
    const configured = tempFile('configured-groups.json', {
      streams: [{ stream: { name: 'groups', json_schema: {}, supported_sync_modes: ['full_refresh'] }, sync_mode: 'full_refresh', destination_sync_mode: 'overwrite' }],
    });
    const r = await airbyte(['read', '--config', config, '--catalog', configured]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"groups" is removed by stream_maps/);
  });
});
