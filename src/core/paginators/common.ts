/** Helpers shared by the paginators: time windows, ids, boundary bookkeeping. */
import type { StreamDescriptor } from '../../streams/descriptor.js';
import { recordEpoch, type Position, type RecordId } from '../../state/position.js';
import type { TapConfig } from '../../config/types.js';
import type { ApiResponse } from '../../http/client.js';
import type { JsonObject } from '../events.js';
import { reshapers } from '../../streams/extractors.js';

/**
 * First export start: max(start_date, bookmark). Zendesk rejects a start_time
 * inside its one-minute window with 400/422, which the paginators read as
 * "nothing new yet"; the server's clock decides, not ours (they can differ).
 */
export function exportStart(config: TapConfig, start: Position): number {
  return Math.max(config.startTime, start.value ?? 0);
}

export function idOf(record: JsonObject, d: StreamDescriptor): RecordId {
  if (d.primaryKey.length === 1) return record[d.primaryKey[0]!] as RecordId;
  return d.primaryKey.map((k) => String(record[k])).join('|');
}

/**
 * The records of a response body: the array under `recordsKey`, the body
 * itself when the key is '' (Chat answers bare arrays), or what the named
 * reshaper makes of it. A missing key means an empty page; a wrong type is a
 * bug in the descriptor.
 */
export function recordsOf(raw: unknown, d: StreamDescriptor): JsonObject[] {
  if (d.reshape) {
    const reshape = reshapers[d.reshape];
    if (!reshape) throw new Error(`${d.name}: unknown reshaper "${d.reshape}"`);
    return reshape(raw, d.recordsKey);
  }
  if (d.recordsKey === '') {
    if (Array.isArray(raw)) return raw as JsonObject[];
    return raw && typeof raw === 'object' ? [raw as JsonObject] : [];
  }
  const body = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as JsonObject) : {};
  const v = body[d.recordsKey];
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v as JsonObject[];
  if (typeof v === 'object') return [v as JsonObject];
  throw new Error(`${d.name}: response key "${d.recordsKey}" is ${typeof v}, not an array`);
}

export function asBody(res: ApiResponse): JsonObject {
  return res.body && typeof res.body === 'object' && !Array.isArray(res.body) ? (res.body as JsonObject) : {};
}

/** 400/422 "Too recent start_time" (today's and the legacy wording): nothing to export yet. */
export function isTooRecent(res: ApiResponse): boolean {
  if (res.status !== 400 && res.status !== 422) return false;
  const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body ?? '');
  // Only Zendesk's "Too recent start_time" answer means "nothing new yet": any other refusal of
  // start_time (malformed, out of range) is an error, never an empty stream.
  return /too recent/i.test(text);
}

/** Ids of records whose replication second is `at`. */
export function idsAt(records: JsonObject[], d: StreamDescriptor, at: number): RecordId[] {
  const out: RecordId[] = [];
  for (const r of records) if (recordEpoch(r, d) === at) out.push(idOf(r, d));
  return out;
}

/** Drops the records already emitted at the boundary second `at`. */
export function dropSeen(records: JsonObject[], d: StreamDescriptor, at: number | undefined, seen: RecordId[] | undefined): JsonObject[] {
  if (at === undefined || !seen?.length) return records;
  const set = new Set(seen);
  return records.filter((r) => !(recordEpoch(r, d) === at && set.has(idOf(r, d))));
}

/** Cuts records past end_date; says whether the cut happened (the export is done). */
export function clipToEnd(records: JsonObject[], d: StreamDescriptor, end: number | undefined): { records: JsonObject[]; clipped: boolean } {
  if (end === undefined) return { records, clipped: false };
  const kept = records.filter((r) => (recordEpoch(r, d) ?? 0) <= end);
  return { records: kept, clipped: kept.length < records.length };
}

export function sideloadParams(d: StreamDescriptor): Record<string, string> {
  return d.sideloads?.length ? { include: d.sideloads.join(',') } : {};
}
