/**
 * Schema flattening with the Meltano SDK's naming: the properties of a nested
 * object become top-level columns named `parent__child`, down to
 * `flattening_max_depth` levels; objects deeper than that, objects without
 * declared properties and arrays are sent as JSON strings.
 *
 * Unlike the SDK, which keeps `"type": "object"` on a column whose records
 * then hold a JSON string, the flattened SCHEMA declares those columns as
 * strings, so every record matches its SCHEMA (strict targets validate).
 * Records are flattened by the plan the schema produced, so both agree.
 */
import type { JsonSchema } from '../streams/schema-types.js';
import { ConfigError } from '../util/errors.js';

export const SEPARATOR = '__';

/** Which keys of an object are flattened further; any other object or array value becomes JSON. */
export interface FlattenPlan {
  children: Map<string, FlattenPlan>;
}

function types(s: JsonSchema): string[] {
  if (Array.isArray(s.type)) return s.type;
  if (typeof s.type === 'string') return [s.type];
  // anyOf/oneOf: the union of the branches' types.
  const branches = [...((s.anyOf as JsonSchema[] | undefined) ?? []), ...((s.oneOf as JsonSchema[] | undefined) ?? [])];
  return [...new Set(branches.flatMap(types))];
}

function withNull(s: JsonSchema): JsonSchema {
  const t = types(s);
  if (t.length === 0 || t.includes('null')) return s;
  if (s.type === undefined) return { anyOf: [{ type: 'null' }, s] };
  return { ...s, type: [...t, 'null'] };
}

/** A column that holds the JSON text of objects and arrays, and the scalars the property allowed besides. */
function serialised(s: JsonSchema, nullable: boolean): JsonSchema {
  const t = types(s);
  const scalars = t.length === 0 ? [] : t.filter((x) => x !== 'object' && x !== 'array' && x !== 'string');
  const out: JsonSchema = { type: ['string', ...scalars] };
  if (t.length === 0 || nullable || t.includes('null')) out.type = [...new Set([...(out.type as string[]), 'null'])];
  if (s.description) out.description = s.description;
  return out;
}

function flattenable(s: JsonSchema): boolean {
  const t = types(s);
  return t.includes('object') && !t.includes('array') && typeof s.properties === 'object' && s.properties !== null;
}

function holdsJson(s: JsonSchema): boolean {
  const t = types(s);
  return t.length === 0 || t.includes('object') || t.includes('array');
}

function walk(
  props: Record<string, JsonSchema>,
  prefix: string,
  level: number,
  max: number,
  nullable: boolean,
  out: Record<string, JsonSchema>,
  plan: FlattenPlan,
): void {
  for (const [k, s] of Object.entries(props)) {
    const name = prefix + k;
    if (flattenable(s) && level < max) {
      const child: FlattenPlan = { children: new Map() };
      plan.children.set(k, child);
      walk(s.properties!, name + SEPARATOR, level + 1, max, nullable || types(s).includes('null'), out, child);
      continue;
    }
    if (Object.hasOwn(out, name)) throw new ConfigError(`config: flattening makes two columns named "${name}"; rename one with stream_maps first.`);
    out[name] = holdsJson(s) ? serialised(s, nullable) : nullable ? withNull(s) : s;
  }
}

export function flattenSchema(schema: JsonSchema, maxDepth: number): { schema: JsonSchema; plan: FlattenPlan } {
  const plan: FlattenPlan = { children: new Map() };
  const properties: Record<string, JsonSchema> = {};
  walk(schema.properties ?? {}, '', 0, maxDepth, false, properties, plan);
  const out: JsonSchema = { ...schema, properties };
  if (Array.isArray(schema.required)) out.required = schema.required.filter((r) => Object.hasOwn(properties, r));
  return { schema: out, plan };
}

function into(out: Record<string, unknown>, rec: Record<string, unknown>, prefix: string, plan: FlattenPlan): void {
  for (const k in rec) {
    const v = rec[k];
    const child = plan.children.get(k);
    if (child !== undefined) {
      // A null parent leaves its columns out (they read as null); a non-object one is kept as JSON.
      if (v === null || v === undefined) continue;
      if (typeof v === 'object' && !Array.isArray(v)) {
        into(out, v as Record<string, unknown>, prefix + k + SEPARATOR, child);
        continue;
      }
    }
    out[prefix + k] = v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
  }
}

export function flattenRecord(rec: Record<string, unknown>, plan: FlattenPlan): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  into(out, rec, '', plan);
  return out;
}
