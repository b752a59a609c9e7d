/**
 * The standard suite, over every stream of a default sync: the schema is
 * valid, every record validates against it, primary keys are present and
 * unique, the replication key is present, and the records are exactly the
 * emulator's truth.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { startEmulator, type Emulator } from './emulator/index.js';
import { emulatorConfig, recordsOf, runTap, tempFile, type TapRun } from './helpers/tap.js';
import { ALL_STREAMS } from '../src/streams/registry.js';

let emu: Emulator;
let run: TapRun;

beforeAll(async () => {
  emu = await startEmulator({ rateLimits: { accountRpm: 700, exportRpm: 10, windowMs: 3000 } });
  const config = tempFile('config.json', emulatorConfig(emu, { rate_window_seconds: 3 }));
  run = await runTap(['--config', config]);
}, 180_000);

afterAll(async () => {
  await emu?.close();
});

const defaultStreams = ALL_STREAMS.filter((d) => d.selectedByDefault !== false);

describe('default sync', () => {
  it('exits 0 and ends with a STATE', () => {
    expect(run.stderr).not.toMatch(/ERROR/);
    expect(run.code).toBe(0);
    expect(run.messages.at(-1)?.type).toBe('STATE');
  });

  it('makes no request that Zendesk would rate-limit', () => {
    expect(emu.stats().status429).toBe(0);
  });

  it('emits each SCHEMA before the first RECORD of its stream', () => {
    const seen = new Set<string>();
    for (const m of run.messages) {
      if (m.type === 'SCHEMA') seen.add(m.stream);
      if (m.type === 'RECORD') expect(seen.has(m.stream), `RECORD of ${m.stream} before its SCHEMA`).toBe(true);
    }
  });
});

describe.each(defaultStreams.map((d) => [d.name, d] as const))('stream %s', (name, d) => {
  const schemaOf = () => run.messages.find((m) => m.type === 'SCHEMA' && m.stream === name);

  it('has a valid schema with its keys', () => {
    const schema = schemaOf();
    expect(schema, `no SCHEMA for ${name}`).toBeDefined();
    expect(schema!.key_properties).toEqual(d.primaryKey);
    const ajv = new Ajv({ strict: false });
    addFormats(ajv);
    expect(() => ajv.compile(schema!.schema)).not.toThrow();
    for (const k of [...d.primaryKey, ...(d.replicationKey ? [d.replicationKey] : [])]) {
      expect(Object.keys(schema!.schema.properties), `${k} missing from ${name} schema`).toContain(k);
    }
  });

  it('emits records that validate, with unique keys and the replication key', () => {
    const records = recordsOf(run.messages, name);
    expect(records.length, `${name} emitted no record`).toBeGreaterThan(0);
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(schemaOf()!.schema);
    const keys = new Set<string>();
    for (const r of records) {
      if (!validate(r)) throw new Error(`${name} record ${JSON.stringify(r).slice(0, 200)} fails its schema: ${ajv.errorsText(validate.errors)}`);
      const key = d.primaryKey.map((k) => JSON.stringify(r[k])).join('|');
      for (const k of d.primaryKey) expect(r[k], `${name}.${k} is null`).not.toBeNull();
      expect(keys.has(key), `${name} key ${key} emitted twice`).toBe(false);
      keys.add(key);
      if (d.replicationKey && name !== 'group_memberships') expect(r[d.replicationKey], `${name}.${d.replicationKey} missing`).toBeDefined();
    }
  });

  it("equals the emulator's truth", () => {
    const key = (r: Record<string, unknown>) => d.primaryKey.map((k) => String(r[k])).join('|');
    const got = recordsOf(run.messages, name).map(key).sort();
    const want = [...emu.truth(name)].map(key).sort();
    expect(got).toEqual(want);
  });
});
