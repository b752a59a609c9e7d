/** Loads `schemas/streams/<name>.json` once per stream. */
import { readProjectJson } from '../util/paths.js';
import type { JsonSchema } from './schema-types.js';

const cache = new Map<string, JsonSchema>();

export function streamSchema(name: string): JsonSchema {
  let s = cache.get(name);
  if (!s) {
    s = readProjectJson<JsonSchema>('schemas', 'streams', `${name}.json`);
    cache.set(name, s);
  }
  return s;
}
