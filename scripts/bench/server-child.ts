/**
 * The bench's server process (forked by scripts/bench.ts, so the emulator's CPU
 * is never counted in the tap's measurements): the Zendesk emulator and,
 * optionally, a caching replay proxy in front of it.
 *
 * Why the proxy: the emulator generates every page on demand, which costs more
 * CPU than parsing it (a 1,000-ticket page with metric sets takes ~80 ms to
 * build). Measured against the live emulator, the tap and the floor would both
 * be bound by the emulator. The proxy records each response the first time it
 * is asked for (a warm-up sync) and then serves the very same bytes from
 * memory, so the tap and the floor are measured on identical responses from a
 * server that costs next to nothing.
 *
 * IPC: the parent sends `{ id, cmd, ...args }` and gets `{ id, result }` or
 * `{ id, error }`. Once listening, the child sends
 * `{ ready: true, emulatorUrl, url }` (`url` is the proxy when replaying).
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator, type EmulatorInit } from '../../test/emulator/index.js';

export interface ServerChildInit {
  emulator: EmulatorInit;
  /** Put the caching replay proxy in front of the emulator. */
  replay?: boolean;
  /** Put a pass-through proxy in front that records when each request arrived and finished (no cache). */
  timeline?: boolean;
  /**
   * Tick the emulator's virtual clock with real time (it moves only when told to): for the
   * follow-mode measurement, where Zendesk's one-minute export window must last a real minute.
   */
  realClock?: boolean;
}

export interface TimelineEntry {
  /** ms since the last resetStats, arrival and end of the response. */
  at: number;
  done: number;
  path: string;
  status: number;
}

export type ServerCommand =
  | { cmd: 'stats' }
  | { cmd: 'resetStats' }
  | { cmd: 'truthCount'; stream: string }
  | { cmd: 'cache' }
  | { cmd: 'urls'; prefix?: string }
  /** URLs requested (hits and misses) since the last resetStats, in order: exactly the pages one run read. */
  | { cmd: 'requested'; prefix?: string }
  | { cmd: 'dropCache' }
  | { cmd: 'timeline' }
  /** The first `count` ticket ids. */
  | { cmd: 'ticketIds'; count: number }
  /** Changes a ticket now; returns the emulator's clock (epoch seconds) it was stamped with. */
  | { cmd: 'updateTicket'; ticket: number; changes: Record<string, unknown> }
  | { cmd: 'close' };

interface Cached {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const init = JSON.parse(process.argv[2] ?? '{}') as ServerChildInit;
const emu = await startEmulator(init.emulator);
if (init.realClock) {
  // The virtual clock starts at the real time; from then on it follows it, a tick at a time.
  const tick = (): void => emu.clock.set(Math.floor(Date.now() / 1000));
  tick();
  setInterval(tick, 100).unref();
}
const upstream = new URL(emu.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** Cache key: path and the query parameters, sorted (clients may order them differently). */
function keyOf(rawUrl: string): string {
  const u = new URL(rawUrl, 'http://x');
  const q = [...u.searchParams.entries()].sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return `${u.pathname}?${new URLSearchParams(q).toString()}`;
}

const cache = new Map<string, Cached>();
/** Request URLs in the order first seen (the floor replays them). */
const order: string[] = [];
const requested: string[] = [];
let hits = 0;
let misses = 0;
let cachedBytes = 0;

function forward(req: http.IncomingMessage): Promise<Cached> {
  return new Promise((resolve, reject) => {
    const up = http.request(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    up.on('error', reject);
    req.pipe(up);
  });
}

function reply(res: http.ServerResponse, r: Cached): void {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(r.headers)) {
    if (v === undefined || k === 'connection' || k === 'keep-alive' || k === 'transfer-encoding' || k === 'date') continue;
    headers[k] = v;
  }
  headers['content-length'] = String(r.body.length);
  res.writeHead(r.status, headers);
  res.end(r.body);
}

let proxyUrl: string | undefined;
let epoch = performance.now();
const timeline: TimelineEntry[] = [];
if (init.replay || init.timeline) {
  const proxy = http.createServer((req, res) => {
    if (init.timeline) {
      const at = performance.now() - epoch;
      forward(req).then(
        (r) => {
          reply(res, r);
          timeline.push({ at, done: performance.now() - epoch, path: new URL(req.url ?? '/', 'http://x').pathname.replace(/\.json$/, ''), status: r.status });
        },
        (err: Error) => {
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(`bench proxy: ${err.message}`);
        },
      );
      return;
    }
    const key = keyOf(req.url ?? '/');
    requested.push(req.url ?? '/');
    const hit = req.method === 'GET' ? cache.get(key) : undefined;
    if (hit) {
      hits++;
      reply(res, hit);
      return;
    }
    misses++;
    forward(req).then(
      (r) => {
        // Only complete successes are replayed; anything else goes to the emulator every time.
        if (req.method === 'GET' && r.status === 200 && !cache.has(key)) {
          cache.set(key, r);
          order.push(req.url ?? '/');
          cachedBytes += r.body.length;
        }
        reply(res, r);
      },
      (err: Error) => {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`bench proxy: ${err.message}`);
      },
    );
  });
  proxy.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

function handle(m: ServerCommand): unknown {
  switch (m.cmd) {
    case 'stats':
      return emu.stats();
    case 'resetStats':
      emu.resetStats();
      epoch = performance.now();
      timeline.length = 0;
      hits = 0;
      misses = 0;
      requested.length = 0;
      return true;
    case 'truthCount': {
      let n = 0;
      for (const _ of emu.truth(m.stream)) n++;
      return n;
    }
    case 'cache':
      return { entries: cache.size, bytes: cachedBytes, hits, misses };
    case 'urls':
      return order.filter((u) => !m.prefix || u.startsWith(m.prefix));
    case 'requested':
      return requested.filter((u) => !m.prefix || u.startsWith(m.prefix));
    case 'dropCache':
      cache.clear();
      order.length = 0;
      cachedBytes = 0;
      return true;
    case 'timeline':
      return timeline;
    case 'ticketIds': {
      const ids: number[] = [];
      for (const r of emu.truth('tickets')) {
        if (ids.length >= m.count) break;
        ids.push(r.id as number);
      }
      return ids;
    }
    case 'updateTicket':
      emu.mutate.updateTicket(m.ticket, m.changes);
      return emu.clock.now();
    case 'close':
      setTimeout(() => process.exit(0), 10);
      return true;
  }
}

process.on('message', (raw) => {
  const m = raw as ServerCommand & { id: number };
  try {
    process.send!({ id: m.id, result: handle(m) });
  } catch (err) {
    process.send!({ id: m.id, error: err instanceof Error ? err.message : String(err) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send!({ ready: true, emulatorUrl: emu.url, url: proxyUrl ?? emu.url, credentials: emu.credentials });
