/**
 * Stream schemas (schemas/streams/*.json) are valid draft-07, loader-safe for
 * Singer targets (Draft4Validator) and Airbyte destinations, and the types in
 * src/generated/ are in step with them.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { generateTypes } from '../scripts/gen-types-lib.mjs';
import { buildAll, formatSchema } from '../scripts/derive-schemas.mjs';
import { ALL_STREAMS } from '../src/streams/registry.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const STREAMS_DIR = join(ROOT, 'schemas/streams');
const SOURCES_DIR = join(ROOT, 'scripts/schema-sources');

type Schema = Record<string, unknown> & {
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: unknown;
  required?: string[];
};

interface SourceEntry {
  primaryKey?: string[];
  replicationKey?: string;
}

/** Streams the tap ships, with the keys each schema was written for ("-" = no replication key). */
const EXPECTED: Record<string, [pk: string[], rk: string | null]> = {
  // Support
  tickets: [['id'], 'generated_timestamp'], ticket_metrics: [['id'], 'generated_timestamp'], users: [['id'], 'updated_at'],
  user_identities: [['id'], 'updated_at'], organizations: [['id'], 'updated_at'], ticket_events: [['id'], 'timestamp'],
  ticket_comments: [['id'], 'timestamp'], ticket_metric_events: [['id'], 'time'], satisfaction_ratings: [['id'], 'updated_at'],
  groups: [['id'], 'updated_at'], brands: [['id'], null], ticket_fields: [['id'], 'updated_at'], tags: [['name'], null],
  sla_policies: [['id'], 'updated_at'], group_memberships: [['id'], 'updated_at'], organization_memberships: [['id'], 'updated_at'],
  macros: [['id'], 'updated_at'], custom_roles: [['id'], 'updated_at'], user_fields: [['id'], 'updated_at'],
  organization_fields: [['id'], 'updated_at'], ticket_forms: [['id'], 'updated_at'], schedules: [['id'], 'updated_at'],
  views: [['id'], 'updated_at'], triggers: [['id'], 'updated_at'], automations: [['id'], 'updated_at'],
  ticket_audits: [['id'], 'timestamp'], ticket_field_history: [['id'], 'timestamp'], ticket_activities: [['id'], 'updated_at'], ticket_skips: [['id'], 'updated_at'],
  suspended_tickets: [['id'], 'updated_at'], deleted_tickets: [['id'], 'deleted_at'], recipient_addresses: [['id'], 'updated_at'],
  sharing_agreements: [['id'], null], targets: [['id'], null], dynamic_content_items: [['id'], 'updated_at'],
  custom_statuses: [['id'], 'updated_at'], account_attributes: [['id'], null], attribute_definitions: [['condition', 'title'], null],
  audit_logs: [['id'], 'created_at'], custom_objects: [['key'], 'updated_at'], custom_object_records: [['id'], 'updated_at'],
  side_conversations: [['id'], 'updated_at'], deleted_users: [['id'], 'updated_at'], locales: [['id'], null],
  side_conversation_events: [['id'], 'created_at'],
  workspaces: [['id'], 'updated_at'], webhooks: [['id'], 'updated_at'], trigger_categories: [['id'], 'updated_at'],
  target_failures: [['id'], null], satisfaction_reasons: [['id'], 'updated_at'], group_sla_policies: [['id'], 'updated_at'],
  organization_subscriptions: [['id'], null], sessions: [['id'], null], account_settings: [['settings_scope'], null],
  // Talk
  calls: [['id'], 'updated_at'], call_legs: [['id'], 'updated_at'], addresses: [['id'], null], greeting_categories: [['id'], null],
  greetings: [['id'], null], ivrs: [['id'], null], ivr_menus: [['id'], null], ivr_routes: [['id'], null],
  phone_numbers: [['id'], null], lines: [['id'], null], agents_activity: [['agent_id'], null], agents_overview: [['current_timestamp'], null],
  account_overview: [['current_timestamp'], null], current_queue_activity: [['current_timestamp'], null], talk_settings: [['settings_scope'], null],
  // Chat
  chats: [['id'], 'update_timestamp'], agent_timeline: [['agent_id', 'start_time'], 'start_time'], agents: [['id'], 'id'],
  departments: [['id'], null], bans: [['id'], null], shortcuts: [['name'], null], chat_triggers: [['name'], null],
  accounts: [['account_key'], null], goals: [['id'], null], roles: [['id'], null], routing_settings: [['settings_scope'], null],
  skills: [['id'], null], chat_conversions: [['id'], 'timestamp'], chat_department_events: [['id'], 'timestamp'],
  // Help Center
  articles: [['id'], 'updated_at'], sections: [['id'], 'updated_at'], categories: [['id'], 'updated_at'],
  article_attachments: [['id'], 'updated_at'], article_comments: [['id'], 'updated_at'], article_votes: [['id'], 'updated_at'],
  article_comment_votes: [['id'], 'updated_at'], posts: [['id'], 'updated_at'], post_comments: [['id'], 'updated_at'],
  post_votes: [['id'], 'updated_at'], post_comment_votes: [['id'], 'updated_at'], topics: [['id'], 'updated_at'],
  user_segments: [['id'], 'updated_at'], article_labels: [['id'], null], content_tags: [['id'], null],
};

