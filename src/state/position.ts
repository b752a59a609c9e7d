/**
 * A stream's resumable position, and its serialised form in state.
 *
 * Internally every replication value is epoch seconds; in state it is written
 * in the record's own format (integer for `generated_timestamp`, ISO-8601 for
 * `updated_at`) so users can read and edit it.
 */
import type { StreamDescriptor } from '../streams/descriptor.js';
import type { JsonObject } from '../core/events.js';
import { ConfigError } from '../util/errors.js';
import { getStream } from '../streams/registry.js';

export type RecordId = string | number;

export interface Position {
  /** Epoch seconds of the replication point (inclusive: the next read starts here). */
  value?: number;
  /** Incremental-export cursor (tickets, users): the preferred resume point. */
  cursor?: string;
  /** Ids already emitted at `value`'s second: dropped when that second is read again. */
  boundaryIds?: RecordId[];
  /** Cursor of the next list page while a pass is under way (resume mid-list after a crash). */
  pageAfter?: string;
  /** Highest replication value seen in the pass under way (lists filtered client-side). */
  passMax?: number;
  passMaxIds?: RecordId[];
  /**
   * A full-table pass that ended in a run that has not (yet) ended well: a
   * resumed run skips the stream instead of reading it all again. Cleared
   * when the run completes, so the next sync reads a fresh snapshot.
   */
  passDone?: boolean;
  /** Child streams: how far the parent stream has been walked (its page start while a page is under way). */
  parent?: Position;
  /** Child streams: parents of the current parent page whose children are all emitted. */
  parentDone?: RecordId[];
  /** Child streams with `parent.distinct`: the replication value the parent page under way reaches (its records before it are covered by `parentDone`'s listings). */
  parentUntil?: number;
  /** Child streams with `parent.sweep`: epoch seconds when the last pass over every parent started. */
  sweptAt?: number;
  /** Child streams with `parent.sweep`: a pass over every parent, started then, is under way. */
  sweepStarted?: number;
  /** Child streams read per parent (`parent.each`): each parent's own position, by parent id. */
  partitions?: Record<string, Position>;
}

export const STATE_VERSION = 1;

export function toEpoch(value: unknown, type: StreamDescriptor['replicationKeyType']): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number') return type === 'epoch_us' ? Math.floor(value / 1e6) : Math.floor(value);
  if (typeof value === 'string') {
    if (/^\d+(\.\d+)?$/.test(value)) {
      const n = Number(value);
      // Airbyte keeps epochs as strings; a 16-digit one is microseconds (Chat agent_timeline).
      return n > 1e14 ? Math.floor(n / 1e6) : n > 1e11 ? Math.floor(n / 1e3) : Math.floor(n);
    }
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
  }
  return undefined;
}

