import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIALS, DEFAULT_ASSUMPTIONS, startEmulator, type Emulator } from './emulator/index.js';

/**
 * The emulator answers as Zendesk documents, not as the tap hopes (issue 9 §4): a query
 * parameter the operation does not document is ignored, never honoured; the behaviours no
 * source states are switchable assumptions (test/emulator/README.md "Sources").
 */

const auth = `Basic ${Buffer.from(`${CREDENTIALS.email}/token:${CREDENTIALS.apiToken}`).toString('base64')}`;
type Body = Record<string, any>;

async function get(emu: Emulator, pathOrUrl: string): Promise<{ status: number; body: Body }> {
  const res = await fetch(pathOrUrl.startsWith('http') ? pathOrUrl : emu.url + pathOrUrl, { headers: { authorization: auth } });
  const text = await res.text();
  let body: Body = {};
  try {
    body = JSON.parse(text) as Body;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body };
}

/** Every record of a cursor list, following links.next. */
async function cursorAll(emu: Emulator, first: string, key: string): Promise<Body[]> {
  const out: Body[] = [];
  let url = first;
  for (let guard = 0; guard < 1000; guard++) {
    const r = await get(emu, url);
    expect(r.status).toBe(200);
    out.push(...(r.body[key] as Body[]));
    if (!r.body.meta.has_more) return out;
    url = r.body.links.next as string;
  }
  throw new Error('cursor list did not end');
}

const ids = (rs: Body[]): unknown[] => rs.map((r) => r.id);
const epoch = (iso: unknown): number => Date.parse(iso as string) / 1000;

const UNPAGED: Array<[string, string]> = [
  ['/api/v2/slas/policies', 'sla_policies'],
  ['/api/v2/group_slas/policies', 'group_sla_policies'],
  ['/api/v2/custom_roles', 'custom_roles'],
  ['/api/v2/custom_statuses', 'custom_statuses'],
  ['/api/v2/ticket_forms', 'ticket_forms'],
  ['/api/v2/business_hours/schedules', 'schedules'],
  ['/api/v2/sharing_agreements', 'sharing_agreements'],
  ['/api/v2/targets', 'targets'],
  ['/api/v2/target_failures', 'target_failures'],
  ['/api/v2/satisfaction_reasons', 'satisfaction_reasons'],
  ['/api/v2/custom_objects', 'custom_objects'],
  ['/api/v2/routing/attributes', 'attributes'],
  ['/api/v2/workspaces', 'workspaces'],
  ['/api/v2/locales', 'locales'],
];

