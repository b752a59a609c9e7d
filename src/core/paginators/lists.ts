/**
 * List endpoints. Cursor paging (`page[size]`, stop on `meta.has_more`) is
 * used wherever Zendesk offers it; offset paging only where it does not, and
 * never past the 10,000-record depth cap.
 *
 * Lists cannot be read in replication-key order, so a bookmark only moves at
 * the end of a pass; meanwhile the position carries the next page's cursor
 * (resume mid-list after a crash) and the pass's highest value.
 */
import { log } from '../../util/log.js';
import { TapError } from '../../util/errors.js';
import { recordEpoch, toEpoch, type Position, type RecordId } from '../../state/position.js';
import type { Params } from '../../http/client.js';
import { bucketOf } from '../../streams/descriptor.js';
import type { JsonObject } from '../events.js';
import { asBody, idOf, recordsOf, sideloadParams } from './common.js';
import type { Paginator, PaginatorContext } from './types.js';
import { DescendingOrder, GuaranteeError, checkCursorAdvances, checkRecordsKey } from './guards.js';

const OFFSET_DEPTH_CAP = 10_000;

/** Client-side replication filter and the running maximum of a pass. */
class PassFilter {
  private readonly bookmark: number | undefined;
  private readonly seen: Set<RecordId>;
  max: number | undefined;
  maxIds: RecordId[];

  constructor(private readonly ctx: PaginatorContext) {
    const start = ctx.start;
    const floor = ctx.config.startTime;
    this.bookmark = ctx.stream.replicationKey ? Math.max(start.value ?? floor, floor) : undefined;
    this.seen = new Set(start.value !== undefined && start.value >= floor ? (start.boundaryIds ?? []) : []);
    this.max = start.passMax;
    this.maxIds = start.passMaxIds ?? [];
  }

  keep(records: JsonObject[]): JsonObject[] {
    const d = this.ctx.stream;
    if (!d.replicationKey) return records;
    const end = this.ctx.config.endTime;
    const out: JsonObject[] = [];
    for (const r of records) {
      // Some rows lack the key (group memberships without updated_at): their creation time is the best
      // stand-in; with neither they can only be emitted on a read without a bookmark.
      const v = recordEpoch(r, d) ?? toEpoch(r.created_at, 'iso');
      if (v === undefined) {
        if (this.bookmark === undefined || this.bookmark <= this.ctx.config.startTime) out.push(r);
        continue;
      }
      if (this.bookmark !== undefined && v < this.bookmark) continue;
      if (v === this.bookmark && this.seen.has(idOf(r, d))) continue;
      if (end !== undefined && v > end) continue;
      out.push(r);
      if (this.max === undefined || v > this.max) {
        this.max = v;
        this.maxIds = [idOf(r, d)];
      } else if (v === this.max && !this.maxIds.includes(idOf(r, d))) {
        this.maxIds.push(idOf(r, d));
      }
    }
    return out;
  }

  /** Position while the pass is under way. */
  progress(pageAfter: string): Position {
    const p: Position = { pageAfter };
    if (this.bookmark !== undefined && this.ctx.start.value !== undefined) {
      p.value = this.ctx.start.value;
      if (this.ctx.start.boundaryIds?.length) p.boundaryIds = this.ctx.start.boundaryIds;
    }
    if (this.max !== undefined) {
      p.passMax = this.max;
      // A copy: later pages keep adding to the live list, and this position describes the past.
      p.passMaxIds = [...this.maxIds];
    }
    return p;
  }

  /** Position once the pass is complete: the bookmark moves to the highest value seen. */
  done(): Position {
    if (!this.ctx.stream.replicationKey) return {};
    const start = this.ctx.start;
    if (this.max === undefined || (start.value !== undefined && this.max < start.value)) {
      return start.value === undefined ? {} : { value: start.value, ...(start.boundaryIds?.length ? { boundaryIds: start.boundaryIds } : {}) };
    }
    const carried = start.value === this.max ? (start.boundaryIds ?? []) : [];
    return { value: this.max, boundaryIds: [...new Set([...carried, ...this.maxIds])] };
  }
}

function startParams(ctx: PaginatorContext): Params {
  const d = ctx.stream;
  const params: Params = { ...sideloadParams(d), ...d.params };
  if (d.startParam) {
    const from = Math.max(ctx.config.startTime, ctx.start.value ?? 0);
    params[d.startParam] = from;
  }
  return params;
}

export const cursorList: Paginator = async function* (ctx) {
  const { client, config, stream: d, path } = ctx;
  const filter = new PassFilter(ctx);
  const base = startParams(ctx);
  const size = Math.min(d.pageSize ?? config.pageSize, 100);
  let after = ctx.start.pageAfter;
  for (;;) {
    const params: Params = { ...base, 'page[size]': size, ...(after ? { 'page[after]': after } : {}) };
    const res = await client.get(path, params, { bucket: bucketOf(d), stream: ctx.label, passStatuses: after ? [400, 422] : [] });
    if (res.status !== 200) {
      // A stale page cursor from an interrupted run: start the pass again (the filter prevents repeats of old data).
      log.warn(`${ctx.label}: the saved page cursor was refused (HTTP ${res.status}); restarting this list`);
      after = undefined;
      continue;
    }
    const body = asBody(res);
    const meta = (body.meta ?? {}) as JsonObject;
    checkRecordsKey(ctx.label, d, res.body, res.requestId);
    const records = filter.keep(recordsOf(res.body, d));
    const next = typeof meta.after_cursor === 'string' ? meta.after_cursor : undefined;
    const more = meta.has_more === true;
    // "More" with no cursor to it, or the same cursor again, would end the pass early or loop.
    if (more) checkCursorAdvances(ctx.label, next, after, res.requestId);
    yield { records, body, position: more ? filter.progress(next!) : filter.done(), extractedAt: Date.now(), last: !more };
    if (!more) return;
    after = next;
  }
};