export function fromEpoch(seconds: number, type: StreamDescriptor['replicationKeyType']): number | string {
  if (type === 'epoch') return seconds;
  if (type === 'epoch_us') return seconds * 1e6;
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Replication value of a record, in epoch seconds. */
export function recordEpoch(record: JsonObject, d: StreamDescriptor): number | undefined {
  return d.replicationKey ? toEpoch(record[d.replicationKey], d.replicationKeyType) : undefined;
}

export function serialisePosition(p: Position, d: StreamDescriptor): JsonObject {
  const out: JsonObject = {};
  if (p.value !== undefined && d.replicationKey) out[d.replicationKey] = fromEpoch(p.value, d.replicationKeyType);
  if (p.cursor !== undefined) out.cursor = p.cursor;
  if (p.boundaryIds?.length) out.boundary_ids = p.boundaryIds;
  if (p.pageAfter !== undefined) out.page_after = p.pageAfter;
  if (p.passMax !== undefined && d.replicationKey) out.pass_max = fromEpoch(p.passMax, d.replicationKeyType);
  if (p.passMaxIds?.length) out.pass_max_ids = p.passMaxIds;
  if (p.passDone) out.pass_complete = true;
  const parent = d.parent && getStream(d.parent.stream);
  if (parent && p.parent) out.parent = serialisePosition(p.parent, parent);
  if (p.parentDone?.length) out.parent_done = p.parentDone;
  if (p.parentUntil !== undefined) out.parent_until = p.parentUntil;
  if (p.sweptAt !== undefined) out.swept_at = fromEpoch(p.sweptAt, 'iso');
  if (p.sweepStarted !== undefined) out.sweep_started = fromEpoch(p.sweepStarted, 'iso');
  if (p.partitions) {
    const own = { ...d, parent: undefined };
    out.partitions = Object.fromEntries(Object.entries(p.partitions).map(([k, v]) => [k, serialisePosition(v, own)]));
  }
  return out;
}

/**
 * Reads a stream blob in any shape we know: ours, singer-io/tap-zendesk
 * (`{"generated_timestamp": "2024-...Z"}`), the Meltano SDK
 * (`replication_key_value`), Airbyte's source-zendesk-support (epoch strings,
 * `_ab_updated_at`, `state`/`parent_state` wrappers) and DLT (`last_value`).
 */
export function parsePosition(blob: unknown, d: StreamDescriptor): Position {
  if (!blob || typeof blob !== 'object' || Array.isArray(blob)) return {};
  const b = blob as JsonObject;
  const p: Position = {};
  const rk = d.replicationKey;
  let raw: unknown = rk ? b[rk] : undefined;
  // Other connectors' names for the same bookmark (Meltano SDK, DLT, Airbyte source-zendesk-support).
  raw ??= b.replication_key_value ?? b.last_value ?? b._ab_updated_at ?? b.updated_at ?? b.generated_timestamp ?? b.created_at ?? b.timestamp ?? b.time;
  if (raw === undefined && b.state && typeof b.state === 'object') {
    return parsePosition(b.state, d);
  }
  const value = toEpoch(raw, d.replicationKeyType);
  if (value !== undefined) p.value = value;
  else if (raw !== undefined && raw !== null && raw !== '') {
    // A silent fallback would mean a full resync the user never asked for.
    throw new ConfigError(`state: the bookmark of "${d.name}" (${JSON.stringify(raw)}) is not a timestamp; fix it or remove that stream's bookmark to start from start_date.`);
  }
  if (typeof b.cursor === 'string') p.cursor = b.cursor;
  if (Array.isArray(b.boundary_ids)) p.boundaryIds = b.boundary_ids as RecordId[];
  if (typeof b.page_after === 'string') p.pageAfter = b.page_after;
  const passMax = toEpoch(b.pass_max, d.replicationKeyType);
  if (passMax !== undefined) p.passMax = passMax;
  if (Array.isArray(b.pass_max_ids)) p.passMaxIds = b.pass_max_ids as RecordId[];
  // pass_complete is read by fullTableStart only: an incremental read never skips on it.
  const parent = d.parent && getStream(d.parent.stream);
  if (parent && b.parent && typeof b.parent === 'object') p.parent = parsePosition(b.parent, parent);
  if (Array.isArray(b.parent_done)) p.parentDone = b.parent_done as RecordId[];
  if (typeof b.parent_until === 'number') p.parentUntil = b.parent_until;
  const sweptAt = toEpoch(b.swept_at, 'iso');
  if (sweptAt !== undefined) p.sweptAt = sweptAt;
  const sweepStarted = toEpoch(b.sweep_started, 'iso');
  if (sweepStarted !== undefined) p.sweepStarted = sweepStarted;
  if (b.partitions && typeof b.partitions === 'object' && !Array.isArray(b.partitions)) {
    const own = { ...d, parent: undefined };
    p.partitions = Object.fromEntries(Object.entries(b.partitions as JsonObject).map(([k, v]) => [k, parsePosition(v, own)]));
  }
  return p;
}

/**
 * Where a stream read without a bookmark (full table, full refresh) starts:
 * mid-pass after a crash (the next page's cursor), or nowhere if the
 * interrupted run had already finished its pass. Replication values are
 * ignored: a full table is read whole.
 */
export function fullTableStart(blob: unknown): Position {
  if (!blob || typeof blob !== 'object' || Array.isArray(blob)) return {};
  const b = blob as JsonObject;
  if (b.pass_complete === true) return { passDone: true };
  return typeof b.page_after === 'string' ? { pageAfter: b.page_after } : {};
}
