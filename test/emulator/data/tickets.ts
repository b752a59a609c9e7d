import { ACCOUNT_URL } from '../options.js';
import { epochOf, iso } from '../clock.js';
import { below, hash32, pick, unit } from '../rng.js';
import { AUDITS_PER_TICKET_SLOT, CHILDREN_PER_AUDIT_SLOT, ID } from './ids.js';
import type { Rec } from './collection.js';
import type { Timeline } from './timeline.js';
import { CUSTOM_FIELDS, TAG_NAMES, customValue } from './catalog.js';
import { agentCount, orgIdAt, userIdAt } from './people.js';

// Shapes: ticket keys as in a real 2024 export [obs] (zendesk-api.md §3.10); audits, ticket events (top-level `via`
// a string [doc+3p] §3.3), metric sets, metric events (§3.1 [doc]) and ratings after the OAS schemas. Values invented.
/** Tickets and everything hanging off them: audits/events, metrics, metric events, ratings. */

export interface TicketCtx {
  seed: number;
  tl: Timeline;
  users: number;
  organizations: number;
  groups: number;
  brands: number;
}

/** A ticket's events lie at most this many records (plus an hour) before its own slot. */
export const EVENT_LAG = 40;

const VIA_LABEL: Record<string, string> = {
  web: 'Web form',
  email: 'Mail',
  api: 'Web service',
  mobile: 'Mobile',
  chat: 'Chat',
  voice: 'Voice',
};
const CHANNELS = ['web', 'web', 'email', 'email', 'api', 'mobile', 'chat', 'voice'];
const SUBJECTS = [
  'Cannot log in after password reset',
  'Invoice shows the wrong amount',
  'Anvil delivered to the wrong address',
  'Rocket skates stop working above 60 mph',
  'How do I export my data?',
  'Feature request: dark mode',
  'Refund for duplicate charge',
  'SSO configuration question',
  'App crashes on startup',
  'Shipping delay for order',
];
const STATUSES = ['new', 'open', 'pending', 'hold', 'solved', 'closed'] as const;

export interface TicketPlan {
  i: number;
  id: number;
  g: number;
  createdAt: number;
  updatedAt: number;
  deleted: boolean;
  archived: boolean;
  status: string;
  audits: number;
  channel: string;
}

/** The cheap facts about base ticket i, without building the record. */
export function ticketPlan(ctx: TicketCtx, i: number): TicketPlan {
  const { seed, tl } = ctx;
  const g = tl.ts(i);
  const h = (k: number): number => unit(seed, 300 + k, i);
  const lag = below(EVENT_LAG, seed, 301, i);
  const createdAt = Math.min(g, tl.ts(Math.max(0, i - lag)) - below(3600, seed, 302, i));
  const deleted = h(3) < 0.1;
  // System updates move generated_timestamp but not updated_at.
  const systemUpdated = !deleted && h(4) < 0.15;
  const updatedAt = systemUpdated ? Math.max(createdAt, g - 1 - below(1800, seed, 305, i)) : g;
  const archived = !deleted && i < tl.n * 0.35 && h(6) < 0.35;
  let status: string;
  if (deleted) status = 'deleted';
  else if (archived) status = 'closed';
  else {
    const u = h(7);
    status = u < 0.08 ? 'new' : u < 0.3 ? 'open' : u < 0.4 ? 'pending' : u < 0.44 ? 'hold' : u < 0.75 || i > tl.n * 0.6 ? 'solved' : 'closed';
  }
  const audits = deleted ? 2 : createdAt === updatedAt ? 1 : 1 + below(3, seed, 308, i);
  return { i, id: ID.ticket + i + 1, g, createdAt, updatedAt, deleted, archived, status, audits, channel: pick(CHANNELS, seed, 309, i) };
}

export function eventLowerBound(ctx: TicketCtx, i: number): number {
  return ctx.tl.ts(Math.max(0, i - EVENT_LAG)) - 3600;
}

function requesterIndex(ctx: TicketCtx, i: number): number {
  const agents = agentCount(ctx.users);
  return ctx.users > agents ? agents + below(ctx.users - agents, ctx.seed, 320, i) : below(ctx.users, ctx.seed, 320, i);
}

function assigneeIndex(ctx: TicketCtx, i: number): number {
  return 1 + below(Math.max(1, agentCount(ctx.users) - 1), ctx.seed, 321, i);
}

