/**
 * `npm run bench [-- --quick] [-- --only throughput,api,memory,follow,maps]` (`--follow-only`: just the follow-mode delay)
 *
 * Figures, not pass/fail: CPU throughput against a floor, API efficiency
 * under Zendesk's real limits on a scaled clock, and peak memory at 100k and
 * 1M tickets. Prints a table and writes `.bench/summary.json` (also printed).
 * Method and latest figures: docs/benchmark.md.
 *
 * Processes: this one orchestrates and counts the tap's stdout (discarded);
 * the emulator (and the replay proxy) run in a forked child; the tap and the
 * floor are children of their own, so each is measured alone (/proc).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { CLI, FLOOR, ROOT, measure, startServer, type BenchServer, type Measured } from './bench/proc.js';
import type { TimelineEntry } from './bench/server-child.js';
import { fmt, mark, table } from './bench/report.js';
import { followDelay } from './bench/follow.js';

const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const onlyArg = argv.find((a) => a.startsWith('--only'))?.split('=')[1] ?? (argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined);
const ONLY = new Set((argv.includes('--follow-only') ? 'follow' : onlyArg ?? 'throughput,api,memory,follow').split(','));
/** `--only maps` (not in the default set): tickets + users with and without a typical stream map, in one run. */
const OUT = join(ROOT, '.bench');
mkdirSync(join(OUT, 'tmp'), { recursive: true });

const SIZES = QUICK
  ? {
      throughput: { tickets: 20_000, users: 5_000, organizations: 1_000 },
      api: { tickets: 6_000, users: 1_500, organizations: 500 },
      memory: [20_000, 100_000],
      maps: { tickets: 20_000, users: 20_000, organizations: 500 },
    }
  : {
      throughput: { tickets: 100_000, users: 25_000, organizations: 5_000 },
      api: { tickets: 30_000, users: 6_000, organizations: 2_000 },
      memory: [100_000, 1_000_000],
      maps: { tickets: 100_000, users: 100_000, organizations: 2_000 },
    };
/**
 * One Zendesk minute is this many ms in the API-efficiency run (`--window-ms N`).
 * 6 s (a 10x clock): compressed enough to run in minutes, slow enough that a
 * page's own round-trip stays small beside a window, as it is at Zendesk's 60 s.
 * `--quick` uses 2 s (30x), where that round-trip weighs three times as much.
 */
const windowArg = argv.find((a) => a.startsWith('--window-ms'));
const WINDOW_MS = Number(windowArg?.includes('=') ? windowArg.split('=')[1] : windowArg ? argv[argv.indexOf(windowArg) + 1] : QUICK ? 2_000 : 6_000);
/** Rounds of the tickets tap/floor comparison (best of each kept). */
const ROUNDS = QUICK ? 2 : 3;
const ALL_SUPPORT = [
  'tickets', 'ticket_metrics', 'users', 'user_identities', 'organizations', 'ticket_events', 'ticket_comments',
  'ticket_metric_events', 'satisfaction_ratings', 'groups', 'brands', 'ticket_fields', 'tags', 'sla_policies', 'group_memberships',
  // Rebuilt from the ticket event export's pages: no request of their own.
  'ticket_audits', 'ticket_field_history',
];
const THROUGHPUT_STREAMS = ['tickets', 'ticket_metrics', 'users', 'user_identities', 'organizations', 'ticket_events', 'ticket_comments'];
const EXPORT_PATH = '/api/v2/incremental/';

