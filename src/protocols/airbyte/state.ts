/**
 * The `--state` file of an Airbyte read, in every envelope the platform (or a
 * user) may hand over: nothing, `{}`, `[]`, an array of STREAM / GLOBAL /
 * LEGACY state messages (or whole STATE AirbyteMessages), a single message, a
 * legacy `{"data": {...}}` or bare `{stream: blob}` object, and our Singer
 * state. Per-stream blobs go into TapState.bookmarks unchanged: the engine
 * migrates their inner shapes (Airbyte source-zendesk-support's epoch
 * strings, `_ab_updated_at`, `state` wrappers...) when it reads them.
 */
import type { JsonObject } from '../../core/events.js';
import { STATE_VERSION } from '../../state/position.js';
import { emptyState, parseSingerState, type TapState } from '../../state/tap-state.js';
import { ConfigError } from '../../util/errors.js';

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

export function parseAirbyteState(input: unknown, source: string): TapState {
  const where = `the state file ${source}`;
  const out = emptyState();
  if (input === null || input === undefined) return out;
  if (Array.isArray(input)) {
    for (const [i, item] of input.entries()) addMessage(out, item, `${where}: item ${i}`);
    return out;
  }
  if (!isObject(input)) {
    throw new ConfigError(`${where} must be a JSON array of state messages (or an object); got ${JSON.stringify(input)}. Delete it to start from start_date.`);
  }
  if (isStateMessage(input)) {
    addMessage(out, input, where);
    return out;
  }
  // Our own Singer state, for users moving from the Singer side.
  if (isObject(input.bookmarks)) return parseSingerState(input, source);
  // A legacy state: the deprecated `data` blob, or the blob itself.
  addLegacy(out, isObject(input.data) && Object.keys(input).length === 1 ? input.data : input, where);
  return out;
}

function isStateMessage(v: JsonObject): boolean {
  if (v.type === 'STATE' && isObject(v.state)) return true;
  return (v.type === 'STREAM' && isObject(v.stream)) || (v.type === 'GLOBAL' && isObject(v.global)) || (v.type === 'LEGACY' && isObject(v.data));
}

function addMessage(out: TapState, item: unknown, where: string): void {
  if (!isObject(item)) throw new ConfigError(`${where} is not a state message object.`);
  // A whole AirbyteMessage ({"type": "STATE", "state": {...}}), as copied from a read's output.
  const msg = item.type === 'STATE' && isObject(item.state) ? item.state : item;
  const type = msg.type ?? (isObject(msg.stream) ? 'STREAM' : isObject(msg.global) ? 'GLOBAL' : 'LEGACY');
  switch (type) {
    case 'STREAM':
      if (!isObject(msg.stream)) throw new ConfigError(`${where}: a STREAM state needs a "stream" object.`);
      addStream(out, msg.stream, where);
      return;
    case 'GLOBAL': {
      const global = msg.global;
      if (!isObject(global) || !Array.isArray(global.stream_states)) {
        throw new ConfigError(`${where}: a GLOBAL state needs "global": {"stream_states": [...]}.`);
      }
      for (const s of global.stream_states) addStream(out, s, where);
      return;
    }
    case 'LEGACY':
      if (msg.data === undefined || msg.data === null) return;
      if (!isObject(msg.data)) throw new ConfigError(`${where}: a LEGACY state needs a "data" object.`);
      addLegacy(out, msg.data, where);
      return;
    default:
      throw new ConfigError(`${where}: unknown state type ${JSON.stringify(type)}; expected STREAM, GLOBAL or LEGACY.`);
  }
}

function addStream(out: TapState, s: unknown, where: string): void {
  if (!isObject(s) || !isObject(s.stream_descriptor) || typeof s.stream_descriptor.name !== 'string') {
    throw new ConfigError(`${where}: a stream state needs "stream_descriptor": {"name": ...}.`);
  }
  const name = s.stream_descriptor.name;
  const blob = s.stream_state;
  // null (or absent) means "reset": start this stream from start_date.
  if (blob === null || blob === undefined) {
    delete out.bookmarks[name];
    return;
  }
  if (!isObject(blob)) {
    throw new ConfigError(`${where}: the stream_state of "${name}" must be an object, got ${JSON.stringify(blob)}.`);
  }
  out.bookmarks[name] = blob;
}

function addLegacy(out: TapState, data: JsonObject, where: string): void {
  if (isObject(data.bookmarks)) {
    Object.assign(out.bookmarks, parseSingerState(data, where).bookmarks);
    return;
  }
  for (const [name, blob] of Object.entries(data)) {
    if (blob === null || blob === undefined) continue;
    // Legacy blobs are keyed by stream; anything else in there is not ours.
    if (isObject(blob)) out.bookmarks[name] = blob;
  }
  out.version = STATE_VERSION;
}
