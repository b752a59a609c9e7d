/**
 * The Singer catalog: discovery output with breadcrumb metadata, and the
 * reading of a user's catalog into protocol-agnostic selections.
 */
import type { DiscoveredStream } from '../../discovery/discover.js';
import type { StreamSelection } from '../../core/selection.js';
import { ALL_STREAMS, getStream } from '../../streams/registry.js';
import { ConfigError } from '../../util/errors.js';
import type { JsonObject } from '../../core/events.js';

interface MetadataEntry {
  breadcrumb: string[];
  metadata: JsonObject;
}

export function singerCatalog(streams: DiscoveredStream[]): JsonObject {
  return {
    streams: streams.map(({ d, schema, available, unavailableReason }) => {
      const automatic = new Set([...d.primaryKey, ...(d.replicationKey ? [d.replicationKey] : [])]);
      const root: JsonObject = {
        'table-key-properties': d.primaryKey,
        'forced-replication-method': d.replicationKey ? 'INCREMENTAL' : 'FULL_TABLE',
        ...(d.replicationKey ? { 'valid-replication-keys': [d.replicationKey] } : {}),
        inclusion: 'available',
        'selected-by-default': available && d.selectedByDefault !== false,
        ...(d.derivedFrom ? { 'parent-tap-stream-id': d.derivedFrom.stream } : {}),
        ...(d.parent ? { 'parent-tap-stream-id': d.parent.stream } : {}),
        'zendesk-product': d.product,
        ...(d.requires ? { 'zendesk-requires': d.requires } : {}),
        ...(available ? {} : { 'zendesk-available': false, 'zendesk-unavailable-reason': unavailableReason ?? 'not available' }),
      };
      const metadata: MetadataEntry[] = [{ breadcrumb: [], metadata: root }];
      for (const field of Object.keys(schema.properties ?? {})) {
        metadata.push({
          breadcrumb: ['properties', field],
          metadata: automatic.has(field) ? { inclusion: 'automatic' } : { inclusion: 'available', 'selected-by-default': true },
        });
      }
      return {
        tap_stream_id: d.name,
        stream: d.name,
        schema,
        key_properties: d.primaryKey,
        ...(d.replicationKey ? { replication_key: d.replicationKey, replication_method: 'INCREMENTAL' } : { replication_method: 'FULL_TABLE' }),
        metadata,
      };
    }),
  };
}

const isTrue = (v: unknown) => v === true || v === 'true';

/** Selections from a Singer catalog (`--catalog` or legacy `--properties`). */
export function selectionsFromCatalog(input: unknown, source: string): StreamSelection[] {
  if (!input || typeof input !== 'object' || !Array.isArray((input as JsonObject).streams)) {
    throw new ConfigError(`the catalog ${source} must be an object with a "streams" array (run tap-zendesk --config CONFIG --discover > catalog.json to get one).`);
  }
  const out: StreamSelection[] = [];
  const known = new Set(ALL_STREAMS.map((d) => d.name));
  for (const [i, raw] of ((input as JsonObject).streams as unknown[]).entries()) {
    if (!raw || typeof raw !== 'object') throw new ConfigError(`the catalog ${source}: streams[${i}] is not an object.`);
    const entry = raw as JsonObject;
    const name = (entry.tap_stream_id ?? entry.stream) as unknown;
    if (typeof name !== 'string') throw new ConfigError(`the catalog ${source}: streams[${i}] has no "tap_stream_id".`);
    if (!known.has(name)) {
      throw new ConfigError(`the catalog ${source}: "${name}" is not a tap-zendesk stream; run --discover for the list.`);
    }
    const metadata = Array.isArray(entry.metadata) ? (entry.metadata as MetadataEntry[]) : [];
    const rootMeta = metadata.find((m) => Array.isArray(m?.breadcrumb) && m.breadcrumb.length === 0)?.metadata ?? {};
    const schema = (entry.schema ?? {}) as JsonObject;
    const selected = rootMeta.selected !== undefined ? isTrue(rootMeta.selected) : isTrue(schema.selected);
    if (!selected) continue;
    const d = getStream(name)!;
    // Unselected means explicitly `selected: false` (singer-python's rule), so new fields flow by default.
    const dropped = new Set<string>();
    for (const m of metadata) {
      if (m?.breadcrumb?.length === 2 && m.breadcrumb[0] === 'properties') {
        const field = m.breadcrumb[1]!;
        const md = m.metadata ?? {};
        if (md.inclusion === 'unsupported' || md.selected === false || md.selected === 'false') dropped.add(field);
      }
    }
    let fields: Set<string> | undefined;
    if (dropped.size) {
      const all = Object.keys((entry.schema as { properties?: JsonObject } | undefined)?.properties ?? {});
      fields = new Set(all.filter((f) => !dropped.has(f)));
    }
    const method = rootMeta['replication-method'] ?? entry.replication_method;
    const incremental = d.replicationKey !== undefined && method !== 'FULL_TABLE';
    out.push({ name, ...(fields ? { fields } : {}), incremental });
  }
  return out;
}

export function defaultSelections(streams: DiscoveredStream[]): StreamSelection[] {
  return streams
    .filter((s) => s.available && s.d.selectedByDefault !== false)
    .map((s) => ({ name: s.d.name, incremental: s.d.replicationKey !== undefined }));
}