type Json = Record<string, any>;
const log = (s: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}\n`);
};

// ------------------------------------------------------------------ tap plumbing

let discovered: Json | undefined;

function writeJson(name: string, value: unknown): string {
  const path = join(OUT, name);
  writeFileSync(path, JSON.stringify(value, null, 2));
  return path;
}

function tapConfig(server: BenchServer, extra: Json, url = server.url): string {
  const c = server.credentials;
  return writeJson(`tmp/config-${Math.random().toString(36).slice(2, 8)}.json`, {
    subdomain: c.subdomain,
    start_date: '2000-01-01T00:00:00Z',
    base_url: url,
    credentials: { type: 'api_token', email: c.email, api_token: c.apiToken },
    ...extra,
  });
}

/** No rate limits in the emulator: let the tap's governor stay out of the way as well. */
const UNLIMITED = { export_rpm: 100, rate_window_seconds: 0.1 };

async function catalogFor(server: BenchServer, streams: string[]): Promise<string> {
  discovered ??= await discoverOutput(server);
  const cat = {
    streams: discovered.streams.map((s: Json) => ({
      ...s,
      metadata: s.metadata.map((m: Json) =>
        m.breadcrumb.length === 0 ? { ...m, metadata: { ...m.metadata, selected: streams.includes(s.tap_stream_id) } } : m,
      ),
    })),
  };
  return writeJson(`tmp/catalog-${streams.length === 1 ? streams[0] : streams.length}.json`, cat);
}

/** `measure` discards stdout, so the catalog is read with a plain capture. */
async function discoverOutput(server: BenchServer): Promise<Json> {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [CLI, '--config', tapConfig(server, {}, server.emulatorUrl), '--discover'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (c: string) => {
    out += c;
  });
  const code = await new Promise((r) => child.on('close', r));
  if (code !== 0) throw new Error(`discover exited ${String(code)}`);
  return JSON.parse(out) as Json;
}

function recordCounts(stderr: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of stderr.matchAll(/METRIC: (\{.*\})/g)) {
    try {
      const j = JSON.parse(m[1]!) as Json;
      if (j.metric === 'record_count') out[j.tags.endpoint] = j.value;
    } catch {
      // not ours
    }
  }
  return out;
}

function runFigures(r: Measured): Json {
  const secs = r.wallMs / 1000;
  return {
    wall_s: round(secs, 2),
    records: r.records,
    records_per_s: Math.round(r.records / secs),
    mb_out: round(r.bytes / 1e6, 1),
    mb_per_s: round(r.bytes / 1e6 / secs, 1),
    cpu_s: round(r.cpuSeconds, 2),
    records_per_cpu_s: r.cpuSeconds > 0 ? Math.round(r.records / r.cpuSeconds) : undefined,
    peak_rss_mb: round(r.peakRssMb, 1),
  };
}

function round(n: number, d: number): number {
  const f = 10 ** d;
  return Math.round(n * f) / f;
}

function ensureOk(what: string, r: Measured): void {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}: ${r.stderr.slice(-3000)}`);
}

function walls(runs: Measured[]): number[] {
  return runs.map((r) => round(r.wallMs / 1000, 2));
}

function best(runs: Measured[]): Measured {
  return runs.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
}

// ------------------------------------------------------------------ 1. CPU throughput