describe('emulator: undocumented parameters are ignored, never honoured', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ rateLimits: false });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('GET /api/v2/ticket_audits ignores sort (OAS ListTicketAudits: page[...] only): created_at ascending either way', async () => {
    const plain = await cursorAll(emu, '/api/v2/ticket_audits?page[size]=100', 'audits');
    expect(plain.length).toBeGreaterThan(100);
    for (let k = 1; k < plain.length; k++) expect(epoch(plain[k]!.created_at)).toBeGreaterThanOrEqual(epoch(plain[k - 1]!.created_at));
    for (const sort of ['-created_at', 'created_at', '-id', 'nonsense']) {
      const sorted = await cursorAll(emu, `/api/v2/ticket_audits?page[size]=100&sort=${sort}`, 'audits');
      expect(ids(sorted), `sort=${sort}`).toEqual(ids(plain));
    }
    const legacy = await cursorAll(emu, '/api/v2/ticket_audits?page[size]=100&sort_by=created_at&sort_order=desc', 'audits');
    expect(ids(legacy)).toEqual(ids(plain));
  });

  it('satisfaction_ratings ignores sort (OAS ListSatisfactionRatings documents score, start_time, end_time)', async () => {
    const plain = await cursorAll(emu, '/api/v2/satisfaction_ratings?page[size]=50', 'satisfaction_ratings');
    expect(plain.length).toBeGreaterThan(50);
    for (const sort of ['created_at', '-created_at', '-updated_at', 'nonsense']) {
      const sorted = await cursorAll(emu, `/api/v2/satisfaction_ratings?page[size]=50&sort=${sort}`, 'satisfaction_ratings');
      expect(ids(sorted), `sort=${sort}`).toEqual(ids(plain));
    }
    // The documented filters still work.
    const mid = epoch(plain[Math.floor(plain.length / 2)]!.created_at);
    const later = await cursorAll(emu, `/api/v2/satisfaction_ratings?page[size]=50&start_time=${mid}`, 'satisfaction_ratings');
    expect(later.length).toBeGreaterThan(0);
    expect(later.length).toBeLessThan(plain.length);
    for (const r of later) expect(epoch(r.created_at)).toBeGreaterThanOrEqual(mid);
  });

  it('sort is ignored where undocumented (groups), refused when invalid where documented (tickets), honoured where implemented (audit_logs)', async () => {
    const groups = await get(emu, '/api/v2/groups?page[size]=100');
    const byName = await get(emu, '/api/v2/groups?page[size]=100&sort=-name');
    expect(byName.status).toBe(200);
    expect(ids(byName.body.groups)).toEqual(ids(groups.body.groups));

    const bad = await get(emu, '/api/v2/tickets?page[size]=3&sort=name');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].code).toBe('InvalidPaginationParameter');
    // A documented order the emulator does not implement fails loudly rather than serving the default one.
    expect((await get(emu, '/api/v2/tickets?page[size]=3&sort=-updated_at')).status).toBe(500);
    expect((await get(emu, '/api/v2/tickets?page[size]=3&sort=id')).status).toBe(200);

    // OAS ListAuditLogs: "Default is sort=-created_at".
    const byDefault = await cursorAll(emu, '/api/v2/audit_logs?page[size]=10', 'audit_logs');
    expect(byDefault.length).toBeGreaterThan(10);
    for (let k = 1; k < byDefault.length; k++) expect(epoch(byDefault[k]!.created_at)).toBeLessThanOrEqual(epoch(byDefault[k - 1]!.created_at));
    const desc = await cursorAll(emu, '/api/v2/audit_logs?page[size]=10&sort=-created_at', 'audit_logs');
    expect(ids(desc)).toEqual(ids(byDefault));
    const asc = await cursorAll(emu, '/api/v2/audit_logs?page[size]=10&sort=created_at', 'audit_logs');
    for (let k = 1; k < asc.length; k++) expect(epoch(asc[k]!.created_at)).toBeGreaterThanOrEqual(epoch(asc[k - 1]!.created_at));
    expect(new Set(ids(asc))).toEqual(new Set(ids(byDefault)));
  });

  it('lists that declare no pagination return everything and ignore per_page and page[size]', async () => {
    for (const [path, key] of UNPAGED) {
      const plain = await get(emu, path);
      expect(plain.status, path).toBe(200);
      const all = plain.body[key] as Body[];
      expect(all.length, path).toBeGreaterThan(1);
      expect(plain.body.next_page, path).toBeNull();
      for (const q of ['per_page=1', 'page[size]=1', 'page=2&per_page=1']) {
        const r = await get(emu, `${path}?${q}`);
        expect(r.body[key], `${path}?${q}`).toEqual(all);
        expect(r.body.next_page, `${path}?${q}`).toBeNull();
        expect(r.body.meta, `${path}?${q}`).toBeUndefined();
      }
    }
  });

  it('side conversations: no paging documented, page[size] ignored, all of a ticket at once', async () => {
    const byTicket = new Map<number, number>();
    for (const s of emu.truth('side_conversations')) byTicket.set(s.ticket_id as number, (byTicket.get(s.ticket_id as number) ?? 0) + 1);
    const [ticket] = [...byTicket].find(([, n]) => n >= 2)!;
    const plain = await get(emu, `/api/v2/tickets/${ticket}/side_conversations`);
    expect(plain.body.side_conversations.length).toBeGreaterThanOrEqual(2);
    expect(plain.body.next_page).toBeNull();
    const paged = await get(emu, `/api/v2/tickets/${ticket}/side_conversations?page[size]=1`);
    expect(paged.body.side_conversations).toEqual(plain.body.side_conversations);
    expect(paged.body.meta).toBeUndefined();
    expect(paged.body.links).toBeUndefined();
  });

  it('ticket_metric_events ignores per_page (OAS ListTicketMetricEvents: start_time, include_changes, cursor paging)', async () => {
    const plain = await get(emu, '/api/v2/incremental/ticket_metric_events?start_time=0');
    const small = await get(emu, '/api/v2/incremental/ticket_metric_events?start_time=0&per_page=10');
    expect(plain.body.count).toBeGreaterThan(10);
    expect(ids(small.body.ticket_metric_events)).toEqual(ids(plain.body.ticket_metric_events));
    // The documented cursor paging is honoured: page[size] ≤ 100.
    const cursor = await get(emu, '/api/v2/incremental/ticket_metric_events?start_time=0&page[size]=10');
    expect(cursor.body.ticket_metric_events).toHaveLength(10);
    expect(cursor.body.meta.has_more).toBe(true);
  });

  it('Chat exports: start_time is optional (docs: "Defaults to 0")', async () => {
    const r = await get(emu, '/api/v2/chat/incremental/chats?limit=5');
    expect(r.status).toBe(200);
    expect(r.body.chats).toHaveLength(5);
  });
});

