/**
 * docs/meltano.yml, the Meltano example the README points to: it lists every
 * setting of schemas/config.json (nested credential objects and every oneOf
 * variant) with the right kind, and its config, select and metadata work
 * when applied to the tap's catalog the way Meltano applies them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './emulator/index.js';
import { ROOT } from './helpers/airbyte.js';
import { recordsOf, runTap, tempFile, type Message } from './helpers/tap.js';
import { parseConfig } from '../src/config/load.js';
import { unknownKeyWarnings } from '../src/config/unknown-keys.js';
import { ALL_STREAMS } from '../src/streams/registry.js';

interface JsonSchema {
  type?: string | string[];
  format?: string;
  const?: string;
  properties?: Record<string, JsonSchema>;
  oneOf?: JsonSchema[];
  airbyte_secret?: boolean;
  airbyte_hidden?: boolean;
}
interface Setting {
  name: string;
  kind?: string;
  sensitive?: boolean;
  hidden?: boolean;
  options?: Array<{ label: string; value: string }>;
}
interface Extractor {
  name: string;
  executable: string;
  capabilities: string[];
  settings: Setting[];
  settings_group_validation: string[][];
  config: Record<string, any>;
  select: string[];
  metadata: Record<string, Record<string, unknown>>;
}

const project = parse(readFileSync(join(ROOT, 'docs/meltano.yml'), 'utf8')) as { plugins: { extractors: Extractor[] } };
const tap = project.plugins.extractors.find((e) => e.name === 'tap-zendesk')!;
const configSchema = JSON.parse(readFileSync(join(ROOT, 'schemas/config.json'), 'utf8')) as JsonSchema;

/**
 * Every leaf setting of the schema as Meltano names it (dotted), with all its
 * definitions: an object's own properties and those of each oneOf variant.
 */
function schemaSettings(schema: JsonSchema, prefix = '', out = new Map<string, JsonSchema[]>()): Map<string, JsonSchema[]> {
  const variants = [schema, ...(schema.oneOf ?? [])];
  for (const v of variants) {
    for (const [key, prop] of Object.entries(v.properties ?? {})) {
      const name = `${prefix}${key}`;
      if (prop.properties || prop.oneOf) schemaSettings(prop, `${name}.`, out);
      else out.set(name, [...(out.get(name) ?? []), prop]);
    }
  }
  return out;
}

/** The Meltano kind a setting must have, from its schema definitions. */
function expectedKind(defs: JsonSchema[]): string {
  if (defs.some((d) => d.airbyte_secret)) return 'password';
  if (defs.every((d) => d.const !== undefined)) return 'options';
  const t = defs[0]!.type;
  if (t === 'boolean') return 'boolean';
  if (t === 'integer') return 'integer';
  if (t === 'number') return 'decimal';
  if (t === 'object') return 'object';
  if (t === 'array') return 'array';
  if (defs[0]!.format === 'date-time') return 'date_iso8601';
  return 'string';
}

const expected = schemaSettings(configSchema);

describe('docs/meltano.yml', () => {
  it('lists every setting of schemas/config.json, and no other', () => {
    expect(expected.size).toBeGreaterThan(20);
    expect(expected.has('credentials.type')).toBe(true);
    expect(expected.has('chat_credentials.access_token')).toBe(true);
    const names = tap.settings.map((s) => s.name);
    expect(new Set(names).size, 'duplicate settings').toBe(names.length);
    expect([...expected.keys()].filter((n) => !names.includes(n)), 'settings missing from docs/meltano.yml').toEqual([]);
    expect(names.filter((n) => !expected.has(n)), 'settings docs/meltano.yml has but the schema has not').toEqual([]);
  });

  it('gives each setting its kind: secrets are password + sensitive, hidden ones hidden', () => {
    for (const s of tap.settings) {
      const defs = expected.get(s.name)!;
      expect(s.kind, `${s.name} kind`).toBe(expectedKind(defs));
      const secret = defs.some((d) => d.airbyte_secret);
      expect(Boolean(s.sensitive), `${s.name} sensitive`).toBe(secret);
      expect(Boolean(s.hidden), `${s.name} hidden`).toBe(defs.every((d) => d.airbyte_hidden));
    }
    // credentials.type offers exactly the schemes of the schema.
    const types = configSchema.properties!.credentials!.oneOf!.map((v) => v.properties!.type!.const);
    expect(tap.settings.find((s) => s.name === 'credentials.type')!.options!.map((o) => o.value)).toEqual(types);
  });

  it('names every credential scheme in settings_group_validation with settings that exist', () => {
    const types = configSchema.properties!.credentials!.oneOf!;
    for (const group of tap.settings_group_validation) for (const n of group) expect(expected.has(n), n).toBe(true);
    for (const variant of types) {
      const required = (variant as { required?: string[] }).required!.map((k) => `credentials.${k}`);
      expect(tap.settings_group_validation.some((g) => required.every((r) => g.includes(r))), `a group for ${variant.properties!.type!.const}`).toBe(true);
    }
  });

  it('runs the built entry point with the capabilities the tap has', () => {
    expect(tap.executable).toMatch(/\/dist\/src\/main\.js$/);
    expect(tap.capabilities).toEqual(expect.arrayContaining(['catalog', 'properties', 'discover', 'state', 'about']));
    // Meltano SDK features the settings schema offers are advertised too.
    const props = configSchema.properties!;
    if (props.stream_maps) expect(tap.capabilities).toContain('stream-maps');
    if (props.flattening_enabled) expect(tap.capabilities).toContain('schema-flattening');
  });

  it('has a config the tap accepts without warnings', () => {
    const config = { ...tap.config, credentials: { ...tap.config.credentials, client_secret: 'set-by-meltano-config' } };
    expect(unknownKeyWarnings(config)).toEqual([]);
    const parsed = parseConfig(config);
    expect(parsed.credentials.type).toBe(tap.config.credentials.type);
    expect(parsed.subdomain).toBe(tap.config.subdomain);
  });

  it('select and metadata name real streams', () => {
    const names = new Set(ALL_STREAMS.map((s) => s.name));
    for (const pattern of tap.select) expect(names.has(pattern.replace(/^!/, '').split('.')[0]!), pattern).toBe(true);
    for (const stream of Object.keys(tap.metadata)) expect(names.has(stream), stream).toBe(true);
  });
});

