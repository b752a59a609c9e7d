import { epochOf, iso, type VirtualClock } from '../clock.js';
import type { Sizes } from '../options.js';
import { below, pick, unit } from '../rng.js';
import { Collection, laggedMerge, mergeSorted, byTsId, type Rec } from './collection.js';
import { Timeline } from './timeline.js';
import { ID } from './ids.js';
import { Store, uuid } from './store.js';
import { supportBuilders } from './support-more.js';
import { talkBuilders } from './talk.js';
import { chatBuilders, isoMicro, microOf } from './chat.js';
import { helpCenterBuilders } from './help-center.js';
import { ACCOUNT_URL, DEFAULT_ASSUMPTIONS, type Assumptions } from '../options.js';
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
  renderAudit,
  renderTicketEvent,
  ticketPlan,
  type TicketPlan,
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
  /** Small resources per product (data/store.ts): Support configuration, Talk, Chat, Help Center. */
  readonly support: Store;
  readonly talk: Store;
  readonly chat: Store;
  readonly hc: Store;
  readonly ctx: TicketCtx;
  private readonly extraSideConversations: Rec[] = [];
  private sideSeq = 0;
  private readonly extraAudits: AuditItem[] = [];
  private readonly extraMetricEvents: MetricEventSpec[] = [];
  private auditSeq = 0;
  private listedCount: { version: number; count: number } | null = null;

  constructor(
    readonly seed: number,
    sizes: Required<Sizes>,
    private readonly clock: VirtualClock,
    private readonly assume: () => Assumptions = () => DEFAULT_ASSUMPTIONS,
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
    const liveGroups = this.groups.filter((g) => !g.deleted).map((g) => g.id as number);
    const someUsers = (): number[] => Array.from({ length: Math.min(40, this.users.n) }, (_, i) => userIdAt(i));
    this.support = new Store(supportBuilders(seed, agents, liveGroups, someUsers));
    this.talk = new Store(talkBuilders(seed, sizes.calls, agents));
    this.chat = new Store(chatBuilders(seed, sizes.chats));
    this.hc = new Store(helpCenterBuilders(seed, sizes.articles, sizes.posts, someUsers()));
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

  // ------------------------------------------------------------ Support lists derived from tickets and users

  /** Tickets by id after `afterId`, building only those whose plan passes (base) or all changed ones. */
  private *ticketsWhere(afterId: number | undefined, planOk: (p: TicketPlan) => boolean): Generator<Rec> {
    const start = afterId === undefined ? 0 : Math.max(0, this.tickets.indexOf(afterId) + 1);
    for (let i = start; i < this.tickets.n; i++) {
      const id = this.tickets.idAt(i);
      if (this.tickets.isOverlaid(id)) yield this.tickets.get(id)!;
      else if (planOk(ticketPlan(this.ctx, i))) yield makeTicket(this.ctx, i);
    }
    const created = this.tickets.overlayIds().filter((id) => this.tickets.indexOf(id) >= this.tickets.n).sort((a, b) => a - b);
    for (const id of created) if (afterId === undefined || id > afterId) yield this.tickets.get(id)!;
  }

  /** `/deleted_tickets`: soft-deleted tickets, oldest id first. */
  *deletedTickets(afterId?: number): Generator<Rec> {
    for (const t of this.ticketsWhere(afterId, (p) => p.deleted)) {
      if (t.status !== 'deleted') continue;
      yield {
        id: t.id,
        subject: t.subject,
        description: t.description,
        actor: { id: userIdAt(0), name: 'Admin' },
        deleted_at: t.updated_at,
        previous_state: 'open',
      };
    }
  }

  /** `/organization_memberships`: one per user with an organization; its id follows the user's. */
  *organizationMemberships(afterId?: number): Generator<Rec> {
    const afterUser = afterId === undefined ? undefined : ID.user + (afterId - ID.orgMembership);
    for (const u of this.users.byId(afterUser)) {
      const orgId = u.organization_id as number | null;
      if (!orgId) continue;
      const id = ID.orgMembership + ((u.id as number) - ID.user);
      const org = this.organizations.get(orgId);
      yield {
        url: `${ACCOUNT_URL}/organization_memberships/${id}.json`,
        id,
        user_id: u.id,
        organization_id: orgId,
        organization_name: org?.name ?? null,
        default: true,
        view_tickets: false,
        created_at: u.created_at,
        // A changed user may have changed organization: the membership moves with it.
        updated_at: this.users.isOverlaid(u.id as number) ? u.updated_at : u.created_at,
      };
    }
  }

  private recentTickets(count: number): Rec[] {
    const out: Rec[] = [];
    for (let i = this.tickets.n - 1; i >= 0 && out.length < count; i--) {
      const p = ticketPlan(this.ctx, i);
      if (!p.deleted && !p.archived) out.push(makeTicket(this.ctx, i));
    }
    return out;
  }

  /** `/activities`: notifications about the most recent tickets. */
  ticketActivities(): Rec[] {
    return this.recentTickets(30).map((t, k) => {
      const id = ID.activity + k + 1;
      const verb = ['tickets.assignment', 'tickets.comment', 'tickets.priority_increase'][k % 3]!;
      const actor = { id: userIdAt(1 + (k % 3)), name: `Agent ${1 + (k % 3)}` };
      const user = { id: (t.assignee_id as number | null) ?? userIdAt(1), name: 'Assignee' };
      const ticket = { id: t.id, subject: t.subject };
      return {
        url: `${ACCOUNT_URL}/activities/${id}.json`,
        id,
        verb,
        title: `${actor.name}: ${verb === 'tickets.comment' ? 'commented on' : 'assigned'} ${t.subject as string}`,
        user_id: user.id,
        actor_id: actor.id,
        user,
        actor,
        object: { ticket },
        target: { ticket },
        created_at: t.updated_at,
        updated_at: t.updated_at,
      };
    });
  }

  /** `/skips`: tickets agents skipped in guided mode. */
  ticketSkips(): Rec[] {
    return this.recentTickets(45)
      .filter((_, k) => k % 3 === 0)
      .map((t, k) => ({
        id: ID.skip + k + 1,
        ticket_id: t.id,
        user_id: userIdAt(1 + (k % 3)),
        reason: ['Waiting on a colleague', 'Not my area', 'Needs a specialist'][k % 3],
        ticket: { id: t.id, subject: t.subject, status: t.status, url: t.url },
        created_at: t.updated_at,
        updated_at: t.updated_at,
      }));
  }

  /**
   * The incremental side conversation event export's records (docs side_conversation_event: the messages
   * of a side conversation are its events): a "create" when each side conversation was created and a
   * "reply" at its last update, oldest first.
   */
  sideConversationEvents(): Rec[] {
    const out: Rec[] = [];
    for (const t of this.tickets.byTs(0)) {
      for (const sc of this.sideConversationsOf(t.id as number)) {
        // Zendesk's example gives the create event the side conversation's own id.
        out.push(sideConversationEvent(sc, 'create', sc.created_at as string, sc.id as string));
        if (sc.updated_at !== sc.created_at) out.push(sideConversationEvent(sc, 'reply', sc.updated_at as string, uuid(this.seed, 705, textHash(sc.id as string))));
      }
    }
    return out.sort((a, b) => epochOf(a.created_at as string) - epochOf(b.created_at as string) || textHash(a.id as string) - textHash(b.id as string));
  }

  /** Side conversations of a ticket: some base tickets have one or two, plus any created by tests. */
  sideConversationsOf(ticketId: number): Rec[] {
    const i = this.ticketIndex(ticketId);
    const out: Rec[] = [];
    if (i >= 0 && i < this.tickets.n && unit(this.seed, 700, i) < 0.12) {
      const p = ticketPlan(this.ctx, i);
      const n = 1 + below(2, this.seed, 701, i);
      for (let k = 0; k < n; k++) {
        const created = p.createdAt + Math.floor(((p.updatedAt - p.createdAt) * k) / 2);
        const updated = p.createdAt + Math.floor(((p.updatedAt - p.createdAt) * (k + 1)) / 2);
        out.push(this.sideConversation(ticketId, uuid(this.seed, 702, i, k), created, updated, k));
      }
    }
    return [...out, ...this.extraSideConversations.filter((c) => c.ticket_id === ticketId)];
  }

  private sideConversation(ticketId: number, id: string, created: number, updated: number, k: number): Rec {
    return {
      url: `${ACCOUNT_URL}/tickets/${ticketId}/side_conversations/${id}`,
      id,
      ticket_id: ticketId,
      subject: k % 2 ? 'Checking with billing' : 'Question for the warehouse',
      preview_text: 'Could you have a look at this order?',
      state: k % 2 ? 'closed' : 'open',
      participants: [
        { user_id: userIdAt(1), name: 'Agent 1', email: 'agent1@acme.test' },
        { user_id: null, name: 'Warehouse', email: 'warehouse@partner.test' },
      ],
      external_ids: {},
      created_at: iso(created),
      updated_at: iso(updated),
      message_added_at: iso(updated),
      state_updated_at: iso(k % 2 ? updated : created),
    };
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

  // ------------------------------------------------------------ small resources (Support lists, Talk, Chat, Help Center)

  /** Where the tap stream's records live, their key, and the fields a change moves to "now". */
  resource(stream: string): Resource | undefined {
    const r = RESOURCES[stream];
    if (!r) return undefined;
    return { ...r, store: this[r.product] };
  }

  /** Changes a record of a small resource; its change-time fields (and its parent's, for children) move to now. */
  updateRecord(stream: string, id: unknown, changes: Record<string, unknown> = {}): void {
    const r = this.requireResource(stream);
    const cur = r.store.find(r.name, id, r.key);
    if (!cur) throw new Error(`emulator: no ${stream} record ${String(id)}`);
    const next = { ...structuredClone(cur), ...this.stamped(r, cur), ...changes };
    r.store.put(r.name, next, r.key);
    this.touchParent(stream, next);
  }

  /** Adds a record (a copy of the first one with a new id, stamped now, then `fields`); returns its id. */
  createRecord(stream: string, fields: Record<string, unknown> = {}): unknown {
    const r = this.requireResource(stream);
    const list = r.store.all(r.name);
    const template = list[0];
    if (!template) throw new Error(`emulator: no template record for ${stream}`);
    const now = this.clock.now();
    let id: unknown;
    const sample = template[r.key];
    const stamped = this.stamped(r, template);
    // A key that is a change time (agent_timeline start_time) is the new stamp itself.
    if (r.ts.includes(r.key)) id = stamped[r.key];
    else if (typeof sample === 'number') id = Math.max(...list.map((x) => Number(x[r.key]))) + 1;
    else id = `${String(sample).slice(0, 10)}N${now}${++this.createSeq}`;
    const rec: Rec = { ...structuredClone(template), ...stamped, [r.key]: id };
    for (const f of ['created_at', 'timestamp', 'create_date']) if (typeof rec[f] === 'string') rec[f] = iso(now);
    Object.assign(rec, fields);
    r.store.put(r.name, rec, r.key);
    this.touchParent(stream, rec);
    return rec[r.key];
  }

  private createSeq = 0;

  private requireResource(stream: string): Resource {
    const r = this.resource(stream);
    if (!r) throw new Error(`emulator: "${stream}" is not a small resource`);
    return r;
  }

  private stamped(r: Resource, rec: Rec): Rec {
    const now = this.clock.now();
    const out: Rec = {};
    for (const f of r.ts) if (f in rec) out[f] = r.micro ? isoMicro(now * 1e6 + (++this.createSeq % 1e6)) : iso(now);
    return out;
  }

  /**
   * assumption (childTouchesParent): a new or changed child changes its parent's updated_at too,
   * so a sync reading changed parents finds it. No Zendesk source says so; off, the parent stays as it was.
   */
  private touchParent(stream: string, child: Rec): void {
    const link = PARENT_LINKS[stream];
    if (!link || !this.assume().childTouchesParent) return;
    const parent = this.resource(link.parent)!;
    const cur = parent.store.find(parent.name, child[link.field], parent.key);
    if (!cur) return;
    const next = { ...cur, ...this.stamped(parent, cur) };
    parent.store.put(parent.name, next, parent.key);
    this.touchParent(link.parent, next);
  }

  /**
   * A side conversation on a ticket. assumption (sideConversationTouchesTicket): it also changes
   * the ticket (and adds an audit); undocumented, so a test can switch it off.
   */
  addSideConversation(ticketId: number): string {
    const now = this.clock.now();
    const id = uuid(this.seed, 703, ticketId, ++this.sideSeq);
    this.extraSideConversations.push(this.sideConversation(ticketId, id, now, now, this.sideSeq));
    if (this.assume().sideConversationTouchesTicket) this.updateTicket(ticketId);
    return id;
  }

  /** Audit log entries are appended, never changed. */
  addAuditLog(fields: Record<string, unknown> = {}): number {
    return this.createRecord('audit_logs', { action: 'update', change_description: 'Changed by a test', ...fields }) as number;
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
      // The tap rebuilds audits and field history from the ticket event export: every exported
      // event is one audit (archived and deleted tickets included), every Create/Change child one change.
      ticket_audits: () => each(audits(), (a) => [renderAudit(a)]),
      ticket_field_history: () =>
        each(audits(), (a) => (renderTicketEvent(a, false).child_events as Rec[]).filter((c) => c.event_type === 'Create' || c.event_type === 'Change')),
      ticket_metric_events: () => each(upTo(this.metricEvents(0), (e) => e.ts), (e) => [e.rec]),
      satisfaction_ratings: () => this.ratings(),
      groups: () => this.groups,
      brands: () => this.brands,
      ticket_fields: () => this.ticketFields,
      tags: () => this.tags,
      sla_policies: () => this.slaPolicies,
      group_memberships: () => this.groupMemberships,
      ...this.moreTruth(limit),
    };
    const get = streams[stream];
    if (!get) throw new Error(`emulator: no ground truth for stream "${stream}"`);
    yield* get();
  }

  private moreTruth(limit: number): Record<string, () => Iterable<Rec>> {
    const chatLimit = this.clock.now() - 300;
    const out: Record<string, () => Iterable<Rec>> = {};
    for (const [stream, r] of Object.entries(RESOURCES)) out[stream] = () => this[r.product].all(r.name);
    const exported = (stream: string, field: string, upTo: number) => () =>
      this.resource(stream)!.store.all(this.resource(stream)!.name).filter((x) => epochOf(x[field] as string) <= upTo);
    out.calls = exported('calls', 'updated_at', limit);
    out.call_legs = exported('call_legs', 'updated_at', limit);
    out.chats = exported('chats', 'update_timestamp', chatLimit);
    out.chat_conversions = exported('chat_conversions', 'timestamp', chatLimit);
    out.chat_department_events = exported('chat_department_events', 'timestamp', chatLimit);
    out.agent_timeline = () => this.chat.all('agent_timeline').filter((x) => microOf(x.start_time as string) / 1e6 <= chatLimit);
    out.custom_object_records = exported('custom_object_records', 'updated_at', limit);
    out.articles = exported('articles', 'updated_at', limit);
    // Children of the exported articles only (a parent changed within the last minute is not read yet).
    const ofArticles = (name: string, field: string) => () => {
      const ids = new Set([...out.articles!()].map((a) => a.id));
      return this.hc.all(name).filter((x) => ids.has(x[field]));
    };
    out.article_attachments = ofArticles('article_attachments', 'article_id');
    out.article_comments = ofArticles('article_comments', 'source_id');
    out.article_votes = ofArticles('article_votes', 'item_id');
    out.article_comment_votes = () => {
      const comments = new Set([...out.article_comments!()].map((c) => c.id));
      return this.hc.all('article_comment_votes').filter((x) => comments.has(x.item_id));
    };
    out.ticket_activities = () => this.ticketActivities();
    out.ticket_skips = () => this.ticketSkips();
    out.deleted_tickets = () => this.deletedTickets();
    out.organization_memberships = () => this.organizationMemberships();
    out.side_conversation_events = () => this.sideConversationEvents().filter((e) => epochOf(e.created_at as string) <= limit);
    // The tickets the event export names (no longer deleted) give their side conversations.
    out.side_conversations = () => {
      const named = new Set([...out.side_conversation_events!()].map((e) => e.ticket_id));
      const rows: Rec[] = [];
      for (const t of this.tickets.byTs(0)) {
        if (named.has(t.id) && t.status !== 'deleted') rows.push(...this.sideConversationsOf(t.id as number));
      }
      return rows;
    };
    out.attribute_definitions = () => {
      const body = this.support.all('attribute_definitions')[0]!;
      return [
        ...(body.conditions_all as Rec[]).map((c) => ({ ...c, condition: 'all' })),
        ...(body.conditions_any as Rec[]).map((c) => ({ ...c, condition: 'any' })),
      ];
    };
    // Talk IVR menus and routes are flattened from the IVR list.
    out.ivr_menus = () => this.talk.all('ivrs').flatMap((ivr) => (ivr.menus as Rec[]).map((m) => ({ ...m, ivr_id: ivr.id })));
    out.ivr_routes = () =>
      this.talk.all('ivrs').flatMap((ivr) => (ivr.menus as Rec[]).flatMap((m) => (m.routes as Rec[]).map((r) => ({ ...r, ivr_id: ivr.id, ivr_menu_id: m.id }))));
    return out;
  }
}