async function throughput(): Promise<Json> {
  const sizes = SIZES.throughput;
  log(`throughput: emulator with ${fmt(sizes.tickets)} tickets, ${fmt(sizes.users)} users, ${fmt(sizes.organizations)} organizations, no rate limits, replay proxy`);
  const server = await startServer({ emulator: { sizes, rateLimits: false }, replay: true });
  try {
    const allCat = await catalogFor(server, THROUGHPUT_STREAMS);
    const ticketsCat = await catalogFor(server, ['tickets']);
    const config = tapConfig(server, UNLIMITED);
    const tapArgs = (cat: string) => ['--config', config, '--catalog', cat];

    log('throughput: warm-up sync against the live emulator (fills the replay cache)');
    const warm = await measure(CLI, tapArgs(allCat));
    ensureOk('warm-up sync', warm);
    const cache = await server.call<Json>({ cmd: 'cache' });
    log(`throughput: cached ${cache.entries} responses, ${fmt(cache.bytes / 1e6, 1)} MB`);
    await server.call({ cmd: 'resetStats' });

    log('throughput: tap, all streams, replayed responses');
    const all = await measure(CLI, tapArgs(allCat));
    ensureOk('tap (all streams)', all);
    const afterAll = await server.call<Json>({ cmd: 'cache' });
    const allUrls = await server.call<string[]>({ cmd: 'requested', prefix: EXPORT_PATH });

    // A tickets-only sync asks for other pages (no metric sets side-loaded): record them too,
    // and give the floor exactly the pages the tap reads.
    log('throughput: warm-up of the tickets stream alone');
    await server.call({ cmd: 'resetStats' });
    ensureOk('warm-up (tickets)', await measure(CLI, tapArgs(ticketsCat)));
    const ticketUrls = await server.call<string[]>({ cmd: 'requested', prefix: '/api/v2/incremental/tickets/cursor' });
    await server.call({ cmd: 'resetStats' });
    const auth = `Basic ${Buffer.from(`${server.credentials.email}/token:${server.credentials.apiToken}`).toString('base64')}`;
    const floorTickets = writeJson('tmp/floor-tickets.json', { base: server.url, authorization: auth, urls: ticketUrls });
    const floorAll = writeJson('tmp/floor-all.json', { base: server.url, authorization: auth, urls: allUrls });

    const ticketsMetricsCat = await catalogFor(server, ['tickets', 'ticket_metrics']);
    const noneCat = await catalogFor(server, []);
    // Alternate tap and floor runs (noise hits both alike); keep the best of each.
    const tapT: Measured[] = [];
    const tapTM: Measured[] = [];
    const floorT: Measured[] = [];
    const floorP: Measured[] = [];
    const startup: Measured[] = [];
    for (let k = 0; k < ROUNDS; k++) {
      log(`throughput: tickets stream, tap vs floor (round ${k + 1}/${ROUNDS})`);
      const t = await measure(CLI, tapArgs(ticketsCat));
      ensureOk('tap (tickets)', t);
      tapT.push(t);
      const f = await measure(FLOOR, [floorTickets]);
      ensureOk('floor (tickets)', f);
      floorT.push(f);
      const tm = await measure(CLI, tapArgs(ticketsMetricsCat));
      ensureOk('tap (tickets + ticket_metrics)', tm);
      tapTM.push(tm);
      const fp = await measure(FLOOR, [floorTickets, '--prefetch']);
      ensureOk('floor (tickets, prefetch)', fp);
      floorP.push(fp);
      const s0 = await measure(CLI, tapArgs(noneCat));
      ensureOk('tap (no stream)', s0);
      startup.push(s0);
    }
    log('throughput: floor over all the pages of the all-streams sync');
    const floorA = await measure(FLOOR, [floorAll]);
    ensureOk('floor (all)', floorA);
    const final = await server.call<Json>({ cmd: 'cache' });

    const tt = best(tapT);
    const ttm = best(tapTM);
    const ft = best(floorT);
    const fp = best(floorP);
    // The floor's lines are all records (every object of every top-level array).
    for (const f of [...floorT, ...floorP, floorA]) f.records = f.lines;
    const ticketsRecords = recordCounts(tt.stderr).tickets ?? tt.records;
    const startupS = best(startup).wallMs / 1000;
    return {
      sizes,
      server: 'replay proxy (responses recorded from the emulator in a warm-up sync, served from memory)',
      cached_responses: cache.entries,
      cached_mb: round(cache.bytes / 1e6, 1),
      replay_misses_in_measured_runs: final.misses,
      warmup_live_emulator: { ...runFigures(warm), per_stream: recordCounts(warm.stderr) },
      all_streams: { ...runFigures(all), per_stream: recordCounts(all.stderr), misses: afterAll.misses },
      floor_all_pages: { ...runFigures(floorA), pages: allUrls.length },
      tap_startup_s: round(startupS, 2),
      tap_baseline_rss_mb: round(best(startup).peakRssMb, 1),
      tickets: {
        pages: ticketUrls.length,
        tap: { ...runFigures(tt), tickets: ticketsRecords, runs_wall_s: walls(tapT) },
        tap_with_ticket_metrics: { ...runFigures(ttm), per_stream: recordCounts(ttm.stderr), runs_wall_s: walls(tapTM) },
        floor: { ...runFigures(ft), runs_wall_s: walls(floorT) },
        floor_prefetch: { ...runFigures(fp), runs_wall_s: walls(floorP) },
        ratio_wall_tap_over_floor: round(tt.wallMs / ft.wallMs, 2),
        ratio_cpu_tap_over_floor: round(tt.cpuSeconds / Math.max(ft.cpuSeconds, 0.01), 2),
        ratio_wall_tap_over_floor_prefetch: round(tt.wallMs / fp.wallMs, 2),
        tap_records_per_s_without_startup: Math.round(tt.records / (tt.wallMs / 1000 - startupS)),
      },
      all_streams_ratio_wall_tap_over_floor: round(all.wallMs / floorA.wallMs, 2),
    };
  } finally {
    await server.close();
  }
}

