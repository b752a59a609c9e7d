/**
 * Schema drift (issue 9 §5, issue 11 §4): a record field the stream's schema
 * does not declare is reported once per stream and field and counted in the run
 * summary; in Singer mode an updated SCHEMA adds it (nullable, typed from the
 * values) before the first record that carries it, so a target that keeps only
 * declared columns adds a column instead of dropping the data. Airbyte mode
 * keeps its catalog and reports the field in a LOG message.
 *
 * The emulator's tickets grow a field mid-sync: one ticket, updated with a new
 * top-level field, moves to the end of the ticket export (its last page), after
 * two pages of tickets without it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './emulator/index.js';
import { emulatorConfig, runTap, selectStreams, tempFile, type Message, type TapRun } from './helpers/tap.js';
import { airbyte, configureFile, discoverStreams, draft7, records as airbyteRecords, type AirbyteRun } from './helpers/airbyte.js';
import { fieldSchema } from '../src/core/drift.js';

const NEW_FIELD = 'ai_summary';
const NEW_USER_FIELD = 'presence';
let emu: Emulator;
let grownTicket: number;
let grownUser: number;
let singer: TapRun;
let deselected: TapRun;
let ab: AirbyteRun;

/**
 * A target-postgres-like consumer: a table per stream whose columns are the
 * properties of the latest SCHEMA (new ones added, as ALTER TABLE ADD COLUMN);
 * a RECORD keeps only the columns its table has, the rest is dropped.
 */
function load(messages: Message[], schemas: 'every' | 'first' = 'every'): { columns: Map<string, Set<string>>; rows: Map<string, Record<string, unknown>[]>; dropped: string[] } {
  const columns = new Map<string, Set<string>>();
  const rows = new Map<string, Record<string, unknown>[]>();
  const dropped: string[] = [];
  for (const m of messages) {
    if (m.type === 'SCHEMA') {
      if (schemas === 'first' && columns.has(m.stream)) continue;
      const cols = columns.get(m.stream) ?? new Set<string>();
      for (const k of Object.keys(m.schema.properties ?? {})) cols.add(k);
      columns.set(m.stream, cols);
    } else if (m.type === 'RECORD') {
      const cols = columns.get(m.stream);
      if (!cols) throw new Error(`RECORD of ${m.stream} before its SCHEMA`);
      const row: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(m.record as Record<string, unknown>)) {
        if (cols.has(k)) row[k] = v;
        else dropped.push(`${m.stream}.${k}`);
      }
      rows.set(m.stream, [...(rows.get(m.stream) ?? []), row]);
    }
  }
  return { columns, rows, dropped };
}

beforeAll(async () => {
  emu = await startEmulator({ rateLimits: false, sizes: { tickets: 2500, users: 60 } });
  grownTicket = [...emu.truth('tickets')][5]!.id as number;
  grownUser = [...emu.truth('users')][3]!.id as number;
  emu.mutate.updateTicket(grownTicket, { [NEW_FIELD]: 'Customer asks for a refund' });
  emu.mutate.updateUser(grownUser, { [NEW_USER_FIELD]: { status: 'online', since: 1700000000 } });
  emu.clock.advance(120); // the exports leave out the last minute
  const config = tempFile('config.json', emulatorConfig(emu));
  const discovered = JSON.parse((await runTap(['--config', config, '--discover'])).stdout) as Message;
  const catalog = selectStreams(discovered, ['tickets', 'users']);
  // The same selection with one declared field of tickets deselected.
  const withDeselection = structuredClone(catalog);
  const tickets = withDeselection.streams.find((s: Message) => s.tap_stream_id === 'tickets');
  for (const m of tickets.metadata) if (m.breadcrumb.length === 2 && m.breadcrumb[1] === 'priority') m.metadata.selected = false;
  const configured = configureFile(await discoverStreams(config), ['tickets']);
  [singer, deselected, ab] = await Promise.all([
    runTap(['--config', config, '--catalog', tempFile('catalog.json', catalog)]),
    runTap(['--config', config, '--catalog', tempFile('catalog-deselected.json', withDeselection)]),
    airbyte(['read', '--config', config, '--catalog', configured]),
  ]);
}, 120_000);

afterAll(async () => {
  await emu?.close();
});

const warnings = (stderr: string): string[] => stderr.split('\n').filter((l) => l.includes('is not in the stream\'s schema'));

