import { epochOf } from './clock.js';
import { E, ReplyError } from './errors.js';
import { Registry, type RouteCtx } from './registry.js';
import { type ListSource, arraySource, cursorList, requireStartTime, timeExport } from './pagination.js';
import type { Rec } from './data/collection.js';
import { commentObject, renderAudit, renderTicketEvent } from './data/tickets.js';
import { addSupportMoreRoutes } from './routes-support-more.js';
import { addTalkRoutes } from './routes-talk.js';
import { addChatRoutes } from './routes-chat.js';
import { addHelpCenterRoutes } from './routes-help-center.js';

/** The Support endpoints the tap reads; Talk, Chat, Help Center and the rest of Support come from routes-*.ts. */

const includes = (c: RouteCtx, what: string): boolean => (c.q.get('include') ?? '').split(',').includes(what);
const flag = (c: RouteCtx, name: string): boolean => c.q.get(name) === 'true';

function ticketScan(c: RouteCtx) {
  const excludeDeleted = flag(c, 'exclude_deleted');
  return {
    key: 'tickets',
    scan: function* (from: number) {
      for (const t of c.data.tickets.byTs(from)) if (!excludeDeleted || t.status !== 'deleted') yield t;
    },
    tsOf: c.data.tickets.tsOf,
    decorate: (items: Rec[]) => ({
      items: includes(c, 'metric_sets') ? items.map((t) => (t.status === 'deleted' ? t : { ...t, metric_set: c.data.metricSetOf(t) })) : items,
    }),
  };
}

function userScan(c: RouteCtx) {
  return {
    key: 'users',
    scan: (from: number) => c.data.users.byTs(from),
    tsOf: c.data.users.tsOf,
    decorate: (items: Rec[]) => (includes(c, 'identities') ? { items, extra: { identities: items.flatMap((u) => c.data.identitiesOf(u)) } } : { items }),
  };
}

/** Large id-ordered collections as a ListSource. */
function byIdSource(iter: (afterId: number | undefined) => Iterable<Rec>, count?: () => number): ListSource {
  return {
    keyOf: (r) => String(r.id),
    records: (_q, after) => iter(after === undefined ? undefined : Number(after)),
    ...(count ? { count: () => count() } : {}),
  };
}

function* filter<T>(it: Iterable<T>, keep: (x: T) => boolean): Generator<T> {
  for (const x of it) if (keep(x)) yield x;
}

/** Resumable (ts, id)-ordered stream as a ListSource; key "ts.id". */
function byTsSource(scan: (fromTs: number) => Iterable<Rec>, tsOf: (r: Rec) => number, fromTs: number): ListSource {
  return {
    keyOf: (r) => `${tsOf(r)}.${r.id as number}`,
    records: function* (_q, after) {
      const [ats, aid] = after ? after.split('.').map(Number) : [fromTs, -1];
      for (const r of scan(Math.max(fromTs, ats!))) {
        if (tsOf(r) === ats && (r.id as number) <= aid!) continue;
        yield r;
      }
    },
  };
}

/** Newest first by (ts, id), resumable after a "ts.id" key; materialises the (small) feed. */
export function descByTsSource(all: () => Iterable<Rec>, tsOf: (r: Rec) => number): ListSource {
  const key = (r: Rec): [number, number] => [tsOf(r), r.id as number];
  return {
    keyOf: (r) => key(r).join('.'),
    records: (_q, after) => {
      const rows = [...all()].sort((a, b) => key(b)[0] - key(a)[0] || key(b)[1] - key(a)[1]);
      if (!after) return rows;
      const [ats, aid] = after.split('.').map(Number) as [number, number];
      return rows.filter((r) => key(r)[0] < ats || (key(r)[0] === ats && key(r)[1] < aid));
    },
  };
}

export function liveTicket(c: RouteCtx): Rec {
  const t = c.data.tickets.get(Number(c.params.id));
  if (!t || t.status === 'deleted') throw new ReplyError(E.recordNotFound());
  return t;
}

