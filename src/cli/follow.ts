/**
 * Follow mode (`--follow`, Singer only): one process that keeps syncing.
 * Each cycle is one runSync with the state of the previous one carried in
 * memory, on the same ZendeskClient (so the same rate governor and OAuth
 * tokens) and the same stdout writer; a STATE closes every cycle.
 *
 * Cadence: streams whose read starts at the bookmark on Zendesk's side (the
 * incremental exports, and the feeds that stop at the bookmark) are read every
 * `follow_interval` seconds; an idle cycle costs one request each. Streams
 * Zendesk can only give whole (full tables, and incremental lists filtered
 * client-side) are read every `follow_full_table_interval` seconds: reading
 * them every minute would spend the account budget on unchanged data.
 *
 * Why a change takes 60-120 s at the defaults: Zendesk's exports leave out
 * the last 60 s (a start_time newer than now-60 s is refused, and the cursor
 * export returns nothing newer), so a change becomes readable a minute after
 * it happens, and the next cycle starts within `follow_interval` after that.
 */
import type { TapConfig } from '../config/types.js';
import type { DriftMonitor } from '../core/drift.js';
import { runSync, type StreamOutcome } from '../core/engine.js';
import type { EngineEvent, EventSink } from '../core/events.js';
import type { StreamSelection } from '../core/selection.js';
import type { ZendeskClient } from '../http/client.js';
import { mapRun } from '../maps/stream-maps.js';
import type { SingerAdapter } from '../protocols/singer/adapter.js';
import type { TapState } from '../state/tap-state.js';
import { getStream } from '../streams/registry.js';
import { ConfigError } from '../util/errors.js';
import { log, thousands } from '../util/log.js';
import { logStopped, type StopRequest } from './signals.js';

export const DEFAULT_FOLLOW_INTERVAL_S = 60;
export const DEFAULT_FULL_TABLE_INTERVAL_S = 3600;
/** Cycles in a row that end in an error (not a stream's failure) before the process gives up. */
const MAX_FAILED_CYCLES = 5;

export interface FollowSettings {
  intervalMs: number;
  fullTableIntervalMs: number;
}

/** The intervals from the config, `--follow-interval` overriding `follow_interval`. */
export function followSettings(raw: Record<string, unknown>, cliInterval: number | undefined): FollowSettings {
  const seconds = (v: unknown, fallback: number): number => (typeof v === 'number' && v > 0 ? v : fallback);
  return {
    intervalMs: seconds(cliInterval ?? raw.follow_interval, DEFAULT_FOLLOW_INTERVAL_S) * 1000,
    fullTableIntervalMs: seconds(raw.follow_full_table_interval, DEFAULT_FULL_TABLE_INTERVAL_S) * 1000,
  };
}

/**
 * What is wrong with the follow flags on this command line, if anything
 * (one line). `--follow` belongs to a Singer sync only.
 */
export function followMisuse(args: { follow?: boolean; 'follow-interval'?: number; discover?: boolean; about?: boolean }): string | undefined {
  const interval = args['follow-interval'];
  if (!args.follow) {
    return interval !== undefined ? '--follow-interval needs --follow (it sets how often follow mode reads the incremental streams)' : undefined;
  }
  if (interval !== undefined && !(Number.isFinite(interval) && interval > 0)) return '--follow-interval must be a number of seconds greater than 0, like 60';
  if (args.discover) return '--follow keeps a sync running: use it with --config and --catalog, not with --discover';
  if (args.about) return '--follow keeps a sync running: use it with --config and --catalog, not with --about';
  return undefined;
}

/** Settings that cannot go with follow mode, before anything runs. */
export function checkFollowConfig(config: TapConfig): void {
  if (config.endTime !== undefined) {
    // Bookmarks never pass end_date: every cycle would read nothing.
    throw new ConfigError('--follow reads changes as they happen, but "end_date" stops every stream at a fixed time: remove end_date from the config to follow.');
  }
}

/** The one-line error for `--follow` given to an Airbyte command. */
export function airbyteFollowError(command: string): string {
  return `--follow is Singer-only: Airbyte's ${command} runs once per sync the platform schedules; for continuous sync run tap-zendesk --config CONFIG --catalog CATALOG --follow`;
}

/** Streams read every cycle: Zendesk starts their read at the bookmark, so an idle cycle costs one request. */
export function readEveryCycle(sel: StreamSelection): boolean {
  if (!sel.incremental) return false;
  const d = getStream(sel.name);
  const root = d?.derivedFrom ? getStream(d.derivedFrom.stream) : d;
  if (!root) return false;
  return root.filter === 'server' || root.paginator === 'desc_feed' || root.paginator === 'since_id';
}

export interface FollowOptions {
  config: TapConfig;
  client: ZendeskClient;
  selections: StreamSelection[];
  state: TapState;
  adapter: SingerAdapter;
  drift: DriftMonitor;
  stop: StopRequest;
  settings: FollowSettings;
}

