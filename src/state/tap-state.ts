/**
 * The whole tap state: `{"version": 1, "bookmarks": {stream: blob}}`.
 * Singer emits it as the STATE value; Airbyte gets one blob per stream.
 */
import { ConfigError } from '../util/errors.js';
import type { JsonObject } from '../core/events.js';
import { STATE_VERSION } from './position.js';

export interface TapState {
  version: number;
  bookmarks: Record<string, JsonObject>;
}

export function emptyState(): TapState {
  return { version: STATE_VERSION, bookmarks: {} };
}

/**
 * Accepts ours, singer-io's `{"bookmarks": ...}` (with `currently_syncing`),
 * Meltano's `{"singer_state": ...}` wrapper and a bare `{}`.
 * Per-stream blobs are migrated when read (parsePosition).
 */
export function parseSingerState(input: unknown, source: string): TapState {
  if (input === null || input === undefined) return emptyState();
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new ConfigError(`the state file ${source} must be a JSON object like {"bookmarks": {...}}: delete it to start from start_date.`);
  }
  let obj = input as JsonObject;
  if (obj.singer_state && typeof obj.singer_state === 'object') obj = obj.singer_state as JsonObject;
  if (obj.value && typeof obj.value === 'object' && obj.type === 'STATE') obj = obj.value as JsonObject;
  const version = obj.version;
  if (version !== undefined && (typeof version !== 'number' || version > STATE_VERSION)) {
    throw new ConfigError(`the state file ${source} has version ${JSON.stringify(version)}, newer than this tap understands (${STATE_VERSION}): upgrade tap-zendesk.`);
  }
  const bookmarks = obj.bookmarks ?? {};
  if (typeof bookmarks !== 'object' || Array.isArray(bookmarks)) {
    throw new ConfigError(`the state file ${source}: "bookmarks" must be an object keyed by stream name.`);
  }
  for (const [name, blob] of Object.entries(bookmarks as JsonObject)) {
    if (blob === null || typeof blob !== 'object' || Array.isArray(blob)) {
      throw new ConfigError(`the state file ${source}: bookmark of "${name}" must be an object, got ${JSON.stringify(blob)}.`);
    }
  }
  const out: Record<string, JsonObject> = { ...(bookmarks as Record<string, JsonObject>) };
  // singer-io/tap-zendesk re-reads ticket_metric_events from one second before its bookmark; keep that on migration.
  const tme = out.ticket_metric_events;
  if (version === undefined && tme && typeof tme.time === 'string' && !Number.isNaN(Date.parse(tme.time))) {
    out.ticket_metric_events = { ...tme, time: new Date(Date.parse(tme.time) - 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') };
  }
  return { version: STATE_VERSION, bookmarks: out };
}
