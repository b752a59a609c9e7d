#!/usr/bin/env node
/**
 * Regenerates every stream schema in schemas/streams/ (run from anywhere:
 * `node scripts/derive-schemas.mjs`).
 *
 * Inputs
 *  - scripts/oas/zendesk-components.json: the components of Zendesk's Support
 *    OAS 3.0.3 and Webhooks OAS that the sources below use, extracted by
 *    scripts/extract-oas.mjs (the only script that reads the OAS files, so this
 *    one and its test run in a clone with nothing beside it).
 *  - scripts/schema-sources/*.json: one entry per stream (`streams`), and fields
 *    real responses carry that no documentation lists (`observed`: stream ->
 *    field -> {type, description?, source}; added only where the documented
 *    source lacks the field). An entry either names
 *    OAS components (`oas`) plus corrections (`add`, `drop`), or is a
 *    hand-written compact field list (`fields`) for streams without an OAS
 *    source (Talk, Chat, Help Center, and Support resources the OAS lacks).
 *
 * Output: schemas/streams/<stream>.json, normalised to a loader-safe draft-07
 * schema (see normalise() below), pretty-printed with 2 spaces, keys in a fixed
 * order, properties sorted, trailing newline. Same input, same bytes.
 *
 * Compact field notation (used by `fields` and `add`):
 *   "string" | "integer" | "number" | "boolean"   scalar
 *   "date-time" | "date"                          string with that format
 *   "object"                                      object, any keys (no properties)
 *   "array"                                       array of anything
 *   "any"                                         any JSON value
 *   "T[]"                                         array of T (T is any token)
 *   "A|B"                                         union, e.g. "object|string"
 *   "custom_fields"                               [{id: integer, value: any scalar/array/object}]
 *   "$Component"                                  an OAS component (resolved)
 *   "#name"                                       a shared field list from the file's `definitions`
 *   { "field": spec, ... }                        object with these properties
 *   [ spec ]                                      array of spec
 *   { "$type": spec, "$description": "..." }      spec with a description
 */
import { readFileSync, writeFileSync, readdirSync, mkdirSync, existsSync, unlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The committed extract of Zendesk's OAS files (scripts/extract-oas.mjs). */
export const OAS_EXTRACT = join(ROOT, 'scripts/oas/zendesk-components.json');
const SOURCES_DIR = join(ROOT, 'scripts/schema-sources');
const OUT_DIR = join(ROOT, 'schemas/streams');

export const SCHEMA_DIALECT = 'http://json-schema.org/draft-07/schema#';
/** Every JSON type: the value of an untyped / free-form field. */
export const ANY_TYPES = ['null', 'string', 'number', 'integer', 'boolean', 'array', 'object'];
const TYPE_ORDER = ['null', 'string', 'number', 'integer', 'boolean', 'array', 'object'];
const KEEP_FORMATS = new Set(['date-time', 'date']);

// ---------------------------------------------------------------------------
// OAS loading and $ref resolution

function loadOasExtract() {
  if (!existsSync(OAS_EXTRACT)) throw new Error(`missing ${OAS_EXTRACT}: run node scripts/extract-oas.mjs --oas-dir DIR`);
  return JSON.parse(readFileSync(OAS_EXTRACT, 'utf8'));
}

class Oas {
  constructor(docs) {
    /** name -> { doc, schema } ; first document wins on a name clash */
    this.components = new Map();
    for (const doc of docs) {
      for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
        if (!this.components.has(name)) this.components.set(name, { doc, schema });
      }
    }
  }
  /**
   * Replace OAS properties the spec gets wrong, everywhere the component is
   * used: `"Component.prop": <compact spec>` (prop may be a dotted path
   * through `properties`).
   */
  patch(patches) {
    // properties of a schema, looking into inline allOf/anyOf parts too
    const holder = (node, prop) => {
      if (node?.properties?.[prop]) return node;
      for (const part of [...(node?.allOf ?? []), ...(node?.anyOf ?? [])]) {
        if (part.$ref) continue;
        const h = holder(part, prop);
        if (h) return h;
      }
      return undefined;
    };
    for (const [where, spec] of Object.entries(patches)) {
      const [comp, ...path] = where.split('.');
      let node = this.component(comp);
      for (const seg of path.slice(0, -1)) {
        node = holder(node, seg)?.properties[seg];
        if (!node) throw new Error(`oasPatches: ${where} not found`);
      }
      const last = path.at(-1);
      const h = holder(node, last);
      if (!h) throw new Error(`oasPatches: ${where} not found`);
      const description = h.properties[last].description;
      h.properties[last] = { 'x-compact': spec, ...(description ? { description } : {}) };
    }
  }
  component(name) {
    const c = this.components.get(name);
    if (!c) throw new Error(`OAS component ${name} not found (a component new to scripts/schema-sources? run node scripts/extract-oas.mjs --oas-dir DIR)`);
    return c.schema;
  }
  /** Resolve `#/components/schemas/X` refs (only local refs exist in these files). */
  deref(node, seen = []) {
    let cur = node;
    while (cur && typeof cur === 'object' && typeof cur.$ref === 'string') {
      const m = /^#\/components\/schemas\/(.+)$/.exec(cur.$ref);
      if (!m) throw new Error(`unsupported $ref ${cur.$ref}`);
      if (seen.includes(m[1])) return { type: 'object' }; // recursive: stop, keep permissive object
      seen = [...seen, m[1]];
      const { $ref: _drop, ...siblings } = cur;
      const target = this.component(m[1]);
      // OAS 3.0 ignores $ref siblings, but descriptions next to refs are useful.
      cur = Object.keys(siblings).length ? { allOf: [target], ...siblings } : target;
    }
    return { node: cur, seen };
  }
}

