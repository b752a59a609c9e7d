import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIALS, startEmulator, type Emulator } from './emulator/index.js';

const basic = `Basic ${Buffer.from(`${CREDENTIALS.email}/token:${CREDENTIALS.apiToken}`).toString('base64')}`;
type Body = Record<string, any>;

async function get(emu: Emulator, pathOrUrl: string, authorization: string | null = basic): Promise<{ status: number; headers: Headers; body: Body; text: string }> {
  const url = pathOrUrl.startsWith('http') ? pathOrUrl : emu.url + pathOrUrl;
  const res = await fetch(url, { headers: authorization ? { authorization } : {} });
  const text = await res.text();
  let body: Body = {};
  try {
    body = JSON.parse(text) as Body;
  } catch {
    /* plain text or HTML */
  }
  return { status: res.status, headers: res.headers, body, text };
}

async function postForm(emu: Emulator, path: string, form: Record<string, string>, json = false): Promise<{ status: number; body: Body }> {
  const res = await fetch(emu.url + path, {
    method: 'POST',
    headers: { 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded' },
    body: json ? JSON.stringify(form) : new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Body };
}

const ids = (rs: Iterable<Record<string, unknown>>): number[] => [...rs].map((r) => r.id as number);

describe('zendesk emulator', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ rateLimits: false });
  });
  afterAll(async () => {
    await emu.close();
  });

  describe('auth', () => {
    it('accepts the API token and refuses bad Basic credentials with the exact body', async () => {
      expect((await get(emu, '/api/v2/groups.json')).status).toBe(200);
      const bad = await get(emu, '/api/v2/groups.json', `Basic ${Buffer.from(`${CREDENTIALS.email}/token:nope`).toString('base64')}`);
      expect(bad.status).toBe(401);
      expect(bad.body).toEqual({ error: "Couldn't authenticate you" });
      expect((await get(emu, '/api/v2/groups.json', null)).status).toBe(401);
    });

    it('accepts email:password only when password auth is enabled', async () => {
      const pw = `Basic ${Buffer.from(`${CREDENTIALS.email}:${CREDENTIALS.password}`).toString('base64')}`;
      expect((await get(emu, '/api/v2/groups', pw)).status).toBe(401);
      emu.setOption('passwordAuth', true);
      expect((await get(emu, '/api/v2/groups', pw)).status).toBe(200);
      emu.setOption('passwordAuth', false);
    });

    it('checks bearer tokens and answers invalid_token', async () => {
      expect((await get(emu, '/api/v2/groups', `Bearer ${CREDENTIALS.accessToken}`)).status).toBe(200);
      const bad = await get(emu, '/api/v2/groups', 'Bearer nope');
      expect(bad.status).toBe(401);
      expect(bad.body.error).toBe('invalid_token');
      expect(bad.body.error_description).toMatch(/expired, revoked, malformed/);
    });

    it('answers /users/me with the anonymous user for bad credentials', async () => {
      const anon = await get(emu, '/api/v2/users/me.json', 'Basic Zm9vOmJhcg==');
      expect(anon.status).toBe(200);
      expect(anon.body.user.name).toBe('Anonymous user');
      const me = await get(emu, '/api/v2/users/me.json');
      expect(me.body.user.email).toBe(CREDENTIALS.email);
    });
  });

  describe('oauth', () => {
    it('rotates refresh tokens, revokes the old pair and expires access tokens', async () => {
      const local = await startEmulator({ rateLimits: false, accessTokenTtlSeconds: 600 });
      try {
        const form = { grant_type: 'refresh_token', refresh_token: CREDENTIALS.oauth.refreshToken, client_id: CREDENTIALS.oauth.clientId, client_secret: CREDENTIALS.oauth.clientSecret };
        // Zendesk: the parameters "must be formatted as JSON"; a form body is refused.
        const asForm = await postForm(local, '/oauth/tokens', form);
        expect(asForm.status).toBe(400);
        expect(asForm.body.error).toBe('invalid_request');
        const first = await postForm(local, '/oauth/tokens', form, true);
        expect(first.status).toBe(201);
        expect(first.body).toMatchObject({ token_type: 'bearer', scope: 'read', expires_in: 600 });
        expect(first.body.refresh_token).not.toBe(CREDENTIALS.oauth.refreshToken);
        const reuse = await postForm(local, '/oauth/tokens', form, true);
        expect(reuse.status).toBe(400);
        expect(reuse.body.error).toBe('invalid_grant');
        expect((await get(local, '/api/v2/groups', `Bearer ${CREDENTIALS.accessToken}`)).status).toBe(401);
        const bearer = `Bearer ${first.body.access_token}`;
        expect((await get(local, '/api/v2/groups', bearer)).status).toBe(200);
        const current = await get(local, '/api/v2/oauth/tokens/current.json', bearer);
        expect(Date.parse(current.body.token.expires_at) / 1000).toBe(local.clock.now() + 600);
        local.clock.advance(601);
        expect((await get(local, '/api/v2/groups', bearer)).body.error).toBe('invalid_token');
        const second = await postForm(local, '/oauth/tokens', { ...form, refresh_token: first.body.refresh_token, expires_in: '172800' }, true);
        expect(second.status).toBe(201);
        expect(second.body.expires_in).toBe(172800);
        expect(local.stats().oauthRefreshes).toBe(2);
      } finally {
        await local.close();
      }
    });
  });

  describe('cursor exports', () => {
    it('pages tickets in (generated_timestamp, id) order with exact page sizes to the end, then resumes', async () => {
      const truth = ids(emu.truth('tickets'));
      expect(truth.length).toBe(300);
      let page = await get(emu, '/api/v2/incremental/tickets/cursor.json?start_time=0&per_page=50');
      const seen: number[] = [];
      let pages = 0;
      for (;;) {
        pages++;
        expect(page.status).toBe(200);
        expect(page.body.before_cursor).toBeNull();
        expect(page.body.before_url).toBeNull();
        expect(page.body.after_cursor).toBeTruthy();
        expect(page.body.after_url).toContain('per_page=50');
        if (!page.body.end_of_stream) expect(page.body.tickets).toHaveLength(50);
        seen.push(...ids(page.body.tickets));
        if (page.body.end_of_stream) break;
        page = await get(emu, page.body.after_url);
      }
      expect(pages).toBe(6);
      expect(seen).toEqual(truth);
      const [ts, id] = Buffer.from(page.body.after_cursor, 'base64').toString().split('||');
      expect(ts).toMatch(/^\d+\.0$/);
      expect(id).toBe(`${seen[seen.length - 1]}|`);
      const stored = page.body.after_url as string;

      // Nothing new yet: same cursor, empty page, still end_of_stream.
      const empty = await get(emu, stored);
      expect(empty.body.tickets).toEqual([]);
      expect(empty.body.end_of_stream).toBe(true);

      emu.mutate.updateTicket(truth[10]!, { priority: 'urgent', comment: 'Escalating' });
      emu.mutate.systemUpdateTicket(truth[20]!);
      const created = emu.mutate.createTicket({ subject: 'Brand new' });
      const hidden = await get(emu, stored);
      expect(hidden.body.tickets).toEqual([]); // still inside the one-minute window
      emu.clock.advance(61);
      const fresh = await get(emu, stored);
      expect(ids(fresh.body.tickets).sort()).toEqual([truth[10], truth[20], created].sort());
      const sys = fresh.body.tickets.find((t: Body) => t.id === truth[20]);
      expect(Date.parse(sys.updated_at) / 1000).toBeLessThan(sys.generated_timestamp);
    });

    it('embeds metric_set and honours exclude_deleted', async () => {
      const all = await get(emu, '/api/v2/incremental/tickets/cursor?start_time=0&include=metric_sets');
      const deleted = all.body.tickets.filter((t: Body) => t.status === 'deleted');
      expect(deleted.length).toBeGreaterThan(10);
      for (const t of all.body.tickets) {
        if (t.status === 'deleted') expect(t.metric_set).toBeUndefined();
        else expect(t.metric_set.ticket_id).toBe(t.id);
      }
      const live = await get(emu, '/api/v2/incremental/tickets/cursor?start_time=0&exclude_deleted=true');
      expect(live.body.tickets.length).toBe(all.body.tickets.length - deleted.length);
    });

    it('side-loads identities on the users export', async () => {
      const r = await get(emu, '/api/v2/incremental/users/cursor.json?start_time=0&per_page=20&include=identities');
      expect(r.body.users).toHaveLength(20);
      const userIds = new Set(ids(r.body.users));
      expect(r.body.identities.length).toBeGreaterThanOrEqual(20);
      for (const i of r.body.identities) expect(userIds.has(i.user_id)).toBe(true);
      expect((await get(emu, '/api/v2/incremental/users/cursor.json')).status).toBe(400);
    });
  });

  describe('time exports', () => {
    it('extends same-timestamp pages, repeats boundary items and never nulls next_page', async () => {
      const truth = ids(emu.truth('tickets'));
      let url = '/api/v2/incremental/tickets.json?start_time=0&per_page=10';
      const seen = new Set<number>();
      let extended = 0;
      let repeats = 0;
      let prevLast: number[] = [];
      for (let n = 0; n < 200; n++) {
        const r = await get(emu, url);
        expect(r.status).toBe(200);
        expect(r.body.next_page).toBeTruthy();
        expect(r.body.count).toBe(r.body.tickets.length);
        const page = r.body.tickets as Body[];
        const tss = page.map((t) => t.generated_timestamp as number);
        if (page.length > 10) {
          extended++;
          expect(new Set(tss).size).toBe(1);
          expect(r.body.end_time).toBe(tss[0]! + 1);
        } else if (page.length === 10) {
          expect(r.body.end_time).toBe(Math.max(...tss));
        }
        if (prevLast.some((id) => ids(page).includes(id))) repeats++;
        for (const t of page) seen.add(t.id as number);
        prevLast = page.filter((t) => t.generated_timestamp === r.body.end_time).map((t) => t.id as number);
        if (r.body.end_of_stream) break;
        expect(r.body.next_page).toContain(`start_time=${r.body.end_time}`);
        expect(r.body.next_page).toContain('per_page=10');
        url = r.body.next_page;
      }
      expect(extended).toBeGreaterThanOrEqual(1);
      expect(repeats).toBeGreaterThanOrEqual(1);
      expect([...seen].sort()).toEqual([...truth].sort());
    });

    it('does not order items of one second by id', async () => {
      const r = await get(emu, '/api/v2/incremental/tickets.json?start_time=0&per_page=1000');
      const byTs = new Map<number, number[]>();
      for (const t of r.body.tickets) byTs.set(t.generated_timestamp, [...(byTs.get(t.generated_timestamp) ?? []), t.id]);
      const big = [...byTs.values()].find((v) => v.length >= 30)!;
      expect(big).toBeDefined();
      expect(big).not.toEqual([...big].sort((a, b) => a - b));
    });

    it('organizations and users share the rules; ticket events expand comments on request', async () => {
      const orgs = await get(emu, '/api/v2/incremental/organizations?start_time=0&per_page=10');
      expect(orgs.body.organizations.length).toBeGreaterThanOrEqual(10);
      const ev = await get(emu, '/api/v2/incremental/ticket_events.json?start_time=0&include=comment_events');
      const first = ev.body.ticket_events[0];
      expect(first).toMatchObject({ event_type: 'Audit', via: expect.any(String) });
      const comment = first.child_events.find((c: Body) => c.event_type === 'Comment');
      expect(comment).toMatchObject({ type: 'Comment', body: expect.any(String), html_body: expect.any(String), audit_id: first.id, attachments: [] });
      const flagsOnly = await get(emu, '/api/v2/incremental/ticket_events.json?start_time=0');
      const c2 = flagsOnly.body.ticket_events[0].child_events.find((c: Body) => c.event_type === 'Comment');
      expect(c2).toMatchObject({ comment_present: true });
      expect(c2.body).toBeUndefined();
    });

    it('enforces the one-minute window and the too-recent start_time error', async () => {
      const now = emu.clock.now();
      const recent = await get(emu, `/api/v2/incremental/tickets.json?start_time=${now - 30}`);
      expect(recent.status).toBe(400);
      expect(recent.body).toEqual({ error: 'InvalidValue', description: 'Too recent start_time. Use a start_time older than 1 minute' });
      emu.setOption('legacyTooRecent', true);
      const legacy = await get(emu, `/api/v2/incremental/tickets.json?start_time=${now - 30}`);
      expect(legacy.status).toBe(422);
      expect(legacy.headers.get('content-type')).toMatch(/text\/plain/);
      emu.setOption('legacyTooRecent', false);
      const id = emu.mutate.createTicket();
      const r1 = await get(emu, `/api/v2/incremental/tickets.json?start_time=${now - 60}`);
      expect(ids(r1.body.tickets)).not.toContain(id);
      expect(r1.body.end_of_stream).toBe(true);
      emu.clock.advance(60);
      const r2 = await get(emu, `/api/v2/incremental/tickets.json?start_time=${now - 60}`);
      expect(ids(r2.body.tickets)).toContain(id);
      expect(ids(emu.truth('tickets'))).toContain(id);
    });

    it('ticket metric events: time mode and cursor mode', async () => {
      const time = await get(emu, '/api/v2/incremental/ticket_metric_events?start_time=0&per_page=100');
      expect(time.body.count).toBeGreaterThanOrEqual(100);
      expect(time.body.end_of_stream).toBeUndefined();
      let url = '/api/v2/incremental/ticket_metric_events?start_time=0&page[size]=100';
      const seen: number[] = [];
      for (;;) {
        const r = await get(emu, url);
        seen.push(...ids(r.body.ticket_metric_events));
        if (!r.body.meta.has_more) break;
        url = r.body.links.next;
      }
      expect(seen).toEqual(ids(emu.truth('ticket_metric_events')));
    });
  });

  describe('lists', () => {
    it('cursor paging: non-empty last page keeps cursors, the next one is all nulls', async () => {
      let r = await get(emu, '/api/v2/groups.json?page[size]=3');
      const seen: number[] = [];
      for (;;) {
        seen.push(...ids(r.body.groups));
        if (!r.body.meta.has_more) break;
        r = await get(emu, r.body.links.next);
      }
      expect(seen).toEqual(ids(emu.truth('groups')));
      expect(r.body.meta.after_cursor).toBeTruthy();
      expect(r.body.links.next).toBeTruthy();
      const after = await get(emu, r.body.links.next);
      expect(after.body).toEqual({ groups: [], meta: { has_more: false, after_cursor: null, before_cursor: null }, links: { prev: null, next: null } });
      // ListGroups documents no `sort` (ignored); ListTickets documents sort=updated_at|id|status, so `name` is refused.
      expect(ids((await get(emu, '/api/v2/groups?page[size]=100&sort=name')).body.groups)).toEqual(ids(emu.truth('groups')));
      const badSort = await get(emu, '/api/v2/tickets?page[size]=3&sort=name');
      expect(badSort.status).toBe(400);
      expect(badSort.body.errors[0].code).toBe('InvalidPaginationParameter');
    });

    it('offset paging with count and the 10,000-record depth cap', async () => {
      const p1 = await get(emu, '/api/v2/tickets.json?per_page=100');
      expect(p1.body.tickets).toHaveLength(100);
      expect(p1.body.next_page).toContain('page=2');
      expect(p1.body.previous_page).toBeNull();
      const listed = [...emu.truth('tickets')].filter((t) => t.status !== 'deleted').length;
      expect(p1.body.count).toBeLessThan(listed); // archived tickets are left out
      const deep = await get(emu, '/api/v2/tickets.json?page=101&per_page=100');
      expect(deep.status).toBe(400);
      expect(deep.body.errors[0].code).toBe('InvalidPaginationDepth');
    });

    it('serves tags, sla policies, ratings, memberships and the other lists', async () => {
      const tags = await get(emu, '/api/v2/tags?page[size]=100');
      expect(tags.body.tags[0]).toEqual({ name: expect.any(String), count: expect.any(Number) });
      const sla = await get(emu, '/api/v2/slas/policies.json?page[size]=1');
      expect(sla.body).toMatchObject({ next_page: null, previous_page: null, count: 3 });
      expect(sla.body.sla_policies).toHaveLength(3);
      const gm = await get(emu, '/api/v2/group_memberships?page[size]=100');
      expect(gm.body.group_memberships.some((m: Body) => !('updated_at' in m))).toBe(true);
      const all = [...emu.truth('satisfaction_ratings')];
      const mid = Date.parse(all[Math.floor(all.length / 2)]!.created_at as string) / 1000;
      const later = await get(emu, `/api/v2/satisfaction_ratings?page[size]=100&start_time=${mid}`);
      expect(later.body.satisfaction_ratings.length).toBeGreaterThan(0);
      for (const s of later.body.satisfaction_ratings) expect(Date.parse(s.created_at) / 1000).toBeGreaterThanOrEqual(mid);
      for (const path of ['/api/v2/brands', '/api/v2/ticket_fields', '/api/v2/ticket_audits?page[size]=10', '/api/v2/ticket_metrics?page[size]=10']) {
        expect((await get(emu, path)).status).toBe(200);
      }
      const unknown = await get(emu, '/api/v2/nope.json');
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual({ error: 'InvalidEndpoint', description: 'Not found' });
    });
  });

  describe('gating and faults', () => {
    it('answers the configured 403/404 shapes', async () => {
      emu.setOption('gated', { '/api/v2/slas/policies': 'forbidden', '/api/v2/tags': 'scope', '/api/v2/ticket_audits': 'empty403', '/api/v2/brands': 'not_found' });
      const f = await get(emu, '/api/v2/slas/policies.json');
      expect(f.status).toBe(403);
      expect(f.body.error.title).toBe('Forbidden');
      expect((await get(emu, '/api/v2/tags')).body).toEqual({ error: 'Forbidden', description: 'You are missing the following required scopes: read' });
      const e = await get(emu, '/api/v2/ticket_audits');
      expect(e.status).toBe(403);
      expect(e.text).toBe('');
      expect((await get(emu, '/api/v2/brands')).body.error).toBe('InvalidEndpoint');
      emu.setOption('gated', {});
    });

    it('injects scheduled faults', async () => {
      emu.failNext('429-text', 1, '/api/v2/groups');
      const t = await get(emu, '/api/v2/groups');
      expect(t.status).toBe(429);
      expect(t.text).toBe('Number of allowed API requests per minute exceeded');
      expect(t.headers.get('retry-after')).toBe('1');
      emu.failNext('503');
      const u = await get(emu, '/api/v2/groups');
      expect(u.status).toBe(503);
      expect(u.headers.get('retry-after')).toBe('1');
      emu.failNext('reset');
      await expect(get(emu, '/api/v2/incremental/tickets/cursor?start_time=0')).rejects.toThrow();
      emu.failNext('truncate', 2);
      await expect(get(emu, '/api/v2/incremental/tickets/cursor?start_time=0')).rejects.toThrow();
      await expect(get(emu, '/api/v2/incremental/tickets/cursor?start_time=0')).rejects.toThrow();
      expect((await get(emu, '/api/v2/groups')).status).toBe(200);
    });

    it('draws random faults from a seeded schedule', async () => {
      const run = async (): Promise<number[]> => {
        const local = await startEmulator({ rateLimits: false, faults: { rate503: 0.3, rate5xx: 0.2, faultSeed: 42 } });
        try {
          const out: number[] = [];
          for (let k = 0; k < 30; k++) out.push((await get(local, '/api/v2/groups')).status);
          return out;
        } finally {
          await local.close();
        }
      };
      const a = await run();
      expect(a).toEqual(await run());
      expect(a).toContain(200);
      expect(a).toContain(503);
      expect(a.some((s) => [500, 502, 504, 520, 524].includes(s))).toBe(true);
    });
  });

  it('rate limits: 429 + Retry-After without processing, per bucket', async () => {
    const local = await startEmulator({ rateLimits: { accountRpm: 5, exportRpm: 2, windowMs: 1500 } });
    try {
      const a = await get(local, '/api/v2/incremental/tickets.json?start_time=0&per_page=1');
      expect(a.headers.get('zendesk-ratelimit-incremental-exports')).toMatch(/^total=2; remaining=1; resets=\d+$/);
      await get(local, '/api/v2/incremental/tickets.json?start_time=0&per_page=1');
      const limited = await get(local, '/api/v2/incremental/tickets.json?start_time=0&per_page=1');
      expect(limited.status).toBe(429);
      expect(limited.body).toEqual({ error: 'APIRateLimitExceeded', description: 'Number of allowed incremental export API requests per minute exceeded' });
      const retry = Number(limited.headers.get('retry-after'));
      expect(retry).toBeGreaterThanOrEqual(1);
      expect((await get(local, '/api/v2/groups')).status).toBe(200); // account bucket still open
      await get(local, '/api/v2/groups');
      await get(local, '/api/v2/groups');
      const acct = await get(local, '/api/v2/groups');
      expect(acct.status).toBe(429);
      expect(acct.headers.get('x-rate-limit-remaining')).toBe('0');
      await new Promise((r) => setTimeout(r, retry * 1000 + 50));
      expect((await get(local, '/api/v2/incremental/tickets.json?start_time=0&per_page=1')).status).toBe(200);
      expect(local.stats().status429).toBe(2);
    } finally {
      await local.close();
    }
  });

  it('is deterministic per seed', async () => {
    const other = await startEmulator({ seed: 1, rateLimits: false });
    try {
      expect([...other.truth('users')].slice(0, 5)).toEqual([...emu.truth('users')].slice(0, 5));
    } finally {
      await other.close();
    }
  });

  it('serves a million tickets without materialising them', async () => {
    const t0 = Date.now();
    const big = await startEmulator({ sizes: { tickets: 1_000_000, users: 120, organizations: 40 }, rateLimits: false });
    try {
      expect(Date.now() - t0).toBeLessThan(2000);
      const heap = process.memoryUsage().heapUsed;
      let r = await get(big, '/api/v2/incremental/tickets/cursor.json?start_time=1700000000');
      expect(r.body.tickets).toHaveLength(1000);
      expect(r.body.tickets[0].generated_timestamp).toBeGreaterThanOrEqual(1700000000);
      r = await get(big, r.body.after_url);
      expect(r.body.tickets).toHaveLength(1000);
      const t = await get(big, '/api/v2/incremental/tickets.json?start_time=1720000000');
      expect(t.body.tickets.length).toBeGreaterThanOrEqual(1000);
      const ev = await get(big, '/api/v2/incremental/ticket_events.json?start_time=1720000000');
      expect(ev.body.ticket_events.length).toBeGreaterThanOrEqual(1000);
      expect(process.memoryUsage().heapUsed - heap).toBeLessThan(200 * 1024 * 1024);
    } finally {
      await big.close();
    }
  }, 20_000);
});
