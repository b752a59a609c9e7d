import { E, ReplyError } from './errors.js';
import { hash32 } from './rng.js';
import type { Rec } from './data/collection.js';

/**
 * Zendesk's paging contracts, one function per style. Each takes the request
 * and a records provider and returns the response body; none knows about any
 * particular resource.
 */

export interface PageReq {
  q: URLSearchParams;
  /** Emulator origin, e.g. http://127.0.0.1:4010: next links must come back here. */
  base: string;
  /** Path without `.json`, e.g. /api/v2/groups. */
  path: string;
}

export interface ClockCtx {
  now: number;
  legacyTooRecent: boolean;
  seed: number;
}

export function link(req: PageReq, set: Record<string, string | number | null>, drop: string[] = []): string {
  const q = new URLSearchParams(req.q);
  for (const d of drop) q.delete(d);
  for (const [k, v] of Object.entries(set)) {
    if (v === null) q.delete(k);
    else q.set(k, String(v));
  }
  const qs = q.toString();
  return `${req.base}${req.path}.json${qs ? `?${qs}` : ''}`;
}

function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? Math.trunc(n) : undefined;
}

function clampSize(v: number | undefined, def: number, max: number): number {
  if (v === undefined || v < 1) return def;
  return Math.min(v, max);
}

/** `start_time` validation shared by every Support export. */
export function requireStartTime(q: URLSearchParams, c: ClockCtx, minAge = 60): number {
  const raw = q.get('start_time');
  if (raw === null || raw === '') throw new ReplyError(E.missingStartTime());
  const t = Number(raw);
  if (!Number.isFinite(t)) throw new ReplyError(E.badStartTime());
  // The legacy switch changes only the answer, not the threshold.
  if (t > c.now - minAge) throw new ReplyError(c.legacyTooRecent ? E.tooRecentLegacy() : E.tooRecent());
  return Math.max(0, Math.floor(t));
}

/** Chat agent_timeline: `start_time` in microseconds; the age rule still counts seconds. */
export function requireMicroStartTime(q: URLSearchParams, c: ClockCtx, minAge: number): number {
  const raw = q.get('start_time');
  if (raw === null || raw === '') throw new ReplyError(E.missingStartTime());
  const t = Number(raw);
  if (!Number.isFinite(t)) throw new ReplyError(E.badStartTime());
  if (t / 1e6 > c.now - minAge) throw new ReplyError(c.legacyTooRecent ? E.tooRecentLegacy() : E.tooRecent());
  return Math.max(0, Math.floor(t));
}

// ---------------------------------------------------------------- cursor exports

export function encodeExportCursor(ts: number, id: number): string {
  return Buffer.from(`${ts}.0||${id}|`).toString('base64');
}

export function decodeExportCursor(c: string): { ts: number; id: number } {
  const m = /^(\d+)(?:\.\d+)?\|\|(\d+)\|$/.exec(Buffer.from(c, 'base64').toString('utf8'));
  if (!m) throw new ReplyError(E.invalidCursor());
  return { ts: Number(m[1]), id: Number(m[2]) };
}

export interface ExportSpec {
  key: string;
  /** Records with ts >= fromTs, ascending (ts, id). */
  scan: (fromTs: number) => Iterable<Rec>;
  tsOf: (r: Rec) => number;
  idOf?: (r: Rec) => number;
  /** Side-loads: may rewrite records and add top-level keys. */
  decorate?: (items: Rec[]) => { items: Rec[]; extra?: Record<string, unknown> };
}

const defaultId = (r: Rec): number => r.id as number;

/** `/incremental/{tickets,users}/cursor`: exact page sizes, no duplicates, resumable cursor. */
export function cursorExport(req: PageReq, c: ClockCtx, spec: ExportSpec): Rec {
  const idOf = spec.idOf ?? defaultId;
  const cursorParam = req.q.get('cursor');
  let from: { ts: number; id: number };
  if (cursorParam) from = decodeExportCursor(cursorParam);
  else from = { ts: requireStartTime(req.q, c), id: 0 };
  const size = clampSize(intParam(req.q, 'per_page'), 1000, 1000);
  const limit = c.now - 60;
  const got: Rec[] = [];
  for (const r of spec.scan(from.ts)) {
    const ts = spec.tsOf(r);
    if (ts > limit) break;
    if (ts === from.ts && idOf(r) <= from.id) continue;
    got.push(r);
    if (got.length > size) break;
  }
  const page = got.slice(0, size);
  const last = page[page.length - 1];
  const after = last ? encodeExportCursor(spec.tsOf(last), idOf(last)) : cursorParam ?? encodeExportCursor(from.ts, from.id);
  const decorated = spec.decorate ? spec.decorate(page) : { items: page };
  return {
    [spec.key]: decorated.items,
    ...(decorated.extra ?? {}),
    after_url: link(req, { cursor: after }, ['start_time']),
    after_cursor: after,
    before_url: null,
    before_cursor: null,
    end_of_stream: got.length <= size,
  };
}