// ajv-formats is CommonJS: under NodeNext its default import is the module object's type.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const FORBIDDEN = [
  'enum', 'const', 'oneOf', 'allOf', 'not', '$ref', 'readOnly', 'writeOnly', 'example', 'examples',
  'nullable', 'definitions', '$defs', 'if', 'then', 'else', 'contains', 'propertyNames',
  'exclusiveMinimum', 'exclusiveMaximum', 'deprecated', 'discriminator',
];
const ALLOWED_TYPES = new Set(['null', 'string', 'number', 'integer', 'boolean', 'array', 'object']);
const ALLOWED_FORMATS = new Set(['date-time', 'date']);

const files = readdirSync(STREAMS_DIR).filter((f) => f.endsWith('.json')).sort();
const schemas = new Map<string, Schema>(
  files.map((f) => [f.slice(0, -5), JSON.parse(readFileSync(join(STREAMS_DIR, f), 'utf8')) as Schema]),
);

const sources = new Map<string, SourceEntry>();
for (const f of readdirSync(SOURCES_DIR).filter((x) => x.endsWith('.json'))) {
  const doc = JSON.parse(readFileSync(join(SOURCES_DIR, f), 'utf8')) as { streams: Record<string, SourceEntry> };
  for (const [name, entry] of Object.entries(doc.streams)) sources.set(name, entry);
}

function types(s: Schema): string[] {
  return s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
}

/** Every loader-safety problem in a (sub)schema, as "path: message". */
function problems(s: Schema, path: string, opts: { nullable: boolean }): string[] {
  const out: string[] = [];
  for (const k of FORBIDDEN) if (k in s) out.push(`${path}: forbidden keyword "${k}"`);
  const t = types(s);
  if (!t.length) out.push(`${path}: no type`);
  for (const x of t) if (!ALLOWED_TYPES.has(x)) out.push(`${path}: unknown type "${x}"`);
  if (new Set(t).size !== t.length) out.push(`${path}: duplicate type`);
  if (opts.nullable && !t.includes('null')) out.push(`${path}: not nullable`);
  if (typeof s.format === 'string') {
    if (!ALLOWED_FORMATS.has(s.format)) out.push(`${path}: format "${s.format}"`);
    if (!t.includes('string')) out.push(`${path}: format on a non-string`);
  }
  if (s.properties !== undefined || t.includes('object')) {
    if (t.includes('object') && s.additionalProperties !== true && !t.includes('array')) {
      // free-form unions (custom field values) may omit it; plain objects may not
      if (t.filter((x) => x !== 'null').length === 1) out.push(`${path}: object without additionalProperties: true`);
    }
    if (s.additionalProperties !== undefined && s.additionalProperties !== true) {
      out.push(`${path}: additionalProperties must be true`);
    }
    for (const [k, v] of Object.entries(s.properties ?? {})) {
      out.push(...problems(v, `${path}.${k}`, { nullable: true }));
    }
  }
  if (t.includes('array') && s.items !== undefined) {
    if (Array.isArray(s.items)) out.push(`${path}: tuple items`);
    else out.push(...problems(s.items, `${path}[]`, { nullable: false }));
  }
  if (s.required !== undefined && path !== '$') out.push(`${path}: nested required`);
  return out;
}

