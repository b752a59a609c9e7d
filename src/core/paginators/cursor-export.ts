/**
 * Cursor-based incremental exports (tickets, users): `start_time` once, then
 * the cursor, until `end_of_stream`. The final cursor stays valid and is the
 * next run's resume point, with the last timestamp kept as a fallback.
 */
import { log } from '../../util/log.js';
import { unexpectedAnswer } from '../../http/error-body.js';
import { recordEpoch, type Position } from '../../state/position.js';
import type { Params } from '../../http/client.js';
import { bucketOf } from '../../streams/descriptor.js';
import { asBody, clipToEnd, dropSeen, exportStart, idsAt, isTooRecent, recordsOf, sideloadParams } from './common.js';
import type { Page, Paginator } from './types.js';
import { checkCursorAdvances, checkRecordsKey, checkWindow } from './guards.js';

const EXPORT_PAGE = 1000;

export const cursorExport: Paginator = async function* (ctx) {
  const { client, config, stream: d, path } = ctx;
  const fixed: Params = { per_page: EXPORT_PAGE, ...sideloadParams(d), ...d.params };
  if (d.name === 'tickets' || d.path.includes('/tickets/')) {
    if (config.excludeDeleted) fixed.exclude_deleted = true;
  }
  let position: Position = { ...ctx.start };
  let cursor = position.cursor;
  const startAt = exportStart(config, position);

  for (;;) {
    const params: Params = cursor ? { ...fixed, cursor } : { ...fixed, start_time: startAt };
    const res = await client.get(path, params, { bucket: bucketOf(d), stream: ctx.label, passStatuses: [400, 422] });
    if (res.status !== 200) {
      if (isTooRecent(res) && !cursor) return;
      if (cursor && position.value !== undefined) {
        // An expired or unknown cursor: fall back to the timestamp, boundary ids prevent repeats.
        log.warn(`${ctx.label}: the stored export cursor was refused (HTTP ${res.status}); resuming from ${new Date(position.value * 1000).toISOString()} instead`);
        cursor = undefined;
        position = { value: position.value, boundaryIds: position.boundaryIds ?? [] };
        continue;
      }
      throw unexpectedAnswer(path, res);
    }
    // A page size the HTTP layer shrank after timeouts stays shrunk for the rest of this export.
    if (res.params.per_page !== undefined) fixed.per_page = res.params.per_page;
    const body = asBody(res);
    checkRecordsKey(ctx.label, d, res.body, res.requestId);
    const all = recordsOf(res.body, d);
    // The export filters on the replication key: nothing before the start_time its cursors began at.
    checkWindow(ctx.label, d, all, startAt, undefined, res.requestId);
    // Only a timestamp restart can repeat records; a cursor never does.
    const fresh = cursor ? all : dropSeen(all, d, position.value, position.boundaryIds);
    const { records, clipped } = clipToEnd(fresh, d, config.endTime);
    const last = records.length ? recordEpoch(records[records.length - 1]!, d) : undefined;
    // Custom object records answer in the list shape (`meta.after_cursor`, `meta.has_more`), not end_of_stream.
    const meta = (body.meta ?? undefined) as { after_cursor?: unknown; has_more?: unknown } | undefined;
    const rawCursor = body.after_cursor ?? meta?.after_cursor;
    const nextCursor = typeof rawCursor === 'string' ? rawCursor : undefined;
    const ended = body.end_of_stream === true || (body.end_of_stream === undefined && meta?.has_more === false);
    if (last !== undefined) {
      const carried = last === position.value ? (position.boundaryIds ?? []) : [];
      position = { value: last, boundaryIds: [...carried, ...idsAt(records, d, last)] };
    }
    if (clipped) {
      delete position.cursor;
      yield { records, body, position: { ...position }, extractedAt: Date.now(), last: true } satisfies Page;
      return;
    }
    if (nextCursor) position.cursor = nextCursor;
    yield { records, body, position: { ...position }, extractedAt: Date.now(), last: ended } satisfies Page;
    if (ended) return;
    // Not at the end: the next cursor must exist and move, or this would stop early or never end.
    checkCursorAdvances(ctx.label, nextCursor, cursor, res.requestId);
    cursor = nextCursor;
  }
};
