import { epochOf, iso, type VirtualClock } from '../clock.js';
import type { Sizes } from '../options.js';
import { pick, unit } from '../rng.js';
import { Collection, laggedMerge, mergeSorted, byTsId, type Rec } from './collection.js';
import { Timeline } from './timeline.js';
import { ID } from './ids.js';
import { makeBrands, makeGroupMemberships, makeGroups, makeSlaPolicies, makeTags, makeTicketFields } from './catalog.js';
import { agentCount, makeIdentities, makeOrganization, makeUser, userIdAt } from './people.js';
import {
  type AuditSpec,
  type MetricEventSpec,
  type TicketCtx,
  baseAudits,
  commentObject,
  eventLowerBound,
  makeMetricSet,
  makeTicket,
  metricEvents,
  ratingFor,
  renderTicketEvent,
  ticketPlan,
} from './tickets.js';

export type AuditItem = AuditSpec & { ts: number; id: number };

/**
 * The whole account: generated base records, an overlay of mutations, and the
 * derived views the routes and truth() need. Nothing here is proportional to
 * the number of tickets except on demand.
 */
export class Dataset {
  readonly tickets: Collection;
  readonly users: Collection;
  readonly organizations: Collection;
  readonly groups: Rec[];
  readonly brands: Rec[];
  readonly ticketFields: Rec[];
  readonly tags: Rec[];
  readonly slaPolicies: Rec[];
  readonly groupMemberships: Rec[];
  readonly ctx: TicketCtx;
  private readonly extraAudits: AuditItem[] = [];
  private readonly extraMetricEvents: MetricEventSpec[] = [];
  private auditSeq = 0;
  private listedCount: { version: number; count: number } | null = null;

  constructor(
    readonly seed: number,
    sizes: Required<Sizes>,
    private readonly clock: VirtualClock,
  ) {
    const tl = new Timeline(seed, 1000, sizes.tickets, [
      { at: 0.4, len: 35 },
      { at: 0.75, len: 12 },
    ]);
    this.ctx = { seed, tl, users: sizes.users, organizations: sizes.organizations, groups: sizes.groups, brands: sizes.brands };
    this.tickets = new Collection(tl, ID.ticket, (i) => makeTicket(this.ctx, i), (r) => r.generated_timestamp as number);
    const people = { users: sizes.users, organizations: sizes.organizations, groups: sizes.groups };
    const utl = new Timeline(seed, 2000, sizes.users, [{ at: 0.5, len: 32 }]);
    this.users = new Collection(utl, ID.user, (i) => makeUser(seed, i, utl.ts(i), people), (r) => epochOf(r.updated_at as string));
    const otl = new Timeline(seed, 3000, sizes.organizations, [{ at: 0.2, len: 30 }]);
    this.organizations = new Collection(otl, ID.organization, (i) => makeOrganization(seed, i, otl.ts(i), sizes.groups), (r) => epochOf(r.updated_at as string));
    this.groups = makeGroups(seed, sizes.groups);
    this.brands = makeBrands(seed, sizes.brands);
    this.ticketFields = makeTicketFields(seed);
    this.tags = makeTags(seed);
    this.slaPolicies = makeSlaPolicies(seed);
    const agents = Array.from({ length: agentCount(sizes.users) }, (_, a) => userIdAt(a));
    this.groupMemberships = makeGroupMemberships(seed, agents, this.groups.filter((g) => !g.deleted).map((g) => g.id as number));
  }

  // ------------------------------------------------------------ tickets

  ticketIndex(id: number): number {
    return this.tickets.indexOf(id);
  }

  /** Archived tickets leave the ordinary lists; only base tickets are archived. */
  isArchived(id: number): boolean {
    const i = this.ticketIndex(id);
    return i >= 0 && i < this.tickets.n && !this.tickets.isOverlaid(id) && ticketPlan(this.ctx, i).archived;
  }

  /** In `/tickets`: neither archived nor deleted. */
  isListed(t: Rec): boolean {
    return t.status !== 'deleted' && !this.isArchived(t.id as number);
  }

  listedTicketCount(): number {
    if (this.listedCount?.version !== this.tickets.version) {
      let count = 0;
      for (let i = 0; i < this.tickets.n; i++) {
        const id = this.tickets.idAt(i);
        if (this.tickets.isOverlaid(id)) continue;
        const p = ticketPlan(this.ctx, i);
        if (!p.deleted && !p.archived) count++;
      }
      for (const id of this.tickets.overlayIds()) if (this.tickets.get(id)!.status !== 'deleted') count++;
      this.listedCount = { version: this.tickets.version, count };
    }
    return this.listedCount.count;
  }

  metricSetOf(t: Rec): Rec {
    return makeMetricSet(this.seed, this.ticketIndex(t.id as number), t);
  }

  private slaFor(i: number): Rec | undefined {
    return unit(this.seed, 370, i) < 0.7 ? pick(this.slaPolicies, this.seed, 371, i) : undefined;
  }

