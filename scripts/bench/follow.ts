/**
 * Follow mode: how long a change made in Zendesk takes to reach stdout, at
 * the default settings (follow_interval 60 s), on the emulator's clock ticking
 * in real time and under Zendesk's real rate limits (10 export and 700
 * account requests a minute, one-minute windows).
 *
 * One `--follow` tap runs throughout. After its first cycle (the initial
 * sync), a ticket is changed every few seconds, each with a subject of its
 * own; the delay of a change is the time from the change to its RECORD on
 * the tap's stdout. Zendesk's exports leave out the last 60 s, so no delay
 * can be under a minute: the part the tap adds is the delay less 60 s.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, ROOT, startServer, type BenchServer } from './proc.js';

type Json = Record<string, any>;

export interface FollowBenchOptions {
  quick: boolean;
  /** Where config and catalog files go. */
  dir: string;
  log: (s: string) => void;
}

const STREAMS = ['tickets', 'users', 'organizations', 'ticket_events', 'groups', 'tags'];
const SUBJECT = 'follow-bench-';

export async function followDelay(o: FollowBenchOptions): Promise<Json> {
  const changes = o.quick ? 20 : 30;
  const everyMs = o.quick ? 3_000 : 4_000;
  const sizes = { tickets: 1_000, users: 300, organizations: 100 };
  const limits = { accountRpm: 700, exportRpm: 10, windowMs: 60_000 };
  o.log(`follow: ${changes} ticket changes, one every ${everyMs / 1000}s, against a --follow tap at the default settings (emulator clock in real time, Zendesk's limits)`);
  const server = await startServer({ emulator: { sizes, rateLimits: limits }, realClock: true });
  try {
    const config = writeConfig(server, join(o.dir, 'follow-config.json'));
    const catalog = await writeCatalog(config, join(o.dir, 'follow-catalog.json'));
    const ids = await server.call<number[]>({ cmd: 'ticketIds', count: changes });
    const started = performance.now();
    const tap = spawn(process.execPath, [CLI, '--config', config, '--catalog', catalog, '--follow'], {
      cwd: ROOT,
      env: { ...process.env, TAP_ZENDESK_PROGRESS_MS: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const changedAt = new Map<string, number>();
    const seenAt = new Map<string, number[]>();
    const rssAtCycle: number[] = [];
    let stderr = '';
    let cycles = 0;
    let pending = '';
    tap.stdout.setEncoding('utf8');
    tap.stdout.on('data', (chunk: string) => {
      const now = performance.now();
      pending += chunk;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        // Only the changed tickets' lines are parsed: the initial sync is thousands of lines.
        if (!line.includes(SUBJECT) || !line.startsWith('{"type":"RECORD","stream":"tickets"')) continue;
        const subject = String((JSON.parse(line) as Json).record.subject);
        const times = seenAt.get(subject) ?? [];
        times.push(now);
        seenAt.set(subject, times);
      }
    });
    tap.stderr.setEncoding('utf8');
    tap.stderr.on('data', (c: string) => {
      stderr += c;
      const done = (stderr.match(/follow: cycle \d+.* done in/g) ?? []).length;
      if (done > cycles) {
        cycles = done;
        rssAtCycle.push(rssMb(tap.pid!));
      }
      if (stderr.length > 1_000_000) stderr = stderr.slice(-500_000);
    });
    const exited = new Promise<number | null>((resolve) => tap.on('close', (code) => resolve(code)));
    const until = async (ok: () => boolean, timeoutMs: number): Promise<boolean> => {
      const end = performance.now() + timeoutMs;
      while (!ok() && performance.now() < end) await sleep(200);
      return ok();
    };
    if (!(await until(() => cycles >= 1, 5 * 60_000))) throw new Error(`follow: the first cycle did not end: ${stderr.slice(-2000)}`);
    const firstCycleS = (performance.now() - started) / 1000;
    o.log(`follow: first cycle (initial sync) done after ${firstCycleS.toFixed(1)}s; changing tickets`);
    for (let k = 0; k < changes; k++) {
      const subject = `${SUBJECT}${k}`;
      await server.call({ cmd: 'updateTicket', ticket: ids[k]!, changes: { subject } });
      changedAt.set(subject, performance.now());
      if (k < changes - 1) await sleep(everyMs);
    }
    o.log('follow: all changes made; waiting for the last ones to arrive');
    await until(() => seenAt.size >= changes, 4 * 60_000);
    tap.kill('SIGTERM');
    const code = await exited;
    const delays = [...changedAt].filter(([s]) => seenAt.has(s)).map(([s, at]) => (seenAt.get(s)![0]! - at) / 1000).sort((a, b) => a - b);
    const stats = await server.stats();
    const requestsPerCycle = [...stderr.matchAll(/follow: cycle (\d+)[^\n]* (\d+) requests/g)].map((m) => Number(m[2]));
    const idle = requestsPerCycle.slice(1);
    const cycleSeconds = [...stderr.matchAll(/follow: cycle \d+[^\n]* done in ([\d.]+)s/g)].map((m) => Number(m[1])).slice(1);
    return {
      sizes,
      streams: STREAMS,
      limits,
      settings: { follow_interval_s: 60, follow_full_table_interval_s: 3600 },
      changes,
      change_every_s: everyMs / 1000,
      delivered: delays.length,
      delivered_twice: [...seenAt.values()].filter((t) => t.length > 1).length,
      delay_s: {
        min: round(delays[0]),
        median: round(quantile(delays, 0.5)),
        p90: round(quantile(delays, 0.9)),
        worst: round(delays[delays.length - 1]),
        all: delays.map((d) => round(d)),
      },
      first_cycle_s: round(firstCycleS),
      cycles,
      requests_per_cycle_after_the_first: idle.length ? { min: Math.min(...idle), max: Math.max(...idle) } : undefined,
      /** How long the cycles after the first took: the tap's own share of a delay. */
      cycle_s_after_the_first: cycleSeconds.length ? { min: Math.min(...cycleSeconds), max: Math.max(...cycleSeconds) } : undefined,
      status_429: stats.status429,
      rss_mb_at_cycle_end: rssAtCycle,
      exit_code_after_sigterm: code,
      wall_s: round((performance.now() - started) / 1000),
    };
  } finally {
    await server.close();
  }
}

function writeConfig(server: BenchServer, path: string): string {
  const c = server.credentials;
  // The defaults otherwise: follow_interval 60 s, budgets learned from the headers, real one-minute windows.
  writeFileSync(path, JSON.stringify({ subdomain: c.subdomain, start_date: '2000-01-01T00:00:00Z', base_url: server.url, credentials: { type: 'api_token', email: c.email, api_token: c.apiToken } }, null, 2));
  return path;
}

async function writeCatalog(config: string, path: string): Promise<string> {
  const child = spawn(process.execPath, [CLI, '--config', config, '--discover'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (c: string) => {
    out += c;
  });
  const code = await new Promise((r) => child.on('close', r));
  if (code !== 0) throw new Error(`follow: discover exited ${String(code)}`);
  const catalog = JSON.parse(out) as Json;
  for (const s of catalog.streams) {
    for (const m of s.metadata) if (m.breadcrumb.length === 0) m.metadata.selected = STREAMS.includes(s.tap_stream_id);
  }
  writeFileSync(path, JSON.stringify(catalog));
  return path;
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

function quantile(sorted: number[], q: number): number | undefined {
  if (!sorted.length) return undefined;
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (i - lo);
}

function round(n: number | undefined): number | undefined {
  return n === undefined ? undefined : Math.round(n * 10) / 10;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