// ------------------------------------------------------------------ 2. API efficiency

async function apiEfficiency(): Promise<Json> {
  const sizes = SIZES.api;
  const limits = { accountRpm: 700, exportRpm: 10, windowMs: WINDOW_MS };
  log(`api: emulator with ${fmt(sizes.tickets)} tickets, Zendesk's limits (${limits.exportRpm} export/min, ${limits.accountRpm}/min) on a ${60_000 / WINDOW_MS}x clock (1 min = ${WINDOW_MS} ms)`);
  const server = await startServer({ emulator: { sizes, rateLimits: limits }, timeline: true });
  try {
    const cat = await catalogFor(server, ALL_SUPPORT);
    // Discovery's requests must leave the window before the measured sync.
    await new Promise((r) => setTimeout(r, WINDOW_MS + 200));
    await server.call({ cmd: 'resetStats' });
    const config = tapConfig(server, { rate_window_seconds: WINDOW_MS / 1000 });
    log('api: full sync of every Support stream');
    const run = await measure(CLI, ['--config', config, '--catalog', cat], { trackStreams: true });
    ensureOk('tap (api efficiency)', run);
    const stats = await server.stats();
    const timeline = await server.call<TimelineEntry[]>({ cmd: 'timeline' });
    writeJson('api-timeline.json', timeline);
    const truth: Record<string, number> = {};
    for (const s of ALL_SUPPORT) truth[s] = await server.call<number>({ cmd: 'truthCount', stream: s });
    const got = Object.fromEntries(Object.entries(run.streams ?? {}).map(([k, v]) => [k, v.records]));
    const incomplete = ALL_SUPPORT.filter((s) => (got[s] ?? 0) !== truth[s]);

    const exportReq = stats.exportRequests;
    const accountReq = stats.requests;
    const minExport = Math.max(0, Math.ceil(exportReq / limits.exportRpm) - 1) * WINDOW_MS;
    const minAccount = Math.max(0, Math.ceil(accountReq / limits.accountRpm) - 1) * WINDOW_MS;
    const minimum = Math.max(minExport, minAccount);
    const records = run.records;
    const streams = run.streams ?? {};
    const span = (names: string[]) => {
      const xs = names.map((n) => streams[n]).filter(Boolean) as Array<{ first: number; last: number }>;
      return xs.length ? { first_record_s: round(Math.min(...xs.map((x) => x.first)) / 1000, 2), last_record_s: round(Math.max(...xs.map((x) => x.last)) / 1000, 2) } : undefined;
    };
    const exportStreams = ['tickets', 'users', 'organizations', 'ticket_events', 'ticket_metric_events'];
    const listStreams = ['satisfaction_ratings', 'groups', 'brands', 'ticket_fields', 'tags', 'sla_policies', 'group_memberships'];
    return {
      sizes,
      limits: { ...limits, scale: 60_000 / WINDOW_MS },
      requests: accountReq,
      export_requests: exportReq,
      account_only_requests: accountReq - exportReq,
      records,
      requests_per_1000_records: round((accountReq / records) * 1000, 2),
      status_429: stats.status429,
      by_status: stats.byStatus,
      by_path: stats.byPath,
      wall_s: round(run.wallMs / 1000, 2),
      minimum_s: round(minimum / 1000, 2),
      minimum_bound_by: minExport >= minAccount ? 'export bucket' : 'account bucket',
      minimum_export_s: round(minExport / 1000, 2),
      minimum_account_s: round(minAccount / 1000, 2),
      ratio_wall_over_minimum: minimum > 0 ? round(run.wallMs / minimum, 3) : undefined,
      in_real_time: { wall_min: round((run.wallMs * (60_000 / WINDOW_MS)) / 60_000, 1), minimum_min: round((minimum * (60_000 / WINDOW_MS)) / 60_000, 1) },
      complete: incomplete.length === 0,
      incomplete: Object.fromEntries(incomplete.map((s) => [s, { got: got[s] ?? 0, truth: truth[s] }])),
      export_streams_span: span(exportStreams),
      list_streams_span: span(listStreams),
      per_stream: Object.fromEntries(Object.entries(streams).map(([k, v]) => [k, { records: v.records, first_s: round(v.first / 1000, 2), last_s: round(v.last / 1000, 2) }])),
      tap_peak_rss_mb: round(run.peakRssMb, 1),
      timeline: analyseTimeline(timeline, limits, run.wallMs),
    };
  } finally {
    await server.close();
  }
}

