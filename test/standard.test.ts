/**
 * The standard suite, over every stream: the schema is valid, every record
 * validates against it, primary keys are present and unique, the replication
 * key is present, and the records are exactly the emulator's truth.
 *
 * Two syncs: the default selection under Zendesk-like rate limits, and every
 * stream (opt-in ones too) selected through a catalog, with Chat reached only
 * through its own OAuth token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { startEmulator, CREDENTIALS, type Emulator } from './emulator/index.js';
import { emulatorConfig, recordsOf, runTap, selectStreams, tempFile, type TapRun } from './helpers/tap.js';
import { ALL_STREAMS } from '../src/streams/registry.js';
import type { StreamDescriptor } from '../src/streams/descriptor.js';

let emu: Emulator;
let run: TapRun;
let allEmu: Emulator;
let allRun: TapRun;

beforeAll(async () => {
  emu = await startEmulator({ rateLimits: { accountRpm: 700, exportRpm: 10, windowMs: 3000 } });
  const config = tempFile('config.json', emulatorConfig(emu, { rate_window_seconds: 3 }));
  allEmu = await startEmulator({ rateLimits: false, chatOAuthOnly: true });
  const allConfig = tempFile(
    'config-all.json',
    emulatorConfig(allEmu, { export_rpm: 100, max_rpm: 100_000, chat_credentials: { access_token: CREDENTIALS.chatAccessToken } }),
  );
  const syncAll = async (): Promise<TapRun> => {
    const discovered = await runTap(['--config', allConfig, '--discover']);
    const catalog = tempFile('catalog-all.json', selectStreams(JSON.parse(discovered.stdout), ALL_STREAMS.map((d) => d.name)));
    return runTap(['--config', allConfig, '--catalog', catalog], { timeoutMs: 170_000 });
  };
  [run, allRun] = await Promise.all([runTap(['--config', config]), syncAll()]);
}, 180_000);

afterAll(async () => {
  await emu?.close();
  await allEmu?.close();
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

describe.each(defaultStreams.map((d) => [d.name, d] as const))('stream %s (default sync)', (name, d) => {
  standardChecks(name, d, () => run, () => emu);
});

describe('every stream selected', () => {
  it('exits 0, skips nothing and ends with a STATE', () => {
    expect(allRun.stderr).not.toMatch(/ERROR|skipping stream/);
    expect(allRun.code).toBe(0);
    expect(allRun.messages.at(-1)?.type).toBe('STATE');
  });

  it('reads Chat with the Chat token only (the emulator refuses anything else there)', () => {
    expect(allEmu.stats().byStatus['401'] ?? 0).toBe(0);
  });
});

describe.each(ALL_STREAMS.map((d) => [d.name, d] as const))('stream %s (all selected)', (name, d) => {
  standardChecks(name, d, () => allRun, () => allEmu);
});

function standardChecks(name: string, d: StreamDescriptor, getRun: () => TapRun, getEmu: () => Emulator): void {
  const schemaOf = () => getRun().messages.find((m) => m.type === 'SCHEMA' && m.stream === name);

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
    const records = recordsOf(getRun().messages, name);
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
      // A child record carries its parent's id.
      for (const field of Object.keys(d.parent?.fields ?? {})) expect(r[field], `${name}.${field} (parent id) missing`).toBeDefined();
    }
  });

  it("equals the emulator's truth", () => {
    const truth = [...getEmu().truth(name)];
    // A key the tap stamps on the row (a snapshot's read time, a settings object's constant scope) is in
    // no Zendesk body: such rows are compared whole, without it, and must carry it.
    const stamped = d.primaryKey.filter((k) => truth.length > 0 && truth.every((r) => !(k in r)));
    const key = stamped.length
      ? (r: Record<string, unknown>) => JSON.stringify(Object.entries(r).filter(([k]) => !stamped.includes(k)).sort(([a], [b]) => (a < b ? -1 : 1)))
      : (r: Record<string, unknown>) => d.primaryKey.map((k) => String(r[k])).join('|');
    const records = recordsOf(getRun().messages, name);
    for (const k of stamped) for (const r of records) expect(r[k], `${name}.${k} (stamped by the tap)`).toBeDefined();
    expect(records.map(key).sort()).toEqual(truth.map(key).sort());
  });
}
