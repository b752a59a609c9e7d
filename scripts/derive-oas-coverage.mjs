#!/usr/bin/env node
/**
 * Lists, for every stream whose schema is derived from an OAS object, each
 * property Zendesk's OAS documents for that object, and where it is documented:
 *
 *   node scripts/derive-oas-coverage.mjs [--oas-dir DIR]
 *
 * Output: test/fixtures/oas-documented-properties.json, read by
 * test/schema-coverage.test.ts (which checks every listed property is in the
 * stream's schema) and test/replay.test.ts (the OAS response examples, replayed
 * through the tap). Committed, so those tests run in a clone with nothing
 * beside it; this script is the only part that reads the OAS files
 * (DIR: --oas-dir or ZENDESK_OAS_DIR; the project's shared zendesk-oas folder).
 *
 * Deliberately independent of derive-schemas.mjs (its own walk of the OAS), so
 * the test cross-checks the derivation instead of repeating it. A property is
 * documented when it appears
 *  - in `properties` of the object, or of anything it composes ($ref, allOf,
 *    anyOf, oneOf): "properties";
 *  - in the object's own `example`: "example";
 *  - in a record of a response example of an operation whose response wraps the
 *    object (`{groups: [GroupObject]}`): "response example <METHOD> <path>".
 * Request-only properties (OAS `writeOnly`, or described as write only / POST
 * requests only) never appear in records and are listed with `writeOnly: true`.
 */
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { sourceDir } from './source-dir.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES_DIR = join(ROOT, 'scripts/schema-sources');
const OUT = join(ROOT, 'test/fixtures/oas-documented-properties.json');
const FILES = ['support-oas.yaml', 'webhooks-oas.yaml'];

const OAS_DIR = sourceDir('--oas-dir', 'ZENDESK_OAS_DIR', 'derive-oas-coverage');

const docs = FILES.map((f) => ({ file: f, doc: YAML.parse(readFileSync(join(OAS_DIR, f), 'utf8'), { version: '1.2', maxAliasCount: -1 }) }));
/** name -> { schema, file }; the first file wins a name clash (as derive-schemas does). */
const comps = new Map();
for (const { file, doc } of docs) for (const [n, s] of Object.entries(doc.components?.schemas ?? {})) if (!comps.has(n)) comps.set(n, { schema: s, file });
const refName = (node) => /^#\/components\/schemas\/(.+)$/.exec(node?.$ref ?? '')?.[1];
const writeOnly = (node) => node?.writeOnly === true || /^(write only|post requests only)\b/i.test(node?.description ?? '');

/** property -> { from, writeOnly } of a schema node, through composition. */
function documented(node, out = new Map(), seen = new Set()) {
  if (!node || typeof node !== 'object') return out;
  const r = refName(node);
  if (r) {
    if (seen.has(r)) return out;
    seen.add(r);
    return documented(comps.get(r)?.schema, out, seen);
  }
  for (const [k, v] of Object.entries(node.properties ?? {})) {
    const prev = out.get(k);
    // A property is request-only only if every part that lists it says so.
    out.set(k, { from: 'properties', writeOnly: (prev ? prev.writeOnly : true) && writeOnly(v) });
  }
  for (const key of ['allOf', 'anyOf', 'oneOf']) for (const part of node[key] ?? []) documented(part, out, seen);
  if (node.example && typeof node.example === 'object' && !Array.isArray(node.example)) {
    for (const k of Object.keys(node.example)) if (!out.has(k)) out.set(k, { from: 'example', writeOnly: false });
  }
  return out;
}

function pathGet(node, path) {
  let cur = node;
  for (const seg of path.split('.')) {
    while (refName(cur)) cur = comps.get(refName(cur)).schema;
    if (seg === 'items') cur = cur.items;
    else {
      const parts = [cur, ...(cur.allOf ?? []), ...(cur.anyOf ?? [])].map((p) => (refName(p) ? comps.get(refName(p)).schema : p));
      cur = parts.map((p) => p.properties?.[seg]).find(Boolean);
    }
    if (!cur) throw new Error(`path ${path} not found`);
  }
  return cur;
}