/**
 * Where the wall time goes: start-up until the first request, the span of the
 * export requests against the ideal span for their number (a full bucket every
 * window), and the tail after the last export request.
 */
function analyseTimeline(tl: TimelineEntry[], limits: { exportRpm: number; windowMs: number }, wallMs: number): Json {
  const exports = tl.filter((e) => e.path.startsWith(EXPORT_PATH)).sort((a, b) => a.at - b.at);
  if (!exports.length) return {};
  const first = Math.min(...tl.map((e) => e.at));
  const idealSpan = Math.max(0, Math.ceil(exports.length / limits.exportRpm) - 1) * limits.windowMs;
  const span = exports[exports.length - 1]!.at - exports[0]!.at;
  // Per window after the first export request: how many export requests went out.
  const perWindow: number[] = [];
  for (const e of exports) {
    const w = Math.floor((e.at - exports[0]!.at) / limits.windowMs);
    perWindow[w] = (perWindow[w] ?? 0) + 1;
  }
  const lastDone = Math.max(...tl.map((e) => e.done));
  return {
    first_request_s: round(first / 1000, 2),
    export_span_s: round(span / 1000, 2),
    export_span_ideal_s: round(idealSpan / 1000, 2),
    last_response_s: round(lastDone / 1000, 2),
    tail_after_last_response_s: round(Math.max(0, wallMs - lastDone) / 1000, 2),
    export_requests_per_window: Array.from(perWindow, (n) => n ?? 0),
    slowest_export_response_ms: Math.round(Math.max(...exports.map((e) => e.done - e.at))),
  };
}

// ------------------------------------------------------------------ 3. Memory

async function memory(): Promise<Json> {
  const out: Json[] = [];
  const largest = SIZES.memory[SIZES.memory.length - 1]!;
  // Tickets alone at each size (the target); at the largest size also with ticket_metrics,
  // whose side-loaded metric sets make every page about 40% bigger.
  const plan = [...SIZES.memory.map((tickets) => ({ tickets, streams: ['tickets'] })), { tickets: largest, streams: ['tickets', 'ticket_metrics'] }];
  for (const { tickets, streams } of plan) {
    log(`memory: ${streams.join(' + ')}, ${fmt(tickets)} tickets (live emulator, no rate limits)`);
    const server = await startServer({ emulator: { sizes: { tickets, users: 2_000, organizations: 500 }, rateLimits: false } });
    try {
      const cat = await catalogFor(server, streams);
      const run = await measure(CLI, ['--config', tapConfig(server, UNLIMITED), '--catalog', cat], { timeoutMs: 20 * 60_000 });
      ensureOk(`tap (memory, ${tickets})`, run);
      const q = (f: number): number | undefined => run.rssSeries[Math.min(run.rssSeries.length - 1, Math.floor(f * run.rssSeries.length))];
      out.push({
        tickets,
        streams,
        ...runFigures(run),
        emitted: recordCounts(run.stderr),
        // VmRSS at a quarter, half, three quarters and the end of the run: flat means bounded.
        rss_mb_over_run: [q(0.25), q(0.5), q(0.75), run.rssSeries[run.rssSeries.length - 1]],
      });
    } finally {
      await server.close();
    }
  }
  return { runs: out };
}

