/**
 * `custom_fields_as_columns`: one typed column per active custom field on
 * tickets, users and organizations, filled in every record (null when unset),
 * so warehouses get real columns instead of an [{id, value}] array.
 */
import type { ZendeskClient } from '../http/client.js';
import type { JsonObject } from '../core/events.js';
import type { JsonSchema } from './schema-types.js';
import { log } from '../util/log.js';

interface FieldSource {
  stream: 'tickets' | 'users' | 'organizations';
  path: string;
  key: string;
}

const SOURCES: FieldSource[] = [
  { stream: 'tickets', path: '/api/v2/ticket_fields', key: 'ticket_fields' },
  { stream: 'users', path: '/api/v2/user_fields', key: 'user_fields' },
  { stream: 'organizations', path: '/api/v2/organization_fields', key: 'organization_fields' },
];

export interface CustomColumn {
  column: string;
  /** Ticket fields are matched by id in `custom_fields`; user and organization fields by key. */
  fieldId: number;
  fieldKey: string | undefined;
  schema: JsonSchema;
}

export type CustomColumns = Map<string, CustomColumn[]>;

/** Zendesk field type -> loader-safe JSON Schema. Unknown types stay permissive. */
function columnSchema(type: string): JsonSchema {
  switch (type) {
    case 'integer':
    case 'lookup':
      return { type: ['null', 'integer'] };
    case 'decimal':
      return { type: ['null', 'number'] };
    case 'checkbox':
      return { type: ['null', 'boolean'] };
    case 'date':
      return { type: ['null', 'string'], format: 'date' };
    case 'multiselect':
      return { type: ['null', 'array'], items: { type: ['null', 'string'] } };
    case 'text':
    case 'textarea':
    case 'regexp':
    case 'partialcreditcard':
    case 'dropdown':
    case 'tagger':
      return { type: ['null', 'string'] };
    default:
      return { type: ['null', 'string', 'number', 'integer', 'boolean', 'array', 'object'] };
  }
}

/** lowercase, [a-z0-9_], not starting with a digit, prefixed so it never hides a built-in column. */
export function columnName(label: string): string {
  const slug = label
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 55);
  return `custom_${slug || 'field'}`;
}

export async function loadCustomColumns(client: ZendeskClient): Promise<CustomColumns> {
  const out: CustomColumns = new Map();
  for (const src of SOURCES) {
    const fields: JsonObject[] = [];
    let after: string | undefined;
    for (let guard = 0; guard < 100; guard++) {
      const res = await client.get(src.path, { 'page[size]': 100, ...(after ? { 'page[after]': after } : {}) }, { bucket: 'account', stream: src.key, passStatuses: [403, 404] });
      if (res.status !== 200) {
        log.warn(`custom_fields_as_columns: cannot read ${src.key} (HTTP ${res.status}); ${src.stream} keep only custom_fields`);
        break;
      }
      const body = (res.body ?? {}) as JsonObject;
      fields.push(...((body[src.key] as JsonObject[] | undefined) ?? []));
      const meta = (body.meta ?? {}) as JsonObject;
      if (meta.has_more !== true || typeof meta.after_cursor !== 'string') break;
      after = meta.after_cursor;
    }
    const used = new Set<string>();
    const columns: CustomColumn[] = [];
    for (const f of fields) {
      // System ticket fields (subject, status...) are not removable and already are columns.
      if (f.active === false || (src.stream === 'tickets' && f.removable === false)) continue;
      const key = typeof f.key === 'string' && f.key ? f.key : undefined;
      let column = columnName(key ?? String(f.title ?? f.raw_title ?? f.id));
      if (used.has(column)) column = `${column}_${String(f.id)}`;
      used.add(column);
      columns.push({ column, fieldId: Number(f.id), fieldKey: key, schema: columnSchema(String(f.type ?? '')) });
    }
    out.set(src.stream, columns);
  }
  return out;
}

export function extendSchema(schema: JsonSchema, columns: CustomColumn[] | undefined): JsonSchema {
  if (!columns?.length) return schema;
  const properties = { ...(schema.properties ?? {}) };
  for (const c of columns) properties[c.column] = c.schema;
  return { ...schema, properties };
}

export function columnFiller(stream: string, columns: CustomColumn[] | undefined): ((r: JsonObject) => JsonObject) | undefined {
  if (!columns?.length) return undefined;
  if (stream === 'tickets') {
    return (r) => {
      const byId = new Map<number, unknown>();
      for (const cf of (r.custom_fields as JsonObject[] | undefined) ?? []) byId.set(Number(cf.id), cf.value);
      const out: JsonObject = { ...r };
      for (const c of columns) out[c.column] = normalise(byId.get(c.fieldId), c.schema);
      return out;
    };
  }
  const bag = stream === 'users' ? 'user_fields' : 'organization_fields';
  return (r) => {
    const values = (r[bag] as JsonObject | undefined) ?? {};
    const out: JsonObject = { ...r };
    for (const c of columns) out[c.column] = normalise(c.fieldKey ? values[c.fieldKey] : undefined, c.schema);
    return out;
  };
}

/** Zendesk returns numbers of integer/decimal fields as strings on tickets: cast where the column is typed. */
function normalise(value: unknown, schema: JsonSchema): unknown {
  if (value === undefined || value === null || value === '') return null;
  const types = schema.type as string[];
  if ((types.includes('integer') || types.includes('number')) && typeof value === 'string') {
    const n = Number(value);
    return Number.isFinite(n) ? (types.includes('integer') ? Math.trunc(n) : n) : null;
  }
  if (types.includes('boolean') && typeof value === 'string') return value === 'true';
  if (types.length === 2 && types.includes('string') && typeof value !== 'string') return typeof value === 'object' ? JSON.stringify(value) : String(value);
  return value;
}