describe('emulator: assumptions no source states can be flipped', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ rateLimits: false });
  });
  afterAll(async () => {
    await emu.close();
  });

  const articleUpdatedAt = (id: unknown): unknown => [...emu.truth('articles')].find((a) => a.id === id)!.updated_at;

  it('childTouchesParent: a new article comment moves the article only while the assumption holds', async () => {
    const [a1, a2] = [...emu.truth('articles')];
    emu.clock.advance(120);
    emu.mutate.createRecord('article_comments', { source_id: a1!.id });
    emu.clock.advance(120);
    expect(articleUpdatedAt(a1!.id)).not.toEqual(a1!.updated_at);

    emu.setOption('assumptions', { ...DEFAULT_ASSUMPTIONS, childTouchesParent: false });
    const before = articleUpdatedAt(a2!.id);
    emu.clock.advance(120);
    const comment = emu.mutate.createRecord('article_comments', { source_id: a2!.id });
    emu.clock.advance(120);
    expect(articleUpdatedAt(a2!.id)).toEqual(before);
    // The comment itself is served all the same.
    const listed = await get(emu, `/api/v2/help_center/articles/${String(a2!.id)}/comments?page[size]=100`);
    expect(ids(listed.body.comments)).toContain(comment);
    emu.setOption('assumptions', { ...DEFAULT_ASSUMPTIONS, childTouchesParent: true });
  });

  it('sideConversationTouchesTicket: a new side conversation changes its ticket only while the assumption holds', () => {
    const tickets = [...emu.truth('tickets')].filter((t) => t.status !== 'deleted');
    const stamp = (id: unknown): unknown => [...emu.truth('tickets')].find((t) => t.id === id)!.generated_timestamp;
    const [t1, t2] = [tickets[5]!, tickets[6]!];
    emu.mutate.addSideConversation(t1.id as number);
    emu.clock.advance(120);
    expect(stamp(t1.id)).not.toEqual(t1.generated_timestamp);

    emu.setOption('assumptions', { ...DEFAULT_ASSUMPTIONS, sideConversationTouchesTicket: false });
    const before = stamp(t2.id);
    emu.mutate.addSideConversation(t2.id as number);
    emu.clock.advance(120);
    expect(stamp(t2.id)).toEqual(before);
    emu.setOption('assumptions', { ...DEFAULT_ASSUMPTIONS, sideConversationTouchesTicket: true });
  });

  it('unpagedAllAtOnce false: lists without declared pagination page by offset (docs pagination: "only supports offset")', async () => {
    emu.setOption('assumptions', { ...DEFAULT_ASSUMPTIONS, unpagedAllAtOnce: false });
    const all = (await get(emu, '/api/v2/custom_roles')).body;
    expect(all.next_page).toBeNull(); // fewer than the default 100 per page
    const seen: unknown[] = [];
    let url: string | null = '/api/v2/custom_roles?per_page=1';
    for (let guard = 0; url && guard < 100; guard++) {
      const r: { body: Body } = await get(emu, url);
      expect(r.body.custom_roles.length).toBeLessThanOrEqual(1);
      seen.push(...ids(r.body.custom_roles));
      url = r.body.next_page as string | null;
    }
    expect(seen).toEqual(ids(all.custom_roles));
    expect(seen.length).toBeGreaterThan(1);
    emu.setOption('assumptions', { ...DEFAULT_ASSUMPTIONS, unpagedAllAtOnce: true });
  });
});
