/**
 * A Singer consumer as strict as the strictest common targets
 * (pipelinewise-target-postgres and target-snowflake with their default
 * settings): it loads nothing, it only lists what such a target would refuse,
 * drop silently, or get wrong on a resume.
 *
 * - SCHEMA: `key_properties` non-empty, every key declared, non-nullable and
 *   scalar; every bookmark property declared; the schema compiles.
 * - RECORD: after a SCHEMA of its stream; every key field present and not
 *   null; valid against the LAST SCHEMA of its stream (ajv, with date-times
 *   checked as strict RFC 3339, as those targets' format checkers do); and any
 *   field the schema does not declare (recursively, in every nested object
 *   whose schema declares properties) is reported, `additionalProperties:
 *   false` style: a target drops such a column silently.
 * - STATE: a bookmark written or changed by this run belongs to a stream that
 *   has a SCHEMA; every record is followed by a STATE; and, for the streams
 *   the caller names as read in replication-key order (server-side filtered
 *   exports), the bookmark covers every record emitted before it and no record
 *   emitted after it is older than it (a resume from that STATE would never
 *   read such a record again: it would be lost on a crash).
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Message } from './tap.js';

export interface Violation {
  stream: string;
  rule: string;
  /** Field path inside the record (`$.a.b[]`), when the rule is about a field. */
  path?: string;
  detail: string;
}

export interface StrictOptions {
  /** The state the run started from (the value of a STATE message): its bookmarks are not this run's. */
  initialState?: Record<string, any>;
  /**
   * Streams read in replication-key order with the bookmark as a server-side
   * lower bound: the STATE-ordering rules apply to them. Other incremental
   * streams (lists filtered client-side, newest-first feeds, children) may
   * keep a bookmark behind the records already sent until their pass ends:
   * a resume re-sends those records, which an upsert absorbs.
   */
  ordered?: Iterable<string>;
}

export interface StrictReport {
  violations: Violation[];
  /** Records checked, per stream. */
  records: Map<string, number>;
  schemas: number;
  states: number;
}

interface StreamSchema {
  keys: string[];
  bookmark?: string;
  schema: Record<string, any>;
  validate?: ValidateFunction;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))$/;
const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function validDate(y: number, m: number, d: number): boolean {
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  return d <= days;
}

/** RFC 3339 `date-time` (section 5.6), no looser: a `T`, seconds, and `Z` or a `+hh:mm` offset. */
export function isRfc3339(s: string): boolean {
  const m = RFC3339.exec(s);
  if (!m) return false;
  const [, y, mo, d, h, mi, sec, , , , oh, om] = m;
  if (!validDate(Number(y), Number(mo), Number(d))) return false;
  if (Number(h) > 23 || Number(mi) > 59 || Number(sec) > 60) return false;
  return oh === undefined || (Number(oh) <= 23 && Number(om) <= 59);
}

function isFullDate(s: string): boolean {
  const m = FULL_DATE.exec(s);
  return m !== null && validDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

function newAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  ajv.addFormat('date-time', { type: 'string', validate: isRfc3339 });
  ajv.addFormat('date', { type: 'string', validate: isFullDate });
  return ajv;
}

const typesOf = (s: any): string[] => (s?.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type]);

/** Fields of `value` that `schema` does not declare, as paths below `path`. */
function undeclared(value: unknown, schema: any, path: string, out: string[]): void {
  if (!schema || typeof schema !== 'object' || value === null || value === undefined) return;
  if (Array.isArray(value)) {
    if (schema.items && typeof schema.items === 'object' && !Array.isArray(schema.items)) {
      for (const v of value) undeclared(v, schema.items, `${path}[]`, out);
    }
    return;
  }
  if (typeof value !== 'object' || !schema.properties) return;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const sub = schema.properties[k];
    if (sub === undefined) out.push(`${path}.${k}`);
    else undeclared(v, sub, `${path}.${k}`, out);
  }
}

/** Replication values in whole epoch seconds (the tap's resolution): numbers (s, ms, µs) or date-time text. */
export function epochSeconds(v: unknown): number | undefined {
  if (typeof v === 'number' || (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v))) {
    const n = Number(v);
    return Math.floor(n > 1e14 ? n / 1e6 : n > 1e11 ? n / 1e3 : n);
  }
  if (typeof v === 'string') {
    const ms = Date.parse(v);
    return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
  }
  return undefined;
}