// ---------------------------------------------------------------------------
// Flattening: $ref / allOf / anyOf / oneOf -> one plain "intermediate" schema
// { types:Set, format, description, properties:Map, items, writeOnly }

function emptyFlat() {
  return { types: new Set(), format: undefined, description: undefined, properties: new Map(), items: undefined, writeOnly: false, anyValue: false };
}

function flatten(oas, node, seen = []) {
  if (node === true || node === undefined || node === null || (typeof node === 'object' && Object.keys(node).length === 0)) {
    const f = emptyFlat();
    f.anyValue = true;
    return f;
  }
  const r = oas ? oas.deref(node, seen) : { node, seen };
  node = r.node;
  seen = r.seen;
  if (node['x-compact'] !== undefined) {
    // An OAS property replaced by an `oasPatches` entry (compact notation).
    const f = specToFlat(oas, node['x-compact']);
    if (!f.description && typeof node.description === 'string') f.description = node.description;
    return f;
  }
  const f = emptyFlat();
  if (typeof node.description === 'string') f.description = node.description;
  // Request-only fields never appear in records: OAS `writeOnly`, or described as such.
  if (node.writeOnly === true || /^(write only|post requests only)\b/i.test(node.description ?? '')) f.writeOnly = true;
  const types = node.type === undefined ? [] : Array.isArray(node.type) ? node.type : [node.type];
  for (const t of types) f.types.add(t);
  if (node.nullable === true) f.types.add('null');
  if (typeof node.format === 'string') f.format = node.format;
  if (node.properties) {
    for (const [k, v] of Object.entries(node.properties)) f.properties.set(k, flatten(oas, v, seen));
  }
  if (node.items !== undefined) f.items = flatten(oas, node.items, seen);
  if (node.additionalProperties && typeof node.additionalProperties === 'object' && !node.properties) {
    // a map (e.g. custom_headers): keep as free-form object
    f.types.add('object');
  }
  // Composition: allOf parts are merged; anyOf/oneOf alternatives are unioned
  // (properties of every alternative become optional properties).
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    if (!Array.isArray(node[key])) continue;
    for (const part of node[key]) mergeFlat(f, flatten(oas, part, seen));
  }
  // A property shown in the object's own example but in none of its
  // properties (own or composed) is still documented (e.g. TargetObject.url):
  // typed from the example value.
  if (isPlainObject(node.example) && f.properties.size) {
    for (const [k, v] of Object.entries(node.example)) {
      if (!f.properties.has(k)) f.properties.set(k, flatFromValue(v, 'Shown in the OAS example of this object, not among its listed properties'));
    }
  }
  if (!f.types.size && !f.anyValue) {
    if (f.properties.size) f.types.add('object');
    else if (f.items) f.types.add('array');
    else f.anyValue = true; // untyped: any value
  }
  return f;
}