// ------------------------------------------------------------------ 4. Stream maps

/** The README's typical map: hash two user fields, leave deleted tickets out. */
const TYPICAL_MAP = {
  stream_maps: {
    users: { email: "md5(config['hash_seed'] + email)", phone: "md5(config['hash_seed'] + phone)" },
    tickets: { __filter__: "record['status'] != 'deleted'" },
  },
  stream_map_config: { hash_seed: 'bench-seed' },
};

/** tickets + users, replayed responses, with and without TYPICAL_MAP, alternating rounds (best of each kept). */
async function streamMaps(): Promise<Json> {
  const sizes = SIZES.maps;
  log(`maps: emulator with ${fmt(sizes.tickets)} tickets, ${fmt(sizes.users)} users, replay proxy`);
  const server = await startServer({ emulator: { sizes, rateLimits: false }, replay: true });
  try {
    const cat = await catalogFor(server, ['tickets', 'users']);
    const plain = ['--config', tapConfig(server, UNLIMITED), '--catalog', cat];
    const mapped = ['--config', tapConfig(server, { ...UNLIMITED, ...TYPICAL_MAP }), '--catalog', cat];
    log('maps: warm-up sync (fills the replay cache)');
    ensureOk('warm-up (maps)', await measure(CLI, plain));
    const without: Measured[] = [];
    const withMap: Measured[] = [];
    for (let k = 0; k < ROUNDS; k++) {
      log(`maps: tickets + users without and with the stream map (round ${k + 1}/${ROUNDS})`);
      const a = await measure(CLI, plain);
      ensureOk('tap (no map)', a);
      without.push(a);
      const b = await measure(CLI, mapped);
      ensureOk('tap (stream map)', b);
      withMap.push(b);
    }
    const a = best(without);
    const b = best(withMap);
    // Throughput in records read: the filtered tickets are work done too.
    const read = (m: Measured): number => Object.values(recordCounts(m.stderr)).reduce((x, y) => x + y, 0) || m.records;
    return {
      sizes,
      map: TYPICAL_MAP.stream_maps,
      without_map: { ...runFigures(a), per_stream: recordCounts(a.stderr), runs_wall_s: walls(without) },
      with_map: { ...runFigures(b), per_stream: recordCounts(b.stderr), runs_wall_s: walls(withMap) },
      read_records_per_s: { without_map: Math.round(read(a) / (a.wallMs / 1000)), with_map: Math.round(read(b) / (b.wallMs / 1000)) },
      ratio_wall_with_over_without: round(b.wallMs / a.wallMs, 3),
      ratio_cpu_with_over_without: round(b.cpuSeconds / Math.max(a.cpuSeconds, 0.01), 3),
    };
  } finally {
    await server.close();
  }
}

// ------------------------------------------------------------------ main

const started = Date.now();
const summary: Json = {
  date: new Date().toISOString(),
  mode: QUICK ? 'quick' : 'full',
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memory_gb: round(totalmem() / 2 ** 30, 1), node: process.version, platform: process.platform },
};
if (ONLY.has('throughput')) summary.throughput = await throughput();
if (ONLY.has('api')) summary.api = await apiEfficiency();
if (ONLY.has('memory')) summary.memory = await memory();
if (ONLY.has('maps')) summary.maps = await streamMaps();
// Real time (Zendesk's one-minute export window cannot be scaled): about 4 minutes, 3 with --quick.
if (ONLY.has('follow')) summary.follow = await followDelay({ quick: QUICK, dir: join(OUT, 'tmp'), log });