  /** All audits (ticket events) with ts >= fromTs, ascending (ts, id). */
  audits(fromTs: number): Generator<AuditItem> {
    const base = laggedMerge<AuditItem>(
      this.ctx.tl.firstAtOrAfter(fromTs),
      this.tickets.n,
      (i) => baseAudits(this.ctx, i),
      (i) => eventLowerBound(this.ctx, i),
      fromTs,
    );
    return mergeSorted(base, this.extraAudits.filter((a) => a.ts >= fromTs));
  }

  auditsOfTicket(id: number): AuditItem[] {
    const i = this.ticketIndex(id);
    const base = i >= 0 && i < this.tickets.n ? baseAudits(this.ctx, i) : [];
    return [...base, ...this.extraAudits.filter((a) => a.ticketId === id)];
  }

  metricEvents(fromTs: number): Generator<MetricEventSpec> {
    const base = laggedMerge<MetricEventSpec>(
      this.ctx.tl.firstAtOrAfter(fromTs),
      this.tickets.n,
      (i) => {
        const p = ticketPlan(this.ctx, i);
        if (p.deleted) return [];
        const t = { id: p.id, status: p.status, created_at: iso(p.createdAt), updated_at: iso(p.updatedAt) };
        return metricEvents(this.seed, i, t, this.slaFor(i));
      },
      (i) => eventLowerBound(this.ctx, i),
      fromTs,
    );
    return mergeSorted(base, this.extraMetricEvents.filter((e) => e.ts >= fromTs));
  }

  /** Satisfaction ratings by id (= creation order), created_at within [start, end]. */
  *ratings(startTime = 0, endTime = Infinity, afterId?: number): Generator<Rec> {
    let i = this.ctx.tl.firstAtOrAfter(startTime);
    if (afterId !== undefined) i = Math.max(i, afterId - ID.satisfactionRating);
    for (; i < this.tickets.n; i++) {
      const p = ticketPlan(this.ctx, i);
      if (p.g > endTime) return;
      if (p.deleted || (p.status !== 'solved' && p.status !== 'closed')) continue;
      const t = makeTicket(this.ctx, i);
      const r = ratingFor(this.ctx, p, t.requester_id as number, t.assignee_id as number | null, t.group_id as number);
      if (r) yield r;
    }
  }

  identitiesOf(user: Rec): Rec[] {
    return makeIdentities(this.seed, user, this.users.indexOf(user.id as number));
  }

  // ------------------------------------------------------------ mutations

  private nextAuditId(): number {
    return ID.audit + 500_000_000 + ++this.auditSeq * 16;
  }

  private addAudit(a: Omit<AuditItem, 'id'>): void {
    const item = { ...a, id: this.nextAuditId() } as AuditItem;
    if (item.comment) item.comment.id = item.id + 1;
    this.extraAudits.push(item);
    this.extraAudits.sort(byTsId);
  }

  private requireTicket(id: number): Rec {
    const t = this.tickets.get(id);
    if (!t) throw new Error(`emulator: no ticket ${id}`);
    return structuredClone(t);
  }

  updateTicket(id: number, changes: Record<string, unknown> = {}): void {
    const now = this.clock.now();
    const t = this.requireTicket(id);
    const { comment, ...fields } = changes;
    const diff: AuditSpec['changes'] = [];
    for (const [k, v] of Object.entries(fields)) {
      if (JSON.stringify(t[k]) !== JSON.stringify(v)) diff.push({ field: k, value: v, previous: t[k] ?? null });
      t[k] = v;
    }
    if (!('subject' in fields) && !diff.length && comment === undefined) {
      // A bare update still needs a visible change, like an agent touching a field.
      const tags = [...((t.tags as string[]) ?? []), `touched_${now}`];
      diff.push({ field: 'tags', value: tags, previous: t.tags });
      t.tags = tags;
    }
    if ('custom_fields' in fields) t.fields = structuredClone(fields.custom_fields);
    t.updated_at = iso(now);
    t.generated_timestamp = now;
    this.tickets.put(t);
    const admin = userIdAt(0);
    this.addAudit({
      ticketId: id,
      ts: now,
      authorId: admin,
      channel: 'api',
      changes: diff,
      ...(comment !== undefined ? { comment: commentSpec(comment, admin) } : {}),
    });
    if ((t.status === 'solved' || t.status === 'closed') && diff.some((d) => d.field === 'status')) {
      const mid = ID.metricEvent + 900_000_000 + this.auditSeq * 4;
      this.extraMetricEvents.push({ ts: now, id: mid, rec: { id: mid, ticket_id: id, metric: 'agent_work_time', instance_id: 1, type: 'fulfill', time: iso(now) } });
      this.extraMetricEvents.sort(byTsId);
    }
  }

  systemUpdateTicket(id: number): void {
    const t = this.requireTicket(id);
    t.generated_timestamp = this.clock.now();
    this.tickets.put(t);
  }