function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The JSON type of an example value; null (or an empty array) says nothing, so any value. */
function flatFromValue(v, description) {
  const f = emptyFlat();
  if (v === null || v === undefined) f.anyValue = true;
  else if (Array.isArray(v)) {
    f.types.add('array');
    f.items = v.length ? flatFromValue(v[0]) : undefined;
  } else if (typeof v === 'number') f.types.add(Number.isInteger(v) ? 'integer' : 'number');
  else if (typeof v === 'boolean' || typeof v === 'string') f.types.add(typeof v);
  else f.types.add('object');
  if (description) f.description = description;
  return f;
}

function mergeFlat(into, from) {
  if (from.anyValue) into.anyValue = true;
  for (const t of from.types) into.types.add(t);
  if (from.format && !into.format) into.format = from.format;
  if (from.description && !into.description) into.description = from.description;
  for (const [k, v] of from.properties) {
    if (into.properties.has(k)) mergeFlat(into.properties.get(k), v);
    else into.properties.set(k, v);
  }
  if (from.items) {
    if (into.items) mergeFlat(into.items, from.items);
    else into.items = from.items;
  }
}

// ---------------------------------------------------------------------------
// Compact field notation -> intermediate

function customFieldsFlat(description) {
  return specToFlat(null, {
    $type: [{ id: 'integer', value: 'string|number|integer|boolean|string[]|object' }],
    $description: description,
  });
}

function specToFlat(oas, spec, defs = {}) {
  if (Array.isArray(spec)) {
    if (spec.length !== 1) throw new Error(`array spec must have one element: ${JSON.stringify(spec)}`);
    const f = emptyFlat();
    f.types.add('array');
    f.items = specToFlat(oas, spec[0], defs);
    return f;
  }
  if (spec && typeof spec === 'object') {
    if ('$type' in spec) {
      const f = specToFlat(oas, spec.$type, defs);
      if (spec.$description) f.description = spec.$description;
      return f;
    }
    const f = emptyFlat();
    f.types.add('object');
    for (const [k, v] of Object.entries(spec)) {
      if (k === '$description') f.description = v;
      else f.properties.set(k, specToFlat(oas, v, defs));
    }
    return f;
  }
  if (typeof spec !== 'string') throw new Error(`bad field spec ${JSON.stringify(spec)}`);
  if (spec.includes('|')) {
    const f = emptyFlat();
    for (const part of spec.split('|')) mergeFlat(f, specToFlat(oas, part, defs));
    return f;
  }
  if (spec.endsWith('[]')) return specToFlat(oas, [spec.slice(0, -2)], defs);
  if (spec.startsWith('#')) {
    const def = defs[spec.slice(1)];
    if (def === undefined) throw new Error(`unknown definition ${spec}`);
    return specToFlat(oas, def, defs);
  }
  if (spec.startsWith('$')) {
    if (!oas) throw new Error(`OAS reference ${spec} needs the OAS`);
    return flatten(oas, { $ref: `#/components/schemas/${spec.slice(1)}` });
  }
  const f = emptyFlat();
  switch (spec) {
    case 'string': case 'integer': case 'number': case 'boolean':
      f.types.add(spec); break;
    case 'date-time': case 'date':
      f.types.add('string'); f.format = spec; break;
    case 'object':
      f.types.add('object'); break;
    case 'array':
      f.types.add('array'); f.items = specToFlat(oas, 'any'); break;
    case 'any':
      f.anyValue = true; break;
    case 'custom_fields':
      return customFieldsFlat();
    default:
      throw new Error(`unknown field type "${spec}"`);
  }
  return f;
}

// ---------------------------------------------------------------------------
// Normalisation: intermediate -> loader-safe JSON schema

function sortTypes(types) {
  return [...types].sort((a, b) => TYPE_ORDER.indexOf(a) - TYPE_ORDER.indexOf(b));
}

/**
 * @param f intermediate schema
 * @param opts.nullable add "null" to the type
 * @param opts.name property name (for the `_at` timestamp heuristic)
 */
