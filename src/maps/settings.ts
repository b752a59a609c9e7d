/**
 * Reads `stream_maps`, `stream_map_config`, `flattening_enabled` and
 * `flattening_max_depth` with the Meltano SDK's documented syntax
 * (sdk.meltano.com, "Inline Stream Maps"). Every expression is compiled here,
 * once: a bad one is a config error naming the stream, the property and the
 * problem, before anything is read.
 */
import { ConfigError } from '../util/errors.js';
import { compileExpression, ExprSyntaxError, type CompiledExpression } from './expr.js';

/** The SDK's spelling of null for settings systems that cannot hold one (YAML via env vars, UIs). */
export const NULL_STRING = '__NULL__';

export type PropertyRule = { name: string; drop: true } | { name: string; drop: false; expr: CompiledExpression };

export interface StreamRule {
  /** The key in `stream_maps` (the output name of a `__source__` duplicate). */
  key: string;
  /** Source stream name or glob (`*`, `?`), as the SDK matches with fnmatch. */
  source: string;
  /** Output name; equal to `source` when neither `__alias__` nor `__source__` renames it. */
  alias: string;
  /** false for `__source__` duplicates: they add a stream instead of replacing the source's own. */
  primary: boolean;
  /** `"stream": null`: the source's own stream is not sent (and not read, unless a duplicate needs it). */
  remove: boolean;
  filter?: CompiledExpression;
  /** undefined: the source's keys; null: no keys (append-only loads). */
  keyProperties?: string[] | null;
  /** `"__else__": null`: only the mapped properties (and the keys) are kept. */
  elseNull: boolean;
  properties: PropertyRule[];
}

export interface MapSettings {
  rules: StreamRule[];
  /** Stream-level `"__else__": null`: streams no rule names are not sent. */
  elseNull: boolean;
  config: Record<string, unknown>;
  /** Undefined: flattening off. */
  flattenDepth: number | undefined;
}

const isNull = (v: unknown): boolean => v === null || v === NULL_STRING;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const STREAM_OPTIONS = new Set(['__alias__', '__source__', '__filter__', '__else__', '__key_properties__']);

function compile(where: string, source: unknown): CompiledExpression {
  if (typeof source !== 'string') {
    throw new ConfigError(`config: ${where} must be an expression string or null, got ${JSON.stringify(source)}.`);
  }
  try {
    return compileExpression(source);
  } catch (err) {
    if (err instanceof ExprSyntaxError) throw new ConfigError(`config: ${where}: ${err.message} in ${JSON.stringify(source)}.`);
    throw err;
  }
}

function streamRule(key: string, def: unknown): StreamRule {
  const where = `stream_maps.${key}`;
  if (isNull(def)) return { key, source: key, alias: key, primary: true, remove: true, elseNull: false, properties: [] };
  if (!isObject(def)) {
    throw new ConfigError(`config: ${where} must be an object of property mappings, or null to remove the stream; got ${JSON.stringify(def)}.`);
  }
  const rule: StreamRule = { key, source: key, alias: key, primary: true, remove: false, elseNull: false, properties: [] };
  const source = def.__source__;
  const alias = def.__alias__;
  if (source !== undefined) {
    if (typeof source !== 'string' || source === '') throw new ConfigError(`config: ${where}.__source__ must be the name of the stream to copy.`);
    // The SDK ignores __alias__ on a duplicate: its key is already its name.
    rule.source = source;
    rule.primary = false;
  } else if (alias !== undefined) {
    if (typeof alias !== 'string' || alias === '') throw new ConfigError(`config: ${where}.__alias__ must be the new stream name.`);
    rule.alias = alias;
  }
  if (def.__filter__ !== undefined && !isNull(def.__filter__)) rule.filter = compile(`${where}.__filter__`, def.__filter__);
  if ('__else__' in def) {
    if (!isNull(def.__else__)) throw new ConfigError(`config: ${where}.__else__ supports only null ("${NULL_STRING}"): keep only the mapped properties.`);
    rule.elseNull = true;
  }
  if ('__key_properties__' in def) {
    const keys = def.__key_properties__;
    if (isNull(keys)) rule.keyProperties = null;
    else if (Array.isArray(keys) && keys.every((k) => typeof k === 'string')) rule.keyProperties = keys as string[];
    else throw new ConfigError(`config: ${where}.__key_properties__ must be a list of property names, or null for none.`);
  }
  for (const [name, value] of Object.entries(def)) {
    if (STREAM_OPTIONS.has(name)) continue;
    if (/^__.*__$/.test(name)) {
      throw new ConfigError(`config: ${where}.${name} is not a stream map option (the options are ${[...STREAM_OPTIONS].join(', ')}).`);
    }
    if (isNull(value)) rule.properties.push({ name, drop: true });
    else rule.properties.push({ name, drop: false, expr: compile(`${where}.${name}`, value) });
  }
  return rule;
}

function depth(raw: Record<string, unknown>): number | undefined {
  const enabled = raw.flattening_enabled;
  if (enabled !== undefined && enabled !== null && typeof enabled !== 'boolean') {
    throw new ConfigError(`config: "flattening_enabled" must be true or false, got ${JSON.stringify(enabled)}.`);
  }
  const max = raw.flattening_max_depth;
  if (max !== undefined && max !== null && (typeof max !== 'number' || !Number.isInteger(max) || max < 0)) {
    throw new ConfigError(`config: "flattening_max_depth" must be a whole number of levels (0 or more), got ${JSON.stringify(max)}.`);
  }
  if (enabled !== true) return undefined;
  const levels = typeof max === 'number' ? max : 1;
  // The SDK flattens only with a depth above 0.
  return levels > 0 ? levels : undefined;
}

/** The map settings of a config, or undefined when it has none (the run then pays nothing for them). */
export function readMapSettings(raw: Record<string, unknown>): MapSettings | undefined {
  const maps = raw.stream_maps;
  const config = raw.stream_map_config;
  if (config !== undefined && config !== null && !isObject(config)) {
    throw new ConfigError(`config: "stream_map_config" must be an object of values for map expressions (config['name']).`);
  }
  if (maps !== undefined && maps !== null && !isObject(maps)) {
    throw new ConfigError(`config: "stream_maps" must be an object keyed by stream name (see the README's Stream maps section).`);
  }
  const flattenDepth = depth(raw);
  const entries = Object.entries((maps ?? {}) as Record<string, unknown>);
  if (entries.length === 0 && flattenDepth === undefined) return undefined;
  let elseNull = false;
  const rules: StreamRule[] = [];
  for (const [key, def] of entries) {
    if (key === '__else__') {
      if (!isNull(def)) throw new ConfigError(`config: stream_maps.__else__ supports only null ("${NULL_STRING}"): send only the streams named in stream_maps.`);
      elseNull = true;
      continue;
    }
    if (key.startsWith('__')) throw new ConfigError(`config: stream_maps.${key} is not a stream name or a stream_maps option (only __else__ is).`);
    rules.push(streamRule(key, def));
  }
  return { rules, elseNull, config: (config ?? {}) as Record<string, unknown>, flattenDepth };
}