// ---------------------------------------------------------------- time exports

export interface TimeExportOptions {
  /** Tickets/users/orgs/events: true. Talk calls/legs and metric events: false. */
  endOfStream?: boolean;
  sizeParam?: string;
  defaultSize?: number;
  maxSize?: number;
  /** Return every item at T when the first page would be all-T (Support exports). */
  extendSameTimestamp?: boolean;
  /** Minimum age of start_time in seconds (Chat: 300). */
  minAge?: number;
  /** Chat adds `end_id`. */
  endId?: boolean;
  /** Talk: the server's page size, whatever the client asks for. */
  fixedSize?: number;
  /**
   * Chat agent_timeline: `start_time` and `end_time` are epoch microseconds
   * and `tsOf` must return microseconds too (the windows still count seconds).
   */
  micro?: boolean;
}

function* groupsByTs(items: Iterable<Rec>, tsOf: (r: Rec) => number): Generator<{ ts: number; items: Rec[] }> {
  let cur: { ts: number; items: Rec[] } | null = null;
  for (const r of items) {
    const ts = tsOf(r);
    if (cur && cur.ts === ts) cur.items.push(r);
    else {
      if (cur) yield cur;
      cur = { ts, items: [r] };
    }
  }
  if (cur) yield cur;
}

/**
 * Time-based export page (zendesk-api.md §1.4): inclusive start_time,
 * same-timestamp extension, boundary items repeated on the next page,
 * next_page never null. Within one second the order is a stable shuffle,
 * not id order, as observed.
 */
export function timeExport(req: PageReq, c: ClockCtx, spec: ExportSpec, o: TimeExportOptions = {}): Rec {
  const idOf = spec.idOf ?? defaultId;
  const sizeParam = o.sizeParam ?? 'per_page';
  const unit = o.micro ? 1e6 : 1;
  const start = o.micro ? requireMicroStartTime(req.q, c, o.minAge ?? 60) : requireStartTime(req.q, c, o.minAge ?? 60);
  const size = o.fixedSize ?? clampSize(intParam(req.q, sizeParam), o.defaultSize ?? 1000, o.maxSize ?? 1000);
  const limit = (c.now - (o.minAge ?? 60)) * unit + (unit - 1);
  const first: Rec[] = [];
  let sameTsGroup: Rec[] | null = null;
  for (const g of groupsByTs(spec.scan(start), spec.tsOf)) {
    if (g.ts > limit) break;
    const shuffled = g.items.slice().sort((a, b) => hash32(c.seed, idOf(a)) - hash32(c.seed, idOf(b)) || idOf(a) - idOf(b));
    if (first.length === 0 && shuffled.length >= size) sameTsGroup = shuffled;
    for (const r of shuffled) {
      if (first.length >= size) break;
      first.push(r);
    }
    if (first.length >= size) break;
  }
  let items: Rec[];
  let endTime: number;
  let eos: boolean;
  if (first.length < size) {
    items = first;
    endTime = first.length ? spec.tsOf(first[first.length - 1]!) : start;
    eos = true;
  } else if (sameTsGroup && o.extendSameTimestamp !== false) {
    items = sameTsGroup;
    endTime = spec.tsOf(sameTsGroup[0]!) + unit;
    eos = false;
  } else {
    items = first;
    endTime = spec.tsOf(first[first.length - 1]!);
    eos = false;
  }
  const decorated = spec.decorate ? spec.decorate(items) : { items };
  const body: Rec = {
    [spec.key]: decorated.items,
    ...(decorated.extra ?? {}),
    count: decorated.items.length,
    end_time: endTime,
    next_page: link(req, { start_time: endTime }),
  };
  if (o.endId) {
    const last = items[items.length - 1];
    body.end_id = last ? (last.id ?? idOf(last)) : null;
  }
  if (o.endOfStream !== false) body.end_of_stream = eos;
  return body;
}

// ---------------------------------------------------------------- ordinary lists

/** Records provider for lists: any order, resumable after a record's key. */
export interface ListSource {
  records(q: URLSearchParams, afterKey?: string): Iterable<Rec>;
  keyOf(r: Rec): string;
  count?(q: URLSearchParams): number;
}

