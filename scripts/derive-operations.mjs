#!/usr/bin/env node
/**
 * Derives the table of Zendesk's documented API operations that
 * test/conformance.test.ts checks every request of the tap against:
 *
 *   node scripts/derive-operations.mjs [--oas-dir DIR]
 *
 * Output: test/fixtures/zendesk-operations.json, committed, so the test runs in
 * a clone with nothing beside it; this script is the only part that reads
 * Zendesk's files (DIR: --oas-dir or ZENDESK_OAS_DIR; the project's shared zendesk-oas folder).
 *
 * Sources, merged per method + path template:
 *  - support-oas.yaml and webhooks-oas.yaml (Zendesk's OAS): every operation,
 *    its query parameters (path-level and operation-level, `$ref`s resolved),
 *    and what its description documents in prose: `#### Pagination` (cursor:
 *    page[size]/page[after]/page[before]; offset: page/per_page), `#### Filters`
 *    tables, `#### Sideloading` (include);
 *  - developer-docs-ticketing-crawl.md (the reference pages as text): the same
 *    facts for each `### Title` section with a `- \`GET /path\`` line, which adds
 *    what the OAS leaves out (per_page of the incremental exports, for one);
 *  - scripts/operation-sources/other-products.json: Help Center, Talk and Chat,
 *    which neither file covers (the crawl is of the ticketing reference only),
 *    transcribed from Zendesk's public Help Center and Talk OAS and Chat reference,
 *    each operation naming its source.
 *
 * Each parameter gets a value format the test checks: `epoch` (Unix seconds),
 * `epoch_us` (microseconds), `iso` (ISO 8601), `integer` (with min/max),
 * `boolean`, `enum` (values), or `string` (anything).
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { sourceDir } from './source-dir.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'test/fixtures/zendesk-operations.json');
const OTHER = join(ROOT, 'scripts/operation-sources/other-products.json');
const OAS_DIR = sourceDir('--oas-dir', 'ZENDESK_OAS_DIR', 'derive-operations');
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
/** Zendesk's pagination page: cursor `page[size]` "up to 100", offset `per_page` "up to 100". */
const PAGING_DOC = 'https://developer.zendesk.com/api-reference/introduction/pagination/';
const PAGE_MAX = 100;

/** `/api/v2/tickets/{ticket_id}.json` -> `/api/v2/tickets/{}`: templates compare without names or suffix. */
export function templateKey(path) {
  return path.replace(/\.json(?=$|\/|\?)/g, '').replace(/\{[^}]*\}/g, '{}').replace(/\/+$/, '');
}

const num = (s) => Number(String(s).replace(/,/g, ''));