export function supportRoutes(): Registry {
  const r = new Registry();
  const metricTime = (m: Rec): number => epochOf(m.time as string);

  // ----------------------------------------------------------- incremental exports
  // docs /api-reference/ticketing/ticket-management/incremental_exports/#query-string-parameters:
  // start_time, cursor (cursor exports), per_page ≤ 1000 (tickets, ticket events, users, organizations),
  // include, exclude_deleted (tickets). include=metric_sets / identities: [3p] singer-io, Airbyte (zendesk-api.md §1.7).
  r.cursorExport('/api/v2/incremental/tickets/cursor', ticketScan) // OAS IncrementalTicketExportCursor
    .timeExport('/api/v2/incremental/tickets', ticketScan) // OAS IncrementalTicketExportTime
    .cursorExport('/api/v2/incremental/users/cursor', userScan) // OAS IncrementalUserExportCursor
    .timeExport('/api/v2/incremental/users', userScan) // OAS IncrementalUserExportTime
    // OAS IncrementalOrganizationExport
    .timeExport('/api/v2/incremental/organizations', (c) => ({
      key: 'organizations',
      scan: (from) => c.data.organizations.byTs(from),
      tsOf: c.data.organizations.tsOf,
    }))
    // OAS IncrementalTicketEvents; include=comment_events: docs incremental_exports/#incremental-ticket-event-export
    .timeExport('/api/v2/incremental/ticket_events', (c) => {
      const withComments = includes(c, 'comment_events');
      return {
        key: 'ticket_events',
        scan: function* (from) {
          for (const a of c.data.audits(from)) yield renderTicketEvent(a, withComments);
        },
        tsOf: (e) => e.timestamp as number,
      };
    })
    // OAS ListTicketMetricEvents: start_time, include_changes; cursor paging (page[size] ≤ 100), otherwise
    // "returned as a time-based incremental export". per_page is not documented here: ignored.
    .add('/api/v2/incremental/ticket_metric_events', (c) => {
      const start = requireStartTime(c.q, c.clock);
      const key = 'ticket_metric_events';
      const scan = function* (from: number) {
        for (const e of c.data.metricEvents(from)) yield e.rec;
      };
      if (c.q.has('page[size]') || c.q.has('page[after]')) {
        const limit = c.clock.now - 60;
        const windowed = function* (from: number) {
          for (const m of scan(from)) {
            if (metricTime(m) > limit) return;
            yield m;
          }
        };
        return cursorList(c, byTsSource(windowed, metricTime, start), { key, order: 'time,id' });
      }
      // Time mode: the OAS example has no end_of_stream here. assumption: a page of 1000 (the
      // time-based export default; the tap must stop on count < 1000 or follow next_page either way).
      return timeExport(c, c.clock, { key, scan, tsOf: metricTime }, { endOfStream: false, fixedSize: 1000 });
    });

  // ----------------------------------------------------------- lists
  // Paging per operation: OAS "#### Pagination" (cursor page[size] ≤ 100 and/or offset page/per_page);
  // response shapes and stop rules: docs /api-reference/introduction/pagination/ + [obs] (zendesk-api.md §2.1).
  // `sort` is honoured or validated only where the operation documents it (ListOptions.sorts).
  // OAS ListGroups: exclude_deleted; default order name,id [obs]
  r.list('/api/v2/groups', 'groups', (c) => arraySource(() => (flag(c, 'exclude_deleted') ? c.data.groups.filter((g) => !g.deleted) : c.data.groups)))
    .list('/api/v2/brands', 'brands', (c) => arraySource(() => c.data.brands)) // OAS ListBrands
    // OAS ListTicketFields: cursor or no pagination; locale, creator not emulated (no effect on the data)
    .list('/api/v2/ticket_fields', 'ticket_fields', (c) => arraySource(() => c.data.ticketFields))
    // OAS ListTags: "in decreasing popularity"; items {name, count} [obs]
    .list('/api/v2/tags', 'tags', (c) => arraySource(() => c.data.tags, (t) => t.name as string), { order: '-score,id' })
    .list('/api/v2/group_memberships', 'group_memberships', (c) => arraySource(() => c.data.groupMemberships))
    // OAS ListSatisfactionRatings: cursor + offset paging; filters score, start_time, end_time (on created_at,
    // zendesk-api.md §3.2 [doc]). No `sort` is documented: it is ignored; the order is by id (= creation).
    .list(
      '/api/v2/satisfaction_ratings',
      'satisfaction_ratings',
      (c) => {
        const start = Number(c.q.get('start_time') ?? 0) || 0;
        const end = c.q.has('end_time') ? Number(c.q.get('end_time')) : Infinity;
        let score = c.q.get('score');
        if (score === 'received') score = null;
        const keep = (x: Rec): boolean => !score || x.score === score;
        return {
          keyOf: (x) => String(x.id),
          records: (_q, after) => filter(c.data.ratings(start, end, after === undefined ? undefined : Number(after)), keep),
        };
      },
    )
    // Approximate counts (`refreshed_at` says how stale): OAS CountTickets, CountUsers, CountOrganizations.
    .add('/api/v2/tickets/count', (c) => countBody(c.data.listedTicketCount(), c.clock.now))
    .add('/api/v2/users/count', (c) => countBody(c.data.users.n, c.clock.now))
    .add('/api/v2/organizations/count', (c) => countBody(c.data.organizations.n, c.clock.now))
    // OAS ListTickets; docs tickets/#sorting: sort=updated_at|id|status under cursor paging, default id.
    // Archived tickets left out [doc] (zendesk-api.md §1.6).
    .list(
      '/api/v2/tickets',
      'tickets',
      (c) => byIdSource((after) => filter(c.data.tickets.byId(after), (t) => c.data.isListed(t)), () => c.data.listedTicketCount()),
      { sorts: ['updated_at', 'id', 'status'], order: 'id' },
    )
    .list('/api/v2/ticket_metrics', 'ticket_metrics', (c) => ({
      // OAS ListTicketMetrics: "ordered chronologically by created date, from newest to oldest", archived left out.
      // The cursor keys on the ticket behind each metric set.
      keyOf: (m) => String(m.ticket_id),
      records: (_q, after) =>
        (function* () {
          for (const t of c.data.tickets.byId(after === undefined ? undefined : Number(after), true)) if (c.data.isListed(t)) yield c.data.metricSetOf(t);
        })(),
      count: () => c.data.listedTicketCount(),
    }))
    .list(
      '/api/v2/ticket_audits',
      'audits',
      (c) => {
        const live = function* (from: number) {
          for (const a of c.data.audits(from)) {
            const t = c.data.tickets.get(a.ticketId);
            if (t && c.data.isListed(t)) yield renderAudit(a);
          }
        };
        // OAS ListTicketAudits documents page[before], page[after], page[size] only: `sort`, sort_by and
        // sort_order are ignored. Order created_at,id ascending [obs] (zendesk-api.md §2.1); archived left out [doc].
        return byTsSource(live, (x) => epochOf(x.created_at as string), 0);
      },
      { paging: 'cursor', order: 'created_at,id' },
    )
    .list('/api/v2/users', 'users', (c) => byIdSource((after) => c.data.users.byId(after))) // OAS ListUsers (role filters not emulated)
    .list('/api/v2/organizations', 'organizations', (c) => byIdSource((after) => c.data.organizations.byId(after))) // OAS ListOrganizations
    // OAS ListUserIdentities
    .list('/api/v2/users/{id}/identities', 'identities', (c) =>
      arraySource(() => {
        const u = c.data.users.get(Number(c.params.id));
        if (!u) throw new ReplyError(E.recordNotFound());
        return c.data.identitiesOf(u);
      }),
    )
    // OAS ListAuditsForTicket; deleted ticket → 404 RecordNotFound [3p] (zendesk-api.md §1.6)
    .list('/api/v2/tickets/{id}/audits', 'audits', (c) => {
      liveTicket(c);
      return arraySource(() => c.data.auditsOfTicket(Number(c.params.id)).map(renderAudit));
    })
    // OAS ListTicketComments; docs ticket_comments/#sorting: sort=created_at|-created_at, default ascending
    .list(
      '/api/v2/tickets/{id}/comments',
      'comments',
      (c) => {
        liveTicket(c);
        return arraySource(() => c.data.auditsOfTicket(Number(c.params.id)).filter((a) => a.comment).map((a) => {
          const { via_reference_id: _r, event_type: _e, ...rest } = commentObject(a);
          return rest;
        }));
      },
      { sorts: ['created_at'], order: 'created_at,id' },
    )
    .unpaged('/api/v2/slas/policies', 'sla_policies', (c) => c.data.slaPolicies) // OAS ListSLAPolicies: no pagination declared
    .single('/api/v2/tickets/{id}', 'ticket', (c) => liveTicket(c)) // OAS ShowTicket
    // docs ticket_metrics/#show-ticket-metrics (no OAS path here); deleted ticket → 404 [3p]
    .single('/api/v2/tickets/{id}/metrics', 'ticket_metric', (c) => c.data.metricSetOf(liveTicket(c)))
    .single('/api/v2/users/{id}', 'user', (c) => c.data.users.get(Number(c.params.id)))
    .single('/api/v2/organizations/{id}', 'organization', (c) => c.data.organizations.get(Number(c.params.id)));

  addSupportMoreRoutes(r);
  addTalkRoutes(r);
  addChatRoutes(r);
  addHelpCenterRoutes(r);
  return r;
}

function countBody(value: number, now: number): Rec {
  return { count: { value, refreshed_at: new Date(now * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') } };
}
