/**
 * The generic engine: runs every selected stream from its descriptor and
 * yields protocol-agnostic events. Streams whose records arrive inside another
 * stream's pages (side-loads) share that stream's requests.
 */
import type { TapConfig } from '../config/types.js';
import type { ZendeskClient } from '../http/client.js';
import { getStream } from '../streams/registry.js';
import { bucketOf, type RateBucket, type StreamDescriptor } from '../streams/descriptor.js';
import { streamSchema } from '../streams/schemas.js';
import type { JsonSchema } from '../streams/schema-types.js';
import { detachedSideloads, embeddedKeys, extractors } from '../streams/extractors.js';
import { fullTableStart, parsePosition, recordEpoch, serialisePosition, type Position } from '../state/position.js';
import type { TapState } from '../state/tap-state.js';
import { CancelledError, ConfigError, StreamUnavailableError, failureOf } from '../util/errors.js';
import { log, thousands } from '../util/log.js';
import { afterPage } from '../util/heap.js';
import type { EventSink, JsonObject } from './events.js';
import { paginatorFor } from './paginators/index.js';
import { idOf } from './paginators/common.js';
import { Progress } from './progress.js';
import type { StreamSelection } from './selection.js';
import { projector } from './projection.js';
import { columnFiller, extendSchema, loadCustomColumns, type CustomColumns } from '../streams/custom-fields.js';

export interface SyncOptions {
  config: TapConfig;
  client: ZendeskClient;
  selections: StreamSelection[];
  state: TapState;
  sink: EventSink;
  progressMs?: number;
  /**
   * Aborted when the run must stop (SIGTERM/SIGINT): no group starts, a
   * running one ends after the page in hand, and pass marks stay for the resume.
   */
  stop?: AbortSignal;
  /**
   * Full-table streams resume from state: a killed run's pass continues at
   * its next page, and a pass that ended stays marked until the whole run
   * ends well, so a resumed run does not read that table again (Singer, where
   * the state is the only memory between runs). Airbyte leaves it off: a
   * full-refresh stream is read whole in every attempt, as the platform
   * expects when it replaces the table.
   */
  resumeFullTables?: boolean;
}

export interface StreamOutcome {
  stream: string;
  records: number;
  status: 'complete' | 'skipped' | 'failed' | 'cancelled';
  message?: string;
  seconds: number;
}

interface Member {
  d: StreamDescriptor;
  selection: StreamSelection;
  start: Position;
  project: (r: JsonObject) => JsonObject;
  schema: JsonSchema;
  records: number;
  sinceCheckpoint: number;
  /** This run's checkpoint marked the member's full pass done. */
  passDone?: boolean;
}

interface Group {
  root: StreamDescriptor;
  emitRoot: Member | undefined;
  members: Member[];
}

export class SyncFailedError extends Error {}

export async function runSync(opts: SyncOptions): Promise<StreamOutcome[]> {
  const wantsColumns = opts.config.customFieldsAsColumns && opts.selections.some((s) => ['tickets', 'users', 'organizations'].includes(s.name));
  const columns = wantsColumns ? await loadCustomColumns(opts.client) : new Map();
  const groups = planGroups(opts, columns);
  const progress = new Progress(opts.progressMs ?? Number(process.env.TAP_ZENDESK_PROGRESS_MS ?? 30_000));
  progress.start();
  const outcomes: StreamOutcome[] = [];
  const commits = new Serial();
  let fatal: unknown;
  const stopped = () => opts.stop?.aborted === true;
  const worker = async (queue: Group[]) => {
    for (let g = queue.shift(); g && fatal === undefined && !stopped(); g = queue.shift()) {
      try {
        outcomes.push(...(await runGroup(g, { ...opts, commits }, progress, () => fatal !== undefined || stopped())));
      } catch (err) {
        fatal ??= err;
      }
    }
  };
  // One pool of workers per rate-limit bucket: streams waiting on the export
  // budget never hold the workers that lists on the account budget need.
  const pools = [...byBucket(groups).values()].flatMap((queue) => Array.from({ length: Math.max(1, Math.min(opts.config.concurrency, queue.length)) }, () => worker(queue)));
  try {
    await Promise.all(pools);
  } finally {
    progress.stop();
  }
  // Pass marks are for the resume of a run stopped from outside. A run that ends, well or not,
  // clears them: left by a failing run, they would make every later run skip those tables for
  // as long as one stream keeps failing, and the tables would quietly go stale.
  if (opts.resumeFullTables && !stopped()) {
    const ok = fatal === undefined && outcomes.every((o) => o.status !== 'failed');
    try {
      await clearPassMarks(groups, opts, ok);
    } catch (err) {
      fatal ??= err;
    }
  }
  if (fatal !== undefined) throw fatal;
  return outcomes;
}