export interface Resource {
  store: Store;
  product: 'support' | 'talk' | 'chat' | 'hc';
  /** Store list name. */
  name: string;
  key: string;
  /** Fields a change sets to now. */
  ts: string[];
  /** ISO with microseconds (Chat agent_timeline). */
  micro?: boolean;
}

const UPD = ['updated_at'];
const res = (product: Resource['product'], name: string, key = 'id', ts = UPD, micro = false): Omit<Resource, 'store'> => ({ product, name, key, ts, micro });

/** Tap stream -> small resource. */
const RESOURCES: Record<string, Omit<Resource, 'store'>> = {
  macros: res('support', 'macros'),
  custom_roles: res('support', 'custom_roles'),
  user_fields: res('support', 'user_fields'),
  organization_fields: res('support', 'organization_fields'),
  ticket_forms: res('support', 'ticket_forms'),
  schedules: res('support', 'schedules'),
  views: res('support', 'views'),
  trigger_categories: res('support', 'trigger_categories'),
  triggers: res('support', 'triggers'),
  automations: res('support', 'automations'),
  suspended_tickets: res('support', 'suspended_tickets'),
  deleted_users: res('support', 'deleted_users'),
  recipient_addresses: res('support', 'recipient_addresses'),
  sharing_agreements: res('support', 'sharing_agreements'),
  targets: res('support', 'targets', 'id', []),
  target_failures: res('support', 'target_failures', 'id', []),
  webhooks: res('support', 'webhooks'),
  dynamic_content_items: res('support', 'dynamic_content_items'),
  custom_statuses: res('support', 'custom_statuses'),
  satisfaction_reasons: res('support', 'satisfaction_reasons'),
  group_sla_policies: res('support', 'group_sla_policies'),
  account_attributes: res('support', 'account_attributes'),
  audit_logs: res('support', 'audit_logs', 'id', ['created_at']),
  custom_objects: res('support', 'custom_objects', 'key'),
  custom_object_records: res('support', 'custom_object_records'),
  workspaces: res('support', 'workspaces'),
  locales: res('support', 'locales'),
  organization_subscriptions: res('support', 'organization_subscriptions', 'id', []),
  sessions: res('support', 'sessions', 'id', ['last_seen_at']),
  account_settings: res('support', 'account_settings', 'id', []),
  calls: res('talk', 'calls'),
  call_legs: res('talk', 'legs'),
  addresses: res('talk', 'addresses', 'id', []),
  greeting_categories: res('talk', 'greeting_categories', 'id', []),
  greetings: res('talk', 'greetings', 'id', []),
  ivrs: res('talk', 'ivrs', 'id', []),
  phone_numbers: res('talk', 'phone_numbers', 'id', []),
  lines: res('talk', 'lines', 'id', []),
  agents_activity: res('talk', 'agents_activity', 'agent_id', []),
  agents_overview: res('talk', 'agents_overview', 'id', []),
  account_overview: res('talk', 'account_overview', 'id', []),
  current_queue_activity: res('talk', 'current_queue_activity', 'id', []),
  talk_settings: res('talk', 'talk_settings', 'id', []),
  chats: res('chat', 'chats', 'id', ['update_timestamp']),
  agent_timeline: res('chat', 'agent_timeline', 'start_time', ['start_time'], true),
  chat_conversions: res('chat', 'conversions', 'id', ['timestamp']),
  chat_department_events: res('chat', 'department_events', 'id', ['timestamp']),
  agents: res('chat', 'agents', 'id', []),
  bans: res('chat', 'bans', 'id', []),
  departments: res('chat', 'departments', 'id', []),
  shortcuts: res('chat', 'shortcuts', 'name', []),
  chat_triggers: res('chat', 'triggers', 'name', []),
  accounts: res('chat', 'account', 'account_key', []),
  goals: res('chat', 'goals', 'id', []),
  roles: res('chat', 'roles', 'id', []),
  routing_settings: res('chat', 'routing_settings', 'id', []),
  skills: res('chat', 'skills', 'id', []),
  articles: res('hc', 'articles', 'id', ['updated_at', 'edited_at']),
  article_attachments: res('hc', 'article_attachments'),
  article_comments: res('hc', 'article_comments'),
  article_votes: res('hc', 'article_votes'),
  article_comment_votes: res('hc', 'article_comment_votes'),
  sections: res('hc', 'sections'),
  categories: res('hc', 'categories'),
  article_labels: res('hc', 'labels'),
  content_tags: res('hc', 'content_tags'),
  user_segments: res('hc', 'user_segments'),
  topics: res('hc', 'topics'),
  posts: res('hc', 'posts'),
  post_comments: res('hc', 'post_comments'),
  post_votes: res('hc', 'post_votes'),
  post_comment_votes: res('hc', 'post_comment_votes'),
};