// Targets (issue 5).
const t = summary.throughput?.tickets;
const api = summary.api;
const allMem: Json[] = summary.memory?.runs ?? [];
const mem = allMem.filter((m) => m.streams.length === 1);
const biggest = mem.length ? mem[mem.length - 1] : undefined;
const smallest = mem.length ? mem[0] : undefined;
summary.targets = {
  throughput_within_1_5x_floor: t ? t.ratio_wall_tap_over_floor <= 1.5 : undefined,
  tickets_20k_records_per_s: t ? t.tap.records_per_s >= 20_000 : undefined,
  zero_429s: api ? api.status_429 === 0 : undefined,
  wall_within_10pct_of_minimum: api?.ratio_wall_over_minimum !== undefined ? api.ratio_wall_over_minimum <= 1.1 : undefined,
  rss_under_200mb_at_largest: biggest ? biggest.peak_rss_mb < 200 : undefined,
  rss_flat_with_size: biggest && smallest && biggest !== smallest ? biggest.peak_rss_mb <= smallest.peak_rss_mb * 1.25 : undefined,
  // "About two minutes": the 60 s export window, then up to one 60 s interval, plus the cycle itself.
  follow_change_on_stdout_within_2_min: summary.follow ? summary.follow.delivered === summary.follow.changes && summary.follow.delivered_twice === 0 && summary.follow.delay_s.worst <= 130 : undefined,
};
summary.bench_seconds = round((Date.now() - started) / 1000, 1);