/** A ListSource over an array computed per request (small resources). */
export function arraySource(get: (q: URLSearchParams) => Rec[], keyOf: (r: Rec) => string = (r) => String(r.id)): ListSource {
  return {
    keyOf,
    records(q, afterKey) {
      const all = get(q);
      if (afterKey === undefined) return all;
      const at = all.findIndex((r) => keyOf(r) === afterKey);
      if (at >= 0) return all.slice(at + 1);
      // The record behind the cursor is gone: resume by key order.
      const num = Number(afterKey);
      return all.filter((r) => (Number.isFinite(num) ? Number(keyOf(r)) > num : keyOf(r) > afterKey));
    },
    count: (q) => get(q).length,
  };
}

export function encodeListCursor(order: string, key: string): string {
  return Buffer.from(JSON.stringify({ o: order, v: Buffer.from(key).toString('base64') })).toString('base64');
}

export function decodeListCursor(c: string): string {
  try {
    const o = JSON.parse(Buffer.from(c, 'base64').toString('utf8')) as { v?: unknown };
    if (typeof o.v !== 'string') throw new Error('no value');
    return Buffer.from(o.v, 'base64').toString('utf8');
  } catch {
    throw new ReplyError(E.paginationParameter('page[after] is not a valid cursor'));
  }
}

export interface ListOptions {
  key: string;
  /** Cursor page size limit (most endpoints 100). */
  maxSize?: number;
  defaultSize?: number;
  /**
   * The `sort` values the operation documents under cursor paging (a leading `-` is allowed).
   * Absent: the operation documents no `sort`, and it is ignored (the default order is served).
   */
  sorts?: string[];
  /** The source itself orders by `sort` (audit_logs); otherwise only the default order is emulated. */
  sortable?: boolean;
  /** Default order, e.g. `created_at,id`; its first field is the default `sort`. */
  order?: string;
}

/** `page[size]` + `page[after]`; `meta.has_more`; links stay non-null on a non-empty last page. */
export function cursorList(req: PageReq, source: ListSource, o: ListOptions): Rec {
  checkSort(req.q.get('sort'), o);
  const size = clampSize(intParam(req.q, 'page[size]'), o.defaultSize ?? 100, o.maxSize ?? 100);
  const afterParam = req.q.get('page[after]');
  const afterKey = afterParam ? decodeListCursor(afterParam) : undefined;
  const got: Rec[] = [];
  for (const r of source.records(req.q, afterKey)) {
    got.push(r);
    if (got.length > size) break;
  }
  const page = got.slice(0, size);
  const order = o.order ?? 'id';
  if (page.length === 0) {
    return { [o.key]: [], meta: { has_more: false, after_cursor: null, before_cursor: null }, links: { prev: null, next: null } };
  }
  const after = encodeListCursor(order, source.keyOf(page[page.length - 1]!));
  const before = encodeListCursor(order, source.keyOf(page[0]!));
  return {
    [o.key]: page,
    meta: { has_more: got.length > size, after_cursor: after, before_cursor: before },
    links: {
      prev: link(req, { 'page[before]': before, 'page[size]': size }, ['page[after]']),
      next: link(req, { 'page[after]': after, 'page[size]': size }, ['page[before]']),
    },
  };
}

/** `page`/`per_page` with `count`; refuses to go past 10,000 records. */
export function offsetList(req: PageReq, source: ListSource, o: ListOptions): Rec {
  const perPage = clampSize(intParam(req.q, 'per_page'), 100, 100);
  const page = Math.max(1, intParam(req.q, 'page') ?? 1);
  if (page * perPage > 10_000) throw new ReplyError(E.paginationDepth());
  const skip = (page - 1) * perPage;
  const got: Rec[] = [];
  let seen = 0;
  for (const r of source.records(req.q)) {
    if (seen++ < skip) continue;
    got.push(r);
    if (got.length > perPage) break;
  }
  let count: number;
  if (source.count) count = source.count(req.q);
  else {
    count = 0;
    for (const _ of source.records(req.q)) count++;
  }
  const items = got.slice(0, perPage);
  return {
    [o.key]: items,
    next_page: got.length > perPage ? link(req, { page: page + 1, per_page: perPage }) : null,
    previous_page: page > 1 ? link(req, { page: page - 1, per_page: perPage }) : null,
    count,
  };
}