function normalise(f, { nullable, name }) {
  const out = {};
  let types;
  if (f.anyValue) types = new Set(ANY_TYPES);
  else types = new Set(f.types);
  if (nullable) types.add('null');
  else types.delete('null');
  const typeList = sortTypes(types);
  out.type = typeList.length === 1 ? typeList[0] : typeList;

  let format = f.format === 'datetime' ? 'date-time' : f.format;
  // Zendesk `*_at` strings are RFC 3339 timestamps even where the OAS omits the format.
  if (!format && name && /_at$/.test(name) && types.has('string') && !f.anyValue) format = 'date-time';
  if (format && KEEP_FORMATS.has(format) && types.has('string') && !f.anyValue) out.format = format;

  if (f.description) {
    const d = f.description.trim().replace(/\s*\n\s*/g, ' ');
    if (d) out.description = d;
  }
  if (types.has('object') && !f.anyValue) {
    out.additionalProperties = true;
    if (f.properties.size) out.properties = normaliseProperties(f.properties, new Set());
  }
  if (types.has('array') && !f.anyValue) {
    const items = f.items ?? specToFlat(null, 'any');
    // Array elements stay non-null unless they are free-form.
    out.items = normalise(items, { nullable: items.anyValue, name: undefined });
  }
  return out;
}