function ajvDetail(e: ErrorObject): { path: string; detail: string } {
  const path = `$${e.instancePath.replace(/\/(\d+)(?=\/|$)/g, '[]').replace(/\//g, '.')}`;
  const detail = e.keyword === 'format' ? `not a valid ${e.params.format}` : `${e.message ?? e.keyword}`;
  return { path, detail };
}

export function checkSingerOutput(messages: Message[], opts: StrictOptions = {}): StrictReport {
  const ajv = newAjv();
  const ordered = new Set(opts.ordered ?? []);
  const violations: Violation[] = [];
  const schemas = new Map<string, StreamSchema>();
  const records = new Map<string, number>();
  /** Highest replication value (epoch s) emitted so far per ordered stream, with an example line. */
  const maxEmitted = new Map<string, { value: number; line: number }>();
  /** The bookmark (epoch s) of the last STATE per ordered stream. */
  const bookmarkAt = new Map<string, { value: number; line: number }>();
  let previousBookmarks: Record<string, unknown> = { ...(opts.initialState?.bookmarks ?? {}) };
  let schemaCount = 0;
  let stateCount = 0;
  let sinceState = 0;

  const add = (stream: string, rule: string, detail: string, path?: string) => violations.push({ stream, rule, detail, ...(path ? { path } : {}) });

  const bookmarkValue = (stream: string, blob: unknown): number | undefined => {
    const s = schemas.get(stream);
    if (!s?.bookmark || !blob || typeof blob !== 'object') return undefined;
    return epochSeconds((blob as Record<string, unknown>)[s.bookmark]);
  };
  // The input state is where the run starts: records older than its bookmarks must not come again.
  const initial = opts.initialState?.bookmarks ?? {};

  messages.forEach((m, i) => {
    const line = i + 1;
    if (m.type === 'SCHEMA') {
      schemaCount++;
      const stream = String(m.stream);
      const keys: unknown = m.key_properties;
      const props = m.schema?.properties ?? {};
      if (!Array.isArray(keys) || keys.length === 0) add(stream, 'schema: key_properties required', `line ${line}: key_properties is ${JSON.stringify(keys)}`);
      for (const k of Array.isArray(keys) ? keys : []) {
        const p = props[k];
        if (!p) add(stream, 'schema: key not declared', `line ${line}: key property ${k} is not in the schema`, `$.${k}`);
        else if (typesOf(p).includes('null')) add(stream, 'schema: nullable key', `line ${line}: key property ${k} allows null`, `$.${k}`);
        else if (typesOf(p).some((t) => t === 'object' || t === 'array')) add(stream, 'schema: non-scalar key', `line ${line}: key property ${k} is ${typesOf(p).join('|')}`, `$.${k}`);
      }
      const bookmarks: unknown[] = Array.isArray(m.bookmark_properties) ? m.bookmark_properties : [];
      for (const b of bookmarks) if (typeof b !== 'string' || !props[b]) add(stream, 'schema: bookmark not declared', `line ${line}: bookmark property ${String(b)} is not in the schema`);
      let validate: ValidateFunction | undefined;
      try {
        validate = ajv.compile(m.schema);
      } catch (err) {
        add(stream, 'schema: does not compile', `line ${line}: ${(err as Error).message}`);
      }
      schemas.set(stream, { keys: Array.isArray(keys) ? (keys as string[]) : [], bookmark: bookmarks[0] as string | undefined, schema: m.schema, validate });
      // A stream read again from the start with a new SCHEMA starts its ordering over only at a STATE.
      return;
    }
    if (m.type === 'RECORD') {
      const stream = String(m.stream);
      records.set(stream, (records.get(stream) ?? 0) + 1);
      sinceState++;
      const s = schemas.get(stream);
      if (!s) {
        add(stream, 'record before its SCHEMA', `line ${line}`);
        return;
      }
      const r = m.record;
      if (!r || typeof r !== 'object' || Array.isArray(r)) {
        add(stream, 'record: not an object', `line ${line}`);
        return;
      }
      for (const k of s.keys) if (r[k] === undefined || r[k] === null) add(stream, 'record: key missing or null', `line ${line}: ${k} is ${r[k] === null ? 'null' : 'absent'}`, `$.${k}`);
      if (s.validate && !s.validate(r)) {
        for (const e of s.validate.errors ?? []) {
          const { path, detail } = ajvDetail(e);
          add(stream, 'record: fails its SCHEMA', `line ${line}: ${detail} (${JSON.stringify(valueAt(r, e.instancePath))?.slice(0, 80)})`, path);
        }
      }
      const extra: string[] = [];
      undeclared(r, s.schema, '$', extra);
      for (const p of extra) add(stream, 'record: field not in SCHEMA', `line ${line}`, p);
      if (ordered.has(stream) && s.bookmark) {
        const v = epochSeconds(r[s.bookmark]);
        if (v !== undefined) {
          const prev = maxEmitted.get(stream);
          if (!prev || v > prev.value) maxEmitted.set(stream, { value: v, line });
          const b = bookmarkAt.get(stream) ?? (initial[stream] ? { value: bookmarkValue(stream, initial[stream]) ?? -Infinity, line: 0 } : undefined);
          if (b && v < b.value) {
            add(stream, 'record older than a STATE before it', `line ${line}: ${s.bookmark} ${String(r[s.bookmark])} < bookmark ${new Date(b.value * 1000).toISOString()} of the ${b.line ? `STATE at line ${b.line}` : 'input state'}`);
          }
        }
      }
      return;
    }
    if (m.type === 'STATE') {
      stateCount++;
      sinceState = 0;
      const bookmarks = (m.value?.bookmarks ?? {}) as Record<string, unknown>;
      if (!m.value || typeof m.value !== 'object') add('-', 'state: value not an object', `line ${line}`);
      for (const [stream, blob] of Object.entries(bookmarks)) {
        const changed = JSON.stringify(blob) !== JSON.stringify(previousBookmarks[stream]);
        if (changed && !schemas.has(stream)) add(stream, 'state: bookmark of a stream without SCHEMA', `line ${line}: ${JSON.stringify(blob).slice(0, 120)}`);
        if (!ordered.has(stream)) continue;
        const b = bookmarkValue(stream, blob);
        if (b === undefined) continue;
        const max = maxEmitted.get(stream);
        if (max && b < max.value) {
          add(stream, 'state before the records it covers', `line ${line}: bookmark ${new Date(b * 1000).toISOString()} < a record emitted before it (line ${max.line}, ${new Date(max.value * 1000).toISOString()})`);
        }
        bookmarkAt.set(stream, { value: b, line });
      }
      previousBookmarks = { ...bookmarks };
    }
  });
  if (sinceState > 0) add('-', 'records after the last STATE', `${sinceState} records are covered by no STATE (a target never commits their position)`);
  return { violations, records, schemas: schemaCount, states: stateCount };
}

