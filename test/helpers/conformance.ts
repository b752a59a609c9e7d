/**
 * Checks captured requests against Zendesk's documented operations
 * (test/fixtures/zendesk-operations.json, made by scripts/derive-operations.mjs)
 * plus the short allowlist (test/fixtures/request-allowlist.json), whose every
 * entry cites a public source showing the real API does what it allows.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type Format = 'epoch' | 'epoch_us' | 'iso' | 'integer' | 'boolean' | 'enum' | 'string';

export interface ParamSpec {
  format: Format;
  values?: string[];
  /** Comma-separated list of `values` (include=a,b). */
  list?: boolean;
  minimum?: number;
  maximum?: number;
  required?: boolean;
  source?: string;
}

export interface Operation {
  method: string;
  path: string;
  product?: string;
  sources: string[];
  params: Record<string, ParamSpec>;
  /** Set on operations and parameters that only the allowlist documents. */
  allowlisted?: boolean;
}

export interface AllowEntry {
  method: string;
  path: string;
  params: Record<string, ParamSpec>;
  source: string;
  why: string;
}

export interface CapturedRequest {
  method: string;
  path: string;
  query: Array<[string, string]>;
}

export type FindingKind = 'undocumented path' | 'undocumented parameter' | 'bad format';

export interface Finding {
  kind: FindingKind;
  /** method + template (+ parameter): one finding however many requests repeat it. */
  key: string;
  detail: string;
  example: string;
  count: number;
}

const fixture = (name: string): unknown => JSON.parse(readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)), 'utf8'));

export function loadOperations(): Operation[] {
  return (fixture('zendesk-operations.json') as { operations: Operation[] }).operations;
}

export function loadAllowlist(): AllowEntry[] {
  return (fixture('request-allowlist.json') as { entries: AllowEntry[] }).entries;
}

/** Same normalisation as the derivation: no `.json`, no trailing slash, placeholders unnamed. */
export function normalise(path: string): string {
  return path.replace(/\.json(?=$|\/)/g, '').replace(/\/+$/, '').replace(/\{[^}]*\}/g, '{}') || '/';
}

/** The documented operations with the allowlist merged in (entries marked `allowlisted`). */
export function withAllowlist(ops: Operation[], allow: AllowEntry[]): Operation[] {
  const out = ops.map((o) => ({ ...o, params: { ...o.params } }));
  for (const a of allow) {
    const path = normalise(a.path);
    let o = out.find((x) => x.method === a.method && x.path === path);
    if (!o) {
      o = { method: a.method, path, sources: [], params: {}, allowlisted: true };
      out.push(o);
    }
    o.sources = [...o.sources, `allowlist: ${a.source}`];
    for (const [n, p] of Object.entries(a.params)) o.params[n] = { ...p, source: `allowlist: ${a.source}` };
  }
  return out;
}

