/**
 * One output stream of a map: its SCHEMA (mapped properties typed, dropped
 * ones removed, flattened) and its record function, built once per SCHEMA of
 * the source stream. Semantics follow the Meltano SDK: expressions read the
 * source record as it came from the tap; `__filter__` runs first; keys stay
 * unless `__key_properties__` changes them; every key must be in the result.
 */
import type { JsonSchema } from '../streams/schema-types.js';
import { ConfigError } from '../util/errors.js';
import { ExprError, type CompiledExpression, type Scope } from './expr.js';
import type { Node } from './expr-parse.js';
import { flattenRecord, flattenSchema } from './flatten.js';
import type { StreamRule } from './settings.js';

export type Rec = Record<string, unknown>;

export interface SourceShape {
  schema: JsonSchema;
  keyProperties: string[];
  bookmarkProperties: string[];
}

export interface MappedStream extends SourceShape {
  name: string;
  /** Undefined when records pass unchanged (no copy, no cost). */
  transform?: (rec: Rec) => Rec | undefined;
}

const nullable = (type: string): JsonSchema => ({ type: [type, 'null'] });

/** The type a call or operator always yields, whatever its operands. */
function definiteType(node: Node): JsonSchema | undefined {
  switch (node.t) {
    case 'lit':
      if (typeof node.v === 'string') return nullable('string');
      if (typeof node.v === 'boolean') return nullable('boolean');
      if (typeof node.v === 'number') return nullable(Number.isInteger(node.v) ? 'integer' : 'number');
      return undefined;
    case 'cmp':
      return nullable('boolean');
    case 'unary':
      return node.op === 'not' ? nullable('boolean') : undefined;
    case 'call':
      if (node.fn.t !== 'name') return undefined;
      switch (node.fn.n) {
        case 'md5':
        case 'str':
          return nullable('string');
        case 'int':
        case 'len':
          return nullable('integer');
        case 'float':
          return nullable('number');
        case 'bool':
          return nullable('boolean');
      }
      return undefined;
    default:
      return undefined;
  }
}

/** `record['x']` / `_['x']`: the field it reads. */
function fieldRead(node: Node): string | undefined {
  if (node.t === 'name' && !['record', '_', 'self', 'config'].includes(node.n)) return node.n;
  if (node.t === 'index' && node.obj.t === 'name' && (node.obj.n === 'record' || node.obj.n === '_') && node.idx.t === 'lit' && typeof node.idx.v === 'string') {
    return node.idx.v;
  }
  return undefined;
}

/**
 * The SDK's rules first (`record` is the whole record; `str(`, `int(`,
 * `float(`, `bool(` and quoted text name their type; an existing property
 * keeps its type), then what the expression's shape makes certain (md5 and
 * comparisons), then the type of a field it copies; else a string.
 */
export function inferType(expr: CompiledExpression, property: string, raw: Record<string, JsonSchema>): JsonSchema {
  const src = expr.source.trim();
  if (src === 'record' || src === '_') return { type: ['object', 'null'], properties: raw };
  const definite = definiteType(expr.ast);
  if (definite) return definite;
  const self = expr.ast.t === 'name' && expr.ast.n === 'self' ? raw[property] : undefined;
  const copied = fieldRead(expr.ast);
  const existing = self ?? (copied !== undefined ? raw[copied] : undefined) ?? raw[property];
  return existing ?? nullable('string');
}

function fail(stream: string, message: string): never {
  throw new ConfigError(`config: stream_maps.${stream}: ${message}`);
}

/** Builds the output `name` of `rule` (undefined: the source unchanged but for flattening) over a source SCHEMA. */
export function mapStream(
  name: string,
  rule: StreamRule | undefined,
  source: SourceShape,
  settings: { config: Record<string, unknown>; flattenDepth: number | undefined },
  sourceName: string,
): MappedStream {
  const raw = source.schema.properties ?? {};
  const keys = rule?.keyProperties === undefined ? source.keyProperties : (rule.keyProperties ?? []);
  const label = rule?.key ?? sourceName;
  let properties: Record<string, JsonSchema>;
  if (rule?.elseNull) {
    properties = {};
    // The SDK keeps the keys with `__else__: null`, so loads still dedupe.
    for (const k of keys) if (raw[k]) properties[k] = raw[k];
  } else {
    properties = { ...raw };
  }
  const drops = new Set<string>();
  const exprs: Array<{ name: string; expr: CompiledExpression }> = [];
  for (const p of rule?.properties ?? []) {
    if (p.drop) {
      if (keys.includes(p.name)) {
        fail(label, `"${p.name}" is a key property and cannot be dropped; set "__key_properties__" to the new key (or null for none).`);
      }
      drops.add(p.name);
      delete properties[p.name];
    } else {
      drops.delete(p.name);
      exprs.push({ name: p.name, expr: p.expr });
      properties[p.name] = inferType(p.expr, p.name, raw);
    }
  }
  for (const k of keys) {
    if (!Object.hasOwn(properties, k)) fail(label, `key property "${k}" is not in the mapped stream (map it, or change "__key_properties__").`);
  }
  let schema: JsonSchema = { ...source.schema, properties };
  if (Array.isArray(source.schema.required)) schema.required = source.schema.required.filter((r) => Object.hasOwn(properties, r));
  const flat = settings.flattenDepth === undefined ? undefined : flattenSchema(schema, settings.flattenDepth);
  if (flat) schema = flat.schema;
  const bookmarkProperties = source.bookmarkProperties.filter((b) => Object.hasOwn(schema.properties ?? {}, b));
  const shape = { name, schema, keyProperties: keys, bookmarkProperties };
  const filter = rule?.filter;
  if (!filter && exprs.length === 0 && drops.size === 0 && !rule?.elseNull && !flat) return shape;

  const config = settings.config;
  const keep = rule?.elseNull ? keys.filter((k) => !drops.has(k)) : undefined;
  const plan = flat?.plan;
  const scope: Scope = { record: {}, self: null, config };
  const evaluate = (e: CompiledExpression, property: string): unknown => {
    try {
      return e.evaluate(scope);
    } catch (err) {
      if (!(err instanceof ExprError)) throw err;
      const id = keys.map((k) => `${k}=${JSON.stringify(scope.record[k])}`).join(', ');
      throw new ConfigError(`config: stream_maps.${label}.${property}: ${err.message} (evaluating ${JSON.stringify(e.source)} on the record ${id || 'without a key'}).`);
    }
  };
  const transform = (rec: Rec): Rec | undefined => {
    scope.record = rec;
    scope.self = null;
    if (filter) {
      let pass: boolean;
      try {
        pass = filter.test(scope);
      } catch (err) {
        if (!(err instanceof ExprError)) throw err;
        evaluate(filter, '__filter__');
        pass = false;
      }
      if (!pass) return undefined;
    }
    let out: Rec;
    if (keep) {
      out = {};
      for (const k of keep) if (Object.hasOwn(rec, k)) out[k] = rec[k];
    } else if (drops.size) {
      out = {};
      for (const k in rec) if (!drops.has(k)) out[k] = rec[k];
    } else {
      out = exprs.length ? { ...rec } : rec;
    }
    for (const { name: p, expr } of exprs) {
      scope.self = Object.hasOwn(rec, p) ? rec[p] : null;
      out[p] = evaluate(expr, p);
    }
    return plan ? flattenRecord(out, plan) : out;
  };
  return { ...shape, transform };
}