function valueAt(r: unknown, pointer: string): unknown {
  let cur: any = r;
  for (const seg of pointer.split('/').slice(1)) cur = cur?.[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
  return cur;
}

/** One line per (stream, rule, path) with how often it happened and the first occurrence. */
export function formatViolations(violations: Violation[], limit = 200): string {
  const groups = new Map<string, { v: Violation; count: number }>();
  for (const v of violations) {
    const key = `${v.stream}\u0000${v.rule}\u0000${v.path ?? ''}`;
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { v, count: 1 });
  }
  const lines = [...groups.values()]
    .sort((a, b) => (a.v.stream < b.v.stream ? -1 : a.v.stream > b.v.stream ? 1 : a.v.rule.localeCompare(b.v.rule) || (a.v.path ?? '').localeCompare(b.v.path ?? '')))
    .map(({ v, count }) => `${v.stream}: ${v.rule}${v.path ? ` ${v.path}` : ''} (x${count}; first: ${v.detail})`);
  const shown = lines.slice(0, limit);
  if (lines.length > limit) shown.push(`... and ${lines.length - limit} more kinds`);
  return `${violations.length} violations, ${groups.size} kinds:\n${shown.join('\n')}`;
}

/** Distinct (stream, rule, path) kinds: the figure to compare between runs. */
export function violationKinds(violations: Violation[]): string[] {
  return [...new Set(violations.map((v) => `${v.stream}: ${v.rule}${v.path ? ` ${v.path}` : ''}`))].sort();
}