/** The operation a concrete path belongs to: same method and segments, the most literal match winning. */
export function matchOperation(ops: Operation[], method: string, rawPath: string): Operation | undefined {
  const parts = normalise(rawPath).split('/');
  let best: Operation | undefined;
  let bestScore = -1;
  for (const o of ops) {
    if (o.method !== method) continue;
    const t = o.path.split('/');
    if (t.length !== parts.length) continue;
    let score = 0;
    let ok = true;
    for (let i = 0; i < t.length; i++) {
      if (t[i] === parts[i]) score++;
      else if (t[i] !== '{}' || parts[i] === '') {
        ok = false;
        break;
      }
    }
    if (ok && score > bestScore) {
      best = o;
      bestScore = score;
    }
  }
  return best;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Why a value does not have the documented format, or undefined when it does. */
export function formatProblem(value: string, p: ParamSpec): string | undefined {
  switch (p.format) {
    case 'epoch':
      // Seconds: at most 10 digits until the year 2286; milli- or microseconds have 13-16.
      return /^\d{1,10}$/.test(value) ? undefined : 'not Unix epoch seconds';
    case 'epoch_us':
      return /^\d{13,16}$/.test(value) || value === '0' ? undefined : 'not Unix epoch microseconds';
    case 'iso':
      return ISO.test(value) ? undefined : 'not an ISO 8601 time';
    case 'boolean':
      return value === 'true' || value === 'false' ? undefined : 'not true/false';
    case 'integer': {
      if (!/^-?\d+$/.test(value)) return 'not an integer';
      const n = Number(value);
      if (p.minimum !== undefined && n < p.minimum) return `below the documented minimum ${p.minimum}`;
      if (p.maximum !== undefined && n > p.maximum) return `above the documented maximum ${p.maximum}`;
      return undefined;
    }
    case 'enum': {
      const vs = p.list ? value.split(',') : [value];
      const bad = vs.filter((v) => !p.values!.includes(v));
      return bad.length ? `${bad.join(',')} is not one of ${p.values!.join(', ')}` : undefined;
    }
    default:
      return undefined;
  }
}

/** Every offending request, one finding per template (+ parameter) and kind. */
export function check(requests: CapturedRequest[], ops: Operation[]): Finding[] {
  const found = new Map<string, Finding>();
  const add = (kind: FindingKind, key: string, detail: string, r: CapturedRequest): void => {
    const k = `${kind} ${key}`;
    const f = found.get(k);
    if (f) f.count++;
    else found.set(k, { kind, key, detail, example: describe(r), count: 1 });
  };
  for (const r of requests) {
    const o = matchOperation(ops, r.method, r.path);
    if (!o) {
      // Ids vary per request: one finding per path shape.
      const shape = normalise(r.path).split('/').map((s) => (/^\d+$|^[0-9A-Za-z]{20,}$/.test(s) ? '{}' : s)).join('/');
      add('undocumented path', `${r.method} ${shape}`, 'no documented operation', r);
      continue;
    }
    for (const [name, value] of r.query) {
      const p = o.params[name];
      if (!p) {
        add('undocumented parameter', `${o.method} ${o.path} ${name}`, `not documented for ${o.sources.join('; ')}`, r);
        continue;
      }
      const why = formatProblem(value, p);
      if (why) add('bad format', `${o.method} ${o.path} ${name}`, `${name}=${value}: ${why} (${p.source ?? o.sources[0]})`, r);
    }
  }
  return [...found.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.key.localeCompare(b.key));
}

export function describe(r: CapturedRequest): string {
  const q = new URLSearchParams(r.query).toString();
  return `${r.method} ${r.path}${q ? `?${decodeURIComponent(q)}` : ''}`;
}

export function report(findings: Finding[]): string {
  return findings.map((f) => `${f.kind}: ${f.key} — ${f.detail} (${f.count}x, e.g. ${f.example})`).join('\n');
}

/** Allowlist entries (and their parameters) no captured request needed: stale, to be removed. */
export function unusedAllowances(requests: CapturedRequest[], documented: Operation[], allow: AllowEntry[]): string[] {
  const merged = withAllowlist(documented, allow);
  const unused: string[] = [];
  for (const a of allow) {
    const path = normalise(a.path);
    const hits = requests.filter((r) => {
      const o = matchOperation(merged, r.method, r.path);
      return o?.method === a.method && o.path === path;
    });
    const pathNeeded = !documented.some((o) => o.method === a.method && o.path === path);
    if (pathNeeded && hits.length === 0) unused.push(`${a.method} ${a.path}`);
    const base = documented.find((o) => o.method === a.method && o.path === path);
    for (const n of Object.keys(a.params)) {
      if (base?.params[n]) unused.push(`${a.method} ${a.path} ${n} (now documented)`);
      else if (!pathNeeded && !hits.some((r) => r.query.some(([k]) => k === n))) unused.push(`${a.method} ${a.path} ${n}`);
    }
  }
  return unused;
}
