/**
 * Schema drift: a record field its stream's schema does not declare (Zendesk
 * adds fields often). Each one is reported once per stream and field (a warn
 * log event, so stderr in Singer mode and a LOG message in Airbyte mode) and
 * counted for the run summary. With `evolve` (Singer mode) the stream's SCHEMA
 * is sent again with the field added, nullable and typed from the values seen,
 * before the first record that carries it: targets that keep only declared
 * columns (target-postgres, ...) then add a column instead of dropping data.
 * Airbyte mode keeps its catalog (evolve off): the platform owns the schema.
 *
 * A sink wrapper placed first after the engine, so it sees the records the
 * engine emits before any transform (stream maps), and its SCHEMA updates flow
 * through that transform like the engine's own. A field the user deselected
 * never reaches it (the engine's projection drops it), so it is not drift.
 *
 * Hot path: one Set lookup per top-level key of each record; the types of an
 * evolved field are checked only on streams that have one.
 */
import type { EngineEvent, EventSink, JsonObject } from './events.js';
import type { JsonSchema } from '../streams/schema-types.js';

/** JSON types of a value, as JSON Schema names them. */
type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

const ANY: JsonType[] = ['null', 'string', 'number', 'integer', 'boolean', 'array', 'object'];

export interface DriftFinding {
  stream: string;
  field: string;
  /** Types seen so far (without null). */
  types: JsonType[];
}

interface StreamDrift {
  schema: JsonSchema;
  keyProperties: string[];
  bookmarkProperties: string[];
  /** Declared top-level fields, plus every field already reported. */
  known: Set<string>;
  /** Undeclared fields found, with the types of their values so far. */
  found: Map<string, Set<JsonType>>;
}

function typeOf(v: unknown): JsonType {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  switch (typeof v) {
    case 'string': return 'string';
    case 'boolean': return 'boolean';
    case 'number': return Number.isInteger(v) ? 'integer' : 'number';
    default: return 'object';
  }
}

/** The schema of an added field: nullable, typed from the values seen (only nulls: a string column). */
export function fieldSchema(types: Iterable<JsonType>): JsonSchema {
  const seen = new Set(types);
  seen.delete('null');
  if (seen.has('number')) seen.delete('integer'); // 1 and 1.5 in one column: number
  if (seen.size === 0) seen.add('string');
  const type = ANY.filter((t) => t === 'null' || seen.has(t));
  const out: JsonSchema = { type, description: 'Not in the published schema: added at run time from the records (schema drift)' };
  if (seen.has('object')) out.additionalProperties = true;
  if (seen.has('array')) out.items = { type: ANY };
  return out;
}

export class DriftMonitor {
  private readonly streams = new Map<string, StreamDrift>();

  /** @param evolve send an updated SCHEMA for a new field (Singer); else only report it (Airbyte). */
  constructor(private readonly evolve: boolean) {}

  /** Every undeclared field found this run, in the order found. */
  get findings(): DriftFinding[] {
    const out: DriftFinding[] = [];
    for (const [stream, s] of this.streams) for (const [field, types] of s.found) out.push({ stream, field, types: [...types].filter((t) => t !== 'null') });
    return out;
  }

  /** Wraps the sink the engine writes to. */
  wrap(sink: EventSink): EventSink {
    return async (e: EngineEvent) => {
      if (e.kind === 'schema') {
        const prev = this.streams.get(e.stream);
        const s: StreamDrift = {
          schema: e.schema,
          keyProperties: e.keyProperties,
          bookmarkProperties: e.bookmarkProperties,
          known: new Set(Object.keys(e.schema.properties ?? {})),
          found: prev?.found ?? new Map(),
        };
        this.streams.set(e.stream, s);
        for (const f of s.found.keys()) s.known.add(f);
        // A SCHEMA sent again (another pass) keeps the columns drift already added.
        await sink(this.evolve && s.found.size ? { ...e, schema: this.evolved(s) } : e);
        return;
      }
      if (e.kind === 'records') {
        const s = this.streams.get(e.stream);
        if (s) {
          const update = this.scan(e.stream, s, e.records);
          for (const line of update.logs) await sink({ kind: 'log', level: 'warn', message: line });
          if (update.changed && this.evolve) {
            await sink({ kind: 'schema', stream: e.stream, schema: this.evolved(s), keyProperties: s.keyProperties, bookmarkProperties: s.bookmarkProperties });
          }
        }
      }
      await sink(e);
    };
  }

  /** Finds new fields (and, for evolved fields, new value types) in a page. */
  private scan(stream: string, s: StreamDrift, records: JsonObject[]): { changed: boolean; logs: string[] } {
    const known = s.known;
    const found = s.found;
    let changed = false;
    const logs: string[] = [];
    for (const r of records) {
      if (found.size) {
        // Only streams that drifted pay for this: a later value of another type widens the column.
        for (const [field, types] of found) {
          if (!(field in r)) continue;
          const t = typeOf(r[field]);
          if (!types.has(t) && !(t === 'integer' && types.has('number'))) {
            const before = fieldSchema(types).type;
            types.add(t);
            if (JSON.stringify(fieldSchema(types).type) !== JSON.stringify(before)) changed = true;
          }
        }
      }
      for (const k in r) {
        if (known.has(k)) continue;
        // The engine clears a side-load it took off (metric_set) to undefined: never serialised, so no field.
        if (r[k] === undefined) continue;
        known.add(k);
        found.set(k, new Set([typeOf(r[k])]));
        changed = true;
        logs.push(
          `${stream}: field "${k}" is not in the stream's schema (Zendesk added it?): ` +
            (this.evolve ? 'sending an updated SCHEMA with it as a nullable column' : 'passed through in the records; the catalog is unchanged'),
        );
      }
    }
    return { changed, logs };
  }

  private evolved(s: StreamDrift): JsonSchema {
    const properties = { ...(s.schema.properties ?? {}) };
    for (const [field, types] of s.found) properties[field] = fieldSchema(types);
    return { ...s.schema, properties };
  }
}