describe('stream schemas', () => {
  it('exist, and each has a source entry (scripts/schema-sources)', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const name of schemas.keys()) expect(sources.has(name), `${name} has no schema-sources entry`).toBe(true);
  });

  // SQL targets (pipelinewise-target-postgres by default) refuse a stream without key_properties.
  it('give every stream a primary key', () => {
    const keyless = [...schemas.keys()].filter((name) => (sources.get(name)?.primaryKey ?? ['id']).length === 0);
    expect(keyless, 'streams without a primary key').toEqual([]);
    for (const [name, [pk]] of Object.entries(EXPECTED)) expect(pk.length, `${name} expected key`).toBeGreaterThan(0);
    // The descriptor's key is what SCHEMA messages and the catalog carry: the same non-empty key.
    for (const d of ALL_STREAMS) {
      expect(d.primaryKey.length, `${d.name} descriptor has no primary key`).toBeGreaterThan(0);
      expect(d.primaryKey, `${d.name} descriptor key vs schema source`).toEqual(sources.get(d.name)?.primaryKey ?? ['id']);
    }
  });

  it('cover exactly the expected streams, with the expected keys', () => {
    expect([...schemas.keys()].sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const [name, [pk, rk]] of Object.entries(EXPECTED)) {
      const entry = sources.get(name) ?? {};
      expect(entry.primaryKey ?? ['id'], `${name} primary key`).toEqual(pk);
      expect(entry.replicationKey ?? null, `${name} replication key`).toBe(rk);
    }
  });

  // From the committed OAS extract (scripts/oas/), so this runs in any clone.
  it('match `node scripts/derive-schemas.mjs` output', () => {
    const { schemas: built } = buildAll();
    expect([...built.keys()].sort()).toEqual([...schemas.keys()].sort());
    for (const [name, schema] of built) {
      const onDisk = readFileSync(join(STREAMS_DIR, `${name}.json`), 'utf8');
      expect(onDisk, `schemas/streams/${name}.json is stale: run \`node scripts/derive-schemas.mjs\``).toBe(formatSchema(schema));
    }
  }, 60_000);

  describe.each([...schemas.keys()])('%s', (name) => {
    const schema = schemas.get(name)!;
    const entry = sources.get(name) ?? {};
    const pk = entry.primaryKey ?? ['id'];

    it('compiles as draft-07 (ajv, ajv-formats)', () => {
      const ajv = new Ajv({ strict: false, allErrors: true });
      addFormats(ajv);
      expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
      expect(() => ajv.compile(schema)).not.toThrow();
    });

    it('is loader-safe', () => {
      expect(schema.type).toEqual(['null', 'object']);
      expect(schema.additionalProperties).toBe(true);
      expect(schema.properties && Object.keys(schema.properties).length).toBeGreaterThan(0);
      const props = schema.properties!;
      const found: string[] = [];
      for (const k of FORBIDDEN) if (k in schema) found.push(`$: forbidden keyword "${k}"`);
      for (const [k, v] of Object.entries(props)) {
        found.push(...problems(v, `$.${k}`, { nullable: !pk.includes(k) }));
      }
      expect(found).toEqual([]);
    });

    it('has its primary key and replication key as typed scalar properties', () => {
      const props = schema.properties!;
      for (const k of pk) {
        expect(props[k], `primary key ${k}`).toBeDefined();
        const t = types(props[k]);
        expect(t, `primary key ${k} must not be null`).not.toContain('null');
        expect(t.some((x) => x === 'object' || x === 'array'), `primary key ${k} must be a scalar`).toBe(false);
      }
      expect(schema.required ?? []).toEqual(pk);
      if (entry.replicationKey) {
        const rk = props[entry.replicationKey];
        expect(rk, `replication key ${entry.replicationKey}`).toBeDefined();
        const t = types(rk).filter((x) => x !== 'null');
        expect(t.length === 1 && ['string', 'integer', 'number'].includes(t[0]!)).toBe(true);
        if (t[0] === 'string') expect(rk.format).toBe('date-time');
      }
    });

    it('accepts a record of nulls and its keys', () => {
      const ajv = new Ajv({ strict: false });
      addFormats(ajv);
      const validate = ajv.compile(schema);
      const rec: Record<string, unknown> = {};
      for (const k of Object.keys(schema.properties!)) rec[k] = null;
      for (const k of pk) rec[k] = types(schema.properties![k]).includes('integer') ? 1 : '2024-02-06T12:34:56Z';
      rec['some_new_field'] = { anything: [1, 'x'] };
      expect(validate(rec), JSON.stringify(validate.errors)).toBe(true);
    });
  });
});

describe('Zendesk shapes that trip targets', () => {
  it('tickets: custom_fields values are permissive, via is an object, epoch cursor', () => {
    const p = schemas.get('tickets')!.properties!;
    const value = p.custom_fields!.items!.properties!.value!;
    expect(types(value)).toEqual(expect.arrayContaining(['null', 'string', 'number', 'integer', 'boolean', 'array', 'object']));
    expect(types(p.via!)).toContain('object');
    expect(types(p.generated_timestamp!)).toEqual(['null', 'integer']);
    expect(p.metric_set).toBeUndefined();
    for (const k of ['fields', 'email_cc_ids', 'follower_ids', 'followup_ids', 'sharing_agreement_ids', 'from_messaging_channel', 'custom_status_id', 'satisfaction_rating']) {
      expect(p[k], `tickets.${k}`).toBeDefined();
    }
  });

  it('ticket_events: top-level via is a string, timestamp is an integer', () => {
    const p = schemas.get('ticket_events')!.properties!;
    expect(types(p.via!)).toEqual(['null', 'string']);
    expect(types(p.timestamp!)).toEqual(['null', 'integer']);
  });

  it('ticket_comments: via may be an object or a string', () => {
    const p = schemas.get('ticket_comments')!.properties!;
    expect(types(p.via!)).toEqual(expect.arrayContaining(['null', 'object', 'string']));
  });

  it('user_fields / organization_fields are open objects', () => {
    for (const [stream, field] of [['users', 'user_fields'], ['organizations', 'organization_fields']] as const) {
      const f = schemas.get(stream)!.properties![field]!;
      expect(types(f)).toEqual(['null', 'object']);
      expect(f.additionalProperties).toBe(true);
      expect(f.properties).toBeUndefined();
    }
  });
});

describe('generated types', () => {
  it('src/generated is not stale', async () => {
    const expected = await generateTypes();
    expect(expected.size).toBeGreaterThan(0);
    for (const [rel, content] of expected) {
      let actual: string | undefined;
      try {
        actual = readFileSync(join(ROOT, rel), 'utf8');
      } catch {
        actual = undefined;
      }
      expect(actual, `${rel} is missing or stale: run \`npm run gen:types\``).toBe(content);
    }
  }, 60_000);
});