/**
 * Meltano's selection and metadata rules, applied to a discovered catalog:
 * `stream.property` globs select, `!` globs deselect; metadata keys land on the
 * stream's breadcrumb, nested ones on the property's.
 */
function applyMeltano(catalog: Message, select: string[], metadata: Extractor['metadata']): Message {
  const glob = (p: string) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  const include = select.filter((p) => !p.startsWith('!')).map(glob);
  const exclude = select.filter((p) => p.startsWith('!')).map((p) => glob(p.slice(1)));
  const selected = (entity: string) => include.some((r) => r.test(entity)) && !exclude.some((r) => r.test(entity));
  return {
    streams: catalog.streams.map((s: Message) => {
      const name = s.tap_stream_id as string;
      const streamOn = include.some((r) => r.test(`${name}.`) || r.source.startsWith(`^${name}\\.`));
      const meta = metadata[name] ?? {};
      return {
        ...s,
        metadata: s.metadata.map((m: Message) => {
          if (m.breadcrumb.length === 0) {
            const own = Object.fromEntries(Object.entries(meta).filter(([, v]) => typeof v !== 'object'));
            return { ...m, metadata: { ...m.metadata, selected: streamOn, ...own } };
          }
          const prop = m.breadcrumb[1] as string;
          const nested = (meta[prop] ?? {}) as Record<string, unknown>;
          return { ...m, metadata: { ...m.metadata, selected: streamOn && selected(`${name}.${prop}`), ...nested } };
        }),
      };
    }),
  };
}

describe('docs/meltano.yml against the emulator', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ rateLimits: false });
  });
  afterAll(async () => {
    await emu?.close();
  });

  it('its config, select and metadata sync the selected streams and fields', async () => {
    // The example's config, with what a user sets outside meltano.yml (client secret) and the emulator's address.
    const config = tempFile('config.json', {
      ...tap.config,
      base_url: emu.url,
      credentials: { ...tap.config.credentials, client_id: emu.credentials.oauth.clientId, client_secret: emu.credentials.oauth.clientSecret },
      chat_credentials: { access_token: emu.credentials.chatAccessToken },
    });
    const discovered = await runTap(['--config', config, '--discover']);
    expect(discovered.code, discovered.stderr).toBe(0);
    const catalog = applyMeltano(JSON.parse(discovered.stdout), tap.select, tap.metadata);
    const run = await runTap(['--config', config, '--properties', tempFile('catalog.json', catalog)]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/unknown setting/);
    const streams = new Set(run.messages.filter((m) => m.type === 'RECORD').map((m) => m.stream as string));
    const wanted = [...new Set(tap.select.filter((p) => !p.startsWith('!')).map((p) => p.split('.')[0]!))];
    expect([...streams].sort(), run.stderr).toEqual(wanted.sort());
    const users = recordsOf(run.messages, 'users');
    expect(users.length).toBeGreaterThan(0);
    expect(users.some((u) => 'photo' in u), '!users.photo deselects the field').toBe(false);
    // The example's stream map: emails arrive as md5 hashes.
    const emails = users.map((u) => u.email).filter((e) => e !== null && e !== undefined);
    expect(emails.length).toBeGreaterThan(0);
    for (const e of emails) expect(e).toMatch(/^[0-9a-f]{32}$/);
    const orgs = recordsOf(run.messages, 'organizations');
    expect(orgs.length).toBeGreaterThan(0);
    expect(orgs.some((o) => 'notes' in o), 'metadata organizations.notes.selected: false').toBe(false);
    // groups read FULL_TABLE: no bookmark of its own in the final state.
    const states = run.messages.filter((m) => m.type === 'STATE');
    const bookmarks = states.at(-1)!.value.bookmarks as Record<string, Record<string, unknown>>;
    expect(bookmarks.tickets?.generated_timestamp).toBeDefined();
    expect(bookmarks.groups?.updated_at).toBeUndefined();
  }, 120_000);
});
