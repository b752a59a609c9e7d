/**
 * Airbyte catalogs: discovery output (AirbyteCatalog) and the reading of a
 * ConfiguredAirbyteCatalog into protocol-agnostic selections.
 */
import type { JsonObject } from '../../core/events.js';
import type { StreamSelection } from '../../core/selection.js';
import type { DiscoveredStream } from '../../discovery/discover.js';
import { getStream } from '../../streams/registry.js';
import { ConfigError } from '../../util/errors.js';

export function airbyteStream({ d, schema }: DiscoveredStream): JsonObject {
  return {
    name: d.name,
    json_schema: schema,
    supported_sync_modes: d.replicationKey ? ['full_refresh', 'incremental'] : ['full_refresh'],
    source_defined_cursor: true,
    ...(d.replicationKey ? { default_cursor_field: [d.replicationKey] } : {}),
    ...(d.primaryKey.length ? { source_defined_primary_key: d.primaryKey.map((k) => [k]) } : {}),
    is_resumable: true,
  };
}

export function airbyteCatalog(streams: DiscoveredStream[]): JsonObject {
  return { streams: streams.map(airbyteStream) };
}

const SYNC_MODES = new Set(['full_refresh', 'incremental']);

/**
 * Selections from a ConfiguredAirbyteCatalog. Airbyte has no field selection:
 * every field is read. Anything the platform could not have produced (an
 * unknown stream, a bad sync mode, incremental on a full-refresh stream) is a
 * config error, so the platform shows it instead of a silently partial sync.
 */
export function selectionsFromConfiguredCatalog(input: unknown, source: string): StreamSelection[] {
  const where = `the configured catalog ${source}`;
  if (!input || typeof input !== 'object' || Array.isArray(input) || !Array.isArray((input as JsonObject).streams)) {
    throw new ConfigError(`${where} must be an object with a "streams" array of configured streams (ConfiguredAirbyteCatalog).`);
  }
  const out: StreamSelection[] = [];
  const seen = new Set<string>();
  for (const [i, raw] of ((input as JsonObject).streams as unknown[]).entries()) {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(`${where}: streams[${i}] is not an object.`);
    const entry = raw as JsonObject;
    const stream = entry.stream as JsonObject | undefined;
    const name = stream && typeof stream === 'object' ? stream.name : undefined;
    if (typeof name !== 'string' || name === '') throw new ConfigError(`${where}: streams[${i}].stream.name is missing.`);
    const d = getStream(name);
    if (!d) throw new ConfigError(`${where}: "${name}" is not a tap-zendesk stream; run discover for the list.`);
    if (seen.has(name)) throw new ConfigError(`${where}: stream "${name}" is configured twice.`);
    seen.add(name);
    const mode = entry.sync_mode;
    if (typeof mode !== 'string' || !SYNC_MODES.has(mode)) {
      throw new ConfigError(`${where}: stream "${name}" has sync_mode ${JSON.stringify(mode ?? null)}; use "full_refresh" or "incremental".`);
    }
    if (mode === 'incremental' && !d.replicationKey) {
      throw new ConfigError(`${where}: stream "${name}" supports only full_refresh (it has no cursor field), not incremental.`);
    }
    out.push({ name, incremental: mode === 'incremental' });
  }
  return out;
}
