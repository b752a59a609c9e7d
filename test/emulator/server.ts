import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { E, ReplyError, json, type Reply } from './errors.js';
import { STATUS_FAULTS, faultReply, type FaultInjector, type FaultKind } from './faults.js';
import type { Auth, AuthResult } from './auth.js';
import { CREDENTIALS } from './options.js';
import type { RateLimiter } from './ratelimit.js';
import type { Registry } from './registry.js';
import type { Dataset } from './data/dataset.js';
import type { VirtualClock } from './clock.js';
import type { EmulatorOptions } from './options.js';
import { userIdAt } from './data/people.js';

export interface EmulatorStats {
  requests: number;
  byPath: Record<string, number>;
  /** Requests per path that asked for side-loads, keyed `path?include=...`. */
  byInclude: Record<string, number>;
  byStatus: Record<string, number>;
  status429: number;
  exportRequests: number;
  bytesSent: number;
  oauthRefreshes: number;
  /** Faults injected, by kind (a reset or truncation counts once it reached the socket). */
  faults: Record<string, number>;
  /** Every request as received (raw path, query pairs in order): what test/conformance.test.ts checks against Zendesk's documentation. */
  requestLog: Array<{ method: string; path: string; query: Array<[string, string]> }>;
}

export function emptyStats(): EmulatorStats {
  return { requests: 0, byPath: {}, byInclude: {}, byStatus: {}, status429: 0, exportRequests: 0, bytesSent: 0, oauthRefreshes: 0, faults: {}, requestLog: [] };
}

export interface ServerDeps {
  options: () => EmulatorOptions;
  clock: VirtualClock;
  data: () => Dataset;
  auth: Auth;
  limiter: RateLimiter;
  faults: FaultInjector;
  registry: Registry;
  stats: () => EmulatorStats;
  baseUrl: () => string;
}

const ANONYMOUS = {
  user: {
    id: null,
    url: null,
    name: 'Anonymous user',
    email: 'invalid@example.com',
    created_at: null,
    updated_at: null,
    time_zone: 'Pacific Time (US & Canada)',
    iana_time_zone: 'America/Los_Angeles',
    locale_id: 1,
    locale: 'en-US',
    organization_id: null,
    role: 'end-user',
    verified: false,
    active: true,
    photo: null,
    tags: [],
    user_fields: {},
  },
};

/** `/api/v2/tickets.json/` and `/api/v2/tickets` are the same resource. */
export function normalizePath(pathname: string): string {
  const p = pathname.replace(/\/+$/, '').replace(/\.json$/, '');
  return p || '/';
}

async function readBody(req: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (!raw) return {};
  if ((req.headers['content-type'] ?? '').includes('json')) {
    try {
      const o = JSON.parse(raw) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v)]));
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