describe('Singer mode: the schema evolves', () => {
  it('exits 0', () => {
    expect(singer.code, singer.stderr.slice(-2000)).toBe(0);
  });

  it('reports each new field once, naming stream and field, and counts them in the summary', () => {
    const w = warnings(singer.stderr);
    expect(w).toHaveLength(2);
    expect(w.filter((l) => l.includes(`tickets: field "${NEW_FIELD}"`))).toHaveLength(1);
    expect(w.filter((l) => l.includes(`users: field "${NEW_USER_FIELD}"`))).toHaveLength(1);
    expect(singer.stderr).toMatch(/schema drift: 2 field\(s\) not in the published schemas, in 2 stream\(s\): .*tickets\.ai_summary \(string\)/);
  });

  it('sends a SCHEMA with the field before the first RECORD carrying it, after records without it (mid-sync)', () => {
    const m = singer.messages;
    const firstCarrier = m.findIndex((x) => x.type === 'RECORD' && x.stream === 'tickets' && NEW_FIELD in x.record);
    const evolved = m.findIndex((x) => x.type === 'SCHEMA' && x.stream === 'tickets' && x.schema.properties[NEW_FIELD]);
    const firstTicket = m.findIndex((x) => x.type === 'RECORD' && x.stream === 'tickets');
    expect(firstCarrier).toBeGreaterThan(0);
    expect(m[firstCarrier]!.record.id).toBe(grownTicket);
    expect(evolved).toBeGreaterThan(firstTicket); // tickets without the field went out under the published schema
    expect(evolved).toBeLessThan(firstCarrier);
    expect(m[evolved]!.schema.properties[NEW_FIELD]).toEqual(fieldSchema(['string']));
    expect(m[evolved]!.schema.properties[NEW_FIELD].type).toEqual(['null', 'string']);
    const userSchema = m.find((x) => x.type === 'SCHEMA' && x.stream === 'users' && x.schema.properties[NEW_USER_FIELD]);
    expect(userSchema!.schema.properties[NEW_USER_FIELD]).toMatchObject({ type: ['null', 'object'], additionalProperties: true });
    // The rest of the schema and the keys are unchanged.
    const first = m.find((x) => x.type === 'SCHEMA' && x.stream === 'tickets')!;
    expect(m[evolved]!.key_properties).toEqual(first.key_properties);
    expect(Object.keys(m[evolved]!.schema.properties).sort()).toEqual([...Object.keys(first.schema.properties), NEW_FIELD].sort());
  });

  it('every RECORD validates against the latest SCHEMA of its stream', () => {
    const ajv = draft7();
    const current = new Map<string, ReturnType<typeof ajv.compile>>();
    const bad: string[] = [];
    for (const m of singer.messages) {
      if (m.type === 'SCHEMA') current.set(m.stream, ajv.compile(m.schema));
      else if (m.type === 'RECORD') {
        const v = current.get(m.stream)!;
        if (!v(m.record)) bad.push(`${m.stream} ${m.record.id}: ${ajv.errorsText(v.errors)}`);
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it('a target that keeps only declared columns gets the new column and drops nothing', () => {
    const t = load(singer.messages);
    expect(t.dropped).toEqual([]);
    expect(t.columns.get('tickets')!.has(NEW_FIELD)).toBe(true);
    const row = t.rows.get('tickets')!.find((r) => r.id === grownTicket)!;
    expect(row[NEW_FIELD]).toBe('Customer asks for a refund');
    expect(t.rows.get('users')!.find((r) => r.id === grownUser)![NEW_USER_FIELD]).toEqual({ status: 'online', since: 1700000000 });
    // The same target reading only the published schema would have lost both values.
    expect(load(singer.messages, 'first').dropped.sort()).toEqual([`tickets.${NEW_FIELD}`, `users.${NEW_USER_FIELD}`]);
  });
});

describe('field selection', () => {
  it('a deselected field is not drift; a new field still flows and is reported', () => {
    expect(deselected.code, deselected.stderr.slice(-2000)).toBe(0);
    const tickets = deselected.messages.filter((m) => m.type === 'RECORD' && m.stream === 'tickets').map((m) => m.record);
    expect(tickets.some((r) => 'priority' in r)).toBe(false);
    expect(warnings(deselected.stderr).some((l) => l.includes('"priority"'))).toBe(false);
    expect(warnings(deselected.stderr).filter((l) => l.includes(`tickets: field "${NEW_FIELD}"`))).toHaveLength(1);
    expect(tickets.find((r) => r.id === grownTicket)![NEW_FIELD]).toBe('Customer asks for a refund');
    expect(load(deselected.messages).dropped).toEqual([]);
  });
});

describe('Airbyte mode: the catalog stays, the field is reported', () => {
  it('logs the new field once and sends no schema change', () => {
    expect(ab.code, ab.stderr.slice(-2000)).toBe(0);
    const logs = ab.lines.filter((m) => m.type === 'LOG' && m.log.message.includes(`tickets: field "${NEW_FIELD}"`));
    expect(logs).toHaveLength(1);
    expect(logs[0]!.log.level).toBe('WARN');
    expect(ab.lines.some((m) => m.type === 'CATALOG')).toBe(false);
    expect(airbyteRecords(ab, 'tickets').find((r) => r.id === grownTicket)![NEW_FIELD]).toBe('Customer asks for a refund');
    expect(ab.stderr + ab.lines.filter((m) => m.type === 'LOG').map((m) => m.log.message).join('\n')).toMatch(/schema drift: 1 field\(s\)/);
  });
});

describe('fieldSchema', () => {
  it('types a new column from the values seen, always nullable', () => {
    expect(fieldSchema(['null']).type).toEqual(['null', 'string']);
    expect(fieldSchema(['integer']).type).toEqual(['null', 'integer']);
    expect(fieldSchema(['integer', 'number']).type).toEqual(['null', 'number']);
    expect(fieldSchema(['boolean', 'null']).type).toEqual(['null', 'boolean']);
    expect(fieldSchema(['array'])).toMatchObject({ type: ['null', 'array'], items: {} });
  });
});