export function ratingFor(ctx: TicketCtx, p: TicketPlan, requesterId: number, assigneeId: number | null, groupId: number): Rec | null {
  if (p.deleted || (p.status !== 'solved' && p.status !== 'closed') || unit(ctx.seed, 330, p.i) >= 0.4) return null;
  const id = ID.satisfactionRating + p.i + 1;
  const score = pick(['good', 'good', 'good', 'bad', 'offered'], ctx.seed, 331, p.i);
  const changedLater = unit(ctx.seed, 332, p.i) < 0.2;
  return {
    url: `${ACCOUNT_URL}/satisfaction_ratings/${id}.json`,
    id,
    assignee_id: assigneeId,
    group_id: groupId,
    requester_id: requesterId,
    ticket_id: p.id,
    score,
    comment: score === 'offered' ? null : score === 'good' ? 'Thanks, quick and helpful!' : 'Took too long.',
    reason: score === 'bad' ? 'The issue took too long to resolve' : null,
    reason_id: score === 'bad' ? 360000001 + below(4, ctx.seed, 333, p.i) : null,
    // The rating is created with the ticket's last change; ids follow that order.
    created_at: iso(p.g),
    updated_at: iso(changedLater ? p.g + 3600 + below(86_400, ctx.seed, 334, p.i) : p.g),
  };
}

export function makeTicket(ctx: TicketCtx, i: number): Rec {
  const p = ticketPlan(ctx, i);
  const { seed } = ctx;
  const requesterId = userIdAt(requesterIndex(ctx, i));
  const assigneeId = p.status === 'new' ? null : userIdAt(assigneeIndex(ctx, i));
  const groupId = ID.group + 1 + below(Math.max(1, ctx.groups - 1), seed, 322, i);
  const subject = `${pick(SUBJECTS, seed, 323, i)} #${i + 1}`;
  const rating = ratingFor(ctx, p, requesterId, assigneeId, groupId);
  const customFields = CUSTOM_FIELDS.map((def) => ({ id: def.id, value: customValue(def, seed, i) }));
  const channel = p.channel;
  return {
    url: `${ACCOUNT_URL}/tickets/${p.id}.json`,
    id: p.id,
    external_id: unit(seed, 324, i) < 0.1 ? `ext-${i}` : null,
    via: {
      channel,
      source: channel === 'email' ? { from: { address: `customer${i}@example.test`, name: 'Customer' }, to: { address: 'support@acme.zendesk.com', name: 'Acme' }, rel: null } : { from: {}, to: {}, rel: null },
    },
    created_at: iso(p.createdAt),
    updated_at: iso(p.updatedAt),
    generated_timestamp: p.g,
    type: pick(['question', 'incident', 'problem', 'task', null], seed, 325, i),
    subject,
    raw_subject: subject,
    description: `Hello,\n\n${subject.toLowerCase()}. Please help.\n\nThanks`,
    priority: pick(['low', 'normal', 'normal', 'high', 'urgent', null], seed, 326, i),
    status: p.status,
    recipient: channel === 'email' ? 'support@acme.zendesk.com' : null,
    requester_id: requesterId,
    submitter_id: requesterId,
    assignee_id: assigneeId,
    organization_id: ctx.organizations > 0 && unit(seed, 327, i) < 0.6 ? orgIdAt(below(ctx.organizations, seed, 328, i)) : null,
    group_id: groupId,
    collaborator_ids: [],
    follower_ids: [],
    email_cc_ids: [],
    forum_topic_id: null,
    problem_id: null,
    has_incidents: false,
    is_public: true,
    due_at: null,
    tags: TAG_NAMES.filter((_, k) => unit(seed, 329, i, k) < 0.08),
    custom_fields: customFields,
    satisfaction_rating: rating ? { id: rating.id, score: rating.score, comment: rating.comment } : { score: 'unoffered' },
    sharing_agreement_ids: [],
    custom_status_id: ID.customStatus + 1 + STATUSES.indexOf(p.status === 'deleted' ? 'closed' : (p.status as (typeof STATUSES)[number])),
    fields: customFields.map((f) => ({ ...f, value: Array.isArray(f.value) ? [...f.value] : f.value })),
    followup_ids: [],
    ticket_form_id: ID.ticketForm + 1,
    brand_id: ID.brand + 1 + below(Math.max(1, ctx.brands), seed, 335, i),
    allow_channelback: false,
    allow_attachments: true,
    from_messaging_channel: channel === 'chat',
    // Undocumented extras seen in real payloads.
    encoded_id: (hash32(seed, i, 336).toString(36) + 'ZZZZZZ').slice(0, 6).toUpperCase() + '-' + ((i % 9000) + 1000),
    support_type: 'agent',
  };
}

/** Internal audit description, rendered as a ticket event or an audit. */
export interface AuditSpec {
  id: number;
  ticketId: number;
  ts: number;
  authorId: number;
  channel: string;
  create?: Record<string, unknown>;
  changes: Array<{ field: string; value: unknown; previous: unknown }>;
  comment?: { id: number; body: string; public: boolean; authorId: number };
}

export function auditId(i: number, k: number): number {
  return ID.audit + i * AUDITS_PER_TICKET_SLOT + k * CHILDREN_PER_AUDIT_SLOT;
}