/**
 * After a run that ended well every full table starts over (the next run is
 * a new sync, not a resume); after a failed one, those whose pass was done.
 */
async function clearPassMarks(groups: Group[], opts: SyncOptions, all: boolean): Promise<void> {
  for (const g of groups) {
    for (const m of g.members) {
      if (resumesFullTable(opts, m) && (all || m.passDone || m.start.passDone)) {
        await opts.sink({ kind: 'checkpoint', stream: m.d.name, position: {}, recordCount: 0 });
      }
    }
  }
}

function planGroups(opts: SyncOptions, columns: CustomColumns): Group[] {
  const groups = new Map<string, Group>();
  for (const sel of opts.selections) {
    const d = getStream(sel.name);
    if (!d) throw new ConfigError(`unknown stream "${sel.name}"`);
    const root = d.derivedFrom ? getStream(d.derivedFrom.stream)! : d;
    let g = groups.get(root.name);
    if (!g) {
      g = { root, emitRoot: undefined, members: [] };
      groups.set(root.name, g);
    }
    const schema = extendSchema(streamSchema(d.name), columns.get(d.name));
    const project = projector(d, sel.fields, schema);
    const fill = columnFiller(d.name, columns.get(d.name));
    const member: Member = {
      d,
      selection: sel,
      start: sel.incremental ? parsePosition(opts.state.bookmarks[d.name], d) : opts.resumeFullTables ? fullTableStart(opts.state.bookmarks[d.name]) : {},
      project: fill ? (r) => project(fill(r)) : project,
      schema,
      records: 0,
      sinceCheckpoint: 0,
    };
    g.members.push(member);
    if (d === root) g.emitRoot = member;
  }
  return [...groups.values()];
}

/** A member read whole whose progress (next page, pass done) is kept in state. */
function resumesFullTable(opts: SyncOptions, m: Member): boolean {
  return opts.resumeFullTables === true && !m.selection.incremental;
}

/** Runs one task at a time, in call order. */
class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run(task: () => Promise<void>): Promise<void> {
    const next = this.tail.then(task);
    // A failed task must not wedge the ones queued behind it; its caller sees the error.
    this.tail = next.catch(() => undefined);
    return next;
  }
}

function byBucket(groups: Group[]): Map<RateBucket, Group[]> {
  const out = new Map<RateBucket, Group[]>();
  for (const g of groups) {
    const b = bucketOf(g.root);
    const queue = out.get(b);
    if (queue) queue.push(g);
    else out.set(b, [g]);
  }
  return out;
}

/** Where the shared read starts: the earliest member position (a member added later catches up). */
function groupStart(members: Member[]): Position {
  const [first, ...rest] = members;
  if (!first) return {};
  if (rest.every((m) => JSON.stringify(m.start) === JSON.stringify(first.start))) return first.start;
  let earliest = first.start;
  for (const m of rest) {
    if ((m.start.value ?? -1) < (earliest.value ?? -1)) earliest = m.start;
  }
  // Cursors are only valid for the member that saved them.
  const { cursor: _cursor, ...withoutCursor } = earliest;
  return withoutCursor;
}