/**
 * Lists whose operation documents no paging (SLA policies, ticket forms, Talk lists,
 * side conversations, ...): Zendesk answers them whole, so no page size is sent (an
 * undocumented `per_page` is at best ignored). Should a `next_page` URL come anyway, it
 * is followed exactly as Zendesk built it, never past the 10,000-record offset depth cap.
 */
export const offsetList: Paginator = async function* (ctx) {
  const { client, stream: d } = ctx;
  const filter = new PassFilter(ctx);
  let path = ctx.path;
  let params: Params = startParams(ctx);
  let read = 0;
  for (;;) {
    const res = await client.get(path, params, { bucket: bucketOf(d), stream: ctx.label });
    const body = asBody(res);
    checkRecordsKey(ctx.label, d, res.body, res.requestId);
    const all = recordsOf(res.body, d);
    read += all.length;
    const records = filter.keep(all);
    const next = typeof body.next_page === 'string' && body.next_page !== '' ? new URL(body.next_page, 'http://zendesk.invalid') : undefined;
    const more = next !== undefined;
    if (more && read >= OFFSET_DEPTH_CAP) {
      // Ending the pass here would report a complete table that is not.
      throw new TapError(`the list is longer than the ${OFFSET_DEPTH_CAP} records Zendesk serves with offset paging; the rest cannot be read this way, so the stream stopped instead of reporting a partial table as complete`, 'system');
    }
    const nextParams: Params = more ? Object.fromEntries(next.searchParams) : {};
    // The same page again would never end.
    if (more && next.pathname === path && JSON.stringify(nextParams) === JSON.stringify(params)) {
      throw new GuaranteeError(ctx.label, `next_page repeats the page just read (${body.next_page as string})`, res.requestId);
    }
    // Offsets shift when data changes, so a mid-list position would be unsafe: only the final one counts.
    yield { records, body, position: more ? { ...ctx.start } : filter.done(), extractedAt: Date.now(), last: !more };
    if (!more) return;
    path = next.pathname;
    params = nextParams;
  }
};

/**
 * Newest-first feeds (the global ticket_audits list cannot be filtered by
 * date): read pages until one reaches records older than the bookmark.
 */
export const descFeed: Paginator = async function* (ctx) {
  const { client, config, stream: d, path } = ctx;
  const filter = new PassFilter(ctx);
  const order = new DescendingOrder(ctx.label, d);
  const floor = Math.max(config.startTime, ctx.start.value ?? 0);
  const size = Math.min(d.pageSize ?? config.pageSize, 100);
  let after = ctx.start.pageAfter;
  for (;;) {
    const params: Params = { ...startParams(ctx), 'page[size]': size, ...(after ? { 'page[after]': after } : {}) };
    const res = await client.get(path, params, { bucket: bucketOf(d), stream: ctx.label, passStatuses: after ? [400, 422] : [] });
    if (res.status !== 200) {
      log.warn(`${ctx.label}: the saved page cursor was refused (HTTP ${res.status}); restarting from the newest records`);
      after = undefined;
      continue;
    }
    const body = asBody(res);
    checkRecordsKey(ctx.label, d, res.body, res.requestId);
    const all = recordsOf(res.body, d);
    // Stopping at the first record older than the bookmark is only safe on a newest-first feed.
    order.check(all, res.requestId);
    const records = filter.keep(all);
    const reachedOld = all.some((r) => (recordEpoch(r, d) ?? Infinity) < floor);
    const meta = (body.meta ?? {}) as JsonObject;
    const next = typeof meta.after_cursor === 'string' ? meta.after_cursor : undefined;
    const more = !reachedOld && meta.has_more === true;
    if (more) checkCursorAdvances(ctx.label, next, after, res.requestId);
    yield { records, body, position: more ? filter.progress(next!) : filter.done(), extractedAt: Date.now(), last: !more };
    if (!more) return;
    after = next;
  }
};

/** Chat lists: `since_id` + `limit`, in id order; a short page is the last. */
export const sinceId: Paginator = async function* (ctx) {
  const { client, stream: d, path } = ctx;
  const limit = d.pageSize ?? 100;
  let since = d.replicationKey ? (ctx.start.value ?? 0) : 0;
  for (;;) {
    const res = await client.get(path, { ...d.params, since_id: since, limit }, { bucket: bucketOf(d), stream: ctx.label });
    const body = asBody(res);
    const all = recordsOf(res.body, d);
    const records = all.filter((r) => Number(r.id) > since);
    // A full page with nothing past since_id: the filter was ignored, and stopping here would miss the rest.
    if (all.length >= limit && records.length === 0) throw new GuaranteeError(ctx.label, `since_id=${since} was not honoured (a full page of records at or before it)`, res.requestId);
    const last = records.length ? Number(records[records.length - 1]!.id) : since;
    const position: Position = d.replicationKey ? { value: last } : {};
    const ended = all.length < limit || last === since;
    yield { records, body, position, extractedAt: Date.now(), last: ended };
    if (ended) return;
    since = last;
  }
};

/** One request; the records key holds one object or an array (account_settings, overview stats). */
export const single: Paginator = async function* (ctx) {
  const res = await ctx.client.get(ctx.path, { ...ctx.stream.params }, { bucket: bucketOf(ctx.stream), stream: ctx.label });
  const body = asBody(res);
  yield { records: recordsOf(res.body, ctx.stream), body, position: {}, extractedAt: Date.now(), last: true };
};