/** Lists that support both: cursor mode when `page[size]`/`page[after]` is present. */
export function cursorOrOffset(req: PageReq, source: ListSource, o: ListOptions): Rec {
  return req.q.has('page[size]') || req.q.has('page[after]') ? cursorList(req, source, o) : offsetList(req, source, o);
}

/**
 * `sort` under cursor paging. Undocumented for the operation: ignored, never honoured (issue 9 §4).
 * Documented: an unknown value is refused with 400 InvalidPaginationParameter (zendesk-api.md §2.1 [3p],
 * csa-zendesk live probe); a documented value other than the default that the emulator does not
 * implement fails loudly (500) instead of silently serving the default order.
 */
function checkSort(sort: string | null, o: ListOptions): void {
  if (sort === null || !o.sorts) return;
  const field = sort.replace(/^-/, '');
  if (!o.sorts.includes(field)) throw new ReplyError(E.paginationParameter(`sort is not valid. Valid values are ${o.sorts.join(', ')}`));
  const byDefault = sort === (o.order ?? 'id').split(',')[0];
  if (!byDefault && !o.sortable) throw new Error(`emulator: sort=${sort} is documented for this operation but not emulated`);
}

/** Endpoints without paging (`slas/policies`): everything at once, paging params ignored. */
export function noPaging(key: string, items: Rec[]): Rec {
  return { [key]: items, next_page: null, previous_page: null, count: items.length };
}

/**
 * Chat lists (`agents`, `bans`): `since_id` (records with a greater id) +
 * `limit` (default 10, at most 1000), in id order; the page is a bare array.
 * A client must send `limit` and stop on a short page.
 */
export function sinceIdPage(req: PageReq, items: Rec[]): Rec[] {
  const since = intParam(req.q, 'since_id') ?? 0;
  const limit = clampSize(intParam(req.q, 'limit'), 10, 1000);
  return items
    .filter((r) => (r.id as number) > since)
    .sort((a, b) => (a.id as number) - (b.id as number))
    .slice(0, limit);
}

/** The same page wrapped in `{key: [...]}` (kept for tests that add their own routes). */
export function sinceIdList(req: PageReq, items: Rec[], key: string): Rec {
  return { [key]: sinceIdPage(req, items) };
}

// ---------------------------------------------------------------- custom object record export

export interface RecordExportSpec {
  key: string;
  records: Rec[];
  tsOf: (r: Rec) => number;
}

function encodeRecordCursor(ts: number, id: string): string {
  return Buffer.from(JSON.stringify({ t: ts, i: id })).toString('base64');
}

function decodeRecordCursor(c: string): { ts: number; id: string } {
  try {
    const o = JSON.parse(Buffer.from(c, 'base64').toString('utf8')) as { t?: unknown; i?: unknown };
    if (typeof o.t !== 'number' || typeof o.i !== 'string') throw new Error('bad cursor');
    return { ts: o.t, id: o.i };
  } catch {
    throw new ReplyError(E.invalidCursor());
  }
}

/**
 * `/incremental/custom_objects/{key}/cursor` (zendesk-api.md §3.9): `start_time`
 * on the first call only, then `cursor`; `per_page` 1-1000; ordered by
 * (updated_at, id); the page says `meta.has_more` (there is no end_of_stream).
 * `meta.after_cursor` stays set on the last page: it is the next run's resume point.
 */
export function recordCursorExport(req: PageReq, c: ClockCtx, spec: RecordExportSpec): Rec {
  const cursorParam = req.q.get('cursor');
  const from = cursorParam ? decodeRecordCursor(cursorParam) : { ts: requireStartTime(req.q, c), id: '' };
  const size = clampSize(intParam(req.q, 'per_page'), 1000, 1000);
  const limit = c.now - 60;
  const excludeDeleted = req.q.get('filter[exclude_deleted]') === 'true';
  const ordered = spec.records
    .map((r) => ({ r, ts: spec.tsOf(r), id: String(r.id) }))
    .filter((x) => x.ts <= limit && (x.ts > from.ts || (x.ts === from.ts && x.id > from.id)))
    .filter((x) => !excludeDeleted || x.r.name !== '[DELETED]')
    .sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const page = ordered.slice(0, size);
  const last = page[page.length - 1];
  const after = last ? encodeRecordCursor(last.ts, last.id) : cursorParam ?? encodeRecordCursor(from.ts, from.id);
  const hasMore = ordered.length > size;
  return {
    [spec.key]: page.map((x) => x.r),
    meta: { has_more: hasMore, after_cursor: after, before_cursor: null },
    links: { prev: null, next: hasMore ? link(req, { cursor: after }, ['start_time']) : null },
  };
}
