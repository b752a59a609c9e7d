/**
 * Stream maps and flattening as one transform over the engine's events,
 * between the engine (and the drift monitor) and a protocol adapter, so
 * Singer and Airbyte output get the same streams:
 *   schema     -> the mapped SCHEMA of every output of the source stream
 *   records    -> the mapped (filtered, flattened) records of every output
 *   checkpoint, status, estimate, error -> the same, once per output name
 * The engine keeps reading source streams by their own names; state is kept
 * under the output names, and read back from them (or the source's own).
 */
import type { EngineEvent, EventSink } from '../core/events.js';
import type { StreamSelection } from '../core/selection.js';
import type { TapState } from '../state/tap-state.js';
import { ALL_STREAMS, getStream } from '../streams/registry.js';
import { streamSchema } from '../streams/schemas.js';
import { closest } from '../config/unknown-keys.js';
import { ConfigError } from '../util/errors.js';
import { log } from '../util/log.js';
import { readMapSettings, type MapSettings, type StreamRule } from './settings.js';
import { mapStream, type MappedStream, type SourceShape } from './stream-map.js';

export interface Output {
  name: string;
  rule: StreamRule | undefined;
}

/** fnmatch's `*` and `?` (the SDK matches stream_maps keys against stream names with it). */
function globMatch(pattern: string, name: string): boolean {
  if (!/[*?[]/.test(pattern)) return pattern === name;
  const re = pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(name);
}

export class StreamMaps {
  private readonly outputs = new Map<string, Output[]>();

  constructor(readonly settings: MapSettings, sources: string[] = ALL_STREAMS.map((d) => d.name)) {
    const owner = new Map<string, string>();
    for (const s of sources) {
      const outs = this.resolve(s);
      for (const o of outs) {
        const prior = owner.get(o.name);
        if (prior !== undefined) {
          throw new ConfigError(`config: stream_maps: "${prior}" and "${s}" would both be sent as stream "${o.name}"; give one another "__alias__".`);
        }
        owner.set(o.name, s);
      }
      this.outputs.set(s, outs);
    }
    this.warnUnmatched(sources);
  }

  /** The streams a source stream is sent as (none: not sent, so not read). */
  outputsOf(source: string): Output[] {
    return this.outputs.get(source) ?? this.resolve(source);
  }

  private resolve(source: string): Output[] {
    const rules = this.settings.rules;
    // An exact key wins over a pattern; among patterns the last one wins, as in the SDK.
    const primary = rules.find((r) => r.primary && r.source === source) ?? rules.filter((r) => r.primary && globMatch(r.source, source)).pop();
    const out: Output[] = [];
    if (primary && !primary.remove) out.push({ name: primary.source === source ? primary.alias : source, rule: primary });
    else if (!primary && !this.settings.elseNull) out.push({ name: source, rule: undefined });
    for (const r of rules) {
      if (r.primary || !globMatch(r.source, source)) continue;
      out.push({ name: r.key === r.source ? source : r.key, rule: r });
    }
    return out;
  }

  /** Names in stream_maps that match nothing are typos more often than not. */
  private warnUnmatched(sources: string[]): void {
    for (const r of this.settings.rules) {
      if (sources.some((s) => globMatch(r.source, s))) continue;
      const near = closest(r.source, sources);
      const field = r.primary ? '' : '.__source__';
      log.warn(`config: stream_maps.${r.key}${field}: no tap-zendesk stream is named "${r.source}"${near ? `; did you mean "${near}"?` : ' (tap-zendesk --about lists the streams)'}`);
    }
    for (const r of this.settings.rules) {
      if (r.remove || /[*?[]/.test(r.source) || !getStream(r.source)) continue;
      const declared = streamSchema(r.source).properties ?? {};
      for (const p of r.properties) {
        if (p.drop) continue;
        for (const f of p.expr.fieldNames) {
          if (!Object.hasOwn(declared, f)) log.warn(`config: stream_maps.${r.key}.${p.name}: "${f}" is not in the published schema of ${r.source}; unless the records carry it, it reads as None`);
        }
      }
    }
  }

  /** The output streams of a source over its SCHEMA (checks keys: a config error before any record). */
  map(source: string, shape: SourceShape): MappedStream[] {
    return this.outputsOf(source).map((o) => mapStream(o.name, o.rule, shape, this.settings, source));
  }

  /** Checks every map against the published schemas of the selected streams, before anything is read. */
  check(sources: string[]): void {
    for (const s of sources) {
      const d = getStream(s);
      if (!d) continue;
      this.map(s, { schema: streamSchema(s), keyProperties: d.primaryKey, bookmarkProperties: d.replicationKey ? [d.replicationKey] : [] });
    }
  }

  /** Source selections the engine reads: a stream none of whose outputs is sent is not read. */
  sourceSelections(selections: StreamSelection[]): StreamSelection[] {
    const out = selections.filter((s) => this.outputsOf(s.name).length > 0);
    const skipped = selections.filter((s) => !out.includes(s)).map((s) => s.name);
    if (skipped.length) log.info(`stream_maps remove ${skipped.join(', ')}: not read`);
    return out;
  }

  /** Bookmarks by source name, taken from the first output that has one, else the source's own. */
  sourceState(state: TapState, sources: string[]): TapState {
    const bookmarks = { ...state.bookmarks };
    for (const s of sources) {
      for (const name of [...this.outputsOf(s).map((o) => o.name), s]) {
        const blob = state.bookmarks[name];
        if (blob) {
          bookmarks[s] = blob;
          break;
        }
      }
    }
    return { ...state, bookmarks };
  }

  /** The event transform; `only` limits the outputs sent (Airbyte: the configured streams). */
  sink(next: EventSink, only?: ReadonlySet<string>): EventSink {
    const live = new Map<string, MappedStream[]>();
    const names = (source: string): string[] => {
      const outs = this.outputsOf(source).map((o) => o.name);
      return only ? outs.filter((n) => only.has(n)) : outs;
    };
    const streamsOf = (source: string): MappedStream[] => {
      let m = live.get(source);
      if (!m) {
        // Records before a SCHEMA (never from the engine): map over the published schema.
        const d = getStream(source);
        m = this.map(source, { schema: streamSchema(source), keyProperties: d?.primaryKey ?? [], bookmarkProperties: [] });
        live.set(source, m);
      }
      return only ? m.filter((o) => only.has(o.name)) : m;
    };
    return async (e: EngineEvent): Promise<void> => {
      switch (e.kind) {
        case 'schema': {
          const mapped = this.map(e.stream, { schema: e.schema, keyProperties: e.keyProperties, bookmarkProperties: e.bookmarkProperties });
          live.set(e.stream, mapped);
          for (const o of only ? mapped.filter((m) => only.has(m.name)) : mapped) {
            await next({ kind: 'schema', stream: o.name, schema: o.schema, keyProperties: o.keyProperties, bookmarkProperties: o.bookmarkProperties });
          }
          return;
        }
        case 'records':
          for (const o of streamsOf(e.stream)) {
            if (!o.transform) {
              await next(o.name === e.stream ? e : { ...e, stream: o.name });
              continue;
            }
            const records = [];
            for (const r of e.records) {
              const m = o.transform(r);
              if (m !== undefined) records.push(m);
            }
            if (records.length) await next({ kind: 'records', stream: o.name, records, extractedAt: e.extractedAt });
          }
          return;
        case 'checkpoint':
        case 'status':
        case 'estimate':
          for (const n of names(e.stream)) await next(n === e.stream ? e : { ...e, stream: n });
          return;
        case 'error':
        case 'rate_limited': {
          const targets = e.stream === undefined ? [] : names(e.stream);
          // An error is never swallowed: without an output of its own it goes out as the engine said it.
          if (targets.length === 0) return next(e);
          for (const n of targets) await next(n === e.stream ? e : { ...e, stream: n });
          return;
        }
        default:
          return next(e);
      }
    };
  }
}

/** The maps of a config, or undefined when it sets none. */
export function streamMapsOf(raw: Record<string, unknown>): StreamMaps | undefined {
  const settings = readMapSettings(raw);
  return settings ? new StreamMaps(settings) : undefined;
}

export interface MappedRun {
  /** What the engine reads (source names). */
  selections: StreamSelection[];
  /** The engine's state (source names). */
  state: TapState;
  /** Wraps the adapter's sink. */
  sink(next: EventSink): EventSink;
}

/**
 * The one hook of a sync: `selections` and `state` as the engine needs them
 * and the transform in front of the adapter. Without map settings it hands
 * everything back unchanged. `only`: the output streams to send (Airbyte).
 */
export function mapRun(raw: Record<string, unknown>, selections: StreamSelection[], state: TapState, only?: ReadonlySet<string>): MappedRun {
  const maps = streamMapsOf(raw);
  if (!maps) return { selections, state, sink: (next) => next };
  const sources = maps.sourceSelections(selections);
  maps.check(sources.map((s) => s.name));
  return {
    selections: sources,
    state: maps.sourceState(state, sources.map((s) => s.name)),
    sink: (next) => maps.sink(next, only),
  };
}