/** Child resource -> the field naming its parent record (whose updated_at a change moves). */
/** A number for a string id (side conversation uuids), for ordering and uuid derivation. */
export function textHash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h;
}

function sideConversationEvent(sc: Rec, type: string, at: string, id: string): Rec {
  const participants = sc.participants as Rec[];
  return {
    id,
    side_conversation_id: sc.id,
    ticket_id: sc.ticket_id,
    type,
    via: 'api',
    url: sc.url,
    created_at: at,
    actor: participants[0],
    message: { subject: sc.subject, preview_text: sc.preview_text, body: sc.preview_text, html_body: `<p>${String(sc.preview_text)}</p>`, from: participants[type === 'create' ? 0 : 1], to: [participants[type === 'create' ? 1 : 0]], external_ids: {} },
    updates: {},
  };
}

const PARENT_LINKS: Record<string, { parent: string; field: string }> = {
  article_attachments: { parent: 'articles', field: 'article_id' },
  article_comments: { parent: 'articles', field: 'source_id' },
  article_votes: { parent: 'articles', field: 'item_id' },
  article_comment_votes: { parent: 'article_comments', field: 'item_id' },
  post_comments: { parent: 'posts', field: 'post_id' },
  post_votes: { parent: 'posts', field: 'item_id' },
  post_comment_votes: { parent: 'post_comments', field: 'item_id' },
};

function commentSpec(c: unknown, authorId: number): NonNullable<AuditSpec['comment']> {
  if (typeof c === 'string') return { id: 0, body: c, public: true, authorId };
  const o = (c ?? {}) as { body?: string; public?: boolean; author_id?: number };
  return { id: 0, body: o.body ?? '', public: o.public ?? true, authorId: o.author_id ?? authorId };
}
