/**
 * Airbyte-mode test helpers: run a command of the real CLI, check that every
 * stdout line is an AirbyteMessage valid against the official protocol schema
 * (test/fixtures/airbyte_protocol.yaml, a committed copy: see test/fixtures/README.md),
 * and build configured catalogs
 * and state files the way the platform does.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { expect } from 'vitest';
import { runTap, tempFile, type Message, type RunOptions, type TapRun } from './tap.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PROTOCOL_YAML = process.env.AIRBYTE_PROTOCOL_YAML ?? resolve(ROOT, 'test/fixtures/airbyte_protocol.yaml');

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => void;

let compiled: { message: ValidateFunction; configuredCatalog: ValidateFunction; ajv: Ajv } | undefined;

function protocol() {
  if (compiled) return compiled;
  if (!existsSync(PROTOCOL_YAML)) throw new Error(`the Airbyte protocol schema is missing: ${PROTOCOL_YAML} (set AIRBYTE_PROTOCOL_YAML)`);
  const schema = parse(readFileSync(PROTOCOL_YAML, 'utf8')) as { $id: string };
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(schema);
  compiled = {
    ajv,
    message: ajv.compile({ $ref: `${schema.$id}#/definitions/AirbyteMessage` }),
    configuredCatalog: ajv.compile({ $ref: `${schema.$id}#/definitions/ConfiguredAirbyteCatalog` }),
  };
  return compiled;
}

/** A fresh Draft-07 Ajv with formats, for stream schemas and the connection specification. */
export function draft7(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv;
}

export function validateAirbyteMessage(m: unknown): string | undefined {
  const v = protocol().message;
  if (v(m)) return undefined;
  return protocol().ajv.errorsText(v.errors);
}

export function validateConfiguredCatalog(c: unknown): string | undefined {
  const v = protocol().configuredCatalog;
  if (v(c)) return undefined;
  return protocol().ajv.errorsText(v.errors);
}

export interface AirbyteRun extends TapRun {
  /** Every stdout line, parsed. */
  lines: Message[];
}

/**
 * Runs `tap-zendesk <args>` and asserts the Airbyte stdout contract: every
 * line is compact JSON and a valid AirbyteMessage.
 */
export async function airbyte(args: string[], opts: RunOptions = {}): Promise<AirbyteRun> {
  const run = await runTap(args, opts);
  const raw = run.stdout.split('\n').filter((l) => l.length > 0);
  const lines: Message[] = [];
  const invalid: string[] = [];
  for (const l of raw) {
    let m: Message;
    try {
      m = JSON.parse(l) as Message;
    } catch {
      invalid.push(`not JSON: ${l.slice(0, 200)}`);
      continue;
    }
    const err = validateAirbyteMessage(m);
    if (err) invalid.push(`${err}: ${l.slice(0, 300)}`);
    lines.push(m);
  }
  expect(invalid, `invalid Airbyte output of ${args.join(' ')}; stderr:\n${run.stderr.slice(-1500)}`).toEqual([]);
  return { ...run, lines };
}

export const ofType = (run: { lines: Message[] }, type: string): Message[] => run.lines.filter((m) => m.type === type);

export function records(run: { lines: Message[] }, stream?: string): Record<string, any>[] {
  return run.lines.filter((m) => m.type === 'RECORD' && (!stream || m.record.stream === stream)).map((m) => m.record.data);
}

export function recordMessages(run: { lines: Message[] }, stream?: string): Message[] {
  return run.lines.filter((m) => m.type === 'RECORD' && (!stream || m.record.stream === stream)).map((m) => m.record);
}

export function states(run: { lines: Message[] }, stream?: string): Message[] {
  return run.lines.filter((m) => m.type === 'STATE' && (!stream || m.state.stream?.stream_descriptor?.name === stream)).map((m) => m.state);
}

export function traces(run: { lines: Message[] }, type: string): Message[] {
  return run.lines.filter((m) => m.type === 'TRACE' && m.trace.type === type).map((m) => m.trace);
}

export function statusesOf(run: { lines: Message[] }, stream: string): string[] {
  return traces(run, 'STREAM_STATUS')
    .filter((t) => t.stream_status.stream_descriptor.name === stream && !t.stream_status.reasons)
    .map((t) => t.stream_status.status);
}

/** The last STATE of every stream, as the platform would pass it back (`--state`). */
export function latestStates(run: { lines: Message[] }): Message[] {
  const last = new Map<string, Message>();
  for (const s of states(run)) last.set(s.stream.stream_descriptor.name, { type: 'STREAM', stream: s.stream });
  return [...last.values()];
}

export interface CatalogStream {
  name: string;
  json_schema: Record<string, any>;
  supported_sync_modes: string[];
  default_cursor_field?: string[];
  source_defined_primary_key?: string[][];
  [key: string]: unknown;
}

/** A ConfiguredAirbyteCatalog over `streams`, incremental where supported unless `mode` says otherwise. */
export function configure(catalog: CatalogStream[], names: string[] | 'all', mode: 'incremental' | 'full_refresh' | 'auto' = 'auto'): Message {
  const picked = names === 'all' ? catalog : names.map((n) => {
    const s = catalog.find((c) => c.name === n);
    if (!s) throw new Error(`no stream ${n} in the discovered catalog`);
    return s;
  });
  const configured = {
    streams: picked.map((s) => {
      const incremental = mode !== 'full_refresh' && s.supported_sync_modes.includes('incremental');
      if (mode === 'incremental' && !incremental) throw new Error(`${s.name} is not incremental`);
      return {
        stream: s,
        sync_mode: incremental ? 'incremental' : 'full_refresh',
        destination_sync_mode: incremental ? 'append_dedup' : 'overwrite',
        ...(incremental ? { cursor_field: s.default_cursor_field } : {}),
        ...(s.source_defined_primary_key ? { primary_key: s.source_defined_primary_key } : {}),
      };
    }),
  };
  expect(validateConfiguredCatalog(configured)).toBeUndefined();
  return configured;
}

export function configureFile(catalog: CatalogStream[], names: string[] | 'all', mode: 'incremental' | 'full_refresh' | 'auto' = 'auto'): string {
  return tempFile('configured.json', configure(catalog, names, mode));
}

/** Runs discover once and returns its streams. */
export async function discoverStreams(configPath: string): Promise<CatalogStream[]> {
  const run = await airbyte(['discover', '--config', configPath]);
  expect(run.code, run.stderr.slice(-2000)).toBe(0);
  const catalogs = ofType(run, 'CATALOG');
  expect(catalogs).toHaveLength(1);
  return catalogs[0]!.catalog.streams as CatalogStream[];
}

export { tempFile };