/** Audits of base ticket i (immutable history; mutations append new ones). */
export function baseAudits(ctx: TicketCtx, i: number, p = ticketPlan(ctx, i)): AuditSpec[] {
  const { seed } = ctx;
  const requesterId = userIdAt(requesterIndex(ctx, i));
  const agentId = userIdAt(assigneeIndex(ctx, i));
  const out: AuditSpec[] = [];
  let prevStatus = 'new';
  for (let k = 0; k < p.audits; k++) {
    const ts = p.audits === 1 ? p.createdAt : p.createdAt + Math.floor(((p.updatedAt - p.createdAt) * k) / (p.audits - 1));
    const id = auditId(i, k);
    if (k === 0) {
      out.push({
        id,
        ticketId: p.id,
        ts,
        authorId: requesterId,
        channel: p.channel,
        create: { subject: `${pick(SUBJECTS, seed, 323, i)} #${i + 1}`, status: 'new' },
        changes: [],
        comment: { id: id + 1, body: `Hello,\n\n${pick(SUBJECTS, seed, 323, i).toLowerCase()} #${i + 1}. Please help.\n\nThanks`, public: true, authorId: requesterId },
      });
      continue;
    }
    const last = k === p.audits - 1;
    const status = last ? p.status : 'open';
    const hasComment = !p.deleted || !last ? unit(seed, 340, i, k) < 0.7 : false;
    const fromAgent = unit(seed, 341, i, k) < 0.6;
    out.push({
      id,
      ticketId: p.id,
      ts,
      authorId: fromAgent ? agentId : requesterId,
      channel: fromAgent ? 'web' : p.channel,
      changes: status !== prevStatus ? [{ field: 'status', value: status, previous: prevStatus }] : [],
      ...(hasComment
        ? { comment: { id: id + 1, body: fromAgent ? 'Thanks for reaching out, we are looking into it.' : 'Any update on this?', public: unit(seed, 342, i, k) < 0.7, authorId: fromAgent ? agentId : requesterId } }
        : {}),
    });
    prevStatus = status;
  }
  return out;
}

const SYSTEM = {
  client: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
  ip_address: '203.0.113.42',
  location: 'Berlin, BE, Germany',
  latitude: 52.5167,
  longitude: 13.4,
};

function htmlOf(body: string): string {
  return `<div class="zd-comment" dir="auto">${body
    .split('\n\n')
    .map((p) => `<p dir="auto">${p.replace(/\n/g, '<br>')}</p>`)
    .join('')}</div>`;
}

export function commentObject(a: AuditSpec): Rec {
  const c = a.comment!;
  return {
    id: c.id,
    via: { channel: a.channel, source: { from: {}, to: {}, rel: null } },
    via_reference_id: null,
    type: 'Comment',
    author_id: c.authorId,
    body: c.body,
    html_body: htmlOf(c.body),
    plain_body: c.body,
    public: c.public,
    attachments: [],
    audit_id: a.id,
    created_at: iso(a.ts),
    event_type: 'Comment',
  };
}

/** The `ticket_events` export shape; `via` is a label string at this level. */
export function renderTicketEvent(a: AuditSpec, withComments: boolean): Rec {
  const via = VIA_LABEL[a.channel] ?? 'Web form';
  const children: Rec[] = [];
  // Child ids: comment +1, created fields +2.., changes +8.. (all inside the audit's id slot).
  // One Create event per property set ("Ticket Audit events reference": "A separate event is created for each property set").
  if (a.create) Object.entries(a.create).forEach(([field, value], k) => children.push({ id: a.id + 2 + k, via, via_reference_id: null, [field]: value, event_type: 'Create' }));
  if (a.comment) {
    children.push(withComments ? commentObject(a) : { id: a.comment.id, via, via_reference_id: null, comment_present: true, comment_public: a.comment.public, event_type: 'Comment' });
  }
  a.changes.forEach((ch, k) => children.push({ id: a.id + 8 + k, via, via_reference_id: null, [ch.field]: ch.value, previous_value: ch.previous, event_type: 'Change' }));
  return {
    id: a.id,
    ticket_id: a.ticketId,
    timestamp: a.ts,
    created_at: iso(a.ts),
    updater_id: a.authorId,
    via,
    system: SYSTEM,
    event_type: 'Audit',
    merged_ticket_ids: [],
    child_events: children,
  };
}