  createTicket(fields: Record<string, unknown> = {}): number {
    const now = this.clock.now();
    const i = this.tickets.allocate();
    const { comment, ...rest } = fields;
    const t = makeTicket(this.ctx, i);
    Object.assign(t, {
      created_at: iso(now),
      updated_at: iso(now),
      generated_timestamp: now,
      status: 'new',
      assignee_id: null,
      satisfaction_rating: { score: 'unoffered' },
      ...rest,
    });
    if ('subject' in rest) t.raw_subject = rest.subject;
    if ('custom_fields' in rest) t.fields = structuredClone(rest.custom_fields);
    this.tickets.put(t);
    const body = typeof comment === 'string' ? comment : (t.description as string);
    this.addAudit({
      ticketId: t.id as number,
      ts: now,
      authorId: t.requester_id as number,
      channel: 'api',
      create: { subject: t.subject, status: t.status },
      changes: [],
      comment: { id: 0, body, public: true, authorId: t.requester_id as number },
    });
    for (const e of metricEvents(this.seed, i, t, this.slaFor(i))) this.extraMetricEvents.push(e);
    this.extraMetricEvents.sort(byTsId);
    return t.id as number;
  }

  deleteTicket(id: number): void {
    const now = this.clock.now();
    const t = this.requireTicket(id);
    const previous = t.status;
    t.status = 'deleted';
    t.updated_at = iso(now);
    t.generated_timestamp = now;
    this.tickets.put(t);
    this.addAudit({ ticketId: id, ts: now, authorId: userIdAt(0), channel: 'web', changes: [{ field: 'status', value: 'deleted', previous }] });
  }

  updateUser(id: number, changes: Record<string, unknown> = {}): void {
    const u = this.users.get(id);
    if (!u) throw new Error(`emulator: no user ${id}`);
    this.users.put({ ...structuredClone(u), ...changes, updated_at: iso(this.clock.now()) });
  }

  createUser(fields: Record<string, unknown> = {}): number {
    const now = this.clock.now();
    const i = this.users.allocate();
    const u = makeUser(this.seed, i, now, { users: Math.max(this.users.n, 10), organizations: this.ctx.organizations, groups: this.ctx.groups });
    Object.assign(u, { created_at: iso(now), updated_at: iso(now), role: 'end-user' }, fields);
    this.users.put(u);
    return u.id as number;
  }

  updateOrganization(id: number, changes: Record<string, unknown> = {}): void {
    const o = this.organizations.get(id);
    if (!o) throw new Error(`emulator: no organization ${id}`);
    this.organizations.put({ ...structuredClone(o), ...changes, updated_at: iso(this.clock.now()) });
  }

  createOrganizations(count: number, atSecond: number): number[] {
    const ids: number[] = [];
    for (let k = 0; k < count; k++) {
      const i = this.organizations.allocate();
      const o = makeOrganization(this.seed, i, atSecond, this.ctx.groups);
      o.created_at = iso(atSecond);
      this.organizations.put(o);
      ids.push(o.id as number);
    }
    return ids;
  }

  // ------------------------------------------------------------ ground truth

  /** What a complete sync from 2000-01-01 must yield per tap stream (exports: ts <= now - 60). */
  *truth(stream: string): Generator<Rec> {
    const limit = this.clock.now() - 60;
    function* upTo<T>(it: Iterable<T>, tsOf: (x: T) => number): Generator<T> {
      for (const x of it) {
        if (tsOf(x) > limit) return;
        yield x;
      }
    }
    function* each<T>(it: Iterable<T>, f: (x: T) => Iterable<Rec>): Generator<Rec> {
      for (const x of it) yield* f(x);
    }
    const tickets = () => upTo(this.tickets.byTs(0), this.tickets.tsOf);
    const users = () => upTo(this.users.byTs(0), this.users.tsOf);
    const audits = () => upTo(this.audits(0), (a) => a.ts);
    const streams: Record<string, () => Iterable<Rec>> = {
      tickets,
      ticket_metrics: () => each(tickets(), (t) => (t.status === 'deleted' ? [] : [this.metricSetOf(t)])),
      users,
      user_identities: () => each(users(), (u) => this.identitiesOf(u)),
      organizations: () => upTo(this.organizations.byTs(0), this.organizations.tsOf),
      ticket_events: () => each(audits(), (a) => [renderTicketEvent(a, true)]),
      ticket_comments: () => each(audits(), (a) => (a.comment ? [commentObject(a)] : [])),
      ticket_metric_events: () => each(upTo(this.metricEvents(0), (e) => e.ts), (e) => [e.rec]),
      satisfaction_ratings: () => this.ratings(),
      groups: () => this.groups,
      brands: () => this.brands,
      ticket_fields: () => this.ticketFields,
      tags: () => this.tags,
      sla_policies: () => this.slaPolicies,
      group_memberships: () => this.groupMemberships,
    };
    const get = streams[stream];
    if (!get) throw new Error(`emulator: no ground truth for stream "${stream}"`);
    yield* get();
  }
}

function commentSpec(c: unknown, authorId: number): NonNullable<AuditSpec['comment']> {
  if (typeof c === 'string') return { id: 0, body: c, public: true, authorId };
  const o = (c ?? {}) as { body?: string; public?: boolean; author_id?: number };
  return { id: 0, body: o.body ?? '', public: o.public ?? true, authorId: o.author_id ?? authorId };
}