/** Runs cycles until a signal; returns the exit code (143/130 after SIGTERM/SIGINT). */
export async function runFollow(opts: FollowOptions): Promise<number> {
  const { config, client, adapter, drift, stop, settings } = opts;
  checkFollowConfig(config);
  // Source selections once (stream maps may drop some): each cycle then maps its own subset.
  const sources = mapRun(config.raw, opts.selections, opts.state).selections;
  const fast = sources.filter(readEveryCycle);
  const slow = sources.filter((s) => !readEveryCycle(s));
  const state = new CarriedState(opts.state);
  const sink = state.wrap(adapter.handle);
  log.info(
    `follow: every ${secs(settings.intervalMs)}: ${fast.map((s) => s.name).join(', ') || 'no stream'}; ` +
      `every ${secs(settings.fullTableIntervalMs)} (read whole): ${slow.map((s) => s.name).join(', ') || 'no stream'}. SIGTERM or SIGINT stops after the page in hand.`,
  );
  let lastFull = -Infinity;
  let failedInRow = 0;
  // Streams this account cannot read (403/404, skipped with a warning): asked again only with the next refresh, not every cycle.
  const unavailable = new Set<string>();
  let outcomes: StreamOutcome[] = [];
  for (let cycle = 1; !stop.signal.aborted; cycle++) {
    const started = Date.now();
    const full = slow.length > 0 && started - lastFull >= settings.fullTableIntervalMs;
    if (full) unavailable.clear();
    const selections = full ? sources : fast.filter((s) => !unavailable.has(s.name));
    const before = { requests: client.stats.requests, rateLimited: client.stats.rateLimited };
    try {
      const mapped = mapRun(config.raw, selections, state.current);
      outcomes = selections.length
        ? await runSync({ config, client, selections: mapped.selections, state: mapped.state, sink: drift.wrap(mapped.sink(sink)), resumeFullTables: true, stop: stop.signal })
        : [];
      failedInRow = 0;
      // A stream that failed in a refresh waits for the next one like the rest (its bookmark is kept): retrying
      // every cycle would read all the others whole again too.
      if (full) lastFull = started;
      for (const o of outcomes) if (o.status === 'skipped') unavailable.add(o.stream);
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      failedInRow++;
      log.error(`follow: cycle ${cycle} failed: ${err instanceof Error ? err.message : String(err)}${failedInRow < MAX_FAILED_CYCLES ? '; the next cycle starts from the last STATE' : ''}`);
      if (failedInRow >= MAX_FAILED_CYCLES) {
        await adapter.finish();
        throw err;
      }
      outcomes = [];
    }
    // Every cycle ends with a STATE covering everything written, flushed before the wait.
    await adapter.finish();
    if (stop.signal.aborted) break;
    const failed = outcomes.filter((o) => o.status === 'failed');
    if (failed.length) log.error(`follow: cycle ${cycle}: ${failed.map((o) => `${o.stream} (${o.message ?? 'error'})`).join('; ')}; retried next cycle from its last bookmark`);
    const wait = Math.max(0, started + settings.intervalMs - Date.now());
    const records = outcomes.reduce((n, o) => n + o.records, 0);
    log.info(
      `follow: cycle ${cycle}${full ? ' (with the full tables)' : ''} done in ${((Date.now() - started) / 1000).toFixed(1)}s: ${thousands(records)} records, ` +
        `${client.stats.requests - before.requests} requests (${client.stats.rateLimited - before.rateLimited} rate-limited); next in ${(wait / 1000).toFixed(1)}s`,
    );
    await sleep(wait, stop.signal);
  }
  // The cycle's own STATE, written before the wait or right after the stop, is the final one.
  logStopped(stop, outcomes.filter((o) => o.status === 'cancelled').map((o) => o.stream));
  return stop.exitCode ?? 0;
}

/**
 * The Singer state as the adapter builds it (bookmarks by output stream
 * name), kept for the next cycle; and each stream's SCHEMA sent once, not
 * again every cycle (a changed one, from schema drift, still goes out).
 * Holds one entry per stream: nothing grows from cycle to cycle.
 */
class CarriedState {
  private readonly state: TapState;
  private readonly schemas = new Map<string, string>();

  constructor(initial: TapState) {
    this.state = { version: initial.version, bookmarks: { ...initial.bookmarks } };
  }

  get current(): TapState {
    return { version: this.state.version, bookmarks: { ...this.state.bookmarks } };
  }

  wrap(next: EventSink): EventSink {
    return async (e: EngineEvent) => {
      if (e.kind === 'schema') {
        const text = JSON.stringify([e.schema, e.keyProperties, e.bookmarkProperties]);
        if (this.schemas.get(e.stream) === text) return;
        this.schemas.set(e.stream, text);
      } else if (e.kind === 'checkpoint') {
        this.state.bookmarks[e.stream] = e.position;
      }
      await next(e);
    };
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

function secs(ms: number): string {
  const s = ms / 1000;
  return s >= 3600 && s % 3600 === 0 ? `${s / 3600} h` : s >= 60 && s % 60 === 0 ? `${s / 60} min` : `${s} s`;
}