function normaliseProperties(props, pk) {
  const out = {};
  for (const k of [...props.keys()].sort()) {
    const p = props.get(k);
    if (p.writeOnly) continue; // request-only fields never appear in records
    out[k] = normalise(p, { nullable: !pk.has(k), name: k });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Stream entries

/**
 * @typedef {object} StreamSource
 * @property {string[]} [oas]        OAS components merged (allOf-style) into the record
 * @property {string} [oasPath]      dotted path inside the (single) component to the record schema
 * @property {object} [fields]       hand-written compact field list (instead of oas)
 * @property {object} [add]          fields added to / replacing OAS fields
 * @property {string[]} [drop]       OAS fields removed
 * @property {string[]} [primaryKey] default ["id"]
 * @property {string} [replicationKey]
 * @property {string} [note]         why the entry looks the way it does
 * @property {object} [observed]     fields seen in real responses but undocumented (from a file's `observed` map)
 */

export function loadSources() {
  const streams = new Map();
  const patches = [];
  /** stream -> field -> { type, description?, source }: fields real responses carry that no documentation lists */
  const observed = new Map();
  const files = readdirSync(SOURCES_DIR).filter((f) => f.endsWith('.json')).sort();
  for (const file of files) {
    const doc = JSON.parse(readFileSync(join(SOURCES_DIR, file), 'utf8'));
    const product = doc.product;
    if (doc.oasPatches) patches.push(doc.oasPatches);
    for (const [name, fields] of Object.entries(doc.observed ?? {})) {
      for (const [field, o] of Object.entries(fields)) {
        if (!o.source) throw new Error(`${file}: observed ${name}.${field} needs a source`);
        if (!observed.has(name)) observed.set(name, new Map());
        observed.get(name).set(field, o);
      }
    }
    for (const [name, entry] of Object.entries(doc.streams ?? {})) {
      if (streams.has(name)) throw new Error(`stream ${name} defined twice (${file})`);
      streams.set(name, { ...entry, definitions: doc.definitions ?? {}, product, file });
    }
  }
  for (const [name, fields] of observed) {
    if (!streams.has(name)) throw new Error(`observed fields for unknown stream ${name}`);
    streams.get(name).observed = Object.fromEntries(fields);
  }
  return { streams, patches };
}

function pathGet(node, path, oas) {
  let cur = node;
  for (const seg of path.split('.')) {
    cur = oas.deref(cur).node;
    if (seg === 'items') cur = cur.items;
    else if (cur.allOf || cur.anyOf) {
      const hit = [...(cur.allOf ?? []), ...(cur.anyOf ?? [])].map((p) => oas.deref(p).node).find((p) => p[seg] || p.properties?.[seg]);
      cur = hit?.[seg] ?? hit?.properties?.[seg];
    } else cur = cur[seg] ?? cur.properties?.[seg];
    if (cur === undefined) throw new Error(`path ${path} not found`);
  }
  return cur;
}

export function buildStreamSchema(name, entry, oas) {
  const pk = entry.primaryKey ?? ['id'];
  let flat;
  if (entry.oas) {
    flat = emptyFlat();
    flat.types.add('object');
    for (const comp of entry.oas) {
      let node = oas.component(comp);
      if (entry.oasPath) node = pathGet(node, entry.oasPath, oas);
      mergeFlat(flat, flatten(oas, node));
    }
  } else if (entry.fields) {
    flat = specToFlat(oas, entry.fields, entry.definitions);
  } else {
    throw new Error(`stream ${name}: needs "oas" or "fields"`);
  }
  flat.description = undefined;
  for (const d of entry.drop ?? []) {
    if (!flat.properties.has(d)) throw new Error(`stream ${name}: drop of unknown field ${d}`);
    flat.properties.delete(d);
  }
  for (const [k, v] of Object.entries(entry.add ?? {})) {
    const nf = specToFlat(oas, v, entry.definitions);
    const old = flat.properties.get(k);
    if (old && !nf.description && old.description) nf.description = old.description;
    flat.properties.set(k, nf);
  }
  // Observed-only fields fill gaps in the documentation; a documented field always wins.
  for (const [k, o] of Object.entries(entry.observed ?? {})) {
    if (flat.properties.has(k)) {
      console.warn(`stream ${name}: observed field ${k} is now documented; remove it from scripts/schema-sources/observed.json`);
      continue;
    }
    const nf = specToFlat(oas, o.type, entry.definitions);
    nf.description = o.description ?? 'Seen in real responses; not in Zendesk\'s API documentation';
    flat.properties.set(k, nf);
  }
  for (const k of pk) {
    if (!flat.properties.has(k)) throw new Error(`stream ${name}: primary key ${k} not in schema`);
  }
  if (entry.replicationKey && !flat.properties.has(entry.replicationKey)) {
    throw new Error(`stream ${name}: replication key ${entry.replicationKey} not in schema`);
  }
  const schema = {
    $schema: SCHEMA_DIALECT,
    type: ['null', 'object'],
    additionalProperties: true,
  };
  if (pk.length) schema.required = [...pk];
  schema.properties = normaliseProperties(flat.properties, new Set(pk));
  return schema;
}

/** @param {{ oasDocs?: object[] }} [opts] OAS documents to use instead of the committed extract */
export function buildAll(opts = {}) {
  const oas = new Oas(opts.oasDocs ?? [loadOasExtract()]);
  const { streams: sources, patches } = loadSources();
  for (const p of patches) oas.patch(p);
  const out = new Map();
  for (const name of [...sources.keys()].sort()) {
    out.set(name, buildStreamSchema(name, sources.get(name), oas));
  }
  return { schemas: out, sources };
}

/**
 * JSON.stringify(v, null, 2), except that arrays of scalars (type lists,
 * `required`) stay on one line. Deterministic: key order is insertion order,
 * which buildStreamSchema fixes.
 */
export function formatSchema(value) {
  const render = (v, indent) => {
    if (Array.isArray(v)) {
      if (v.every((x) => x === null || typeof x !== 'object')) return `[${v.map((x) => JSON.stringify(x)).join(', ')}]`;
      const inner = indent + '  ';
      return `[\n${v.map((x) => inner + render(x, inner)).join(',\n')}\n${indent}]`;
    }
    if (v && typeof v === 'object') {
      const keys = Object.keys(v);
      if (!keys.length) return '{}';
      const inner = indent + '  ';
      return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${render(v[k], inner)}`).join(',\n')}\n${indent}}`;
    }
    return JSON.stringify(v);
  };
  return render(value, '') + '\n';
}

function main() {
  const { schemas } = buildAll();
  mkdirSync(OUT_DIR, { recursive: true });
  const wanted = new Set([...schemas.keys()].map((n) => `${n}.json`));
  for (const f of readdirSync(OUT_DIR)) {
    if (f.endsWith('.json') && !wanted.has(f)) {
      unlinkSync(join(OUT_DIR, f));
      console.log(`removed stale schemas/streams/${f}`);
    }
  }
  for (const [name, schema] of schemas) {
    writeFileSync(join(OUT_DIR, `${name}.json`), formatSchema(schema));
  }
  console.log(`wrote ${schemas.size} stream schemas to schemas/streams/`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
