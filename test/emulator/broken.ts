/**
 * Deliberately broken endpoints: each wrapper makes one route break one
 * guarantee that Zendesk documents and the tap relies on, so a test can show
 * the tap stops loudly instead of losing or repeating data. Never used by
 * default; apply with `emu.registry.wrap(path, broken.xxx())`.
 *
 * The guarantees broken here, and where Zendesk states them:
 * - `start_time` filters exports (OAS: the incremental export operations,
 *   "The time to start the incremental export from");
 * - `end_time` is "the most recent time present in the result set" and the
 *   next page's start (docs crawl: Incremental Exports, "Time-based Pagination
 *   JSON Format");
 * - `after_cursor` leads to the next page until `end_of_stream` (same page,
 *   "Cursor-based Pagination JSON Format");
 * - `meta.has_more` with `meta.after_cursor` (docs: "Paginating through lists
 *   using cursor pagination");
 * - the audit log's cursor order `sort=-created_at` by default (OAS
 *   `ListAuditLogs`, parameter `sort`);
 * - Chat lists return records after `since_id` (Chat API docs, since_id);
 * - a list body carries its records under the resource's key, empty or not
 *   (every OAS list response schema).
 */
import type { Handler, RouteCtx } from './registry.js';
import type { Rec } from './data/collection.js';

type Around = (original: Handler) => Handler;

const isBody = (out: unknown): out is Rec => !!out && typeof out === 'object' && !Array.isArray(out) && !('status' in (out as Rec) && ('body' in (out as Rec) || 'text' in (out as Rec)));

/** Calls the route with changed query parameters, then lets `change` edit the body. */
function around(query: (q: URLSearchParams, c: RouteCtx) => void, change: (body: Rec, c: RouteCtx) => void = () => undefined): Around {
  return (original) => (c) => {
    const q = new URLSearchParams(c.q);
    query(q, c);
    const out = original({ ...c, q });
    if (isBody(out)) change(out, c);
    return out;
  };
}

export const broken = {
  /** The export answers from the beginning of time, whatever `start_time` says. */
  ignoreStartTime: (): Around => around((q) => q.has('start_time') && q.set('start_time', '0')),
  /** Time export: every page claims to end where it started, and never ends. */
  stuckTimeExport: (key: string): Around =>
    around(
      () => undefined,
      (b, c) => {
        const t = Number(c.q.get('start_time'));
        b[key] = (b[key] as Rec[]).filter(() => false);
        b.end_time = t;
        b.count = 1000;
        b.end_of_stream = false;
      },
    ),
  /** Time export: `end_time` an hour before the page's newest record. */
  endTimeBehind: (): Around =>
    around(
      () => undefined,
      (b) => {
        if (typeof b.end_time === 'number') b.end_time -= 3600;
      },
    ),
  /** Cursor export: never ends, and hands back the cursor it was given. */
  repeatCursor: (): Around =>
    around(
      () => undefined,
      (b, c) => {
        b.end_of_stream = false;
        const given = c.q.get('cursor');
        if (given) b.after_cursor = given;
      },
    ),
  /** Cursor export: neither a next cursor nor an end marker. */
  dropCursor: (): Around =>
    around(
      () => undefined,
      (b) => {
        b.end_of_stream = false;
        b.after_cursor = null;
        b.after_url = null;
      },
    ),
  /** Cursor list: `has_more: true` with no cursor to the more. */
  moreWithoutCursor: (): Around =>
    around(
      () => undefined,
      (b) => {
        b.meta = { ...(b.meta as Rec), has_more: true, after_cursor: null };
      },
    ),
  /** Newest-first feed served oldest first. */
  oldestFirst: (key: string): Around =>
    around(
      () => undefined,
      (b) => {
        (b[key] as Rec[]).reverse();
      },
    ),
  /** Chat list that ignores `since_id`. */
  ignoreSinceId: (): Around => around((q) => q.delete('since_id')),
  /** A 200 body without its records key. */
  dropRecordsKey: (key: string): Around =>
    around(
      () => undefined,
      (b) => {
        delete b[key];
      },
    ),
};