const lines: string[] = [`tap-zendesk bench (${summary.mode}) on ${summary.machine.cpus} CPU ${summary.machine.cpu}, node ${process.version}`];
if (summary.throughput) {
  const th = summary.throughput;
  const row = (name: string, f: Json): Array<string | number> => [name, fmt(f.wall_s, 2), f.records, f.records_per_s, fmt(f.mb_per_s, 1), fmt(f.cpu_s, 2), fmt(f.peak_rss_mb, 0)];
  lines.push(
    table(
      `1. CPU throughput: ${fmt(th.sizes.tickets)} tickets, ${fmt(th.sizes.users)} users, ${fmt(th.sizes.organizations)} orgs (tap/floor on the tickets stream: ${th.tickets.ratio_wall_tap_over_floor}x wall, ${th.tickets.ratio_cpu_tap_over_floor}x CPU)`,
      ['run', 'wall s', 'records', 'records/s', 'MB/s', 'CPU s', 'RSS MB'],
      [
        row('tap, tickets (replay)', th.tickets.tap),
        row('tap, tickets + ticket_metrics', th.tickets.tap_with_ticket_metrics),
        row('floor, tickets pages', th.tickets.floor),
        row('floor, tickets pages, prefetch', th.tickets.floor_prefetch),
        row('tap, 7 streams (replay)', th.all_streams),
        row('floor, same pages', th.floor_all_pages),
        row('tap, 7 streams (live emulator)', th.warmup_live_emulator),
      ],
    ),
  );
  lines.push(`   tap start-up + shutdown with no stream selected: ${th.tap_startup_s}s, ${fmt(th.tap_baseline_rss_mb, 0)} MB RSS; tickets records/s without start-up: ${fmt(th.tickets.tap_records_per_s_without_startup)}`);
}
if (api) {
  lines.push(
    table(
      `2. API efficiency: ${fmt(api.sizes.tickets)} tickets, 15 streams, ${api.limits.exportRpm} export + ${api.limits.accountRpm} account req/min, 1 min = ${WINDOW_MS} ms`,
      ['requests', 'export req', 'records', 'req/1000 rec', '429s', 'wall s', 'minimum s', 'wall/min', 'complete'],
      [[String(api.requests), String(api.export_requests), api.records, fmt(api.requests_per_1000_records, 2), String(api.status_429), fmt(api.wall_s, 1), fmt(api.minimum_s, 1), fmt(api.ratio_wall_over_minimum, 3), api.complete ? 'yes' : 'NO']],
    ),
  );
  if (api.list_streams_span && api.export_streams_span) {
    const tl = api.timeline ?? {};
    lines.push(`   first request at ${tl.first_request_s}s; export requests spanned ${tl.export_span_s}s (ideal ${tl.export_span_ideal_s}s); last response at ${tl.last_response_s}s; export requests per window: ${(tl.export_requests_per_window ?? []).join(' ')}`);
    lines.push(`   exports: records from ${api.export_streams_span.first_record_s}s to ${api.export_streams_span.last_record_s}s; account-bucket lists: ${api.list_streams_span.first_record_s}s to ${api.list_streams_span.last_record_s}s`);
  }
}
if (allMem.length) {
  lines.push(
    table(
      '3. Memory: against the live emulator',
      ['tickets', 'streams', 'peak RSS MB', 'RSS at 25/50/75/100% MB', 'wall s', 'records/s', 'MB/s'],
      allMem.map((m) => [fmt(m.tickets), m.streams.join(' + '), fmt(m.peak_rss_mb, 1), (m.rss_mb_over_run ?? []).map((x: number | undefined) => fmt(x)).join(' / '), fmt(m.wall_s, 1), m.records_per_s, fmt(m.mb_per_s, 1)]),
    ),
  );
}
if (summary.maps) {
  const m = summary.maps;
  const row = (name: string, f: Json, perS: number): Array<string | number> => [name, fmt(f.wall_s, 2), f.records, perS, fmt(f.mb_per_s, 1), fmt(f.cpu_s, 2), fmt(f.peak_rss_mb, 0)];
  lines.push(
    table(
      `4. Stream maps: tickets + users (${fmt(m.sizes.tickets)} + ${fmt(m.sizes.users)}), replayed; hash users.email and users.phone, filter deleted tickets (with/without: ${m.ratio_wall_with_over_without}x wall, ${m.ratio_cpu_with_over_without}x CPU)`,
      ['run', 'wall s', 'records out', 'read/s', 'MB/s', 'CPU s', 'RSS MB'],
      [row('tap, no map', m.without_map, m.read_records_per_s.without_map), row('tap, typical stream map', m.with_map, m.read_records_per_s.with_map)],
    ),
  );
}
if (summary.follow) {
  const f = summary.follow;
  lines.push(
    table(
      `5. Follow mode: change to RECORD on stdout, ${f.changes} ticket changes (one every ${f.change_every_s}s), default settings, real clock and Zendesk's limits (the export window alone is 60 s)`,
      ['delivered', 'twice', 'min s', 'median s', 'p90 s', 'worst s', 'cycles', 'cycle s', 'req/cycle', '429s', 'RSS MB per cycle'],
      [[`${f.delivered}/${f.changes}`, String(f.delivered_twice), fmt(f.delay_s.min, 1), fmt(f.delay_s.median, 1), fmt(f.delay_s.p90, 1), fmt(f.delay_s.worst, 1), String(f.cycles), f.cycle_s_after_the_first ? `${fmt(f.cycle_s_after_the_first.min, 1)}-${fmt(f.cycle_s_after_the_first.max, 1)}` : '-', f.requests_per_cycle_after_the_first ? `${f.requests_per_cycle_after_the_first.min}-${f.requests_per_cycle_after_the_first.max}` : '-', String(f.status_429), f.rss_mb_at_cycle_end.join(' ')]],
    ),
  );
}
lines.push(
  table(
    'Targets',
    ['target', 'result'],
    [
      ['tickets throughput within 1.5x of the floor', mark(summary.targets.throughput_within_1_5x_floor)],
      ['>= 20,000 records/s (tickets)', mark(summary.targets.tickets_20k_records_per_s)],
      ['zero 429s in a normal sync', mark(summary.targets.zero_429s)],
      ['wall within 10% of the rate-limit minimum', mark(summary.targets.wall_within_10pct_of_minimum)],
      [`peak RSS < 200 MB at ${biggest ? fmt(biggest.tickets) : '-'} tickets`, mark(summary.targets.rss_under_200mb_at_largest)],
      ['RSS does not grow with account size', mark(summary.targets.rss_flat_with_size)],
      ['follow: every change on stdout once, within about 2 minutes (<= 130 s)', mark(summary.targets.follow_change_on_stdout_within_2_min)],
    ],
  ),
);
const path = writeJson('summary.json', summary);
process.stdout.write(`${lines.join('\n')}\n\n${JSON.stringify(summary, null, 2)}\n\nsummary written to ${path}\n`);
