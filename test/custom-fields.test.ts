/** custom_fields_as_columns: typed, column-safe, unique columns, filled in every record. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { startEmulator, type Emulator } from './emulator/index.js';
import { emulatorConfig, recordsOf, runTap, selectStreams, tempFile, type TapRun } from './helpers/tap.js';
import { columnName } from '../src/streams/custom-fields.js';

let emu: Emulator;
let catalog: any;
let run: TapRun;

beforeAll(async () => {
  emu = await startEmulator({ rateLimits: false });
  const config = tempFile('c.json', emulatorConfig(emu, { custom_fields_as_columns: true, export_rpm: 100 }));
  const discovered = await runTap(['--config', config, '--discover']);
  catalog = JSON.parse(discovered.stdout);
  run = await runTap(['--config', config, '--catalog', tempFile('cat.json', selectStreams(catalog, ['tickets', 'users', 'organizations']))]);
}, 120_000);
afterAll(async () => {
  await emu?.close();
});

describe('custom fields as columns', () => {
  it('names columns safely and uniquely', () => {
    expect(columnName('Order Number #')).toBe('custom_order_number');
    expect(columnName('Größe / Size')).toBe('custom_grosse_size');
    expect(columnName('42')).toBe('custom_42');
    expect(columnName('***')).toBe('custom_field');
  });

  it('discover adds one typed column per active custom ticket field', () => {
    const tickets = catalog.streams.find((s: any) => s.stream === 'tickets');
    const fields = [...emu.truth('ticket_fields')].filter((f) => f.removable === true && f.active !== false);
    const columns = Object.keys(tickets.schema.properties).filter((k) => k.startsWith('custom_') && k !== 'custom_fields' && k !== 'custom_status_id');
    expect(columns.length).toBe(fields.length);
    for (const c of columns) {
      expect(c).toMatch(/^custom_[a-z0-9_]+$/);
      expect(tickets.schema.properties[c].type).toContain('null');
    }
  });

  it('fills every column of every ticket from custom_fields, typed as declared', () => {
    expect(run.code, run.stderr).toBe(0);
    const schema = run.messages.find((m) => m.type === 'SCHEMA' && m.stream === 'tickets')!.schema;
    const columns = Object.keys(schema.properties).filter((k) => k.startsWith('custom_') && k !== 'custom_fields' && k !== 'custom_status_id');
    expect(columns.length).toBeGreaterThan(0);
    const ajv = new Ajv({ strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const tickets = recordsOf(run.messages, 'tickets');
    let filled = 0;
    for (const t of tickets) {
      for (const c of columns) expect(c in t, `${c} missing on ticket ${t.id}`).toBe(true);
      if (!validate(t)) throw new Error(ajv.errorsText(validate.errors));
      filled += columns.filter((c) => t[c] !== null).length;
    }
    expect(filled).toBeGreaterThan(0);
    // The raw array stays, for loaders that prefer it.
    expect(tickets.every((t) => Array.isArray(t.custom_fields))).toBe(true);
  });
});