/** The value format a parameter's schema and description document. */
function formatOf(name, schema = {}, description = '') {
  const d = description ?? '';
  const enumValues = schema.enum ?? schema.items?.enum;
  if (enumValues && schema.type !== 'array') return { format: 'enum', values: enumValues.map(String) };
  if (/microsecond/i.test(d)) return { format: 'epoch_us' };
  if (schema.format === 'date-time' || /ISO[ -]?8601/i.test(d)) return { format: 'iso' };
  if (/epoch|unix/i.test(d) || (/(^|_)time$/.test(name) && ['integer', 'number'].includes(schema.type))) return { format: 'epoch' };
  if (schema.type === 'integer' || schema.type === 'number') {
    const out = { format: 'integer' };
    if (schema.minimum !== undefined) out.minimum = schema.minimum;
    const max = schema.maximum ?? maxFromText(d);
    if (max !== undefined) out.maximum = max;
    return out;
  }
  if (schema.type === 'boolean') return { format: 'boolean' };
  // "One of `id`, `updated_at`, `-id`, or `-updated_at`" / 'Possible values are "a", "b"'.
  const listed = /\b(one of|possible values are|can take value)\b/i.test(d) ? [...d.matchAll(/[`"](-?\w+)[`"]/g)].map((m) => m[1]) : [];
  if (listed.length >= 2) return { format: 'enum', values: [...new Set(listed)] };
  return { format: 'string' };
}

function maxFromText(d) {
  const m = /(?:up to|maximum(?: allowed value is| of)?|max(?:imum)?)\s+(?:a maximum of\s+)?([\d,]+)/i.exec(d ?? '');
  return m ? num(m[1]) : undefined;
}

/** Parameters an operation's prose documents: pagination styles, filter tables, side-loads. */
function fromProse(text, source) {
  const params = {};
  const t = text ?? '';
  const section = (title) => {
    const m = new RegExp(`#{3,5}\\s*(?:\\[\\]\\(#[^)]*\\)\\s*)?${title}[^\\n]*\\n([\\s\\S]*?)(?=\\n#{1,5}\\s|$)`, 'i').exec(t);
    return m ? m[1] : undefined;
  };
  const paging = section('Pagination');
  if (paging) {
    const perPage = /maximum of ([\d,]+) records per page/i.exec(t);
    const max = perPage ? num(perPage[1]) : PAGE_MAX;
    const src = `${source} (Pagination; ${PAGING_DOC})`;
    if (/cursor pagination/i.test(paging)) {
      params['page[size]'] = { format: 'integer', minimum: 1, maximum: max, source: src };
      params['page[after]'] = { format: 'string', source: src };
      params['page[before]'] = { format: 'string', source: src };
    }
    if (/offset pagination/i.test(paging)) {
      params.page = { format: 'integer', minimum: 1, source: src };
      params.per_page = { format: 'integer', minimum: 1, maximum: max, source: src };
    }
  }
  const filters = section('Filters');
  if (filters) {
    for (const row of filters.matchAll(/^\|\s*([a-z_[\]]+)\s*\|\s*([^\n]*?)\s*\|?\s*$/gim)) {
      const [, name, value] = row;
      if (/^-+$/.test(name) || name.toLowerCase() === 'parameter') continue;
      const values = /epoch/i.test(value) ? undefined : value.replace(/\\_/g, '_').split(/,|<br\/>/).map((s) => s.trim()).filter(Boolean);
      params[name] = values && values.length > 1 ? { format: 'enum', values, source: `${source} (Filters)` } : { ...formatOf(name, {}, value), source: `${source} (Filters)` };
    }
  }
  const side = section('Side-?loading');
  if (side) {
    const only = [...(side ?? '').matchAll(/supports the `(\w+)` sideload/gi)].map((m) => m[1]);
    params.include = only.length ? { format: 'enum', values: only, list: true, source: `${source} (Sideloading)` } : { format: 'string', source: `${source} (Sideloading)` };
  }
  return params;
}

const operations = new Map();
function op(method, path, product) {
  const key = `${method} ${templateKey(path)}`;
  if (!operations.has(key)) operations.set(key, { method, path: templateKey(path), product, sources: [], params: {} });
  return operations.get(key);
}
/** A later source adds parameters; where two document the same one, the first (the OAS) keeps its format. */
function addParams(o, params) {
  for (const [n, p] of Object.entries(params)) if (!o.params[n]) o.params[n] = p;
}

// --- OAS -------------------------------------------------------------------
function readOas(file, prefix) {
  const doc = YAML.parse(readFileSync(join(OAS_DIR, file), 'utf8'), { version: '1.2', maxAliasCount: -1 });
  const deref = (p) => {
    const m = /^#\/components\/parameters\/(.+)$/.exec(p?.$ref ?? '');
    return m ? doc.components.parameters[m[1]] : p;
  };
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const o = item[method];
      if (!o) continue;
      const src = `${file} ${o.operationId}`;
      const rec = op(method.toUpperCase(), prefix + path, 'support');
      rec.sources.push(src);
      const params = {};
      for (const raw of [...(item.parameters ?? []), ...(o.parameters ?? [])]) {
        const p = deref(raw);
        if (p?.in !== 'query') continue;
        params[p.name] = { ...formatOf(p.name, p.schema, p.description), ...(p.required ? { required: true } : {}), source: src };
      }
      addParams(rec, params);
      addParams(rec, fromProse(o.description, src));
    }
  }
}
readOas('support-oas.yaml', '');
readOas('webhooks-oas.yaml', '/api/v2');

// --- docs crawl --------------------------------------------------------------
const crawl = readFileSync(join(OAS_DIR, 'developer-docs-ticketing-crawl.md'), 'utf8');
for (const page of crawl.split(/^# (?=https:\/\/)/m).slice(1)) {
  const url = page.slice(0, page.indexOf(' '));
  /** anchor -> its operations, for the page-wide parameter lists below. */
  const byAnchor = new Map();
  let pageWide;
  for (const sec of page.split(/^### /m).slice(1)) {
    const head = /^\[\]\(#([^)]*)\)\s*(.*)/.exec(sec);
    if (!head) continue;
    const source = `crawl ${url}#${head[1]} (${head[2].trim()})`;
    if (head[1] === 'query-string-parameters') pageWide = { sec, source };
    const endpoints = [...sec.matchAll(/^- `(GET|POST|PUT|PATCH|DELETE) (\/api\/v2\/[^`?\s]*)(?:\?([^`]*))?`/gm)];
    if (!endpoints.length) continue;
    const params = {};
    for (const row of sec.matchAll(/^\|\s*([\w[\]]+)\s*\|\s*(\w+)\s*\|\s*Query\s*\|\s*(true|false)\s*\|\s*(.*?)\s*\|\s*$/gm)) {
      const [, name, type, required, description] = row;
      params[name] = { ...formatOf(name, { type }, description), ...(required === 'true' ? { required: true } : {}), source };
    }
    Object.assign(params, { ...fromProse(sec, source), ...params });
    const recs = [];
    for (const [, method, path, query] of endpoints) {
      const rec = op(method, path, 'support');
      rec.sources.push(source);
      recs.push(rec);
      const inline = {};
      for (const m of (query ?? '').matchAll(/([\w[\]]+)=/g)) if (!params[m[1]]) inline[m[1]] = { ...formatOf(m[1], {}, ''), source };
      addParams(rec, { ...params, ...inline });
    }
    byAnchor.set(head[1], recs);
  }
  // The incremental exports page documents some parameters once for the whole page
  // ("| per_page | no | ... up to a maximum of 1,000 ..."), each with a "#### per_page"
  // subsection listing the exports that support it.
  if (pageWide) {
    for (const row of pageWide.sec.matchAll(/^\|\s*([\w[\]]+)\s*\|\s*(yes|no|[\w ]+ only)\s*\|\s*(.*?)\s*\|\s*$/gm)) {
      const [, name, , comment] = row;
      const sub = new RegExp(`#### \\[\\]\\(#${name.replace(/[[\]]/g, '\\$&')}\\)[^\\n]*\\n([\\s\\S]*?)(?=\\n#### |$)`).exec(pageWide.sec);
      if (!sub) continue;
      const anchors = [...sub[1].matchAll(/^- \[[^\]]*\]\(#([^)]+)\)/gm)].map((m) => m[1]);
      const format = formatOf(name, name === 'per_page' ? { type: 'integer' } : {}, comment);
      if (format.format === 'integer' && format.maximum !== undefined) format.minimum = 1;
      for (const a of anchors) for (const rec of byAnchor.get(a) ?? []) {
        // The page-wide entry carries the documented range; a per-operation row may only say "integer".
        const mine = rec.params[name];
        if (!mine || (mine.format === format.format && mine.maximum === undefined)) rec.params[name] = { ...format, source: `${pageWide.source}, #${name}` };
      }
    }
  }
}

// --- Help Center, Talk, Chat ---------------------------------------------------
const other = JSON.parse(readFileSync(OTHER, 'utf8'));
for (const o of other.operations) {
  const rec = op(o.method, o.path, o.product);
  rec.sources.push(o.source);
  addParams(rec, Object.fromEntries(Object.entries(o.params ?? {}).map(([n, p]) => [n, { ...p, source: p.source ?? o.source }])));
  // `paging` names the documented styles, written out as Zendesk's pagination page gives them.
  if (o.paging?.length) addParams(rec, fromProse(`#### Pagination\n${o.paging.map((style) => `* ${style === 'cursor' ? 'Cursor' : 'Offset'} pagination\n`).join('')}`, o.source));
}

const list = [...operations.values()].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
const params = list.reduce((n, o) => n + Object.keys(o.params).length, 0);
const out = {
  $comment: 'Generated by scripts/derive-operations.mjs from Zendesk\'s OAS (support-oas.yaml, webhooks-oas.yaml), the ticketing docs crawl and scripts/operation-sources/other-products.json. Do not edit by hand.',
  operations: list.map((o) => ({ method: o.method, path: o.path, product: o.product, sources: [...new Set(o.sources)], params: Object.fromEntries(Object.entries(o.params).sort(([a], [b]) => a.localeCompare(b))) })),
};
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, JSON.stringify(out, null, 1) + '\n');
console.error(`${list.length} operations, ${params} query parameters -> ${OUT}`);