/** The `/ticket_audits` and `/tickets/{id}/audits` shape. */
export function renderAudit(a: AuditSpec): Rec {
  const events: Rec[] = [];
  if (a.create) Object.entries(a.create).forEach(([field, value], k) => events.push({ id: a.id + 2 + k, type: 'Create', field_name: field, value }));
  if (a.comment) {
    const { via: _via, via_reference_id: _ref, event_type: _et, created_at: _ca, ...c } = commentObject(a);
    events.push(c);
  }
  a.changes.forEach((ch, k) => events.push({ id: a.id + 8 + k, type: 'Change', field_name: ch.field, value: ch.value, previous_value: ch.previous }));
  return {
    id: a.id,
    ticket_id: a.ticketId,
    created_at: iso(a.ts),
    author_id: a.authorId,
    metadata: { system: SYSTEM, custom: {} },
    via: { channel: a.channel, source: { from: {}, to: {}, rel: null } },
    events,
  };
}

/** The metric set of a (possibly mutated) ticket; the index drives the random parts. */
export function makeMetricSet(seed: number, i: number, t: Rec): Rec {
  const id = ID.ticketMetric + i + 1;
  const created = epochOf(t.created_at as string);
  const updated = epochOf(t.updated_at as string);
  const span = Math.max(0, updated - created);
  const solved = t.status === 'solved' || t.status === 'closed';
  const mins = (m: number, u: number): Rec => ({ calendar: m, business: Math.floor(m * u) });
  const reply = t.status === 'new' ? null : Math.max(1, Math.floor(span / 60 / 3));
  const full = solved ? Math.floor(span / 60) : null;
  const assigned = t.assignee_id ? iso(created + Math.floor(span / 4)) : null;
  return {
    url: `${ACCOUNT_URL}/ticket_metrics/${id}.json`,
    id,
    ticket_id: t.id,
    created_at: t.created_at,
    updated_at: t.updated_at,
    group_stations: 1 + below(2, seed, 350, i),
    assignee_stations: t.assignee_id ? 1 + below(2, seed, 351, i) : 0,
    reopens: below(3, seed, 352, i) === 2 ? 1 : 0,
    replies: below(5, seed, 353, i),
    assignee_updated_at: assigned,
    requester_updated_at: t.created_at,
    status_updated_at: t.updated_at,
    initially_assigned_at: assigned,
    assigned_at: assigned,
    solved_at: solved ? t.updated_at : null,
    latest_comment_added_at: t.updated_at,
    custom_status_updated_at: t.updated_at,
    reply_time_in_minutes: mins(reply ?? 0, 0.6),
    reply_time_in_seconds: { calendar: (reply ?? 0) * 60 },
    first_resolution_time_in_minutes: mins(full ?? 0, 0.5),
    full_resolution_time_in_minutes: mins(full ?? 0, 0.5),
    agent_wait_time_in_minutes: mins(Math.floor(span / 600), 0.5),
    requester_wait_time_in_minutes: mins(Math.floor(span / 300), 0.5),
    on_hold_time_in_minutes: mins(t.status === 'hold' ? Math.floor(span / 900) : 0, 1),
  };
}

export interface MetricEventSpec {
  ts: number;
  id: number;
  rec: Rec;
}

/** Metric events of a non-deleted ticket, within [created_at, updated_at]. */
export function metricEvents(seed: number, i: number, t: Rec, slaPolicy: Rec | undefined): MetricEventSpec[] {
  if (t.status === 'deleted') return [];
  const created = epochOf(t.created_at as string);
  const updated = epochOf(t.updated_at as string);
  const out: MetricEventSpec[] = [];
  const add = (ts: number, metric: string, type: string, extra: Rec = {}): void => {
    const id = ID.metricEvent + i * 16 + out.length;
    out.push({ ts, id, rec: { id, ticket_id: t.id, metric, instance_id: 1, type, time: iso(ts), ...extra } });
  };
  if (slaPolicy) {
    add(created, 'reply_time', 'apply_sla', {
      sla: { target: 60, business_hours: false, policy: { id: slaPolicy.id, title: slaPolicy.title, description: slaPolicy.description } },
    });
  }
  add(created, 'agent_work_time', 'activate');
  add(created, 'pausable_update_time', 'activate');
  add(created, 'reply_time', 'activate');
  add(created, 'requester_wait_time', 'activate');
  if (unit(seed, 360, i) < 0.15) add(Math.min(updated, created + 3600), 'reply_time', 'breach', { deleted: unit(seed, 361, i) < 0.3 });
  if (updated > created) {
    const mid = created + Math.floor((updated - created) / 2);
    add(mid, 'reply_time', 'fulfill');
    add(mid, 'agent_work_time', 'update_status', { status: { calendar: Math.floor((mid - created) / 60), business: Math.floor((mid - created) / 120) } });
  }
  if (t.status === 'solved' || t.status === 'closed') {
    add(updated, 'agent_work_time', 'fulfill');
    add(updated, 'requester_wait_time', 'fulfill');
    add(updated, 'resolution_time', 'measure');
  } else if (t.status === 'pending' || t.status === 'hold') {
    add(updated, 'requester_wait_time', 'pause');
  }
  return out.sort((a, b) => a.ts - b.ts || a.id - b.id);
}