async function runGroup(g: Group, opts: SyncOptions & { commits: Serial }, progress: Progress, cancelled: () => boolean): Promise<StreamOutcome[]> {
  const { sink, client, config } = opts;
  const paginate = paginatorFor(g.root);
  const started = Date.now();
  for (const m of g.members) await sink({ kind: 'status', stream: m.d.name, status: 'started' });
  // A SCHEMA only for what will be read: it waits for the group's first page, or for a clean end
  // without one, so a stream the account cannot read (403/404 on its first request) creates no
  // table in the target, while an empty one still does. Always before the stream's first RECORD/STATE.
  let schemasSent = false;
  const sendSchemas = async (): Promise<void> => {
    if (schemasSent) return;
    schemasSent = true;
    for (const m of g.members) {
      await sink({
        kind: 'schema',
        stream: m.d.name,
        schema: m.schema,
        keyProperties: m.d.primaryKey,
        bookmarkProperties: m.d.replicationKey ? [m.d.replicationKey] : [],
      });
    }
  };
  const outcome = (status: StreamOutcome['status'], message?: string): StreamOutcome[] =>
    g.members.map((m) => ({ stream: m.d.name, records: m.records, status, seconds: (Date.now() - started) / 1000, ...(message ? { message } : {}) }));
  const stopped = async (): Promise<StreamOutcome[]> => {
    progress.counters(g.root.name).finishedAt = Date.now();
    for (const m of g.members) await sink({ kind: 'status', stream: m.d.name, status: 'incomplete', message: 'stopped by a signal' });
    return outcome('cancelled', 'stopped by a signal');
  };
  if (g.members.every((m) => m.start.passDone)) {
    // A resumed run: the interrupted one already delivered this whole table.
    await sendSchemas();
    for (const m of g.members) {
      await sink({ kind: 'checkpoint', stream: m.d.name, position: serialisePosition(m.start, m.d), recordCount: 0 });
      await sink({ kind: 'status', stream: m.d.name, status: 'complete' });
      log.info(`${m.d.name}: its full pass already ended in the interrupted run; not read again until the next sync`);
    }
    return outcome('complete');
  }
  // The count goes alongside the first page, not before it: one round-trip less on every first read.
  const estimating = g.root.countPath && g.emitRoot && !g.emitRoot.start.value ? estimate(g.root, opts).then(() => undefined, (err: unknown) => err) : undefined;
  // Detached side-loads are requested only for a selected stream that extracts them.
  const extracting = new Set(g.members.map((m) => m.d.derivedFrom?.extractor));
  const sideloads = g.root.sideloads?.filter((s) => !detachedSideloads.has(s) || extracting.has(s));
  // A list filtered client-side and chosen FULL_TABLE is read whole: start_date bounds replication,
  // and a full table that a target replaces must not lose the rows older than it.
  const wholeList = g.root.filter === 'client' && !g.root.parent && g.members.every((m) => !m.selection.incremental);
  const stream = sideloads?.length === g.root.sideloads?.length && !wholeList ? g.root : { ...g.root, sideloads, ...(wholeList ? { replicationKey: undefined } : {}) };
  // Side-loads embedded in the root's records, taken off once extracted (fixed per group, not per page).
  const strip = [...new Set([...extracting, ...(sideloads ?? [])].map((s) => (s ? embeddedKeys[s] : undefined)).filter((k): k is string => Boolean(k)))];
  const start = groupStart(g.members);
  let running = false;
  let ended = false;
  try {
    for await (const page of paginate({ client, config, stream, start, path: g.root.path, label: g.root.name })) {
      ended = page.last === true;
      if (!running) {
        running = true;
        for (const m of g.members) await sink({ kind: 'status', stream: m.d.name, status: 'running' });
      }
      const counters = progress.counters(g.root.name);
      counters.pages++;
      // Derived records first: extraction may read side-loads the root's projection strips.
      const batches: Array<[Member, JsonObject[]]> = [];
      for (const m of g.members) {
        if (m === g.emitRoot) continue;
        const parents = catchUp(page.records, g.root, m.start);
        const extracted = extractors[m.d.derivedFrom!.extractor]!({ records: parents, body: page.body });
        batches.push([m, extracted]);
      }
      if (g.emitRoot) {
        const rows = catchUp(page.records, g.root, g.emitRoot.start);
        if (strip.length) for (const r of rows) withoutKeys(r, strip);
        batches.unshift([g.emitRoot, rows]);
      }
      const outs = batches.filter(([, rows]) => rows.length > 0).map(([m, rows]) => [m, rows.map(m.project)] as const);
      // A page's records and its checkpoints go out as one unit: no other stream's STATE lands between
      // them, so every STATE covers every record written before it (a target committing at a STATE
      // never holds records a resume would send again).
      await opts.commits.run(async () => {
        await sendSchemas();
        for (const [m, out] of outs) {
          m.records += out.length;
          m.sinceCheckpoint += out.length;
          if (m === g.emitRoot || !g.emitRoot) counters.records += out.length;
          await sink({ kind: 'records', stream: m.d.name, records: out, extractedAt: page.extractedAt });
        }
        for (const m of g.members) {
          const position = page.last && resumesFullTable(opts, m) ? { passDone: true } : laterOf(page.position, m.start);
          if (position.passDone) m.passDone = true;
          await sink({ kind: 'checkpoint', stream: m.d.name, position: serialisePosition(position, m.d), recordCount: m.sinceCheckpoint });
          m.sinceCheckpoint = 0;
        }
      });
      // The page is written and unreferenced: a good moment for an occasional full collection.
      afterPage();
      if (cancelled()) return opts.stop?.aborted ? await stopped() : outcome('failed', 'cancelled');
    }
    // A stream with no page at all (nothing new yet) still confirms its state.
    if (!running) {
      await opts.commits.run(sendSchemas);
      for (const m of g.members) {
        await sink({ kind: 'checkpoint', stream: m.d.name, position: serialisePosition(m.start, m.d), recordCount: 0 });
      }
    }
    if (!ended) {
      // A paginator that could not tell its last page: the pass is marked done on its own.
      for (const m of g.members) {
        if (!resumesFullTable(opts, m)) continue;
        m.passDone = true;
        await sink({ kind: 'checkpoint', stream: m.d.name, position: serialisePosition({ passDone: true }, m.d), recordCount: 0 });
      }
    }
    const estimateFailed = await estimating;
    if (estimateFailed) throw estimateFailed;
    for (const m of g.members) {
      await sink({ kind: 'status', stream: m.d.name, status: 'complete' });
      logDone(m, started, requestsNote(g, m, client));
    }
    progress.counters(g.root.name).finishedAt = Date.now();
    return outcome('complete');
  } catch (err) {
    progress.counters(g.root.name).finishedAt = Date.now();
    // A request the stop aborted: not the stream's failure; its last checkpoint is the resume point.
    if (err instanceof CancelledError || opts.stop?.aborted) return await stopped();
    if (err instanceof StreamUnavailableError) {
      const reason = g.root.requires ? ` It needs: ${g.root.requires}.` : '';
      for (const m of g.members) {
        await sink({ kind: 'log', level: 'warn', message: `skipping stream ${m.d.name}: ${err.message}${reason}` });
        await sink({ kind: 'status', stream: m.d.name, status: 'complete', message: 'skipped: not available for this account' });
      }
      return outcome('skipped', err.message);
    }
    if (err instanceof ConfigError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    for (const m of g.members) {
      await sink({ kind: 'error', stream: m.d.name, failure: failureOf(err), message, internal: err instanceof Error ? err.stack : undefined });
      await sink({ kind: 'status', stream: m.d.name, status: 'incomplete', message });
    }
    return outcome('failed', message);
  }
}

/**
 * A first read of a big stream says how big it is (Airbyte ESTIMATE, progress
 * logs). Zendesk's counts are approximate and optional: a failure costs nothing.
 */
async function estimate(d: StreamDescriptor, opts: SyncOptions): Promise<void> {
  try {
    const res = await opts.client.get(d.countPath!, {}, { bucket: 'account', stream: d.name, retries: 1, passStatuses: [403, 404] });
    const value = ((res.body as JsonObject | undefined)?.count as JsonObject | undefined)?.value;
    if (res.status === 200 && typeof value === 'number') {
      await opts.sink({ kind: 'estimate', stream: d.name, rows: value });
      // Zendesk's count is approximate and leaves out what its exports include (archived and deleted records).
      log.info(`${d.name}: Zendesk counts ~${thousands(value)} (approximate; the export also reads archived and deleted records)`);
    }
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    log.debug(`${d.name}: no count estimate (${(err as Error).message})`);
  }
}

/** For a member whose own bookmark is ahead of the shared read: skip what it already has. */
function catchUp(records: JsonObject[], root: StreamDescriptor, start: Position): JsonObject[] {
  const from = start.value;
  if (from === undefined) return records;
  // The member's boundary ids matter too: a run killed between two members' checkpoints re-reads that second.
  const seen = start.boundaryIds?.length ? new Set(start.boundaryIds) : undefined;
  return records.filter((r) => {
    const v = recordEpoch(r, root);
    if (v === undefined || v > from) return true;
    return v === from && !seen?.has(idOf(r, root));
  });
}

function laterOf(page: Position, own: Position): Position {
  if (own.value !== undefined && page.value !== undefined && page.value < own.value) return own;
  if (own.value !== undefined && page.value === undefined && Object.keys(page).length === 0) return own;
  return page;
}

/**
 * The side-load has been extracted already; `undefined` drops it from the JSON
 * output without `delete`, which would push every record into V8's slow
 * dictionary mode on the hottest path of the tap.
 */
function withoutKeys(r: JsonObject, keys: string[]): JsonObject {
  for (const k of keys) if (r[k] !== undefined) r[k] = undefined;
  return r;
}

function logDone(m: Member, started: number, requests: string): void {
  const secs = (Date.now() - started) / 1000;
  log.info(`METRIC: ${JSON.stringify({ type: 'counter', metric: 'record_count', value: m.records, tags: { endpoint: m.d.name } })}`);
  log.info(`${m.d.name}: ${m.records} records in ${secs.toFixed(1)}s, ${requests}`);
}

/** The group's requests belong to the member that made them: the root (or, when only derived members are selected, the first). */
function requestsNote(g: Group, m: Member, client: ZendeskClient): string {
  const owner = g.emitRoot ?? g.members[0];
  if (m !== owner) return `requests shared with ${g.root.name}`;
  const n = client.stats.byStream[g.root.name] ?? 0;
  return `${n} request${n === 1 ? '' : 's'}`;
}