export function startServer(deps: ServerDeps): Server {
  let truncateToggle = 0;

  async function process(req: IncomingMessage, path: string, url: URL, isExport: boolean): Promise<Reply> {
    const { auth, limiter } = deps;
    const nominal = (): Record<string, string> => limiter.check(isExport, false).headers;
    if (path === '/oauth/tokens') {
      if (req.method !== 'POST') return E.invalidEndpoint();
      const params = await readBody(req);
      const reply = auth.grant(params, req.headers.authorization, req.headers['content-type']);
      if (reply.status < 300 && params.grant_type === 'refresh_token') deps.stats().oauthRefreshes++;
      return reply;
    }
    if (req.method !== 'GET') return E.invalidEndpoint();
    // Chat has its own OAuth token; with chatOAuthOnly nothing else opens /api/v2/chat.
    const chatPath = path === '/api/v2/chat' || path.startsWith('/api/v2/chat/');
    const authz = req.headers.authorization;
    const who: AuthResult =
      chatPath && authz?.trim() === `Bearer ${CREDENTIALS.chatAccessToken}`
        ? { ok: true, scheme: 'bearer' }
        : chatPath && deps.options().chatOAuthOnly
          ? { ok: false, reply: E.invalidToken() }
          : auth.authenticate(authz);
    // users/me never says 401: bad credentials get the anonymous user.
    if (!who.ok && path !== '/api/v2/users/me') return { ...who.reply, headers: nominal() };
    const rl = limiter.check(isExport);
    if (!rl.ok) {
      const r = rl.bucket === 'export' ? E.exportRateLimited(rl.retryAfter!) : E.accountRateLimited(rl.retryAfter!);
      return { ...r, headers: { ...rl.headers, ...r.headers } };
    }
    const withRate = (r: Reply): Reply => ({ ...r, headers: { ...rl.headers, ...(r.headers ?? {}) } });
    if (path === '/api/v2/users/me') return withRate(json(200, who.ok ? { user: deps.data().users.get(userIdAt(0)) } : ANONYMOUS));
    const gated = Object.entries(deps.options().gated).find(([prefix]) => path.startsWith(normalizePath(prefix)));
    if (gated) {
      const kind = gated[1];
      return withRate(kind === 'forbidden' ? E.forbidden() : kind === 'scope' ? E.scope() : kind === 'empty403' ? E.empty403() : E.invalidEndpoint());
    }
    if (path === '/api/v2/oauth/tokens/current') {
      return withRate(who.ok && who.scheme === 'bearer' && who.token ? auth.current(who.token) : E.invalidToken());
    }
    const m = deps.registry.match(path);
    if (!m) return withRate(E.invalidEndpoint());
    const o = deps.options();
    try {
      const out = m.handle({
        q: url.searchParams,
        base: deps.baseUrl(),
        path,
        params: m.params,
        clock: { now: deps.clock.now(), legacyTooRecent: o.legacyTooRecent, seed: o.seed },
        assume: o.assumptions,
        data: deps.data(),
      });
      return withRate('status' in out && typeof out.status === 'number' && ('body' in out || 'text' in out) ? (out as Reply) : json(200, out));
    } catch (e) {
      if (e instanceof ReplyError) return withRate(e.reply);
      throw e;
    }
  }

  function send(res: ServerResponse, reply: Reply, fault: FaultKind | null): void {
    const payload = Buffer.from(reply.text ?? JSON.stringify(reply.body ?? null));
    const headers: Record<string, string | number> = {
      'content-type': reply.contentType ?? 'application/json; charset=utf-8',
      'x-request-id': `${randomBytes(8).toString('hex')}-EMU`,
      'x-zendesk-api-version': 'v2',
      'cache-control': 'max-age=0, private, must-revalidate',
      ...(reply.headers ?? {}),
    };
    const stats = deps.stats();
    stats.byStatus[reply.status] = (stats.byStatus[reply.status] ?? 0) + 1;
    if (reply.status === 429) stats.status429++;
    if (fault) stats.faults[fault] = (stats.faults[fault] ?? 0) + 1;
    if (fault === 'reset' || fault === 'truncate') {
      const half = payload.subarray(0, Math.floor(payload.length / 2));
      const chunked = fault === 'truncate' && truncateToggle++ % 2 === 1;
      res.writeHead(reply.status, chunked ? headers : { ...headers, 'content-length': payload.length });
      stats.bytesSent += half.length;
      res.write(half, () => {
        const socket = res.socket;
        if (!socket) return;
        // reset: RST, the client sees ECONNRESET; truncate: a clean FIN mid-body.
        if (fault === 'reset') socket.resetAndDestroy();
        else socket.end();
      });
      return;
    }
    stats.bytesSent += payload.length;
    res.writeHead(reply.status, { ...headers, 'content-length': payload.length });
    res.end(payload);
  }

  return createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://emulator');
      const path = normalizePath(url.pathname);
      const stats = deps.stats();
      stats.requests++;
      stats.requestLog.push({ method: req.method ?? 'GET', path: url.pathname, query: [...url.searchParams] });
      stats.byPath[path] = (stats.byPath[path] ?? 0) + 1;
      const include = url.searchParams.get('include');
      if (include) stats.byInclude[`${path}?include=${include}`] = (stats.byInclude[`${path}?include=${include}`] ?? 0) + 1;
      // Talk's call/leg exports count against the incremental-export budget too.
      const isExport = path.startsWith('/api/v2/incremental/') || path.startsWith('/api/v2/channels/voice/stats/incremental/');
      if (isExport) stats.exportRequests++;
      const o = deps.options();
      if (o.latencyMs > 0) await sleep(o.latencyMs);
      let fault = deps.faults.draw(path);
      if (fault === 'slow') {
        stats.faults.slow = (stats.faults.slow ?? 0) + 1;
        await sleep(o.faults.slowMs ?? 2000);
        fault = null;
      }
      let reply: Reply;
      if (fault && STATUS_FAULTS.has(fault)) {
        const r = faultReply(fault, isExport, o.faults.retryAfterSeconds ?? 1);
        reply = { ...r, headers: { ...deps.limiter.check(isExport, false).headers, ...(r.headers ?? {}) } };
      } else {
        try {
          reply = await process(req, path, url, isExport);
        } catch (e) {
          reply = json(500, { error: 'EmulatorError', description: e instanceof Error ? e.stack ?? e.message : String(e) });
        }
      }
      if (res.destroyed) return;
      send(res, reply, fault);
    })();
  });
}