/** [wrapper property, is array, component] of a response schema. */
function wrappers(node, seen = new Set()) {
  const r = refName(node);
  if (r) {
    if (seen.has(r)) return [];
    seen.add(r);
    return wrappers(comps.get(r)?.schema, seen);
  }
  const out = [];
  for (const [k, v] of Object.entries(node?.properties ?? {})) {
    if (refName(v)) out.push([k, false, refName(v)]);
    else if (refName(v.items)) out.push([k, true, refName(v.items)]);
  }
  for (const p of node?.allOf ?? []) out.push(...wrappers(p, seen));
  return out;
}

/** component -> [{ operation, records }] from every response example. */
const examples = new Map();
for (const { doc } of docs) {
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item)) {
      for (const resp of Object.values(op?.responses ?? {})) {
        const c = resp.content?.['application/json'];
        if (!c?.schema) continue;
        const ws = wrappers(c.schema);
        const values = Object.values(c.examples ?? {}).map((ex) => (ex.$ref ? doc.components.examples?.[ex.$ref.split('/').pop()]?.value : ex.value));
        if (c.example) values.push(c.example);
        for (const v of values) {
          if (!v || typeof v !== 'object') continue;
          for (const [prop, isArray, comp] of ws) {
            const val = v[prop];
            const records = isArray ? (Array.isArray(val) ? val : []) : val && typeof val === 'object' && !Array.isArray(val) ? [val] : [];
            if (!records.length) continue;
            if (!examples.has(comp)) examples.set(comp, []);
            examples.get(comp).push({ operation: `${method.toUpperCase()} ${path}`, operationId: op.operationId, wrapper: prop, records });
          }
        }
      }
    }
  }
}

const streams = {};
for (const f of readdirSync(SOURCES_DIR).filter((x) => x.endsWith('.json')).sort()) {
  const doc = JSON.parse(readFileSync(join(SOURCES_DIR, f), 'utf8'));
  for (const [name, entry] of Object.entries(doc.streams ?? {})) {
    if (!entry.oas) continue;
    const props = new Map();
    const responseExamples = [];
    for (const comp of entry.oas) {
      let node = { $ref: `#/components/schemas/${comp}` };
      if (entry.oasPath) node = pathGet(node, entry.oasPath);
      documented(node, props);
      if (entry.oasPath) continue; // examples wrap the whole component, not the nested record
      for (const ex of examples.get(comp) ?? []) {
        responseExamples.push({ operation: ex.operation, operationId: ex.operationId, wrapper: ex.wrapper, records: ex.records });
        for (const rec of ex.records) for (const k of Object.keys(rec)) if (!props.has(k)) props.set(k, { from: `response example ${ex.operation}`, writeOnly: false });
      }
    }
    streams[name] = {
      product: doc.product,
      components: entry.oas,
      ...(entry.oasPath ? { oasPath: entry.oasPath } : {}),
      properties: Object.fromEntries([...props.keys()].sort().map((k) => [k, props.get(k).writeOnly ? { from: props.get(k).from, writeOnly: true } : { from: props.get(k).from }])),
      responseExamples,
    };
  }
}

mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(
  OUT,
  `${JSON.stringify(
    {
      $comment: 'Generated by scripts/derive-oas-coverage.mjs from Zendesk OpenAPI files; do not edit. Properties each OAS-derived stream documents, and the OAS response examples of its objects.',
      source: FILES.map((f) => `${f} (Zendesk Support/Webhooks OAS; provenance: see the OAS README the files came with)`),
      streams,
    },
    null,
    1,
  )}\n`,
);
console.log(`wrote ${Object.keys(streams).length} streams to ${OUT.slice(ROOT.length + 1)}`);
