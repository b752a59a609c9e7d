/**
 * Stream maps in Airbyte mode: `discover` lists the mapped streams (names,
 * json_schema, keys), and `read` takes a configured catalog of those names,
 * reads their source streams once each and sends only the configured outputs.
 */
import type { JsonObject } from '../core/events.js';
import type { StreamSelection } from '../core/selection.js';
import { selectionsFromConfiguredCatalog } from '../protocols/airbyte/catalog.js';
import type { TapState } from '../state/tap-state.js';
import type { JsonSchema } from '../streams/schema-types.js';
import { ALL_STREAMS, getStream } from '../streams/registry.js';
import { ConfigError } from '../util/errors.js';
import { streamMapsOf, type MappedRun } from './stream-maps.js';

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The discovered AirbyteCatalog with every stream replaced by its mapped outputs. */
export function mapAirbyteCatalog(raw: Record<string, unknown>, catalog: JsonObject): JsonObject {
  const maps = streamMapsOf(raw);
  if (!maps) return catalog;
  const streams = (catalog.streams as JsonObject[]).flatMap((entry) => {
    const source = entry.name as string;
    const keys = ((entry.source_defined_primary_key as string[][] | undefined) ?? []).map((p) => p[0]!);
    const cursor = entry.default_cursor_field as string[] | undefined;
    const mapped = maps.map(source, { schema: entry.json_schema as JsonSchema, keyProperties: keys, bookmarkProperties: cursor ?? [] });
    return mapped.map((m) => {
      const { source_defined_primary_key: _k, default_cursor_field: _c, ...rest } = entry;
      return {
        ...rest,
        name: m.name,
        json_schema: m.schema,
        ...(m.bookmarkProperties.length ? { default_cursor_field: m.bookmarkProperties } : {}),
        ...(m.keyProperties.length ? { source_defined_primary_key: m.keyProperties.map((k) => [k]) } : {}),
      };
    });
  });
  return { ...catalog, streams };
}

export interface MappedRead {
  /** The configured (output) streams: what the adapter reports on. */
  selections: StreamSelection[];
  run: MappedRun;
}

/** Reads a ConfiguredAirbyteCatalog whose stream names may be mapped ones. */
export function mapAirbyteRead(raw: Record<string, unknown>, input: unknown, source: string, state: TapState): MappedRead {
  const maps = streamMapsOf(raw);
  if (!maps) {
    const selections = selectionsFromConfiguredCatalog(input, source);
    return { selections, run: { selections, state, sink: (next) => next } };
  }
  const ownerOf = new Map<string, string>();
  for (const d of ALL_STREAMS) for (const o of maps.outputsOf(d.name)) ownerOf.set(o.name, d.name);
  if (!isObject(input) || !Array.isArray(input.streams)) return mapAirbyteRead({}, input, source, state);
  const outputs: Array<{ name: string; owner: string }> = [];
  const bySource = new Map<string, JsonObject>();
  for (const entry of input.streams as unknown[]) {
    const name = isObject(entry) && isObject(entry.stream) ? entry.stream.name : undefined;
    if (typeof name !== 'string' || !isObject(entry)) {
      // Malformed: the usual reader says what is wrong with it.
      bySource.set(`#${bySource.size}`, entry as JsonObject);
      continue;
    }
    const owner = ownerOf.get(name);
    if (owner === undefined) {
      if (getStream(name)) throw new ConfigError(`the configured catalog ${source}: stream "${name}" is removed by stream_maps; run discover for the mapped streams.`);
      bySource.set(name, entry);
      continue;
    }
    outputs.push({ name, owner });
    const first = bySource.get(owner);
    if (first && first.sync_mode !== entry.sync_mode) {
      const other = outputs.find((o) => o.owner === owner && o.name !== name)?.name ?? owner;
      throw new ConfigError(`the configured catalog ${source}: "${name}" and "${other}" are both read from "${owner}" and must use the same sync_mode.`);
    }
    if (!first) bySource.set(owner, { ...entry, stream: { ...(entry.stream as JsonObject), name: owner } });
  }
  const sources = selectionsFromConfiguredCatalog({ ...input, streams: [...bySource.values()] }, source);
  const incremental = new Map(sources.map((s) => [s.name, s.incremental]));
  const selections = outputs.map((o) => ({ name: o.name, incremental: incremental.get(o.owner) ?? false }));
  const names = sources.map((s) => s.name);
  maps.check(names);
  const only = new Set(outputs.map((o) => o.name));
  return {
    selections,
    run: { selections: sources, state: maps.sourceState(state, names), sink: (next) => maps.sink(next, only) },
  };
}
