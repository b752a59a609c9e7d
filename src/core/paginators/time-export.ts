/**
 * Time-based exports (organizations, ticket events, and with `countStop` the
 * Talk and Chat exports). `start_time` is inclusive and a page's last second
 * comes back on the next page, so the ids already emitted at the boundary
 * second travel in the position and are dropped when seen again.
 * Stop rules: `end_of_stream` (Support), or a short page (Talk, Chat, whose
 * `next_page` never ends).
 */
import { unexpectedAnswer } from '../../http/error-body.js';
import { recordEpoch, type Position, type RecordId } from '../../state/position.js';
import type { Params } from '../../http/client.js';
import { bucketOf } from '../../streams/descriptor.js';
import { asBody, clipToEnd, dropSeen, exportStart, idsAt, isTooRecent, recordsOf, sideloadParams } from './common.js';
import type { Paginator, PaginatorContext } from './types.js';
import { GuaranteeError, checkRecordsKey, checkWindow } from './guards.js';

const EXPORT_PAGE = 1000;

function makeTimeExport(countStop: boolean): Paginator {
  return async function* (ctx: PaginatorContext) {
    const { client, config, stream: d, path } = ctx;
    const usParam = d.replicationKeyType === 'epoch_us';
    const pageParam = d.product === 'chat' ? 'limit' : 'per_page';
    const fixed: Params = { ...sideloadParams(d), ...d.params };
    // Talk's exports, ticket metric events and Help Center articles document no page size: the server's
    // page (pageSize, default 1000) is only the stop rule's yardstick there.
    if (d.product !== 'talk' && d.pageSizeParam !== false) fixed[pageParam] = d.pageSize ?? EXPORT_PAGE;
    let t = exportStart(config, ctx.start);
    let seen: RecordId[] = ctx.start.value === t ? (ctx.start.boundaryIds ?? []) : [];

    for (;;) {
      const params: Params = { ...fixed, start_time: usParam ? t * 1e6 : t };
      const res = await client.get(path, params, { bucket: bucketOf(d), stream: ctx.label, passStatuses: [400, 422] });
      if (res.status !== 200) {
        if (isTooRecent(res)) return;
        throw unexpectedAnswer(path, res);
      }
      // A page size the HTTP layer shrank after timeouts stays shrunk for the rest of this export.
      if (res.params.per_page !== undefined) fixed.per_page = res.params.per_page;
      const body = asBody(res);
      checkRecordsKey(ctx.label, d, res.body, res.requestId);
      const all = recordsOf(res.body, d);
      const fresh = dropSeen(all, d, t, seen);
      let end = toSeconds(body.end_time, usParam);
      checkWindow(ctx.label, d, all, t, end, res.requestId);
      if (end === undefined) {
        // Without end_time the last record's second is the only safe resume point.
        end = all.length ? (recordEpoch(all[all.length - 1]!, d) ?? t) : t;
      }
      if (end < t) end = t;
      const { records, clipped } = clipToEnd(fresh, d, config.endTime);
      let position: Position;
      if (clipped) {
        const cut = config.endTime!;
        position = { value: cut, boundaryIds: [...(cut === t ? seen : []), ...idsAt(records, d, cut)] };
      } else {
        const atEnd = idsAt(all, d, end);
        position = { value: end, boundaryIds: end === t ? unique([...seen, ...atEnd]) : atEnd };
      }
      const pageSize = Number(res.params[pageParam] ?? d.pageSize ?? EXPORT_PAGE);
      const count = typeof body.count === 'number' ? body.count : all.length;
      const ended = clipped || (countStop ? count < pageSize : body.end_of_stream === true || (body.end_of_stream === undefined && count < pageSize));
      yield { records, body, position, extractedAt: Date.now(), last: ended };
      if (ended) return;
      if (end === t && fresh.length === 0) {
        // Zendesk widens a page whose items share one second: a page of only records already read,
        // with the same end_time, would be asked for again forever.
        throw new GuaranteeError(ctx.label, `the export did not advance past ${new Date(t * 1000).toISOString()} (a full page of records already read, and the same end_time)`, res.requestId);
      }
      t = end;
      seen = position.boundaryIds ?? [];
    }
  };
}

function toSeconds(v: unknown, micro: boolean): number | undefined {
  if (typeof v !== 'number' && !(typeof v === 'string' && /^\d+$/.test(v))) return undefined;
  const n = Number(v);
  return micro ? Math.floor(n / 1e6) : Math.floor(n);
}

function unique(ids: RecordId[]): RecordId[] {
  return [...new Set(ids)];
}

export const timeExport = makeTimeExport(false);
export const countExport = makeTimeExport(true);
