/**
 * Side-loaded streams: records that arrive inside another stream's pages, so
 * they cost no request of their own. The only per-stream code in the engine.
 */
import type { JsonObject } from '../core/events.js';
import type { TicketComments, TicketEvents, TicketMetrics, Tickets, UserIdentities, Users } from '../generated/streams.js';
import { auditsOf, fieldHistoryOf } from './audit-events.js';

export interface PageContext {
  /** The parent's records on this page (after boundary de-duplication). */
  records: JsonObject[];
  /** The whole response body (top-level side-loads live here). */
  body: JsonObject;
}

export type Extractor = (page: PageContext) => JsonObject[];

const asArray = (v: unknown): JsonObject[] => (Array.isArray(v) ? (v as JsonObject[]) : []);

export const extractors: Record<string, Extractor> = {
  /**
   * `include=metric_sets` embeds one `metric_set` per ticket (none for deleted
   * tickets). The ticket's generated_timestamp is the stream's replication key:
   * a metric set changes exactly when its ticket is re-exported.
   */
  metric_sets: ({ records }) => {
    const out: TicketMetrics[] = [];
    for (const t of records as Array<Tickets & { metric_set?: TicketMetrics | null }>) {
      const m = t.metric_set;
      if (m && typeof m === 'object') out.push({ ...m, ticket_id: m.ticket_id ?? t.id, generated_timestamp: t.generated_timestamp });
    }
    return out;
  },
  /** `include=identities` adds a top-level array; keep those of this page's (fresh) users. */
  identities: ({ records, body }) => {
    const users = new Set((records as Users[]).map((u) => u.id));
    return (asArray(body.identities) as UserIdentities[]).filter((i) => users.has(i.user_id as number));
  },
  /** `include=comment_events`: comments are Comment child events of each ticket event. */
  comment_events: ({ records }) => {
    const out: TicketComments[] = [];
    for (const e of records as TicketEvents[]) {
      for (const c of asArray(e.child_events)) {
        if (c.event_type === 'Comment' || c.type === 'Comment') {
          out.push({ ...(c as TicketComments), ticket_id: e.ticket_id, created_at: e.created_at, timestamp: e.timestamp });
        }
      }
    }
    return out;
  },
  /** Each exported ticket event is one audit (src/streams/audit-events.ts). */
  audits: ({ records }) => auditsOf(records),
  /** Create/Change child events: one row per property set or changed. */
  field_history: ({ records }) => fieldHistoryOf(records),
  /** Talk IVRs embed their menus: one row per menu, with its IVR's id. */
  ivr_menus: ({ records }) => records.flatMap((ivr) => asArray(ivr.menus).map((m) => ({ ...m, ivr_id: ivr.id }))),
  /** ...and each menu its routes: one row per route, with its IVR's and menu's ids. */
  ivr_routes: ({ records }) =>
    records.flatMap((ivr) => asArray(ivr.menus).flatMap((m) => asArray(m.routes).map((r) => ({ ...r, ivr_id: ivr.id, ivr_menu_id: m.id })))),
};

/** Side-loads are taken off the parent record once extracted, so the parent's rows stay lean. */
export const embeddedKeys: Record<string, string> = { metric_sets: 'metric_set' };

/**
 * Side-loads that never reach the parent's own rows (taken off, or beside the
 * records): requested only when the stream extracted from them is selected.
 * Fetching metric sets for a tickets-only sync would make every page a third
 * bigger for nothing. Others (comment_events) enrich the parent's rows and
 * are always requested, so a stream's rows never depend on what else is selected.
 */
export const detachedSideloads = new Set(['metric_sets', 'identities']);

/**
 * Bodies whose records are not one array under `recordsKey` (descriptor
 * `reshape`): the paginator hands the whole parsed body (object or top-level
 * array) to the named function instead of reading `recordsKey`.
 */
export type Reshaper = (body: unknown, recordsKey: string) => JsonObject[];

const asObject = (v: unknown): JsonObject => (v && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : {});

export const reshapers: Record<string, Reshaper> = {
  /** `GET /api/v2/chat/bans` answers `{ip_address: [...], visitor: [...]}`: one stream, ordered by id (the since_id cursor). */
  chat_bans: (body) => {
    const b = asObject(body);
    return [...asArray(b.ip_address), ...asArray(b.visitor)].sort((x, y) => Number(x.id) - Number(y.id));
  },
  /** `{definitions: {conditions_all: [...], conditions_any: [...]}}`: one row per condition, `condition` says which list. */
  routing_attribute_definitions: (body, key) => {
    const defs = asObject(asObject(body)[key || 'definitions']);
    return [
      ...asArray(defs.conditions_all).map((c) => ({ ...c, condition: 'all' })),
      ...asArray(defs.conditions_any).map((c) => ({ ...c, condition: 'any' })),
    ];
  },
  /**
   * Talk stats snapshots (`{agents_overview: {...}}`): one row, stamped with when it was read
   * (epoch seconds). The stamp is the row's key, so a target keeps one row per snapshot: a time series.
   */
  talk_snapshot: (body, key) => {
    const o = asObject(asObject(body)[key]);
    return Object.keys(o).length ? [{ ...o, current_timestamp: Math.floor(Date.now() / 1000) }] : [];
  },
  /**
   * Account-level settings objects (`{settings: {...}}`, Chat's `{data: {...}}`) carry no id. The
   * constant `settings_scope: "account"` is their key, so a target upserts one row, the latest settings.
   */
  account_singleton: (body, key) => {
    const o = asObject(key ? asObject(body)[key] : body);
    return Object.keys(o).length ? [{ ...o, settings_scope: 'account' }] : [];
  },
};
